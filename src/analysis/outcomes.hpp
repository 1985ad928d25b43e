#pragma once
// What happened to one inquiry as of `now` (DESIGN §7), and the time the response-time
// estimate sees for it. The outcome follows from the inquiry's times and the answer window, not
// from the state the ledger last wrote, so that every figure can be recomputed from
// inquiries.csv alone (and a report "as of" an earlier `now` is right too):
//
//   not sent yet (planned, sending, todo, attention)     → not_sent
//   undeliverable (a bounce or a refusal)                → undeliverable
//   an answer at or before now, within the window        → answered   event at answer − send
//   else, now ≥ send + window                            → unanswered censored at the window
//   else                                                 → open       censored at now − send
//
// The window includes its last second, as in the ledger (a reply at send + window answers; at
// send + window the window is over). An answer the ledger holds but that lies after `now` (a
// report as of an earlier time) does not count yet. An answer before the send time (clocks of
// two machines) counts at 0.

#include <chrono>
#include <optional>

#include "analysis/metrics.hpp"
#include "ledger/ledger.hpp"
#include "util/time.hpp"

namespace respbench {

struct ObservedInquiry {
  Outcome outcome = Outcome::not_sent;
  // answered: the answer's receipt time; open: now; unanswered: send + window; otherwise unset.
  // The response time (calendar or business) is measured from the send up to here.
  std::optional<Instant> observed_until;
  // The same as calendar time since the send (0 when observed_until is unset).
  std::chrono::seconds observed{0};
  bool event() const { return outcome == Outcome::answered; }
  bool delivered() const {
    return outcome == Outcome::answered || outcome == Outcome::unanswered || outcome == Outcome::open;
  }
};

// The outcome of an inquiry in `state`, sent at `sent_at` (none: not sent) with its first
// person's answer at `answered_at`, as of `now` with an answer window of `window`.
ObservedInquiry observe_inquiry(InquiryState state, std::optional<Instant> sent_at,
                                std::optional<Instant> answered_at, Instant now,
                                std::chrono::seconds window);

}  // namespace respbench
