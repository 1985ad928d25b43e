#pragma once
// Text as the report files need it: valid UTF-8, HTML-escaped, numbers in a fixed format.
// Everything a company wrote or the study files hold passes through here before it is shown.

#include <string>
#include <string_view>

#include "util/text.hpp"  // clean_text, format_fixed: the report's pages use them throughout

namespace respbench {

// clean_text(text) with &, <, >, " and ' as character references: safe in HTML text and in
// quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace respbench
