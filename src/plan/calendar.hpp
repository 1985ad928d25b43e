#pragma once
// The study's business-hours calendar: weekly opening hours in the study's time zone, German
// national holidays (Easter-based ones included) and extra dates. It answers "is this a business
// day", turns local times into instants across DST changes, and measures business time between
// two instants — the function the reports use for response times in business hours.

#include <array>
#include <chrono>
#include <set>
#include <string_view>
#include <vector>

#include <date/date.h>
#include <date/tz.h>

#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench {

// Minutes since local midnight, [begin, end), 0 <= begin < end <= 1440.
struct MinuteRange {
  int begin = 0;
  int end = 0;
  friend bool operator==(const MinuteRange&, const MinuteRange&) = default;
};

// Opening hours per weekday; index 0 is Monday … 6 Sunday (ISO order). Ranges sorted, disjoint.
struct WeeklyHours {
  std::array<std::vector<MinuteRange>, 7> days;
};

// Parses "Mon-Fri 09:00-17:00", "Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00", "Sat 10:00-14:00".
// Day names are English three-letter abbreviations (case-insensitive); a group is days then
// ranges; groups are separated by commas or semicolons. Fails with what was expected.
Result<WeeklyHours> parse_weekly_hours(std::string_view text);

// Parses "09:00-16:00" (end after begin; 24:00 allowed as end).
Result<MinuteRange> parse_minute_range(std::string_view text);

// Which built-in holidays apply.
enum class HolidayRules { none, germany };

// Easter Sunday (Gregorian) of year y.
date::year_month_day easter_sunday(date::year y);
// The nine nationwide German public holidays of year y, sorted: Neujahr, Karfreitag,
// Ostermontag, Tag der Arbeit, Christi Himmelfahrt, Pfingstmontag, Tag der Deutschen Einheit,
// 1. and 2. Weihnachtstag.
std::vector<date::year_month_day> german_national_holidays(date::year y);

class Calendar {
 public:
  Calendar(const date::time_zone* zone, WeeklyHours hours, HolidayRules rules,
           std::set<date::local_days> extra_holidays);

  const date::time_zone* zone() const { return m_zone; }
  const WeeklyHours& hours() const { return m_hours; }

  bool is_holiday(date::local_days day) const;
  // A day with opening hours on its weekday that is not a holiday.
  bool is_business_day(date::local_days day) const;
  // The opening hours of `day` (empty on weekends without hours and on holidays).
  const std::vector<MinuteRange>& hours_on(date::local_days day) const;

  // The instant of local time `minute_of_day` on `day`. In the spring-forward gap the time is
  // moved forward by the gap (02:30 → 03:30); in the autumn overlap the earlier instant is used.
  Instant to_instant(date::local_days day, int minute_of_day) const;
  date::local_days local_day(Instant t) const;
  // Minutes since local midnight of `t` (seconds dropped).
  int local_minute_of_day(Instant t) const;

  // Business time in [from, to): the part of the interval inside opening hours on business
  // days, in real elapsed seconds. Zero when to <= from.
  std::chrono::seconds business_time_between(Instant from, Instant to) const;

 private:
  const date::time_zone* m_zone;
  WeeklyHours m_hours;
  HolidayRules m_rules;
  std::set<date::local_days> m_extra;
};

}  // namespace respbench
