#include "channels/assisted_ref.hpp"

#include <fmt/format.h>

#include "channels/facebook_ref.hpp"
#include "util/csv.hpp"
#include "util/strings.hpp"

namespace respbench {

Result<std::string> normalize_assisted_ref(Channel channel, std::string_view ref) {
  const std::string_view trimmed = trim(ref);
  if (trimmed.empty()) return fail("the reference is empty; expected what was posted (a permalink or an id)");
  if (channel == Channel::facebook) {
    // The poller's own parser: `sent` refuses exactly what the poller could not read, so no
    // registered inquiry silently goes unpolled.
    auto parsed = parse_facebook_ref(trimmed);
    if (!parsed) return std::unexpected(parsed.error());
    return parsed->normal;
  }
  if (!is_valid_utf8(trimmed)) return fail("the reference is not valid UTF-8");
  if (display_width(trimmed) > k_max_ref_length) {
    return fail(fmt::format("the reference is longer than {} characters", k_max_ref_length));
  }
  return std::string(trimmed);
}

}  // namespace respbench
