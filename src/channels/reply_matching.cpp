#include "channels/reply_matching.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "mail/classify.hpp"
#include "mail/message.hpp"
#include "study/config.hpp"
#include "study/placeholders.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

// The ledger's review texts are parts joined by this (see sqlite_ledger.cpp).
constexpr std::string_view k_review_separator = " | ";

}  // namespace

LedgerMatchLookup::LedgerMatchLookup(Ledger& ledger, std::vector<Company> companies, const std::vector<Probe>& probes)
    : m_ledger(ledger), m_companies(std::move(companies)), m_probes(probes) {}

Result<std::optional<std::int64_t>> LedgerMatchLookup::inquiry_by_message_id(std::string_view message_id) {
  auto found = m_ledger.inquiry_by_message_id(message_id);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*found)->id);
}

Result<std::optional<std::int64_t>> LedgerMatchLookup::inquiry_by_reply_token(std::string_view token) {
  auto found = m_ledger.inquiry_by_reply_token(token);
  if (!found) return std::unexpected(found.error());
  if (!*found) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*found)->id);
}

Result<std::vector<MatchCandidate>> LedgerMatchLookup::candidates_for_domain(std::string_view domain) {
  std::vector<MatchCandidate> out;
  for (const Company& company : m_companies) {
    bool ours = company.offers(Channel::email) && domain_within(domain, domain_of_address(company.email));
    for (const auto& d : company.reply_domains) ours = ours || domain_within(domain, d);
    if (!ours) continue;
    auto candidates = candidates_of(company);
    if (!candidates) return std::unexpected(candidates.error());
    out.insert(out.end(), (*candidates)->begin(), (*candidates)->end());
  }
  return out;
}

Result<const std::vector<MatchCandidate>*> LedgerMatchLookup::candidates_of(const Company& company) {
  if (auto it = m_cache.find(company.id); it != m_cache.end()) return &it->second;
  InquiryFilter filter;
  filter.company_id = company.id;
  filter.channel = Channel::email;
  auto inquiries = m_ledger.inquiries(filter);
  if (!inquiries) return std::unexpected(inquiries.error());
  std::vector<MatchCandidate> candidates;
  for (const InquiryRecord& inquiry : *inquiries) {
    // Only what went out can be answered.
    if (inquiry.message_id.empty() || inquiry.state == InquiryState::planned || inquiry.state == InquiryState::sending)
      continue;
    auto probe = std::find_if(m_probes.begin(), m_probes.end(), [&](const Probe& p) { return p.id == inquiry.probe_id; });
    const auto persona = parse_persona(inquiry.persona);
    // Without its probe the subject is unknown: a candidate for review, never for the subject rule.
    const std::string subject =
        probe == m_probes.end() || !persona ? std::string() : render_placeholders(probe->subject, company, *persona);
    candidates.push_back({inquiry.id, company.id, subject});
  }
  return &m_cache.emplace(company.id, std::move(candidates)).first->second;
}

Result<JudgedReply> judge_reply(const std::string& raw, Instant received_at, std::uint64_t size,
                                const std::string& source, MatchLookup& lookup, Placement placement) {
  const ParsedMessage message = parse_message(raw);
  Classification classification = classify(message, {.known_reply = placement == Placement::by_person});
  auto match = match_reply(message, classification, lookup);
  if (!match) return std::unexpected(match.error());
  // Matched without being threaded to us (our reply token, or the subject from the company's
  // domain): it is a reply all the same, whatever its headers lack.
  if (match->inquiry_id && message.referenced_ids.empty()) classification = classify(message, {.known_reply = true});

  JudgedReply out;
  NewReply& reply = out.reply;
  reply.channel = Channel::email;
  reply.source = source;
  reply.source_key = sha256_hex(raw);
  reply.received_at = received_at;
  reply.kind = classification.kind;
  std::vector<std::string> reasons = classification.reasons;
  reasons.insert(reasons.end(), match->reasons.begin(), match->reasons.end());
  reply.reasons = join(reasons, "; ");
  reply.from_address = message.from_address;
  reply.subject = message.subject;
  reply.message_id = message.message_id;
  reply.excerpt = utf8_prefix(message.new_text.empty() ? message.text : message.new_text, k_excerpt_size);
  if (classification.bounce) {
    reply.bounce_status = classification.bounce->status;
    reply.bounce_recipient = classification.bounce->recipient;
    reply.bounce_original_id = classification.bounce->original_message_id;
    reply.bounce_hard = classification.bounce->hard;
  }
  reply.raw = raw;
  reply.size = size;
  reply.inquiry_id = match->inquiry_id;
  reply.match_method = match->method;
  reply.counts_as_answer = reply.inquiry_id.has_value() && counts_as_answer(reply.kind);

  out.match_review = match->review;
  if (classification.uncertain) {
    out.classification_review =
        fmt::format("classification uncertain: {} ({})", to_string(classification.kind), join(classification.reasons, "; "));
  }
  std::vector<std::string> parts;
  for (const auto* part : {&out.match_review, &out.classification_review}) {
    if (!part->empty()) parts.push_back(*part);
  }
  reply.review = join(parts, k_review_separator);
  return out;
}

Result<ReplyVerdict> verdict_of(const StoredReply& stored, MatchLookup& lookup) {
  const Placement placement =
      stored.inquiry_decided_by == "person" && stored.inquiry_id ? Placement::by_person : Placement::by_rules;
  auto judged = judge_reply(stored.raw, stored.received_at, stored.raw.size(), stored.source, lookup, placement);
  if (!judged) return std::unexpected(judged.error());
  judged->reply.raw.clear();
  return ReplyVerdict{stored.id, std::move(judged->reply), std::move(judged->match_review),
                      std::move(judged->classification_review)};
}

}  // namespace respbench
