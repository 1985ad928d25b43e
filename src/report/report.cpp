#include "report/report.hpp"

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
  const std::string no_name;
  auto streamed = ledger.for_each_reply([&](const ReplyRow& reply) -> Result<void> {
    const CompanyRef* company = reply.company_id.empty() ? nullptr : find_company(figures, reply.company_id);
    replies_csv_row(csv, reply, company ? company->name : no_name);
    if (csv.pending_size() >= k_csv_flush_bytes) file.append(csv.take());
    return {};
  });
  if (!streamed) return fail(fmt::format("cannot write {}: {}", path.string(), streamed.error().message));
  file.append(csv.take());
  return file.commit();
}

Result<std::vector<fs::path>> write_report(const StudyFigures& figures, Ledger& ledger, const ReportOptions& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return fail(fmt::format("cannot create {}: {}", options.out_dir.string(), ec.message()));
  std::vector<fs::path> written;
  auto write = [&](const char* name, const std::string& content) -> Result<void> {
    const fs::path path = options.out_dir / name;
    if (auto r = write_file_atomic(path, content); !r) return r;
    written.push_back(path);
    return {};
  };
  if (auto r = write("summary.csv", summary_csv(figures, options.dialect)); !r) return std::unexpected(r.error());
  if (auto r = write("companies.csv", companies_csv(figures, options.dialect)); !r) return std::unexpected(r.error());
  {
    const fs::path path = options.out_dir / "inquiries.csv";
    AtomicFile file(path);
    CsvWriter csv(options.dialect);
    write_inquiries_csv(figures, csv, [&](const std::string& piece) { file.append(piece); });
    if (auto r = file.commit(); !r) return std::unexpected(r.error());
    written.push_back(path);
  }
  {
    const fs::path path = options.out_dir / "replies.csv";
    if (auto r = write_replies_csv(figures, ledger, path, options.dialect); !r) return std::unexpected(r.error());
    written.push_back(path);
  }
  if (auto r = write("summary.json", summary_json(figures)); !r) return std::unexpected(r.error());
  if (auto r = write("index.html", html_report(figures, options.lang)); !r) return std::unexpected(r.error());
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
