#include "mail/classify.hpp"

namespace respbench {

// A first cut: RFC 3834's Auto-Submitted only. The full rules come with the issue
// "Understanding replies".
Classification classify(const ParsedMessage& message) {
  Classification out;
  const std::string* auto_submitted = message.header("Auto-Submitted");
  if (auto_submitted != nullptr && *auto_submitted != "no") {
    out.kind = ReplyKind::auto_ack;
    out.reasons.push_back("Auto-Submitted: " + *auto_submitted);
    return out;
  }
  out.kind = ReplyKind::human;
  out.reasons.push_back("no sign of an automatic message");
  return out;
}

}  // namespace respbench
