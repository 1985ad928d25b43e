// respbench report: the study's figures as CSV, JSON and one self-contained HTML page
// (DESIGN §8), written atomically into reports/ (or --out), and the headline table on the
// terminal. Reads the ledger only: it runs beside a `run` without taking the study's lock.

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/report_access.hpp"

#include "analysis/analyze.hpp"
#include "analysis/input.hpp"
#include "cli/study_access.hpp"
#include "report/json_summary.hpp"

namespace fs = std::filesystem;

namespace respbench {

StudyFigures figures_for(const StudyConfig& config, Ledger& ledger, Instant now) {
  const AnalysisOptions options = analysis_options(config, now);
  AnalysisInput input = value_or_throw(ledger.analysis_input(options.max_quoted_replies));
  // Moved in: analyze_study frees the inquiry rows as it goes (a million of them, DESIGN §10).
  return analyze_study(std::move(input), options);
}

ReportOptions report_options(const StudyConfig& config, const fs::path& study_dir, const po::variables_map* options) {
  auto given = [&](const char* name) -> std::optional<std::string> {
    if (options == nullptr || options->count(name) == 0) return std::nullopt;
    return (*options)[name].as<std::string>();
  };
  ReportOptions r;
  r.out_dir = given("out") ? fs::path(*given("out")) : study_dir / "reports";
  const std::string lang = given("lang").value_or(config.report.lang);
  const std::string dialect = given("csv-dialect").value_or(config.report.csv_dialect);
  auto parsed_lang = parse_lang(lang);
  if (!parsed_lang) throw CommandError(k_exit_invalid, fmt::format("unknown report language \"{}\"; use de or en", lang));
  auto parsed_dialect = parse_csv_dialect(dialect);
  if (!parsed_dialect) {
    throw CommandError(k_exit_invalid, fmt::format("unknown CSV dialect \"{}\"; use rfc4180 or excel-de", dialect));
  }
  r.lang = *parsed_lang;
  r.dialect = *parsed_dialect;
  return r;
}

void declare_report(po::options_description& options, po::positional_options_description&) {
  options.add_options()
      ("out", po::value<std::string>()->value_name("DIR"), "folder for the report files (default: reports/ in the study folder)")
      ("lang", po::value<std::string>()->value_name("de|en"), "language of the labels (default: respbench.conf's report.lang)")
      ("csv-dialect", po::value<std::string>()->value_name("NAME"),
       "rfc4180 or excel-de (default: respbench.conf's report.csv_dialect)")
      ("json", po::bool_switch(), "print summary.json instead of the headline table");
}

int run_report(Context& context) {
  // respbench.conf alone: the figures come from the ledger, which holds the companies and
  // probes as they were planned. Checking companies.csv (200 000 rows in the benchmark) took a
  // tenth of the report's time and could only refuse a report of what was done.
  const StudyConfig config = load_config(context);
  const ReportOptions options = report_options(config, context.study_dir, &context.options);
  const Instant now = context.now(config.zone);
  auto ledger = open_existing_ledger(context);
  const StudyFigures figures = figures_for(config, *ledger, now);
  auto written = value_or_throw(write_report(figures, *ledger, options));

  if (context.options["json"].as<bool>()) {
    context.out << summary_json(figures);
    return k_exit_ok;
  }
  context.say(fmt::format("{}\n\n{}",
                          fmt::format(fmt::runtime(text(L::files_written, options.lang)), written.size(),
                                      options.out_dir.string()),
                          headline_text(figures, options.lang)));
  return k_exit_ok;
}

}  // namespace respbench
