#include <doctest/doctest.h>

#include <string>

#include "plan/calendar.hpp"

using namespace std::chrono_literals;
using date::days;
using date::local_days;
using date::sys_days;
using date::year;
using date::year_month_day;
using respbench::Calendar;
using respbench::HolidayRules;
using respbench::Instant;
using respbench::MinuteRange;
using respbench::WeeklyHours;

namespace {

const date::time_zone* berlin_zone() {
  return date::locate_zone("Europe/Berlin");
}

year_month_day ymd(int y, unsigned m, unsigned d) {
  return year{y} / date::month{m} / date::day{d};
}

local_days day(int y, unsigned m, unsigned d) {
  return local_days{ymd(y, m, d)};
}

// A Berlin wall-clock time through date's own to_sys, independent of Calendar::to_instant;
// only for times that exist exactly once.
Instant berlin(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return berlin_zone()->to_sys(day(y, m, d) + std::chrono::hours{hour} +
                               std::chrono::minutes{minute});
}

Instant utc(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return Instant{sys_days{ymd(y, m, d)} + std::chrono::hours{hour} + std::chrono::minutes{minute}};
}

WeeklyHours hours_from(std::string_view text) {
  auto parsed = respbench::parse_weekly_hours(text);
  REQUIRE_MESSAGE(parsed.has_value(), (parsed ? std::string() : parsed.error().message));
  return *parsed;
}

Calendar office_calendar(std::set<local_days> extra = {}) {
  return Calendar(berlin_zone(), hours_from("Mon-Fri 09:00-17:00"), HolidayRules::germany,
                  std::move(extra));
}

Calendar calendar_with(std::string_view hours, HolidayRules rules = HolidayRules::none) {
  return Calendar(berlin_zone(), hours_from(hours), rules, {});
}

std::string parse_error(std::string_view text) {
  auto parsed = respbench::parse_weekly_hours(text);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE_BEGIN("plan.calendar");

TEST_CASE("easter_sunday") {
  CHECK(respbench::easter_sunday(year{2026}) == ymd(2026, 4, 5));
  CHECK(respbench::easter_sunday(year{2027}) == ymd(2027, 3, 28));
  CHECK(respbench::easter_sunday(year{2028}) == ymd(2028, 4, 16));
  CHECK(respbench::easter_sunday(year{2029}) == ymd(2029, 4, 1));
  CHECK(respbench::easter_sunday(year{2030}) == ymd(2030, 4, 21));
  CHECK(respbench::easter_sunday(year{2000}) == ymd(2000, 4, 23));
  CHECK(respbench::easter_sunday(year{2038}) == ymd(2038, 4, 25));
  CHECK(respbench::easter_sunday(year{2008}) == ymd(2008, 3, 23));
  CHECK(respbench::easter_sunday(year{2019}) == ymd(2019, 4, 21));
  CHECK(respbench::easter_sunday(year{2024}) == ymd(2024, 3, 31));
  CHECK(respbench::easter_sunday(year{2025}) == ymd(2025, 4, 20));
  // The extremes: earliest possible (22 March) and latest possible (25 April).
  CHECK(respbench::easter_sunday(year{1818}) == ymd(1818, 3, 22));
  CHECK(respbench::easter_sunday(year{2285}) == ymd(2285, 3, 22));
  CHECK(respbench::easter_sunday(year{1943}) == ymd(1943, 4, 25));
}

TEST_CASE("easter_sunday is a Sunday between 22 March and 25 April") {
  for (int y = 1583; y <= 4099; ++y) {
    const year_month_day easter = respbench::easter_sunday(year{y});
    CAPTURE(y);
    REQUIRE(easter.ok());
    REQUIRE(date::weekday{sys_days{easter}} == date::Sunday);
    REQUIRE(easter >= ymd(y, 3, 22));
    REQUIRE(easter <= ymd(y, 4, 25));
  }
}

TEST_CASE("german_national_holidays 2026-2030") {
  using Holidays = std::vector<year_month_day>;
  // Neujahr, Karfreitag, Ostermontag, Tag der Arbeit, Himmelfahrt, Pfingstmontag,
  // Tag der Deutschen Einheit, 1. and 2. Weihnachtstag — as published for these years.
  CHECK(respbench::german_national_holidays(year{2026}) ==
        Holidays{ymd(2026, 1, 1), ymd(2026, 4, 3), ymd(2026, 4, 6), ymd(2026, 5, 1),
                 ymd(2026, 5, 14), ymd(2026, 5, 25), ymd(2026, 10, 3), ymd(2026, 12, 25),
                 ymd(2026, 12, 26)});
  CHECK(respbench::german_national_holidays(year{2027}) ==
        Holidays{ymd(2027, 1, 1), ymd(2027, 3, 26), ymd(2027, 3, 29), ymd(2027, 5, 1),
                 ymd(2027, 5, 6), ymd(2027, 5, 17), ymd(2027, 10, 3), ymd(2027, 12, 25),
                 ymd(2027, 12, 26)});
  CHECK(respbench::german_national_holidays(year{2028}) ==
        Holidays{ymd(2028, 1, 1), ymd(2028, 4, 14), ymd(2028, 4, 17), ymd(2028, 5, 1),
                 ymd(2028, 5, 25), ymd(2028, 6, 5), ymd(2028, 10, 3), ymd(2028, 12, 25),
                 ymd(2028, 12, 26)});
  CHECK(respbench::german_national_holidays(year{2029}) ==
        Holidays{ymd(2029, 1, 1), ymd(2029, 3, 30), ymd(2029, 4, 2), ymd(2029, 5, 1),
                 ymd(2029, 5, 10), ymd(2029, 5, 21), ymd(2029, 10, 3), ymd(2029, 12, 25),
                 ymd(2029, 12, 26)});
  CHECK(respbench::german_national_holidays(year{2030}) ==
        Holidays{ymd(2030, 1, 1), ymd(2030, 4, 19), ymd(2030, 4, 22), ymd(2030, 5, 1),
                 ymd(2030, 5, 30), ymd(2030, 6, 10), ymd(2030, 10, 3), ymd(2030, 12, 25),
                 ymd(2030, 12, 26)});
}

TEST_CASE("german_national_holidays stay sorted when Himmelfahrt is on 30 April or 1 May") {
  // Easter 2285 is on 22 March, so Himmelfahrt is on 30 April, before Tag der Arbeit.
  const auto holidays_2285 = respbench::german_national_holidays(year{2285});
  CHECK(holidays_2285.size() == 9);
  CHECK(std::ranges::is_sorted(holidays_2285));
  CHECK(holidays_2285[3] == ymd(2285, 4, 30));
  // 2008: Himmelfahrt and Tag der Arbeit were both on 1 May.
  const auto holidays_2008 = respbench::german_national_holidays(year{2008});
  CHECK(holidays_2008.size() == 9);
  CHECK(holidays_2008[3] == ymd(2008, 5, 1));
  CHECK(holidays_2008[4] == ymd(2008, 5, 1));
}

TEST_CASE("is_holiday and is_business_day") {
  const Calendar calendar = office_calendar();
  CHECK(calendar.is_business_day(day(2026, 3, 9)));        // Monday
  CHECK(calendar.is_business_day(day(2026, 3, 13)));       // Friday
  CHECK_FALSE(calendar.is_business_day(day(2026, 3, 7)));  // Saturday
  CHECK_FALSE(calendar.is_business_day(day(2026, 3, 8)));  // Sunday
  CHECK_FALSE(calendar.is_holiday(day(2026, 3, 7)));       // closed, but not a holiday

  CHECK(calendar.is_holiday(day(2026, 5, 14)));  // Christi Himmelfahrt, a Thursday
  CHECK_FALSE(calendar.is_business_day(day(2026, 5, 14)));
  CHECK(calendar.hours_on(day(2026, 5, 14)).empty());
  CHECK(calendar.hours_on(day(2026, 5, 13)) == std::vector<MinuteRange>{{540, 1020}});

  CHECK(calendar.is_business_day(day(2026, 12, 24)));  // Heiligabend is no national holiday …
  const Calendar with_christmas_eve = office_calendar({day(2026, 12, 24)});
  CHECK(with_christmas_eve.is_holiday(day(2026, 12, 24)));  // … unless the study says so
  CHECK_FALSE(with_christmas_eve.is_business_day(day(2026, 12, 24)));
  CHECK(with_christmas_eve.is_business_day(day(2026, 12, 23)));

  const Calendar no_holidays = calendar_with("Mon-Fri 09:00-17:00");
  CHECK_FALSE(no_holidays.is_holiday(day(2026, 5, 14)));
  CHECK(no_holidays.is_business_day(day(2026, 5, 14)));
  CHECK(no_holidays.is_business_day(day(2026, 12, 25)));
}

TEST_CASE("to_instant") {
  const Calendar calendar = office_calendar();
  CHECK(calendar.to_instant(day(2026, 1, 15), 12 * 60) == utc(2026, 1, 15, 11));  // CET
  CHECK(calendar.to_instant(day(2026, 7, 1), 12 * 60) == utc(2026, 7, 1, 10));    // CEST
  CHECK(calendar.to_instant(day(2026, 7, 1), 0) == utc(2026, 6, 30, 22));
  CHECK(calendar.to_instant(day(2026, 7, 1), 1440) == utc(2026, 7, 1, 22));  // = next midnight

  SUBCASE("spring-forward gap: 02:30 does not exist and moves forward to 03:30 CEST") {
    CHECK(calendar.to_instant(day(2026, 3, 29), 2 * 60 + 30) == utc(2026, 3, 29, 1, 30));
    CHECK(calendar.to_instant(day(2026, 3, 29), 2 * 60) == utc(2026, 3, 29, 1));
    CHECK(calendar.to_instant(day(2026, 3, 29), 1 * 60 + 59) == utc(2026, 3, 29, 0, 59));
    CHECK(calendar.to_instant(day(2026, 3, 29), 3 * 60) == utc(2026, 3, 29, 1));
    CHECK(calendar.to_instant(day(2026, 3, 29), 3 * 60 + 30) == utc(2026, 3, 29, 1, 30));
  }
  SUBCASE("autumn overlap: 02:30 happens twice, the earlier (CEST) one is taken") {
    CHECK(calendar.to_instant(day(2026, 10, 25), 2 * 60 + 30) == utc(2026, 10, 25, 0, 30));
    CHECK(calendar.to_instant(day(2026, 10, 25), 2 * 60) == utc(2026, 10, 25, 0));
    CHECK(calendar.to_instant(day(2026, 10, 25), 1 * 60 + 59) == utc(2026, 10, 24, 23, 59));
    CHECK(calendar.to_instant(day(2026, 10, 25), 3 * 60) == utc(2026, 10, 25, 2));
  }
}

TEST_CASE("local_day and local_minute_of_day") {
  const Calendar calendar = office_calendar();
  CHECK(calendar.local_day(utc(2026, 12, 31, 23, 30)) == day(2027, 1, 1));
  CHECK(calendar.local_minute_of_day(utc(2026, 12, 31, 23, 30)) == 30);
  CHECK(calendar.local_day(utc(2026, 7, 1, 21, 59)) == day(2026, 7, 1));
  CHECK(calendar.local_minute_of_day(utc(2026, 7, 1, 21, 59)) == 23 * 60 + 59);
  CHECK(calendar.local_day(utc(2026, 7, 1, 22)) == day(2026, 7, 2));
  CHECK(calendar.local_minute_of_day(utc(2026, 7, 1, 22)) == 0);
  CHECK(calendar.local_minute_of_day(utc(2026, 3, 2, 9, 15) + 59s) ==
        10 * 60 + 15);  // seconds dropped
  // Across the changes: 01:30Z is 03:30 CEST on the spring day; on the autumn day 00:30Z and
  // 01:30Z are both 02:30 local (CEST, then CET).
  CHECK(calendar.local_minute_of_day(utc(2026, 3, 29, 1, 30)) == 3 * 60 + 30);
  CHECK(calendar.local_minute_of_day(utc(2026, 10, 25, 0, 30)) == 2 * 60 + 30);
  CHECK(calendar.local_minute_of_day(utc(2026, 10, 25, 1, 30)) == 2 * 60 + 30);
  CHECK(calendar.local_day(utc(2026, 10, 25, 1, 30)) == day(2026, 10, 25));
}

TEST_CASE("business_time_between with Mon-Fri 09:00-17:00 in Berlin") {
  const Calendar calendar = office_calendar();

  SUBCASE("Friday 16:30 to Monday 09:30 is one hour") {
    CHECK(calendar.business_time_between(berlin(2026, 3, 6, 16, 30), berlin(2026, 3, 9, 9, 30)) ==
          1h);
  }
  SUBCASE("same day") {
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 10), berlin(2026, 3, 10, 11, 15)) ==
          75min);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 9), berlin(2026, 3, 10, 17)) == 8h);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 10), berlin(2026, 3, 10, 10) + 42s) ==
          42s);
  }
  SUBCASE("starting or ending outside opening hours") {
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 7), berlin(2026, 3, 10, 10)) == 1h);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 16), berlin(2026, 3, 10, 20)) == 1h);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 18), berlin(2026, 3, 10, 23)) == 0s);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 18), berlin(2026, 3, 11, 8, 59)) ==
          0s);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 18), berlin(2026, 3, 11, 9, 1)) ==
          1min);
    CHECK(calendar.business_time_between(berlin(2026, 3, 7, 0), berlin(2026, 3, 9, 0)) ==
          0s);  // weekend
  }
  SUBCASE("across a holiday") {
    // Wednesday 13 May 16:00 → Friday 15 May 10:00; Thursday 14 May is Christi Himmelfahrt.
    CHECK(calendar.business_time_between(berlin(2026, 5, 13, 16), berlin(2026, 5, 15, 10)) == 2h);
  }
  SUBCASE("across Easter") {
    // Thursday 2 April 16:00 → Tuesday 7 April 10:00: Karfreitag, the weekend and Ostermontag are
    // closed.
    CHECK(calendar.business_time_between(berlin(2026, 4, 2, 16), berlin(2026, 4, 7, 10)) == 2h);
  }
  SUBCASE("across an extra holiday") {
    const Calendar with_christmas_eve = office_calendar({day(2026, 12, 24)});
    // Wed 23 Dec 16:00 → Mon 28 Dec 10:00: 24th extra, 25th holiday, then the weekend.
    CHECK(with_christmas_eve.business_time_between(berlin(2026, 12, 23, 16),
                                                   berlin(2026, 12, 28, 10)) == 2h);
    CHECK(calendar.business_time_between(berlin(2026, 12, 23, 16), berlin(2026, 12, 28, 10)) ==
          10h);
  }
  SUBCASE("a week is 40 hours") {
    CHECK(calendar.business_time_between(berlin(2026, 3, 2, 0), berlin(2026, 3, 9, 0)) == 40h);
    CHECK(calendar.business_time_between(berlin(2026, 3, 4, 12), berlin(2026, 3, 11, 12)) == 40h);
  }
  SUBCASE("empty and reversed intervals give zero") {
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 10), berlin(2026, 3, 10, 10)) == 0s);
    CHECK(calendar.business_time_between(berlin(2026, 3, 10, 12), berlin(2026, 3, 10, 10)) == 0s);
    CHECK(calendar.business_time_between(berlin(2026, 3, 16, 12), berlin(2026, 3, 10, 10)) == 0s);
  }
  SUBCASE("the year 2026") {
    // 2026 begins and ends on a Thursday: 365 days = 52 weeks + 1 Thursday, so 52 × 5 + 1 = 261
    // weekdays. Of the nine holidays, 3 Oct and 26 Dec fall on Saturdays; the other seven
    // (Thu 1 Jan, Fri 3 Apr, Mon 6 Apr, Fri 1 May, Thu 14 May, Mon 25 May, Fri 25 Dec) are
    // weekdays. (261 − 7) × 8 h = 254 × 8 h = 2032 h. The DST changes are on Sunday nights and do
    // not touch 09:00-17:00.
    CHECK(calendar.business_time_between(berlin(2026, 1, 1, 0), berlin(2027, 1, 1, 0)) == 2032h);
  }
}

