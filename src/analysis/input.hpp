#pragma once
// What analyze_study() reads: the ledger's companies, probes, personas and inquiries in a
// compact form (a study may hold a million inquiries), filled by Ledger::analysis_input() in
// one read transaction. Plain values, so tests can build one by hand.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "analysis/metrics.hpp"
#include "ledger/ledger.hpp"
#include "study/model.hpp"
#include "util/time.hpp"

namespace respbench {

// An absent time in InquiryRow (unix seconds are never this small).
inline constexpr std::int64_t k_no_time = std::numeric_limits<std::int64_t>::min();

inline std::optional<Instant> time_or_none(std::int64_t unix_seconds) {
  if (unix_seconds == k_no_time) return std::nullopt;
  return Instant{std::chrono::seconds{unix_seconds}};
}
inline std::int64_t time_or_sentinel(const std::optional<Instant>& t) {
  return t ? t->time_since_epoch().count() : k_no_time;
}

struct AnalysisCompany {
  std::string id;
  std::string name;
  std::string sector;
  bool offers_email = false;     // lists an address
  bool offers_facebook = false;  // lists a page
  bool offers(Channel c) const { return c == Channel::email ? offers_email : offers_facebook; }
};

// One inquiry: 64 bytes, no heap. Times are unix seconds, k_no_time when absent.
struct InquiryRow {
  std::int64_t id = 0;
  std::int64_t planned_at = 0;
  std::int64_t sent_at = k_no_time;
  std::int64_t answered_at = k_no_time;   // the first person's answer (the ledger's answered_at)
  std::int64_t first_ack_at = k_no_time;  // earliest auto_ack or ticket_ack reply matched to it
  std::uint32_t company = 0;              // index into AnalysisInput::companies
  std::uint32_t probe = 0;                // index into AnalysisInput::probe_ids
  std::uint32_t persona = 0;              // index into AnalysisInput::personas
  Channel channel = Channel::email;
  InquiryState state = InquiryState::planned;
};

struct AnalysisInput {
  std::vector<AnalysisCompany> companies;  // by id
  std::vector<std::string> probe_ids;      // sorted
  std::vector<std::string> personas;       // sorted ("Anna Berger <anna.berger@example.org>")
  std::vector<InquiryRow> inquiries;       // by id
  // The first person's answer of each company and channel (by company, then channel), at most
  // the number asked for; `company` indexes `companies`.
  std::vector<ReplyFigures> quoted_replies;
};

}  // namespace respbench
