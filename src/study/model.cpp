#include "study/model.hpp"

#include <algorithm>

namespace respbench {

std::string_view to_string(Channel c) {
  switch (c) {
    case Channel::email: return "email";
    case Channel::facebook: return "facebook";
  }
  return "?";
}

std::optional<Channel> parse_channel(std::string_view name) {
  for (auto c : k_all_channels) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

bool Probe::fits(std::string_view sector, Channel c) const {
  bool channel_ok = std::find(channels.begin(), channels.end(), c) != channels.end();
  bool sector_ok = sectors.empty() || std::find(sectors.begin(), sectors.end(), sector) != sectors.end();
  return channel_ok && sector_ok;
}

}  // namespace respbench
