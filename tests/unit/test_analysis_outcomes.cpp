// Outcomes at the window's edges, and business time: around a weekend, a German holiday
// (Karfreitag 2026-04-03, Ostermontag 2026-04-06), the spring DST change (Sunday 2026-03-29,
// 02:00 CET → 03:00 CEST) and the autumn one (2026-10-25); the fast table against the calendar.

#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "analysis/business_time.hpp"
#include "analysis/outcomes.hpp"
#include "plan/calendar.hpp"
#include "util/time.hpp"

using namespace std::chrono_literals;
using respbench::BusinessTimeTable;
using respbench::Calendar;
using respbench::HolidayRules;
using respbench::InquiryState;
using respbench::Instant;
using respbench::observe_inquiry;
using respbench::Outcome;

namespace {

Instant utc(const char* text) { return respbench::parse_instant(text, nullptr).value(); }

Calendar berlin(const char* hours = "Mon-Fri 09:00-17:00") {
  return Calendar(date::locate_zone("Europe/Berlin"), respbench::parse_weekly_hours(hours).value(),
                  HolidayRules::germany, {});
}

double business_hours(const Calendar& c, const char* from, const char* to) {
  return static_cast<double>(c.business_time_between(utc(from), utc(to)).count()) / 3600.0;
}

constexpr auto k_week = std::chrono::seconds{7 * 24h};

}  // namespace

