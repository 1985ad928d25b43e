#include "util/csv_write.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "util/text.hpp"

namespace respbench {

std::string_view to_string(CsvDialect d) {
  switch (d) {
    case CsvDialect::rfc4180: return "rfc4180";
    case CsvDialect::excel_de: return "excel-de";
  }
  return "?";
}

std::optional<CsvDialect> parse_csv_dialect(std::string_view name) {
  for (auto d : {CsvDialect::rfc4180, CsvDialect::excel_de}) {
    if (to_string(d) == name) return d;
  }
  return std::nullopt;
}

CsvWriter::CsvWriter(CsvDialect dialect)
    : m_separator(dialect == CsvDialect::excel_de ? ';' : ','),
      m_decimal_point(dialect == CsvDialect::excel_de ? ',' : '.') {
  // Excel reads a CSV without a BOM in the system's code page, which breaks every umlaut.
  if (dialect == CsvDialect::excel_de) m_out = "\xEF\xBB\xBF";
}

CsvWriter& CsvWriter::text(std::string_view value) {
  start_cell();
  // clean_text() drops carriage returns; a leading one is neutralised all the same, as the
  // OWASP advice on CSV injection lists it.
  const bool formula_like = !value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos;
  // Most cells are printable ASCII without a separator or quote: clean_text() would leave them
  // as they are and no quotes are needed, so they are copied straight (a million rows' worth).
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F || ch == m_separator || ch == '"') {
      text_slowly(value, formula_like);
      return *this;
    }
  }
  if (formula_like) m_out += '\'';
  m_out.append(value);
  return *this;
}

void CsvWriter::text_slowly(std::string_view value, bool formula_like) {
  m_cell.clear();
  if (formula_like) m_cell += '\'';
  append_clean_text(m_cell, value);
  const bool quote = std::ranges::any_of(m_cell, [&](char c) { return c == m_separator || c == '"' || c == '\n' || c == '\r'; });
  if (!quote) {
    m_out += m_cell;
    return;
  }
  m_out += '"';
  for (char c : m_cell) {
    if (c == '"') m_out += '"';
    m_out += c;
  }
  m_out += '"';
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
  start_cell();
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  m_out.append(digits, end);
  return *this;
}

CsvWriter& CsvWriter::number(std::optional<double> value, int digits) {
  start_cell();
  if (value) append_fixed(m_out, *value, digits, m_decimal_point);
  return *this;
}

CsvWriter& CsvWriter::boolean(bool value) {
  start_cell();
  m_out += value ? '1' : '0';
  return *this;
}

CsvWriter& CsvWriter::empty() {
  start_cell();
  return *this;
}

void CsvWriter::end_row() {
  m_out += "\r\n";
  m_row_started = false;
}

std::string CsvWriter::take() { return std::exchange(m_out, std::string()); }

std::string csv_row(std::initializer_list<std::string_view> cells) {
  CsvWriter csv;
  for (std::string_view cell : cells) csv.text(cell);
  csv.end_row();
  return csv.take();
}

}  // namespace respbench
