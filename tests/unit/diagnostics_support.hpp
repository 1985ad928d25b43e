#pragma once
// Helpers for tests that check a loader's diagnostics by place and message.

#include <string>
#include <string_view>

#include "util/diagnostics.hpp"

namespace respbench::test {

// Every diagnostic as "file:line:column: message", one a line, in reading order: for INFO(),
// so that a failing check shows what the loader did say.
inline std::string describe(const Diagnostics& diags) {
  std::string out;
  for (const auto& d : diags.sorted()) out += format_diagnostic(d) + "\n";
  return out;
}

// The first diagnostic whose message contains `fragment`, or nullptr.
inline const Diagnostic* find_diagnostic(const Diagnostics& diags, std::string_view fragment) {
  for (const auto& d : diags.items()) {
    if (d.message.find(fragment) != std::string::npos) return &d;
  }
  return nullptr;
}

// "line:column" of a diagnostic, for compact exact checks.
inline std::string place(const Diagnostic& d) { return std::to_string(d.line) + ":" + std::to_string(d.column); }

}  // namespace respbench::test
