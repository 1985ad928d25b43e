#pragma once
// Instants are UTC seconds inside (DESIGN §6); the study's time zone is used only for calendars
// and display. These helpers parse what users type and format what they read.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "util/result.hpp"

namespace respbench {

using Instant = std::chrono::sys_seconds;
using LocalDay = date::local_days;

// Parses ISO 8601: "2026-03-02T10:15:00Z", "2026-03-02T10:15+01:00", "2026-03-02 10:15:30+0100".
// Without an offset ("2026-03-02T10:15", "2026-03-02") the time is local to `zone`; fails when
// no zone is given then, or the text is not such a time.
Result<Instant> parse_instant(std::string_view text, const date::time_zone* zone);

// True when `text` carries its own UTC offset or "Z" (so no zone is needed to read it).
bool has_utc_offset(std::string_view text);

// "2026-03-02T09:15:00Z"
std::string format_utc(Instant t);
// format_utc(t) written into `out`, without an allocation: for writers of millions of them.
// Years outside 0–9999 are clamped (no ledger holds one).
using UtcText = std::array<char, 20>;
std::string_view format_utc(Instant t, UtcText& out);
// "2026-03-02 10:15" in `zone` (for tables), and with the zone's abbreviation when `with_zone`.
std::string format_local(Instant t, const date::time_zone* zone, bool with_zone = false);

// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<date::year_month_day> parse_date(std::string_view text);

// Parses a duration: "7d", "36h", "90m", "2w", "1d12h", "45s"; nullopt when malformed or zero.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);
// "7d", "1d12h", "90m" — the shortest form parse_duration reads back.
std::string format_duration(std::chrono::seconds d);

// Minutes since local midnight from "HH:MM" (00:00..24:00); nullopt when malformed.
std::optional<int> parse_clock_time(std::string_view text);

}  // namespace respbench
