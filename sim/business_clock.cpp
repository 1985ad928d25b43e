#include "business_clock.hpp"

#include <algorithm>
#include <stdexcept>

namespace company_sim {

using respbench::Instant;

Instant add_business_time(const respbench::Calendar& calendar, Instant from, std::chrono::seconds business) {
  if (business <= std::chrono::seconds::zero()) return from;
  auto left = business;
  // A calendar without any opening day (all holidays) would loop for ever: ten years is beyond
  // any answer window.
  constexpr int k_max_days = 3660;
  auto day = calendar.local_day(from);
  for (int n = 0; n < k_max_days; ++n, day += date::days{1}) {
    for (const auto& range : calendar.hours_on(day)) {
      const Instant open = std::max(from, calendar.to_instant(day, range.begin));
      const Instant close = calendar.to_instant(day, range.end);
      if (close <= open) continue;
      if (close - open >= left) return open + left;
      left -= close - open;
    }
  }
  throw std::runtime_error("the study's calendar has no opening hours within ten years");
}

}  // namespace company_sim
