#include "util/csv.hpp"

#include <fmt/format.h>

namespace respbench {

bool is_valid_utf8(std::string_view text, std::size_t* bad_offset) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t min = 0;
    if (c < 0x80) length = 1;
    else if ((c & 0xE0) == 0xC0) { length = 2; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { length = 3; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { length = 4; min = 0x10000; }
    bool ok = length > 0 && i + length <= text.size();
    std::uint32_t code = length == 1 ? c : (c & (0x7F >> length));
    for (std::size_t k = 1; ok && k < length; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      code = (code << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    ok = ok && (length == 1 || code >= min) && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
    if (!ok) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// Walks the text byte by byte while keeping line and (character) column up to date.
class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& file, Diagnostics& diags)
      : m_text(text), m_file(file), m_diags(diags) {
    if (m_text.starts_with(k_bom)) m_pos = k_bom.size();
  }

  std::vector<CsvRecord> parse() {
    std::vector<CsvRecord> records;
    while (!at_end()) {
      if (at_line_end()) {  // blank line
        skip_line_end();
        continue;
      }
      const Position start = position();
      CsvRecord record;
      record.line = m_line;
      if (parse_record(record)) {
        records.push_back(std::move(record));
      } else {
        resume_after_line(start);
      }
    }
    return records;
  }

 private:
  struct Position {
    std::size_t pos;
    int line;
    int column;
  };

  Position position() const { return {m_pos, m_line, m_column}; }
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }
  bool at_line_end() const { return peek() == '\n' || (peek() == '\r' && next_is('\n')) || peek() == '\r'; }
  bool next_is(char c) const { return m_pos + 1 < m_text.size() && m_text[m_pos + 1] == c; }

  void advance() {
    char c = m_text[m_pos++];
    if (c == '\n') {
      ++m_line;
      m_column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++m_column;  // continuation bytes of a UTF-8 character add no column
    }
  }
  void skip_line_end() {
    if (peek() == '\r') {
      ++m_pos;
      if (!at_end() && peek() == '\n') advance();
      else { ++m_line; m_column = 1; }  // a lone CR ends a line too
    } else {
      advance();
    }
  }

  void error(int line, int column, std::string message) {
    m_diags.add(m_file, line, column, std::move(message));
  }

  // After a broken record: restart at the line following the record's first line, so that
  // the records after an unterminated quote are still read and checked.
  void resume_after_line(const Position& start) {
    m_pos = start.pos;
    m_line = start.line;
    m_column = start.column;
    while (!at_end() && !at_line_end()) advance();
    if (!at_end()) skip_line_end();
  }

  bool parse_record(CsvRecord& record) {
    for (;;) {
      CsvField field;
      field.line = m_line;
      field.column = m_column;
      bool ok = !at_end() && peek() == '"' ? parse_quoted(field) : parse_plain(field);
      if (!ok) return false;
      record.fields.push_back(std::move(field));
      if (at_end()) return true;
      if (peek() == ',') {
        advance();
        continue;
      }
      skip_line_end();
      return true;
    }
  }

  bool parse_plain(CsvField& field) {
    std::size_t begin = m_pos;
    while (!at_end() && peek() != ',' && !at_line_end()) {
      if (peek() == '"') {
        error(m_line, m_column,
              "a double quote inside an unquoted field; expected the whole field in quotes "
              "with inner quotes doubled (\"like \"\"this\"\"\")");
        return false;
      }
      advance();
    }
    field.value.assign(m_text.substr(begin, m_pos - begin));
    return check_utf8(field);
  }

  bool parse_quoted(CsvField& field) {
    advance();  // opening quote
    for (;;) {
      if (at_end()) {
        error(field.line, field.column,
              "unterminated quoted field: the closing double quote is missing");
        return false;
      }
      char c = peek();
      if (c == '"') {
        if (next_is('"')) {
          field.value += '"';
          advance();
          advance();
          continue;
        }
        advance();  // closing quote
        break;
      }
      if (c == '\r' && next_is('\n')) {
        advance();  // keep line breaks inside a field as LF
        continue;
      }
      field.value += c;
      advance();
    }
    if (!at_end() && peek() != ',' && !at_line_end()) {
      if (m_line != field.line) {
        // A quote left open on an earlier line pairs with the next field's opening quote, which
        // text follows; the mistake is where the field opened, not here.
        error(field.line, field.column,
              fmt::format("unterminated quoted field: the closing double quote is missing (the next "
                          "quote, on line {} column {}, is followed by text)",
                          m_line, m_column - 1));
        return false;
      }
      error(m_line, m_column, "unexpected text after a closing quote; expected a comma or the end of the line");
      return false;
    }
    return check_utf8(field);
  }

  bool check_utf8(const CsvField& field) {
    std::size_t bad = 0;
    if (is_valid_utf8(field.value, &bad)) return true;
    error(field.line, field.column,
          fmt::format("byte 0x{:02X} is not UTF-8; expected the file saved as UTF-8 (in Excel: "
                      "\"CSV UTF-8\")",
                      static_cast<unsigned char>(field.value[bad])));
    return false;
  }

  std::string_view m_text;
  const std::string& m_file;
  Diagnostics& m_diags;
  std::size_t m_pos = 0;
  int m_line = 1;
  int m_column = 1;
};

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file, Diagnostics& diags) {
  return CsvParser(text, file, diags).parse();
}

}  // namespace respbench