TEST_CASE("business_time_between with a lunch break") {
  const Calendar calendar =
      calendar_with("Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00", HolidayRules::germany);
  CHECK(calendar.business_time_between(berlin(2026, 3, 10, 11), berlin(2026, 3, 10, 14)) == 2h);
  CHECK(calendar.business_time_between(berlin(2026, 3, 10, 12), berlin(2026, 3, 10, 13)) == 0s);
  CHECK(calendar.business_time_between(berlin(2026, 3, 9, 0), berlin(2026, 3, 16, 0)) ==
        4 * 8h + 6h);
}

TEST_CASE("business_time_between is real elapsed time across DST changes") {
  const Calendar always_open = calendar_with("Mon-Sun 00:00-24:00");
  // 29 March 2026 has 23 hours, 25 October 2026 has 25.
  CHECK(always_open.business_time_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0)) == 23h);
  CHECK(always_open.business_time_between(berlin(2026, 10, 25, 0), berlin(2026, 10, 26, 0)) == 25h);
  CHECK(always_open.business_time_between(berlin(2026, 3, 28, 12), berlin(2026, 3, 30, 12)) == 47h);
  CHECK(always_open.business_time_between(berlin(2026, 10, 24, 12), berlin(2026, 10, 26, 12)) ==
        49h);
  const Instant from = utc(2026, 3, 29, 0, 17) + 5s;
  const Instant to = utc(2026, 10, 25, 1, 45);
  CHECK(always_open.business_time_between(from, to) == to - from);

  SUBCASE("opening hours across the spring-forward gap") {
    // 01:00-04:00 local on a day that skips 02:00-03:00 lasts two real hours.
    const Calendar night = calendar_with("Sun 01:00-04:00");
    CHECK(night.business_time_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0)) == 2h);
    CHECK(night.business_time_between(berlin(2026, 3, 22, 0), berlin(2026, 3, 23, 0)) == 3h);
    // On the autumn day the same hours last four.
    CHECK(night.business_time_between(berlin(2026, 10, 25, 0), berlin(2026, 10, 26, 0)) == 4h);
  }
  SUBCASE("ranges that meet after moving out of the gap count each instant once") {
    // 02:30 moves forward to 03:30 CEST, so 01:00-02:30 ends inside 03:00-04:00: together they
    // are 01:00-04:00 local, two real hours.
    const Calendar night = calendar_with("Sun 01:00-02:30 03:00-04:00");
    CHECK(night.business_time_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0)) == 2h);
    CHECK(night.business_time_between(berlin(2026, 3, 22, 0), berlin(2026, 3, 23, 0)) == 150min);
    // 02:30-02:45 becomes 03:30-03:45 CEST, inside 03:00-04:00, although it begins earlier locally.
    const Calendar inside = calendar_with("Sun 02:30-02:45 03:00-04:00");
    CHECK(inside.business_time_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0)) == 1h);
    CHECK(inside.business_time_between(berlin(2026, 3, 22, 0), berlin(2026, 3, 23, 0)) == 75min);
  }
}

