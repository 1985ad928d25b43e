#pragma once
// Which inquiry a reply answers (DESIGN §5). Pure domain code: the matcher sees a parsed,
// classified message and asks a small lookup (the ledger, behind MatchLookup) about our
// inquiries; it knows no SQLite, no GMime, no study files.
//
// The rules, in order — the first that finds an inquiry wins:
//   a. our Message-ID in In-Reply-To or References (from any domain: helpdesks quote it too);
//   b. the reply token of a plus-address (local+TOKEN@domain) in To, Cc or Delivered-To;
//   c. the original Message-ID inside a bounce (or an attached copy of our message);
//   d. the normalised subject equal to or containing an inquiry's subject, the sender's domain
//      being one of the company's — one such inquiry matches, several are ambiguous.
// What finds nothing, or more than one inquiry, goes to review with the reason.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mail/classify.hpp"
#include "mail/message.hpp"
#include "util/result.hpp"

namespace respbench {

// A sent inquiry a reply from the sender's domain may answer, with the subject it was sent with.
struct MatchCandidate {
  std::int64_t inquiry_id = 0;
  std::string company_id;
  std::string subject;  // as sent (placeholders rendered)
};

// What the matcher asks about our inquiries. Each fails only when the store cannot be read.
class MatchLookup {
 public:
  virtual ~MatchLookup() = default;
  // The inquiry sent with this Message-ID (without angle brackets).
  virtual Result<std::optional<std::int64_t>> inquiry_by_message_id(std::string_view message_id) = 0;
  // The inquiry whose reply token (see reply_token()) this is; nullopt also when several share it.
  virtual Result<std::optional<std::int64_t>> inquiry_by_reply_token(std::string_view token) = 0;
  // The sent inquiries (email) of every company one of whose domains — the email address's
  // domain and reply_domains — is `domain` or a parent domain of it.
  virtual Result<std::vector<MatchCandidate>> candidates_for_domain(std::string_view domain) = 0;
};

struct MatchResult {
  std::optional<std::int64_t> inquiry_id;
  std::string method;  // "message_id", "plus_token", "bounce", "attached", "subject"; "" when none
  std::vector<std::string> reasons;
  std::string review;  // why a person should look (unmatched, ambiguous); "" when matched
  std::vector<MatchCandidate> candidates;  // for review: the inquiries it might belong to
};

// Matches one reply. Fails only when the lookup fails.
Result<MatchResult> match_reply(const ParsedMessage& message, const Classification& classification,
                                MatchLookup& lookup);

// The subject as compared: reply and forward prefixes (Re:, AW:, WG:, Fwd:, …), bracketed tags
// ([EXTERNAL], [#12345], [Ticket#…]) and surrounding space removed, runs of space made one,
// lower case (ASCII and Latin-1 letters).
std::string normalise_subject(std::string_view subject);

// Whether `domain` is `company_domain` or one of its subdomains (ASCII case-insensitive).
bool domain_within(std::string_view domain, std::string_view company_domain);

// The part of an address after the last '@', lower case; "" when there is none.
std::string domain_of_address(std::string_view address);

// The reply token of the inquiry sent as `message_id`: the first 10 characters of its random
// part (new_message_id()'s base-32 letters: 50 bits), so that the ledger finds the inquiry by a
// prefix of the Message-ID it already keeps. "" when the Message-ID is not of that form.
std::string reply_token(std::string_view message_id);

// "local+TOKEN@domain" for `address` "local@domain"; `address` unchanged when `token` is empty.
std::string plus_address(std::string_view address, std::string_view token);

// The reply token in a plus-address ("anna+abcdefghij@x.test" → "abcdefghij"), lower case;
// "" when the address has none of the right form.
std::string token_of_address(std::string_view address);

}  // namespace respbench
