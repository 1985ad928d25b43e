#pragma once
// What kind of reply a message is (DESIGN §5): a person's answer, an automatic acknowledgement,
// a ticket confirmation, an out-of-office reply, a bounce, or something else. Pure: works on a
// ParsedMessage, knows no study, no ledger, no GMime.

#include <optional>
#include <string>
#include <vector>

#include "mail/message.hpp"
#include "study/model.hpp"

namespace respbench {

// What a bounce says about the failed delivery.
struct BounceInfo {
  bool hard = true;                 // permanent (5.x.x) rather than temporary (4.x.x)
  std::string status;               // "5.1.1"; empty when the bounce gives none
  std::string recipient;            // the address that failed
  std::string original_message_id;  // the failed message's Message-ID, without brackets
};

struct Classification {
  ReplyKind kind = ReplyKind::other;
  std::vector<std::string> reasons;  // the signals that fired, e.g. "Auto-Submitted: auto-replied"
  std::optional<BounceInfo> bounce;  // for kind == bounce
  bool uncertain = false;  // the signals disagree or are weak: a person should look (review)
};

// Classifies one parsed message.
Classification classify(const ParsedMessage& message);

}  // namespace respbench
