#pragma once
// HTML mail made readable text: what a person sees, without markup. Pure string work (no GMime)
// so it is tested and fuzzed on its own.

#include <string>
#include <string_view>

namespace respbench {

// The text of `html` (UTF-8): script, style, head and comments dropped, entities decoded,
// block elements on their own lines, runs of blanks collapsed. Text inside <blockquote> (how
// Gmail, Apple Mail and Thunderbird quote history in HTML) gets a "> " per level in front of
// each line, so that quoted history is recognised like in plain text. Never fails.
std::string html_to_text(std::string_view html);

// Appends the UTF-8 encoding of `code_point` (U+FFFD for what is not a scalar value).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace respbench
