#include "mail/charset.hpp"

#include <array>

#include <gmime/gmime.h>

#include "mail/gmime_init.hpp"
#include "mail/html_text.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

// Windows-1252 0x80–0x9F; 0 where the byte is unassigned (then read as Latin-1).
constexpr std::array<char32_t, 32> k_cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool is_ascii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  return g_utf8_validate(bytes.data(), static_cast<gssize>(bytes.size()), nullptr) != 0;
}

std::string windows_1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else if (b < 0xA0) {
      const char32_t cp = k_cp1252_high[b - 0x80];
      append_utf8(out, cp != 0 ? cp : b);
    } else {
      append_utf8(out, b);
    }
  }
  return out;
}

DecodedText decode_charset(std::string_view bytes, std::string_view declared) {
  ensure_gmime();
  const std::string name = to_lower_ascii(trim(declared));
  if (is_ascii(bytes)) return {std::string(bytes), {}};

  const char* canon = name.empty() ? "" : g_mime_charset_canon_name(name.c_str());
  const std::string canonical = to_lower_ascii(canon != nullptr ? canon : "");
  if (canonical == "utf-8" || canonical == "utf8") {
    if (is_valid_utf8(bytes)) return {std::string(bytes), {}};
    return {windows_1252_to_utf8(bytes), "text declared UTF-8 is not valid UTF-8, read as Windows-1252"};
  }
  if (canonical == "iso-8859-1" || canonical == "us-ascii" || canonical == "windows-1252" || canonical == "cp1252" ||
      canonical == "latin1") {
    return {windows_1252_to_utf8(bytes), {}};
  }
  if (!canonical.empty()) {
    const char* iconv_name = g_mime_charset_iconv_name(canonical.c_str());
    GError* error = nullptr;
    gsize written = 0;
    gchar* converted = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                                 iconv_name != nullptr ? iconv_name : canonical.c_str(), nullptr, &written, &error);
    if (converted != nullptr && error == nullptr && is_valid_utf8(std::string_view(converted, written))) {
      std::string text(converted, written);
      g_free(converted);
      return {std::move(text), {}};
    }
    g_free(converted);
    if (error != nullptr) g_error_free(error);
  }
  const std::string what = name.empty() ? std::string("no charset declared")
                                        : "charset \"" + name.substr(0, 40) + "\" could not be read";
  if (is_valid_utf8(bytes)) return {std::string(bytes), what + ", read as UTF-8"};
  return {windows_1252_to_utf8(bytes), what + ", read as Windows-1252"};
}

}  // namespace respbench
