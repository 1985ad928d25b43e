#pragma once
// Text in any charset made UTF-8, with the fallbacks mail needs: a missing or wrong charset is
// read as UTF-8 when it is valid UTF-8, else as Windows-1252 (which never fails).

#include <string>
#include <string_view>

namespace respbench {

struct DecodedText {
  std::string text;  // valid UTF-8
  std::string note;  // empty, or what was guessed ("charset \"x\" unknown, read as Windows-1252")
};

// `bytes` in `declared` charset (empty: none declared) as UTF-8. ISO-8859-1 and US-ASCII are
// read as Windows-1252, their superset in practice (as browsers do).
DecodedText decode_charset(std::string_view bytes, std::string_view declared);

// Whether `bytes` is valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

// `bytes` read as Windows-1252 (the five unassigned bytes as their Latin-1 code points).
std::string windows_1252_to_utf8(std::string_view bytes);

}  // namespace respbench