TEST_CASE("business_time_between when a whole local day is skipped") {
  // Samoa skipped Friday 30 December 2011: Thursday 24:00 was followed by Saturday 00:00. Moved
  // forward by the gap, Friday's opening hours land on Saturday's clock.
  const auto* apia = date::locate_zone("Pacific/Apia");
  const Calendar samoa(apia, hours_from("Mon-Fri 09:00-17:00"), HolidayRules::none, {});
  const auto local = [&](unsigned d, int hour) {
    return apia->to_sys(day(2011, 12, d) + std::chrono::hours{hour});
  };
  CHECK(samoa.to_instant(day(2011, 12, 30), 9 * 60) == local(31, 9));
  CHECK(samoa.local_day(local(31, 10)) == day(2011, 12, 31));
  CHECK(samoa.business_time_between(local(31, 10), local(31, 12)) == 2h);
  CHECK(samoa.business_time_between(local(29, 16), local(31, 10)) == 2h);
}

TEST_CASE("parse_minute_range") {
  CHECK(respbench::parse_minute_range("09:00-16:00") == MinuteRange{540, 960});
  CHECK(respbench::parse_minute_range("00:00-24:00") == MinuteRange{0, 1440});
  CHECK(respbench::parse_minute_range("9:30-12:45") == MinuteRange{570, 765});
  CHECK(respbench::parse_minute_range(" 08:00-12:00 ") == MinuteRange{480, 720});

  for (const char* bad :
       {"", "09:00", "9-17", "09:00-", "-17:00", "09:00-16:00-17:00", "25:00-26:00", "09:60-10:00",
        "24:01-24:30", "0900-1700", "09:0-10:00", "a9:00-10:00", "09:00 - 16:00"}) {
    CAPTURE(bad);
    const auto parsed = respbench::parse_minute_range(bad);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(contains(parsed.error().message, R"(expected a time range like "09:00-17:00")"));
  }
  const auto backwards = respbench::parse_minute_range("17:00-09:00");
  REQUIRE_FALSE(backwards.has_value());
  CHECK(backwards.error().message == R"(time range "17:00-09:00" must end after it begins)");
  CHECK_FALSE(respbench::parse_minute_range("09:00-09:00").has_value());
  CHECK_FALSE(respbench::parse_minute_range("24:00-24:00").has_value());
}

