#include "util/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <iterator>

#include <fmt/format.h>

namespace respbench {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the UTF-8 sequence at the start of `s`, or 0 when it is not one (overlong
// forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  std::size_t length = 0;
  char32_t min = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

void append_clean_text(std::string& out, std::string_view text) {
  while (!text.empty()) {
    // A run of printable ASCII, the common case, is copied at once.
    const auto plain = std::find_if(text.begin(), text.end(), [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return c < 0x20 || c >= 0x7F;
    });
    out.append(text.begin(), plain);
    text.remove_prefix(static_cast<std::size_t>(plain - text.begin()));
    if (text.empty()) break;
    const std::size_t n = utf8_sequence_length(text);
    if (n == 0) {
      out += k_replacement;
      text.remove_prefix(1);
      continue;
    }
    const auto c = static_cast<unsigned char>(text[0]);
    const bool control = n == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && c != '\n';
    if (!control) out.append(text.substr(0, n));
    text.remove_prefix(n);
  }
}

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_clean_text(out, text);
  return out;
}

void append_fixed(std::string& out, double value, int digits, char decimal_point) {
  if (!std::isfinite(value)) return;
  const std::size_t start = out.size();
  // std::to_chars rounds exactly as printf does (half to even on the binary value), as fmt did,
  // at a third of fmt's cost per call: a report writes millions of these. 350 digits hold any
  // double in fixed notation at the few decimals asked for here; fmt takes over beyond that.
  char buffer[350];
  const auto [end, ec] = std::to_chars(std::begin(buffer), std::end(buffer), value, std::chars_format::fixed, digits);
  if (ec == std::errc{}) out.append(buffer, end);
  else fmt::format_to(std::back_inserter(out), "{:.{}f}", value, digits);
  const std::string_view written(out.data() + start, out.size() - start);
  if (written.starts_with('-') && written.find_first_not_of("-0.") == std::string_view::npos) out.erase(start, 1);
  if (decimal_point != '.') std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), '.', decimal_point);
}

std::string format_fixed(double value, int digits, char decimal_point) {
  std::string out;
  append_fixed(out, value, digits, decimal_point);
  return out;
}

}  // namespace respbench
