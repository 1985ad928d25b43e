#pragma once
// index.html (DESIGN §8): one self-contained page — inline CSS and SVG, no script, no request
// to anywhere (a Content-Security-Policy says so to the browser too) — with the headline table,
// the charts, the response-time curves, the league table, email versus Facebook, quoted replies
// and the methodology. Every text from the study or a company is escaped.

#include <string>

#include "analysis/metrics.hpp"
#include "report/language.hpp"

namespace respbench {

// The id of the headline table, for tests and links.
inline constexpr std::string_view k_headline_table_id = "headline-table";

// At most this many rows in the league and comparison tables (the best and the last ones);
// companies.csv has them all.
inline constexpr std::size_t k_max_table_rows = 200;

std::string html_report(const StudyFigures& figures, Lang lang);

}  // namespace respbench