TEST_CASE("parse_weekly_hours accepts") {
  SUBCASE("a day range") {
    const WeeklyHours hours = hours_from("Mon-Fri 09:00-17:00");
    for (int d = 0; d < 5; ++d) CHECK(hours.days[d] == std::vector<MinuteRange>{{540, 1020}});
    CHECK(hours.days[5].empty());
    CHECK(hours.days[6].empty());
  }
  SUBCASE("several groups and ranges") {
    const WeeklyHours hours = hours_from("Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00");
    for (int d = 0; d < 4; ++d)
      CHECK(hours.days[d] == std::vector<MinuteRange>{{480, 720}, {780, 1020}});
    CHECK(hours.days[4] == std::vector<MinuteRange>{{480, 840}});
    CHECK(hours.days[5].empty());
  }
  SUBCASE("a single day, any case, semicolons, extra blanks, unsorted ranges") {
    const WeeklyHours hours = hours_from("  sat 10:00-14:00 ;  SUN\t12:00-13:00   08:00-09:00 ");
    CHECK(hours.days[5] == std::vector<MinuteRange>{{600, 840}});
    CHECK(hours.days[6] == std::vector<MinuteRange>{{480, 540}, {720, 780}});
    CHECK(hours.days[0].empty());
  }
  SUBCASE("a day named in two groups, touching ranges") {
    const WeeklyHours hours = hours_from("mOn-Wed 09:00-12:00, Wed 12:00-18:00");
    CHECK(hours.days[2] == std::vector<MinuteRange>{{540, 720}, {720, 1080}});
    CHECK(hours.days[1] == std::vector<MinuteRange>{{540, 720}});
  }
  SUBCASE("the whole week around the clock") {
    const WeeklyHours hours = hours_from("Mon-Sun 00:00-24:00");
    for (const auto& ranges : hours.days) CHECK(ranges == std::vector<MinuteRange>{{0, 1440}});
  }
}

