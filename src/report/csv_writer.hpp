#pragma once
// Writing the report's CSV files (DESIGN §8): RFC 4180 UTF-8 by default (comma, CRLF, quotes
// only where needed), or `excel-de` for a German Excel (semicolon, decimal comma, UTF-8 BOM so
// that umlauts survive). Text cells that a spreadsheet would run as a formula are neutralised;
// numbers we write ourselves are numbers, negative ones included.

#include <cstdint>
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
  explicit CsvWriter(CsvDialect dialect);

  // A text cell: cleaned to valid UTF-8; a leading =, +, -, @, tab or carriage return gets a
  // ' before it (a spreadsheet would read a formula); quoted when it holds the separator, a
  // quote or a line break.
  CsvWriter& text(std::string_view value);
  CsvWriter& integer(std::int64_t value);
  // A number with `digits` decimals in the dialect's decimal point; an empty cell when absent
  // or not finite.
  CsvWriter& number(std::optional<double> value, int digits);
  CsvWriter& boolean(bool value);  // 1 or 0
  CsvWriter& empty();
  // Ends the row (CRLF in both dialects).
  void end_row();

  // The text written since the last take() (the BOM first, in excel-de).
  std::string take();
  std::size_t pending_size() const { return m_out.size(); }
  char separator() const { return m_separator; }

 private:
  void start_cell();

  char m_separator;
  char m_decimal_point;
  bool m_row_started = false;
  std::string m_out;
};

}  // namespace respbench
