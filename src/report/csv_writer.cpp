#include "report/csv_writer.hpp"

#include <utility>

#include "report/text.hpp"

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

void CsvWriter::start_cell() {
  if (m_row_started) m_out += m_separator;
  m_row_started = true;
}

CsvWriter& CsvWriter::text(std::string_view value) {
  start_cell();
  // clean_text() drops carriage returns; a leading one is neutralised all the same, as the
  // OWASP advice on CSV injection lists it.
  const bool formula_like = !value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos;
  std::string cell = (formula_like ? "'" : "") + clean_text(value);
  const bool quote = cell.find_first_of(std::string{m_separator, '"', '\n', '\r'}) != std::string::npos;
  if (!quote) {
    m_out += cell;
    return *this;
  }
  m_out += '"';
  for (char c : cell) {
    if (c == '"') m_out += '"';
    m_out += c;
  }
  m_out += '"';
  return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
  start_cell();
  m_out += std::to_string(value);
  return *this;
}

CsvWriter& CsvWriter::number(std::optional<double> value, int digits) {
  start_cell();
  if (value) m_out += format_fixed(*value, digits, m_decimal_point);
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

}  // namespace respbench
