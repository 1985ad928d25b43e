#include <doctest/doctest.h>

#include <string>

#include "util/time.hpp"

using namespace std::chrono_literals;
using respbench::format_duration;
using respbench::format_local;
using respbench::format_utc;
using respbench::has_utc_offset;
using respbench::Instant;
using respbench::parse_clock_time;
using respbench::parse_date;
using respbench::parse_duration;
using respbench::parse_instant;

namespace {

const date::time_zone* berlin() { return date::locate_zone("Europe/Berlin"); }

// The instant as "YYYY-MM-DDTHH:MM:SSZ", or the error's text: one value to compare.
std::string utc_of(std::string_view text, const date::time_zone* zone = nullptr) {
  auto t = parse_instant(text, zone);
  return t ? format_utc(*t) : "error: " + t.error().message;
}

Instant utc(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0) {
  return Instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} + std::chrono::hours{h} +
         std::chrono::minutes{min} + std::chrono::seconds{s};
}

}  // namespace

TEST_CASE("parse_instant with a UTC offset needs no zone") {
  CHECK(utc_of("2026-03-02T10:15:00Z") == "2026-03-02T10:15:00Z");
  CHECK(utc_of("2026-03-02t10:15:00z") == "2026-03-02T10:15:00Z");
  CHECK(utc_of("2026-03-02T09:15Z") == "2026-03-02T09:15:00Z");
  CHECK(utc_of("2026-03-02T10:15+01:00") == "2026-03-02T09:15:00Z");
  CHECK(utc_of("2026-03-02 10:15:30+0100") == "2026-03-02T09:15:30Z");
  CHECK(utc_of("2026-03-02T10:15-05:00") == "2026-03-02T15:15:00Z");
  CHECK(utc_of("2026-03-02T00:30+02:00") == "2026-03-01T22:30:00Z");  // the day before in UTC
  CHECK(utc_of("2026-03-02T10:15+05:30") == "2026-03-02T04:45:00Z");
  // An offset wins over the zone.
  CHECK(utc_of("2026-07-01T12:00Z", berlin()) == "2026-07-01T12:00:00Z");
}

TEST_CASE("parse_instant without an offset reads the time in the zone") {
  CHECK(utc_of("2026-03-02T10:15", berlin()) == "2026-03-02T09:15:00Z");     // CET, +1
  CHECK(utc_of("2026-07-01T10:15:20", berlin()) == "2026-07-01T08:15:20Z");  // CEST, +2
  CHECK(utc_of("2026-03-02 10:15", berlin()) == "2026-03-02T09:15:00Z");
  SUBCASE("a date alone is local midnight") {
    CHECK(utc_of("2026-03-02", berlin()) == "2026-03-01T23:00:00Z");
    CHECK(utc_of("2026-07-01", berlin()) == "2026-06-30T22:00:00Z");
    CHECK(utc_of("2026-03-02Z") == "2026-03-02T00:00:00Z");
  }
  SUBCASE("in the spring-forward gap the time moves forward by the gap, as Calendar::to_instant does") {
    // 29 March 2026: 02:00 CET → 03:00 CEST. 02:30 does not exist; it is read with the offset
    // before the change (+1), which is 03:30 summer time.
    CHECK(utc_of("2026-03-29T02:30", berlin()) == "2026-03-29T01:30:00Z");
    CHECK(utc_of("2026-03-29T01:59", berlin()) == "2026-03-29T00:59:00Z");
    CHECK(utc_of("2026-03-29T03:00", berlin()) == "2026-03-29T01:00:00Z");
  }
  SUBCASE("in the autumn overlap the earlier instant is taken") {
    // 25 October 2026: 03:00 CEST → 02:00 CET; 02:30 happens twice, first in summer time.
    CHECK(utc_of("2026-10-25T02:30", berlin()) == "2026-10-25T00:30:00Z");
    CHECK(utc_of("2026-10-25T03:00", berlin()) == "2026-10-25T02:00:00Z");
  }
}

TEST_CASE("parse_instant refuses what it cannot read") {
  SUBCASE("no offset and no zone") {
    auto t = parse_instant("2026-03-02T10:15", nullptr);
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("has no UTC offset") != std::string::npos);
    CHECK(t.error().message.find("2026-03-02T10:15Z") != std::string::npos);  // the suggested fix
    CHECK_FALSE(parse_instant("2026-03-02", nullptr));
  }
  SUBCASE("garbage and broken forms") {
    for (const std::string text :
         {"", "garbage", "2026-03-02T", "2026-3-2", "26-03-02", "2026-03-02T10", "2026-03-02T10:15:00Zjunk",
          "2026-03-02T10:15+1", "2026-03-02T10:15+01:0", "2026-03-02T10:15 +01:00", "2026/03/02",
          "2026-03-02X10:15"}) {
      CAPTURE(text);
      auto t = parse_instant(text, berlin());
      REQUIRE_FALSE(t);
      CHECK(t.error().message.find("expected an ISO 8601 time") != std::string::npos);
    }
  }
  SUBCASE("dates and times that do not exist") {
    for (const std::string text : {"2026-02-30T10:00Z", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                             "2026-03-02T24:00Z", "2026-03-02T10:60Z", "2026-03-02T10:15:60Z",
                             "2026-03-02T10:15+24:00"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_instant(text, berlin()));
    }
    CHECK(utc_of("2024-02-29T12:00Z") == "2024-02-29T12:00:00Z");  // a leap year
  }
}

