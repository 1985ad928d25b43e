#pragma once
// Writing CSV that Excel and LibreOffice open safely: RFC 4180 (quotes where needed, CRLF line
// ends) and no formulas — a cell that begins with = + - @ (or a tab or carriage return) gets a
// leading apostrophe, so that a company's text never runs as a formula (CSV injection).

#include <string>
#include <string_view>
#include <vector>

namespace respbench {

// One cell: neutralised, then quoted when it holds a comma, a quote or a line break.
std::string csv_cell(std::string_view value);
// One record: the cells joined by commas, ended by CRLF.
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace respbench
