#include "util/diagnostics.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace respbench {

void Diagnostics::add(std::string file, int line, int column, std::string message) {
  m_items.push_back(Diagnostic{std::move(file), line, column, std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = m_items;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  if (d.line <= 0) return fmt::format("{}: {}", d.file, d.message);
  if (d.column <= 0) return fmt::format("{}:{}: {}", d.file, d.line, d.message);
  return fmt::format("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
}

}  // namespace respbench
