#pragma once
// What respbench reads from a fetched message to file it: who sent it, what it refers to,
// and what kind of message it is. This is the seam for the classifier (issue "Understanding
// replies"): until it lands, every message is "unclassified" and a matched one counts as an
// answer.

#include <string>
#include <string_view>
#include <vector>

namespace respbench {

struct ReplyAnalysis {
  std::string message_id;                   // without angle brackets
  std::vector<std::string> referenced_ids;  // In-Reply-To then References, without brackets
  std::string from_address;
  std::string subject;  // decoded (RFC 2047)
  std::string kind = "unclassified";
  bool counts_as_answer = true;
  std::string reasons;
};

// Parses `raw` (a whole message or only its header). Never throws; a message GMime cannot
// read yields an analysis with empty fields.
ReplyAnalysis analyze_reply(std::string_view raw);

// SHA-256 of `data` in lower-case hex: the key that recognises a message again, whatever its
// UID (DESIGN §6, a changed UIDVALIDITY).
std::string sha256_hex(std::string_view data);

}  // namespace respbench
