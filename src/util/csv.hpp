#pragma once
// RFC 4180 CSV reading: quoted fields with commas, quotes ("") and line breaks inside, CRLF or
// LF, UTF-8 with or without a BOM. Every field remembers where it started, so that a validator
// can point at file:line:column.

#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostics.hpp"

namespace respbench {

struct CsvField {
  std::string value;
  int line = 0;    // 1-based line where the field starts
  int column = 0;  // 1-based column (in characters, not bytes) where the field starts
};

struct CsvRecord {
  std::vector<CsvField> fields;
  int line = 0;  // line where the record starts
};

// Parses `text` (the contents of `file`) into records. Syntax errors — an unterminated quote,
// a quote inside an unquoted field, text after a closing quote, bytes that are not UTF-8 — go
// to `diags` with their position; the damaged record is dropped and reading resumes on the
// next line, so one pass reports every error. Blank lines are skipped.
std::vector<CsvRecord> parse_csv(std::string_view text, const std::string& file, Diagnostics& diags);

// True when `text` is well-formed UTF-8; `bad_offset` gets the byte offset of the first bad
// byte otherwise.
bool is_valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

}  // namespace respbench
