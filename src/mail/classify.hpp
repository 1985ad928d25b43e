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

// What is known of a message besides itself.
struct ClassifyContext {
  // It answers one of our inquiries (matched by our reply token, a subject from the company's
  // domain, or a person), though its headers may not show it (no In-Reply-To, no "Re:").
  bool known_reply = false;
};

// Classifies one parsed message.
Classification classify(const ParsedMessage& message, const ClassifyContext& context = {});

}  // namespace respbench
