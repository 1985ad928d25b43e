#include "analysis/outcomes.hpp"

#include <algorithm>

namespace respbench {

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::answered: return "answered";
    case Outcome::unanswered: return "unanswered";
    case Outcome::open: return "open";
    case Outcome::undeliverable: return "undeliverable";
    case Outcome::not_sent: return "not_sent";
  }
  return "not_sent";
}

ObservedInquiry observe_inquiry(InquiryState state, std::optional<Instant> sent_at,
                                std::optional<Instant> answered_at, Instant now,
                                std::chrono::seconds window) {
  ObservedInquiry o;
  switch (state) {
    case InquiryState::planned:
    case InquiryState::sending:
    case InquiryState::todo:
    case InquiryState::attention:
      return o;  // not_sent
    case InquiryState::undeliverable:
      o.outcome = Outcome::undeliverable;
      return o;
    case InquiryState::sent:
    case InquiryState::answered:
    case InquiryState::unanswered:
      break;
  }
  // A sent inquiry without a send time cannot be placed in time: the ledger never writes one.
  if (!sent_at || *sent_at > now) return o;
  const Instant sent = *sent_at;
  const Instant window_end = sent + window;
  if (answered_at && *answered_at <= now && *answered_at <= window_end) {
    o.outcome = Outcome::answered;
    o.observed_until = std::max(*answered_at, sent);
  } else if (now >= window_end) {
    o.outcome = Outcome::unanswered;
    o.observed_until = window_end;
  } else {
    o.outcome = Outcome::open;
    o.observed_until = now;
  }
  o.observed = *o.observed_until - sent;
  return o;
}

}  // namespace respbench
