#pragma once
// What several writers read off StudyFigures the same way: column keys, lookups, the league
// table's order.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/metrics.hpp"

namespace respbench {

// A threshold as a column key: 1 → "1h", 0.5 → "0_5h".
std::string threshold_key(double hours);

// The largest k of the k-of-n columns: the study's n, or more when a group has more.
int k_of_n_columns(const StudyFigures& figures);

// The company with `id` in company_list (sorted by id), or nullptr.
const CompanyRef* find_company(const StudyFigures& figures, std::string_view id);

// Finds inquiries of figures.inquiries by id. analyze_study() leaves them in id order, and the
// row files are read in id order too, so the neighbours of the last hit are asked first and a
// binary search is the fallback (a linear one for figures that are not in id order).
class InquiryFinder {
 public:
  explicit InquiryFinder(const StudyFigures& figures);
  // nullptr when there is no inquiry `id`.
  const InquiryFigures* find(std::int64_t id);

 private:
  const std::vector<InquiryFigures>* m_list;
  bool m_sorted;
  std::size_t m_next = 0;
};

// One company's line in the league table: all its channels together.
struct LeagueEntry {
  std::uint32_t company = 0;  // index into company_list
  std::int64_t answered = 0;
  std::int64_t closed = 0;
  std::optional<double> share;         // answered / closed
  std::optional<double> median_hours;  // over its answered inquiries, all channels
  std::vector<const CompanyFigures*> channels;  // in k_all_channels order
  int rank = 0;  // 1-based; equal share and median share a rank ("1, 2, 2, 4")
};

// Every company of company_list, by share (highest first; none last), then median time
// (fastest first; none last), then name.
std::vector<LeagueEntry> league_table(const StudyFigures& figures);

// The median of `values` (sorted in place); nullopt when empty.
std::optional<double> median_of(std::vector<double>& values);

}  // namespace respbench