TEST_CASE("parse_weekly_hours rejects") {
  CHECK(
      parse_error("Mox-Fri 09:00-17:00") ==
      R"(expected a day range like "Mon-Fri" followed by times like "09:00-17:00", found "Mox-Fri")");
  CHECK(
      parse_error("Monday 09:00-17:00") ==
      R"(expected a day range like "Mon-Fri" followed by times like "09:00-17:00", found "Monday")");
  CHECK(
      parse_error("09:00-17:00") ==
      R"(expected a day range like "Mon-Fri" followed by times like "09:00-17:00", found "09:00-17:00")");
  CHECK(parse_error("Mon-Fri 9-17") ==
        R"(expected a time range like "09:00-17:00" (hours 00-24, minutes 00-59), found "9-17")");
  CHECK(contains(parse_error("Mon-Fri 09:00-25:00"), R"(found "09:00-25:00")"));
  CHECK(parse_error("Mon-Fri 17:00-09:00") ==
        R"(time range "17:00-09:00" must end after it begins)");
  CHECK(parse_error("Mon-Fri 09:00-12:00 11:00-13:00") ==
        "opening hours overlap on Mon: 09:00-12:00 and 11:00-13:00");
  CHECK(parse_error("Mon-Fri 09:00-17:00, Wed 16:00-18:00") ==
        "opening hours overlap on Wed: 09:00-17:00 and 16:00-18:00");
  CHECK(parse_error("Mon 09:00-17:00 09:00-17:00") ==
        "opening hours overlap on Mon: 09:00-17:00 and 09:00-17:00");
  CHECK(parse_error("") == R"(expected opening hours like "Mon-Fri 09:00-17:00", found nothing)");
  CHECK(parse_error(" \t ") ==
        R"(expected opening hours like "Mon-Fri 09:00-17:00", found nothing)");
  CHECK(parse_error("Mon-Fri") == R"(expected times like "09:00-17:00" after "Mon-Fri")");
  // Lists of days are not supported: the comma ends the group "Mon".
  CHECK(parse_error("Mon,Wed 09:00-17:00") == R"(expected times like "09:00-17:00" after "Mon")");
  CHECK(contains(parse_error("Mon-Fri 09:00-17:00,"), "found an empty group"));
  CHECK(contains(parse_error("Mon 09:00-17:00;; Tue 09:00-17:00"), "found an empty group"));
  CHECK(parse_error("Fri-Mon 09:00-17:00") ==
        R"(day range "Fri-Mon" wraps around the week; write it as two groups: "Fri-Sun …, Mon …")");
  CHECK(contains(parse_error("sat-tue 10:00-12:00"), R"("Sat-Sun …, Mon-Tue …")"));
  CHECK(contains(parse_error("Mon-Fri-Sat 09:00-17:00"), R"(found "Mon-Fri-Sat")"));
  CHECK(contains(parse_error("Mon- 09:00-17:00"), R"(found "Mon-")"));
}

TEST_SUITE_END();
