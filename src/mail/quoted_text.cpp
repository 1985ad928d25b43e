#include "mail/quoted_text.hpp"

#include <array>
#include <vector>

#include "util/strings.hpp"

namespace respbench {
namespace {

// Lines that start the quoted history on their own (compared in lower case, trimmed, with
// dashes, underscores and blanks around them removed).
constexpr std::array<std::string_view, 14> k_history_lines{
    "original message",        "ursprüngliche nachricht", "original-nachricht",       "originalnachricht",
    "forwarded message",       "weitergeleitete nachricht", "message d'origine",      "begin forwarded message:",
    "anfang der weitergeleiteten nachricht:", "original-nachricht:", "ursprüngliche nachricht:",
    "original message:",       "weitergeleitete nachricht:", "forwarded message:"};

// The header lines of a quoted message in Outlook style: "From:" then within a few lines
// "Sent:"/"Date:" and "To:"/"Subject:".
constexpr std::array<std::string_view, 4> k_from_fields{"from:", "von:", "de:", "*from:*"};
constexpr std::array<std::string_view, 8> k_date_fields{"sent:", "date:", "gesendet:", "datum:",
                                                        "*sent:*", "*gesendet:*", "envoyé :", "envoyé:"};
constexpr std::array<std::string_view, 8> k_to_fields{"to:", "an:", "subject:", "betreff:", "cc:", "*to:*",
                                                      "*an:*", "objet :"};

bool starts_with_any(std::string_view line, auto const& prefixes) {
  for (std::string_view p : prefixes) {
    if (line.starts_with(p)) return true;
  }
  return false;
}

std::string_view strip_rule(std::string_view line) {
  while (!line.empty() && (line.front() == '-' || line.front() == '_' || line.front() == ' ' || line.front() == '='))
    line.remove_prefix(1);
  while (!line.empty() && (line.back() == '-' || line.back() == '_' || line.back() == ' ' || line.back() == '='))
    line.remove_suffix(1);
  return line;
}

bool is_quoted(std::string_view line) {
  line = trim(line);
  return line.starts_with(">") || line.starts_with("|>");
}

// "On Mon, 2 Mar 2026, Jane <jane@x.test> wrote:", "Am 02.03.2026 um 10:00 schrieb Jane:",
// also when a mail program wrapped it over two lines (`next` is the following line).
bool is_attribution(std::string_view lower, std::string_view next_lower) {
  auto ends_attribution = [](std::string_view s) {
    return s.ends_with("wrote:") || s.ends_with("schrieb:") || s.ends_with("a écrit :") || s.ends_with("a écrit:") ||
           (s.find(" schrieb ") != std::string_view::npos && s.ends_with(":")) ||
           s.ends_with("geschrieben:");
  };
  const bool opens = lower.starts_with("on ") || lower.starts_with("am ") || lower.starts_with("le ") ||
                     lower.find(" wrote:") != std::string_view::npos || lower.find(" schrieb") != std::string_view::npos;
  if (!opens) return false;
  if (lower.size() < 300 && ends_attribution(lower)) return true;
  // Wrapped: "On Mon, 2 Mar 2026 at 10:00, Jane Doe <jane@x.test>" / "wrote:"
  return (lower.starts_with("on ") || lower.starts_with("am ")) && lower.size() < 300 && !next_lower.empty() &&
         next_lower.size() < 120 && ends_attribution(next_lower);
}

// An Outlook header block starting at lines[i]: From/Von followed by a date and a To/Subject
// field within the next four lines.
bool is_header_block(const std::vector<std::string>& lower, std::size_t i) {
  if (!starts_with_any(lower[i], k_from_fields)) return false;
  bool date = false;
  bool to = false;
  for (std::size_t j = i + 1; j < lower.size() && j <= i + 5; ++j) {
    date = date || starts_with_any(lower[j], k_date_fields);
    to = to || starts_with_any(lower[j], k_to_fields);
  }
  return date && to;
}

bool is_signature_line(std::string_view raw_line) {
  if (!raw_line.empty() && raw_line.back() == '\r') raw_line.remove_suffix(1);
  return raw_line == "-- " || raw_line == "--";
}

}  // namespace

std::string strip_quoted_history(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::vector<std::string> lower;
  lower.reserve(lines.size());
  for (auto l : lines) lower.push_back(to_lower_ascii(trim(l)));

  std::size_t cut = lines.size();
  for (std::size_t i = 0; i < lines.size() && cut == lines.size(); ++i) {
    const std::string_view next = i + 1 < lines.size() ? std::string_view(lower[i + 1]) : std::string_view();
    const std::string_view rule = strip_rule(lower[i]);
    const bool history_line = rule.size() < lower[i].size() || lower[i].ends_with(":");
    if (is_signature_line(lines[i])) cut = i;
    else if (history_line && starts_with_any(rule, k_history_lines) && rule.size() < 60) cut = i;
    else if (is_attribution(lower[i], next)) cut = i;
    else if (is_header_block(lower, i)) cut = i;
    else if (lower[i].size() > 20 && strip_rule(lower[i]).empty() && i + 1 < lines.size() &&
             is_header_block(lower, i + 1))
      cut = i;  // Outlook's "________________________________" above the header block
  }

  std::string out;
  bool blank_pending = false;
  for (std::size_t i = 0; i < cut; ++i) {
    if (is_quoted(lines[i])) continue;
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (trim(line).empty()) {
      blank_pending = !out.empty();
      continue;
    }
    if (blank_pending) out += '\n';
    blank_pending = false;
    out += line;
    out += '\n';
  }
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace respbench
