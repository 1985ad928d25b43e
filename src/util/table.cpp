#include "util/table.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace respbench {

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : m_header(std::move(header)), m_align(std::move(align)) {
  m_align.resize(m_header.size(), Align::left);
}

void TextTable::add_row(std::vector<std::string> row) {
  row.resize(m_header.size());
  m_rows.push_back(std::move(row));
}

void TextTable::add_rule() { m_rows.emplace_back(); }

std::string TextTable::render() const {
  std::vector<std::size_t> width(m_header.size());
  for (std::size_t c = 0; c < m_header.size(); ++c) width[c] = display_width(m_header[c]);
  for (const auto& row : m_rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  }
  std::size_t total = 0;
  for (auto w : width) total += w + 2;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      std::string pad(width[c] - display_width(cells[c]), ' ');
      out += m_align[c] == Align::right ? pad + cells[c] : cells[c] + (c + 1 < cells.size() ? pad : "");
      if (c + 1 < cells.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(m_header);
  std::string rule(total > 2 ? total - 2 : 0, '-');
  out += rule + "\n";
  for (const auto& row : m_rows) out += row.empty() ? rule + "\n" : line(row);
  return out;
}

}  // namespace respbench