TEST_CASE("has_utc_offset") {
  CHECK(has_utc_offset("2026-03-02T10:15:00Z"));
  CHECK(has_utc_offset("2026-03-02T10:15z"));
  CHECK(has_utc_offset("2026-03-02T10:15+01:00"));
  CHECK(has_utc_offset("2026-03-02 10:15-0500"));
  CHECK_FALSE(has_utc_offset("2026-03-02T10:15"));
  CHECK_FALSE(has_utc_offset("2026-03-02 10:15:30"));
  CHECK_FALSE(has_utc_offset("2026-03-02"));  // the date's own '-' are no offset
  CHECK_FALSE(has_utc_offset(""));
}

TEST_CASE("format_utc and format_local") {
  const Instant winter = utc(2026, 3, 2, 9, 15);
  const Instant summer = utc(2026, 7, 1, 8, 5, 59);
  CHECK(format_utc(winter) == "2026-03-02T09:15:00Z");
  CHECK(format_utc(summer) == "2026-07-01T08:05:59Z");
  CHECK(format_utc(respbench::Instant(std::chrono::seconds(-1))) == "1969-12-31T23:59:59Z");
  CHECK(format_utc(respbench::Instant(std::chrono::seconds(0))) == "1970-01-01T00:00:00Z");
  CHECK(format_local(winter, berlin()) == "2026-03-02 10:15");
  CHECK(format_local(winter, berlin(), true) == "2026-03-02 10:15 CET");
  CHECK(format_local(summer, berlin()) == "2026-07-01 10:05");  // seconds left out
  CHECK(format_local(summer, berlin(), true) == "2026-07-01 10:05 CEST");
  CHECK(format_local(utc(2026, 12, 31, 23, 30), berlin()) == "2027-01-01 00:30");
  CHECK(format_local(winter, nullptr) == "2026-03-02T09:15:00Z");
  // What format_utc writes, parse_instant reads back.
  CHECK(parse_instant(format_utc(summer), nullptr).value() == summer);
}

TEST_CASE("parse_date") {
  auto ymd = parse_date("2026-03-02");
  REQUIRE(ymd);
  CHECK(*ymd == date::year{2026} / date::month{3} / date::day{2});
  CHECK(parse_date("2024-02-29"));
  for (const std::string text : {"2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-3-2", "2026-03-02 ",
                           " 2026-03-02", "2026-03-02T10:00", "20260302", "", "heute"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_date(text));
  }
}

TEST_CASE("parse_duration") {
  CHECK(parse_duration("7d") == std::chrono::seconds{7 * 86400});
  CHECK(parse_duration("36h") == std::chrono::seconds{36 * 3600});
  CHECK(parse_duration("90m") == std::chrono::seconds{90 * 60});
  CHECK(parse_duration("2w") == std::chrono::seconds{14 * 86400});
  CHECK(parse_duration("1d12h") == std::chrono::seconds{36 * 3600});
  CHECK(parse_duration("45s") == std::chrono::seconds{45});
  CHECK(parse_duration("1h0m") == std::chrono::seconds{3600});
  CHECK(parse_duration("36600d") == std::chrono::seconds{36600LL * 86400});  // the largest: a century
  for (const std::string text : {"", "7", "d", "7x", "7D", "0d", "0h0m", "-1d", "2d-1d", "+1d", "7 d", " 7d", "7d ",
                           "1.5h", "1d12", "h12",
                           // Absurd sizes are refused, not wrapped around into a small or negative one.
                           "9223372036854775807s", "106751991167300d", "6000w", "36600d1s"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_duration(text));
  }
}

TEST_CASE("format_duration writes the shortest form and parse_duration reads it back") {
  CHECK(format_duration(std::chrono::seconds{7 * 86400}) == "7d");
  CHECK(format_duration(std::chrono::seconds{36 * 3600}) == "1d12h");
  CHECK(format_duration(90min) == "1h30m");
  CHECK(format_duration(45s) == "45s");
  CHECK(format_duration(std::chrono::seconds{86400 + 61}) == "1d1m1s");
  CHECK(format_duration(0s) == "0s");
  for (const std::string text : {"7d", "1d12h", "90m", "2w", "36h", "45s", "3d4h5m6s", "120s"}) {
    CAPTURE(text);
    auto d = parse_duration(text);
    REQUIRE(d);
    CHECK(parse_duration(format_duration(*d)) == d);
  }
  CHECK(format_duration(*parse_duration("90m")) == "1h30m");
  CHECK(format_duration(*parse_duration("2w")) == "14d");
  CHECK(format_duration(*parse_duration("120s")) == "2m");
}

TEST_CASE("parse_clock_time") {
  CHECK(parse_clock_time("00:00") == 0);
  CHECK(parse_clock_time("09:00") == 540);
  CHECK(parse_clock_time("16:45") == 16 * 60 + 45);
  CHECK(parse_clock_time("23:59") == 1439);
  CHECK(parse_clock_time("24:00") == 1440);  // the end of a day, for ranges
  for (const std::string text : {"24:01", "25:00", "9:00", "09:0", "09:60", "0900", "09:00:00", "09:00 ", "", "x9:00"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_clock_time(text));
  }
}
