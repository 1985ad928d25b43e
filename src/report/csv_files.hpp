#pragma once
// The report's CSV files (DESIGN §8; columns in docs/report-files.md): summary.csv (sector ×
// channel and overall), companies.csv (company × channel), inquiries.csv (one row per inquiry:
// enough to recompute every figure elsewhere) and replies.csv (one row per reply, streamed).

#include <cstdint>
#include <optional>
#include <string>

#include "analysis/metrics.hpp"
#include "report/inquiry_references.hpp"
#include "util/csv_write.hpp"

namespace respbench {

struct ReplyRow;  // ledger/ledger.hpp

// summary.csv: one row per sector × channel, then one per channel over all sectors.
std::string summary_csv(const StudyFigures& figures, CsvDialect dialect);
// companies.csv: one row per company and channel.
std::string companies_csv(const StudyFigures& figures, CsvDialect dialect);

// inquiries.csv, written into `csv` and handed to `flush` in pieces (flush(csv.pending()) whenever
// enough is pending, and once at the end). `references` gives each sent inquiry's reference.
template <class Flush>
void write_inquiries_csv(const StudyFigures& figures, const InquiryReferences& references, CsvWriter& csv,
                         Flush&& flush);

// The header of replies.csv, and one row of it. `company` is nullptr for an unmatched reply.
void replies_csv_header(CsvWriter& csv);
void replies_csv_row(CsvWriter& csv, const ReplyRow& reply, const CompanyRef* company);

// Pieces are handed on when this much text is pending.
inline constexpr std::size_t k_csv_flush_bytes = 1 << 16;

// Implementation ---------------------------------------------------------------------------

void inquiries_csv_header(CsvWriter& csv);
// `reference` is written only when the inquiry was sent.
void inquiries_csv_row(CsvWriter& csv, const StudyFigures& figures, const InquiryFigures& inquiry,
                       std::string_view reference);

template <class Flush>
void write_inquiries_csv(const StudyFigures& figures, const InquiryReferences& references, CsvWriter& csv,
                         Flush&& flush) {
  inquiries_csv_header(csv);
  for (const auto& inquiry : figures.inquiries) {
    inquiries_csv_row(csv, figures, inquiry, references.of(inquiry.id));
    if (csv.pending_size() >= k_csv_flush_bytes) {
      flush(csv.pending());
      csv.clear();
    }
  }
  flush(csv.pending());
  csv.clear();
}

}  // namespace respbench
