#include "study/placeholders.hpp"

#include <array>
#include <optional>

#include <fmt/format.h>

namespace respbench {
namespace {

constexpr std::array<std::string_view, 8> k_placeholders = {
    "company.name",   "company.id",     "company.sector",      "company.website",
    "persona.name",   "persona.email",  "persona.first_name",  "persona.last_name",
};

std::optional<std::string> value_of(std::string_view name, const Company& company, const Persona& persona) {
  if (name == "company.name") return company.name;
  if (name == "company.id") return company.id;
  if (name == "company.sector") return company.sector;
  if (name == "company.website") return company.website;
  if (name == "persona.name") return persona.name;
  if (name == "persona.email") return persona.email;
  auto space = persona.name.find(' ');
  if (name == "persona.first_name") return persona.name.substr(0, space);
  if (name == "persona.last_name") {
    auto last = persona.name.rfind(' ');
    return last == std::string::npos ? persona.name : persona.name.substr(last + 1);
  }
  return std::nullopt;
}

bool is_known(std::string_view name) {
  for (auto p : k_placeholders) {
    if (p == name) return true;
  }
  return false;
}

// Walks `text`, calling `literal(piece)` for plain text and `placeholder(name, offset)` for
// each "{name}"; returns false at the first unbalanced brace after reporting it.
template <class Literal, class Placeholder, class Report>
void walk(std::string_view text, Literal literal, Placeholder placeholder, Report report) {
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal(text.substr(i, 1));
      i += 2;
      continue;
    }
    if (c == '}') {
      report(i, "a lone \"}\"; expected \"}}\" for a literal brace");
      literal(text.substr(i, 1));
      ++i;
      continue;
    }
    if (c == '{') {
      auto close = text.find_first_of("{}\n", i + 1);
      if (close == std::string_view::npos || text[close] != '}') {
        report(i, "a \"{\" without its \"}\"; expected a placeholder such as {company.name}, or \"{{\" for a literal brace");
        literal(text.substr(i, 1));
        ++i;
        continue;
      }
      placeholder(text.substr(i + 1, close - i - 1), i);
      i = close + 1;
      continue;
    }
    auto next = text.find_first_of("{}", i);
    if (next == std::string_view::npos) next = text.size();
    literal(text.substr(i, next - i));
    i = next;
  }
}

}  // namespace

std::span<const std::string_view> known_placeholders() { return k_placeholders; }

bool check_placeholders(std::string_view text,
                        const std::function<void(std::size_t offset, std::string message)>& report) {
  bool ok = true;
  walk(
      text, [](std::string_view) {},
      [&](std::string_view name, std::size_t offset) {
        if (is_known(name)) return;
        ok = false;
        std::string list;
        for (auto p : k_placeholders) list += fmt::format("{}{{{}}}", list.empty() ? "" : ", ", p);
        report(offset, fmt::format("unknown placeholder {{{}}}; expected one of {}", name, list));
      },
      [&](std::size_t offset, std::string_view message) {
        ok = false;
        report(offset, std::string(message));
      });
  return ok;
}

std::string render_placeholders(std::string_view text, const Company& company, const Persona& persona) {
  std::string out;
  out.reserve(text.size() + 64);
  walk(
      text, [&](std::string_view piece) { out += piece; },
      [&](std::string_view name, std::size_t) {
        if (auto v = value_of(name, company, persona)) out += *v;
        else out += fmt::format("{{{}}}", name);
      },
      [](std::size_t, std::string_view) {});
  return out;
}

}  // namespace respbench
