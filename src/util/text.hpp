#pragma once
// Text as files for other programs need it: valid UTF-8 without control characters, and numbers
// with fixed decimals. The report and the CSV writer build on these; the append forms write into
// a buffer the caller reuses, for writers of a million rows.

#include <string>
#include <string_view>

namespace respbench {

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD and the control
// characters other than tab and line feed dropped (a carriage return before a line feed, too):
// what a browser or a CSV reader can show without guessing.
std::string clean_text(std::string_view text);
// clean_text(text) appended to `out`.
void append_clean_text(std::string& out, std::string_view text);

// `value` with `digits` decimals and `decimal_point` ('.' or ','); "" when not finite. Never
// "-0.0": a value that rounds to zero is written without a sign.
std::string format_fixed(double value, int digits, char decimal_point = '.');
// format_fixed(value, digits, decimal_point) appended to `out`.
void append_fixed(std::string& out, double value, int digits, char decimal_point = '.');

}  // namespace respbench
