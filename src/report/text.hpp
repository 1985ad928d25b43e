#pragma once
// Text as the report files need it: valid UTF-8, HTML-escaped, numbers in a fixed format.
// Everything a company wrote or the study files hold passes through here before it is shown.

#include <string>
#include <string_view>

namespace respbench {

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD and the control
// characters other than tab and line feed dropped (a carriage return before a line feed, too):
// what a browser or a CSV reader can show without guessing.
std::string clean_text(std::string_view text);

// clean_text(text) with &, <, >, " and ' as character references: safe in HTML text and in
// quoted attribute values.
std::string html_escape(std::string_view text);

// `value` with `digits` decimals and `decimal_point` ('.' or ','); "" when not finite. Never
// "-0.0": a value that rounds to zero is written without a sign.
std::string format_fixed(double value, int digits, char decimal_point = '.');

}  // namespace respbench
