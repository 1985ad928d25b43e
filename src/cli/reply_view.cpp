#include "cli/reply_view.hpp"

#include <charconv>

#include <fmt/format.h>

namespace respbench {

std::int64_t parse_id(std::string_view text, std::string_view what) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw CommandError(k_exit_invalid, fmt::format("{} must be a number such as 12 (see `respbench review`), not \"{}\"",
                                                   what, text));
  }
  return id;
}

std::string describe_change(const OutcomeChange& change, const date::time_zone* zone) {
  std::string out = fmt::format("inquiry {}: {}", change.inquiry_id, to_string(change.before));
  if (change.after != change.before) out += fmt::format(" → {}", to_string(change.after));
  if (change.answered_after && change.answered_after != change.answered_before) {
    out += fmt::format(" (answered {})", format_local(*change.answered_after, zone, true));
  } else if (!change.changed()) {
    out += " (unchanged)";
  }
  return out;
}

void say_changes(const Context& context, const std::vector<OutcomeChange>& changes, const date::time_zone* zone) {
  for (const auto& change : changes) context.say(describe_change(change, zone) + "\n");
}

}  // namespace respbench