TEST_SUITE("analysis outcomes") {
  TEST_CASE("not sent: planned, sending, todo and attention; undeliverable stays so") {
    const Instant now = utc("2026-03-10T12:00:00Z");
    const Instant sent = utc("2026-03-02T09:00:00Z");
    for (auto state : {InquiryState::planned, InquiryState::sending, InquiryState::todo,
                       InquiryState::attention}) {
      const auto o = observe_inquiry(state, sent, std::nullopt, now, k_week);
      CHECK(o.outcome == Outcome::not_sent);
      CHECK_FALSE(o.delivered());
      CHECK_FALSE(o.observed_until);
    }
    CHECK(observe_inquiry(InquiryState::undeliverable, sent, std::nullopt, now, k_week).outcome ==
          Outcome::undeliverable);
    // A send after `now` (a report as of an earlier time) has not happened yet.
    CHECK(observe_inquiry(InquiryState::sent, now + 1s, std::nullopt, now, k_week).outcome ==
          Outcome::not_sent);
  }

  TEST_CASE("an answer at the window's last second counts; one second later it does not") {
    const Instant sent = utc("2026-03-02T09:00:00Z");
    const Instant now = sent + k_week + 10s;
    auto o = observe_inquiry(InquiryState::answered, sent, sent + k_week, now, k_week);
    CHECK(o.outcome == Outcome::answered);
    CHECK(o.observed == k_week);
    o = observe_inquiry(InquiryState::answered, sent, sent + k_week + 1s, now, k_week);
    CHECK(o.outcome == Outcome::unanswered);
    CHECK(o.observed == k_week);  // censored at the window
    CHECK(*o.observed_until == sent + k_week);
  }

  TEST_CASE("the window is over at send + window: unanswered from that second, open before") {
    const Instant sent = utc("2026-03-02T09:00:00Z");
    auto o = observe_inquiry(InquiryState::sent, sent, std::nullopt, sent + k_week, k_week);
    CHECK(o.outcome == Outcome::unanswered);
    CHECK(o.observed == k_week);
    o = observe_inquiry(InquiryState::sent, sent, std::nullopt, sent + k_week - 1s, k_week);
    CHECK(o.outcome == Outcome::open);
    CHECK(o.observed == k_week - 1s);  // censored at now − sent
    CHECK(o.delivered());
    CHECK_FALSE(o.event());
  }

  TEST_CASE("the outcome follows the times, not the state the ledger last wrote") {
    const Instant sent = utc("2026-03-02T09:00:00Z");
    // `unanswered` in the ledger, but as of a `now` inside the window it was open.
    auto o = observe_inquiry(InquiryState::unanswered, sent, std::nullopt, sent + 1h, k_week);
    CHECK(o.outcome == Outcome::open);
    CHECK(o.observed == 1h);
    // `answered`, but the answer lies after `now`: not yet.
    o = observe_inquiry(InquiryState::answered, sent, sent + 5h, sent + 2h, k_week);
    CHECK(o.outcome == Outcome::open);
    CHECK(o.observed == 2h);
    // `sent` (close_expired has not run yet), but the window is over.
    o = observe_inquiry(InquiryState::sent, sent, std::nullopt, sent + k_week + 1h, k_week);
    CHECK(o.outcome == Outcome::unanswered);
    // An answer stamped before the send (two clocks) counts at 0.
    o = observe_inquiry(InquiryState::answered, sent, sent - 30s, sent + 1h, k_week);
    CHECK(o.outcome == Outcome::answered);
    CHECK(o.observed == 0s);
  }

  TEST_CASE("business hours over a weekend: Friday 16:00 to Monday 10:00 CET is 2 h") {
    const Calendar c = berlin();
    // Fri 2026-03-06 16:00 CET → Mon 2026-03-09 10:00 CET: 1 h Friday + 1 h Monday.
    CHECK(business_hours(c, "2026-03-06T15:00:00Z", "2026-03-09T09:00:00Z") == 2.0);
    // Sent on Saturday, answered on Sunday: no business time at all.
    CHECK(business_hours(c, "2026-03-07T10:00:00Z", "2026-03-08T20:00:00Z") == 0.0);
    // Saturday to Monday 09:30 CET.
    CHECK(business_hours(c, "2026-03-07T10:00:00Z", "2026-03-09T08:30:00Z") == 0.5);
  }

  TEST_CASE("business hours over Easter 2026: Karfreitag and Ostermontag are closed") {
    const Calendar c = berlin();
    // Thu 2026-04-02 16:30 CEST → Tue 2026-04-07 09:30 CEST: 0.5 h + 0.5 h.
    CHECK(business_hours(c, "2026-04-02T14:30:00Z", "2026-04-07T07:30:00Z") == 1.0);
    // Easter Monday alone.
    CHECK(business_hours(c, "2026-04-06T06:00:00Z", "2026-04-06T16:00:00Z") == 0.0);
  }

  TEST_CASE("business hours across the spring DST change: hours are real hours") {
    const Calendar c = berlin();
    // Fri 2026-03-27 16:00 CET → Mon 2026-03-30 10:00 CEST: 2 business hours in 65 real hours.
    const Instant from = utc("2026-03-27T15:00:00Z");
    const Instant to = utc("2026-03-30T08:00:00Z");
    CHECK(to - from == std::chrono::seconds{65h});
    CHECK(business_hours(c, "2026-03-27T15:00:00Z", "2026-03-30T08:00:00Z") == 2.0);
    // Opening hours on the changing Sunday itself: 01:00-04:00 local is 2 real hours.
    const Calendar sunday = berlin("Sun 01:00-04:00");
    CHECK(business_hours(sunday, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z") == 2.0);
    // … and 4 real hours on the autumn Sunday (02:00-03:00 happens twice).
    CHECK(business_hours(sunday, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z") == 4.0);
  }

  TEST_CASE("the business-time table agrees with the calendar, second for second") {
    const char* calendars[] = {"Mon-Fri 09:00-17:00", "Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00",
                               "Sun 01:00-04:00, Mon-Fri 09:00-17:00", "Mon-Sun 00:00-24:00"};
    std::mt19937_64 random(20260329);
    const Instant start = utc("2026-03-20T00:00:00Z");  // covers Easter and the spring change
    const Instant end = utc("2026-04-15T00:00:00Z");
    const auto span = (end - start).count();
    for (const char* hours : calendars) {
      INFO(hours);
      const Calendar c = berlin(hours);
      const BusinessTimeTable table(c, start, end);
      for (int i = 0; i < 400; ++i) {
        Instant a = start + std::chrono::seconds{static_cast<std::int64_t>(random() % span)};
        Instant b = start + std::chrono::seconds{static_cast<std::int64_t>(random() % span)};
        if (i % 10 == 0) b = a + std::chrono::seconds{static_cast<std::int64_t>(random() % 7200)};
        if (b < a) std::swap(a, b);
        INFO(respbench::format_utc(a), " → ", respbench::format_utc(b));
        CHECK(table.between(a, b) == c.business_time_between(a, b));
      }
      // Outside the table it asks the calendar.
      const Instant later = utc("2026-10-23T12:00:00Z");
      CHECK(table.between(later, later + std::chrono::seconds{100h}) ==
            c.business_time_between(later, later + std::chrono::seconds{100h}));
      CHECK(table.between(end, start) == 0s);
    }
  }

  TEST_CASE("the table on the autumn change, where 02:00-03:00 local happens twice") {
    const Calendar c = berlin("Sun 01:00-04:00");
    const Instant start = utc("2026-10-20T00:00:00Z");
    const Instant end = utc("2026-10-30T00:00:00Z");
    const BusinessTimeTable table(c, start, end);
    for (std::int64_t m = 0; m < 24 * 60; m += 7) {
      const Instant a = utc("2026-10-24T20:00:00Z") + std::chrono::minutes{m};
      CHECK(table.between(a, a + 3h) == c.business_time_between(a, a + 3h));
    }
  }
}
