#pragma once
// Business time between instants, fast: Calendar::business_time_between walks the days of each
// interval (and computes the holidays of each), fine for one inquiry, slow for a million. This
// table turns a stretch of days into its opening intervals once, with the business seconds
// before each, so that the business time between two instants is two binary searches.

#include <chrono>
#include <cstdint>
#include <vector>

#include "plan/calendar.hpp"
#include "util/time.hpp"

namespace respbench {

class BusinessTimeTable {
 public:
  // Covers the instants in [from, to]; outside it between() asks the calendar (slow but
  // right). `calendar` must outlive the table.
  BusinessTimeTable(const Calendar& calendar, Instant from, Instant to);

  // The same as calendar.business_time_between(a, b): business time in [a, b), 0 when b <= a.
  std::chrono::seconds between(Instant a, Instant b) const;

 private:
  // Business seconds in [start of the table, t), for t inside the table.
  std::int64_t seconds_before(std::int64_t t) const;

  struct Opening {
    std::int64_t begin = 0;   // unix seconds
    std::int64_t end = 0;
    std::int64_t before = 0;  // business seconds in the table before `begin`
  };

  const Calendar* m_calendar;
  std::int64_t m_from = 0;
  std::int64_t m_to = 0;
  std::vector<Opening> m_openings;  // sorted, disjoint
};

}  // namespace respbench
