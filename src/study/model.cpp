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

std::string_view to_string(ReplyKind k) {
  switch (k) {
    case ReplyKind::human: return "human";
    case ReplyKind::auto_ack: return "auto_ack";
    case ReplyKind::ticket_ack: return "ticket_ack";
    case ReplyKind::out_of_office: return "out_of_office";
    case ReplyKind::bounce: return "bounce";
    case ReplyKind::other: return "other";
    case ReplyKind::unclassified: return "unclassified";
  }
  return "?";
}

std::optional<ReplyKind> parse_reply_kind(std::string_view name) {
  for (auto k : k_all_reply_kinds) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

bool Probe::fits(std::string_view sector, Channel c) const {
  bool channel_ok = std::find(channels.begin(), channels.end(), c) != channels.end();
  bool sector_ok = sectors.empty() || std::find(sectors.begin(), sectors.end(), sector) != sectors.end();
  return channel_ok && sector_ok;
}

}  // namespace respbench
