#pragma once
// Small string helpers the rooms share.

#include <string>
#include <string_view>
#include <vector>

namespace respbench {

std::string_view trim(std::string_view s);
// Splits at `separator`, trims each part and drops empty parts.
std::vector<std::string> split_list(std::string_view s, char separator = ',');
std::string to_lower_ascii(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// The longest start of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence.
std::string utf8_prefix(std::string_view text, std::size_t max_bytes);
// Number of characters (UTF-8 code points) in `s`: the width a terminal gives it.
std::size_t display_width(std::string_view s);

}  // namespace respbench
