#pragma once
// Adding business time: "answered 3.5 business hours after it arrived" becomes an instant on the
// study's calendar (opening hours, weekends, holidays, DST). The calendar of src/plan measures
// business time between two instants; the simulator needs the inverse.

#include <chrono>

#include "plan/calendar.hpp"
#include "util/time.hpp"

namespace company_sim {

// The instant at which `business` of opening time has passed since `from` (time outside opening
// hours does not count). A zero duration gives `from` itself, even outside opening hours.
// Throws std::runtime_error when the calendar has no opening hours within ten years.
respbench::Instant add_business_time(const respbench::Calendar& calendar, respbench::Instant from,
                                     std::chrono::seconds business);

}  // namespace company_sim
