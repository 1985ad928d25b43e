#include "report/report.hpp"

#include <array>
#include <future>

#include <fmt/format.h>

#include "report/csv_files.hpp"
#include "report/figures_view.hpp"
#include "report/html_report.hpp"
#include "report/json_summary.hpp"
#include "util/files.hpp"
#include "util/table.hpp"

namespace fs = std::filesystem;

namespace respbench {

Result<void> write_replies_csv(const StudyFigures& figures, Ledger& ledger, const fs::path& path, CsvDialect dialect) {
  AtomicFile file(path);
  CsvWriter csv(dialect);
  replies_csv_header(csv);
  InquiryFinder inquiries(figures);
  auto streamed = ledger.for_each_reply([&](const ReplyRow& reply) -> Result<void> {
    const InquiryFigures* inquiry = reply.inquiry_id ? inquiries.find(*reply.inquiry_id) : nullptr;
    const CompanyRef* company =
        inquiry && inquiry->company < figures.company_list.size() ? &figures.company_list[inquiry->company] : nullptr;
    replies_csv_row(csv, reply, company);
    if (csv.pending_size() >= k_csv_flush_bytes) {
      file.append(csv.pending());
      csv.clear();
    }
    return {};
  });
  if (!streamed) return fail(fmt::format("cannot write {}: {}", path.string(), streamed.error().message));
  file.append(csv.pending());
  return file.commit();
}

namespace {

Result<void> write_inquiries_file(const StudyFigures& figures, const InquiryReferences& references,
                                  const fs::path& path, CsvDialect dialect) {
  AtomicFile file(path);
  CsvWriter csv(dialect);
  write_inquiries_csv(figures, references, csv, [&](std::string_view piece) { file.append(piece); });
  return file.commit();
}

}  // namespace

Result<std::vector<fs::path>> write_report(const StudyFigures& figures, Ledger& ledger, const ReportOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return fail(fmt::format("cannot create {}: {}", options.out_dir.string(), ec.message()));
  const auto path = [&](const char* name) { return options.out_dir / name; };
  const auto whole = [&](const char* name, const std::string& content) { return write_file_atomic(path(name), content); };

  // Two cores, two halves. This thread reads the ledger (it is one connection, used by one
  // thread): the inquiries' references, then replies.csv as it streams. The other writes
  // summary.csv and companies.csv meanwhile, then inquiries.csv, the largest file, once the
  // references are there, then summary.json and index.html. Results in k_report_files' order;
  // a failure stops the files after it on the same thread, and the first failure in that
  // order is the one returned.
  std::array<Result<void>, std::size(k_report_files)> results;
  results.fill(Result<void>(fail("not written: an earlier file failed")));
  Result<InquiryReferences> references = fail("not read");
  std::promise<void> references_read;
  auto other = std::async(std::launch::async, [&, read = references_read.get_future()]() mutable {
    results[0] = whole("summary.csv", summary_csv(figures, options.dialect));
    if (results[0]) results[1] = whole("companies.csv", companies_csv(figures, options.dialect));
    read.get();
    if (!results[1]) return;
    if (!references) {
      results[2] = fail(fmt::format("cannot write {}: {}", path("inquiries.csv").string(), references.error().message));
      return;
    }
    results[2] = write_inquiries_file(figures, *references, path("inquiries.csv"), options.dialect);
    if (results[2]) results[4] = whole("summary.json", summary_json(figures));
    if (results[4]) results[5] = whole("index.html", html_report(figures, options.lang));
  });
  try {
    references = InquiryReferences::read(ledger, figures.inquiries.size());
  } catch (...) {
    references_read.set_exception(std::current_exception());  // else `other` would wait forever
    throw;
  }
  references_read.set_value();
  results[3] = write_replies_csv(figures, ledger, path("replies.csv"), options.dialect);
  other.get();

  std::vector<fs::path> written;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i]) return std::unexpected(results[i].error());
    written.push_back(path(k_report_files[i]));
  }
  return written;
}

std::string headline_text(const StudyFigures& figures, Lang lang) {
  const auto& f = figures.facts;
  std::vector<std::string> header = {std::string(text(L::sector, lang)), std::string(text(L::channel, lang)),
                                     std::string(text(L::companies, lang)), std::string(text(L::reachability, lang)),
                                     std::string(text(L::answer_rate, lang)), std::string(text(L::mean_answered, lang)),
                                     std::string(text(L::all_answered, lang))};
  for (double h : f.thresholds_hours) header.push_back("≤ " + format_hours(h, lang));
  header.emplace_back(text(L::median, lang));
  std::vector<Align> align(header.size(), Align::right);
  align[0] = align[1] = Align::left;
  TextTable table(header, align);
  auto row = [&](const GroupFigures& g) {
    std::vector<std::string> cells = {g.sector.empty() ? std::string(text(L::all_sectors, lang)) : g.sector,
                                      std::string(channel_label(g.channel, lang)), format_count(g.companies, lang),
                                      format_proportion(g.reachability, lang), format_proportion(g.answer_rate, lang),
                                      g.mean_answered ? format_decimal(*g.mean_answered, 1, lang) : std::string(text(L::no_data, lang)),
                                      format_proportion(g.all_answered, lang)};
    for (std::size_t i = 0; i < f.thresholds_hours.size(); ++i) {
      const bool known = g.calendar.inquiries > 0 && i < g.calendar.at_thresholds.size();
      cells.push_back(known ? format_percent(g.calendar.at_thresholds[i].estimate, lang) : std::string(text(L::no_data, lang)));
    }
    cells.push_back(g.calendar.median_hours ? format_hours(*g.calendar.median_hours, lang)
                                            : std::string(text(g.calendar.inquiries > 0 ? L::median_not_reached : L::no_data, lang)));
    table.add_row(std::move(cells));
  };
  for (const auto& g : figures.groups) row(g);
  table.add_rule();
  for (const auto& g : figures.overall) row(g);
  return table.render();
}

}  // namespace respbench
