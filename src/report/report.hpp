#pragma once
// Writing a study's report folder (DESIGN §8): summary.csv, companies.csv, inquiries.csv,
// replies.csv, summary.json and index.html, each written atomically (a reader never sees half
// a file), and the headline table for a terminal.

#include <filesystem>
#include <string>
#include <vector>

#include "analysis/metrics.hpp"
#include "ledger/ledger.hpp"
#include "util/csv_write.hpp"
#include "report/language.hpp"
#include "util/result.hpp"

namespace respbench {

struct ReportOptions {
  std::filesystem::path out_dir;
  Lang lang = Lang::de;
  CsvDialect dialect = CsvDialect::rfc4180;
};

// The files of a report, in the order they are written.
inline constexpr const char* k_report_files[] = {"summary.csv", "companies.csv", "inquiries.csv",
                                                 "replies.csv", "summary.json", "index.html"};

// Writes every file of the report into options.out_dir (created when missing); replies.csv is
// read from `ledger` as it is written, inquiries.csv on a second thread meanwhile (`ledger` is
// used by this thread only). Returns the files' paths; fails with the first file, in
// k_report_files' order, that cannot be written (the files written stay, each of them whole).
Result<std::vector<std::filesystem::path>> write_report(const StudyFigures& figures, Ledger& ledger,
                                                        const ReportOptions& options);

// replies.csv alone, streamed from `ledger` into `path`.
Result<void> write_replies_csv(const StudyFigures& figures, Ledger& ledger, const std::filesystem::path& path,
                               CsvDialect dialect);

// The headline table (sector × channel, then overall) as plain text for a terminal.
std::string headline_text(const StudyFigures& figures, Lang lang);

}  // namespace respbench
