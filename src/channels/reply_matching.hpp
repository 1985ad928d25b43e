#pragma once
// From a fetched message to a reply the ledger keeps: parse, classify, match (DESIGN §3, §5).
// One function for the email poll and for `reclassify`, so that both judge a message alike;
// and the matcher's lookup over the ledger.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.hpp"
#include "mail/match.hpp"
#include "study/model.hpp"

namespace respbench {

// MatchLookup over the ledger: inquiries by Message-ID and reply token, and the candidates of a
// sender's domain with the subjects their inquiries were sent with (the probes' subjects,
// rendered for the company and persona).
class LedgerMatchLookup final : public MatchLookup {
 public:
  // `companies`: every company the ledger knows (ledger.companies(), also those no longer in
  // the study); `probes`: the study's.
  LedgerMatchLookup(Ledger& ledger, std::vector<Company> companies, const std::vector<Probe>& probes);

  Result<std::optional<std::int64_t>> inquiry_by_message_id(std::string_view message_id) override;
  Result<std::optional<std::int64_t>> inquiry_by_reply_token(std::string_view token) override;
  Result<std::vector<MatchCandidate>> candidates_for_domain(std::string_view domain) override;

 private:
  Result<const std::vector<MatchCandidate>*> candidates_of(const Company& company);

  Ledger& m_ledger;
  std::vector<Company> m_companies;
  const std::vector<Probe>& m_probes;
  std::map<std::string, std::vector<MatchCandidate>, std::less<>> m_cache;  // by company id
};

// One reply as the rules see it, with the two halves of its review text.
struct JudgedReply {
  NewReply reply;                     // review = both parts joined
  std::string match_review;           // unmatched or ambiguous
  std::string classification_review;  // the classifier was not sure
};

// Who put a reply under its inquiry, as far as judging its kind goes.
enum class Placement {
  by_rules,   // the matcher's business: a reply by its headers or by the match
  by_person,  // a person placed it under an inquiry: it is a known reply, whatever its headers lack
};

// What the rules make of `raw`, received at `received_at` (IMAP INTERNALDATE), read from
// `source`: parsed, classified and matched. Fails only when the lookup fails.
Result<JudgedReply> judge_reply(const std::string& raw, Instant received_at, std::uint64_t size,
                                const std::string& source, MatchLookup& lookup,
                                Placement placement = Placement::by_rules);

// What the current rules say of a stored reply read with its raw message (reclassify, and
// assign after a person placed it): judged as a known reply when a person placed it under an
// inquiry. The ledger keeps people's decisions when it applies the verdict. Fails only when the
// lookup fails.
Result<ReplyVerdict> verdict_of(const StoredReply& stored, MatchLookup& lookup);

}  // namespace respbench
