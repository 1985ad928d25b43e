#pragma once
// Writing CSV that Excel and LibreOffice open safely (DESIGN §8): RFC 4180 UTF-8 by default
// (comma, CRLF, quotes only where needed), or `excel-de` for a German Excel (semicolon, decimal
// comma, UTF-8 BOM so that umlauts survive). A text cell that a spreadsheet would run as a
// formula (= + - @, a tab or a carriage return first) gets a leading apostrophe, so that a
// company's text never runs (CSV injection); numbers we write ourselves are numbers, negative
// ones included. The one writer of every CSV respbench writes: the report's files and `todo`.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace respbench {

enum class CsvDialect { rfc4180, excel_de };

// "rfc4180", "excel-de".
std::string_view to_string(CsvDialect d);
// nullopt for an unknown name.
std::optional<CsvDialect> parse_csv_dialect(std::string_view name);

// Builds CSV text row by row in memory; take() hands over what is there so far (to append it
// to a file), so that a million rows need not be held at once.
class CsvWriter {
 public:
  explicit CsvWriter(CsvDialect dialect = CsvDialect::rfc4180);

  // A text cell: cleaned to valid UTF-8 (clean_text); neutralised when formula-like; quoted
  // when it holds the separator, a quote or a line break.
  CsvWriter& text(std::string_view value);
  CsvWriter& integer(std::int64_t value);
  // A number with `digits` decimals in the dialect's decimal point; an empty cell when absent
  // or not finite.
  CsvWriter& number(std::optional<double> value, int digits);
  CsvWriter& boolean(bool value);  // 1 or 0
  CsvWriter& empty();
  // Ends the row (CRLF in both dialects).
  void end_row();

  // The text written since the last take() or clear() (the BOM first, in excel-de).
  std::string take();
  // The same without handing it over; clear() then drops it and keeps the buffer for the rows
  // to come (a file written in pieces reuses one buffer).
  std::string_view pending() const { return m_out; }
  void clear() { m_out.clear(); }
  std::size_t pending_size() const { return m_out.size(); }
  char separator() const { return m_separator; }

 private:
  void start_cell() {
    if (m_row_started) m_out += m_separator;
    m_row_started = true;
  }
  void text_slowly(std::string_view value, bool formula_like);

  char m_separator;
  char m_decimal_point;
  bool m_row_started = false;
  std::string m_out;
  std::string m_cell;  // text_slowly's scratch, kept for its capacity
};

// One RFC 4180 record of text cells: what CsvWriter writes for them, as a string.
std::string csv_row(std::initializer_list<std::string_view> cells);

}  // namespace respbench
