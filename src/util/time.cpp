#include "util/time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace respbench {
namespace {

// A cursor over the text being parsed; each reader consumes what it recognises.
struct Cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool done() const { return pos >= text.size(); }
  char peek() const { return done() ? '\0' : text[pos]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  // Reads exactly `digits` decimal digits.
  std::optional<int> number(int digits) {
    if (pos + static_cast<std::size_t>(digits) > text.size()) return std::nullopt;
    int value = 0;
    for (int i = 0; i < digits; ++i) {
      char c = text[pos + static_cast<std::size_t>(i)];
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(digits);
    return value;
  }
};

std::optional<date::year_month_day> read_date(Cursor& c) {
  auto y = c.number(4);
  if (!y || !c.take('-')) return std::nullopt;
  auto m = c.number(2);
  if (!m || !c.take('-')) return std::nullopt;
  auto d = c.number(2);
  if (!d) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// Reads "HH:MM[:SS]" as seconds since midnight.
std::optional<int> read_time_of_day(Cursor& c) {
  auto h = c.number(2);
  if (!h || !c.take(':')) return std::nullopt;
  auto m = c.number(2);
  if (!m) return std::nullopt;
  int s = 0;
  if (c.take(':')) {
    auto sec = c.number(2);
    if (!sec) return std::nullopt;
    s = *sec;
  }
  if (*h > 23 || *m > 59 || s > 59) return std::nullopt;
  return *h * 3600 + *m * 60 + s;
}

// Reads "Z", "+01:00", "+0100" or "+01" as an offset in seconds east of UTC.
std::optional<int> read_offset(Cursor& c) {
  if (c.take('Z') || c.take('z')) return 0;
  int sign = 0;
  if (c.take('+')) sign = 1;
  else if (c.take('-')) sign = -1;
  else return std::nullopt;
  auto h = c.number(2);
  if (!h) return std::nullopt;
  int m = 0;
  c.take(':');
  if (!c.done()) {
    auto mm = c.number(2);
    if (!mm) return std::nullopt;
    m = *mm;
  }
  if (*h > 23 || m > 59) return std::nullopt;
  return sign * (*h * 3600 + m * 60);
}

}  // namespace

bool has_utc_offset(std::string_view text) {
  if (text.empty()) return false;
  if (text.back() == 'Z' || text.back() == 'z') return true;
  // An offset sign after the time part ("T10:00+01:00"); the date's own '-' come before 'T'.
  auto t = text.find_first_of("Tt ");
  if (t == std::string_view::npos) return false;
  return text.find_first_of("+-", t) != std::string_view::npos;
}

Result<Instant> parse_instant(std::string_view text, const date::time_zone* zone) {
  const auto expected = fmt::format(
      "expected an ISO 8601 time such as 2026-03-02T10:15:00+01:00, 2026-03-02T09:15Z or "
      "2026-03-02, found \"{}\"",
      text);
  Cursor c{text};
  auto ymd = read_date(c);
  if (!ymd) return fail(expected);
  int seconds = 0;
  if (c.take('T') || c.take('t') || c.take(' ')) {
    auto tod = read_time_of_day(c);
    if (!tod) return fail(expected);
    seconds = *tod;
  }
  std::optional<int> offset;
  if (!c.done()) {
    offset = read_offset(c);
    if (!offset || !c.done()) return fail(expected);
  }
  const auto local = date::local_days{*ymd} + std::chrono::seconds{seconds};
  if (offset) {
    return Instant{local.time_since_epoch() - std::chrono::seconds{*offset}};
  }
  if (zone == nullptr) {
    return fail(fmt::format("\"{}\" has no UTC offset and there is no time zone to read it in; "
                            "add one, e.g. {}Z",
                            text, text));
  }
  // Read with the offset in force just before the local time, as Calendar::to_instant does: in
  // an autumn overlap that is the earlier instant; in a spring gap 02:30 becomes 03:30 summer
  // time. (date::choose::earliest would put every gap time at the change itself, 03:00.)
  return Instant{local.time_since_epoch() - zone->get_info(local).first.offset};
}

// By hand rather than date::format: that one builds an ostringstream with a locale for every
// call, and a report of a million inquiries writes three million of these.
std::string_view format_utc(Instant t, UtcText& out) {
  const auto day = std::chrono::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const auto seconds = (t - day).count();  // 0 ≤ seconds < 86 400
  auto put = [&](std::size_t at, long value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  // Years outside 0–9999 never reach a ledger (parse_instant reads four digits); the string
  // format_utc() writes them in full.
  put(0, std::clamp(static_cast<int>(ymd.year()), 0, 9999), 4);
  out[4] = '-';
  put(5, static_cast<unsigned>(ymd.month()), 2);
  out[7] = '-';
  put(8, static_cast<unsigned>(ymd.day()), 2);
  out[10] = 'T';
  put(11, seconds / 3600, 2);
  out[13] = ':';
  put(14, seconds / 60 % 60, 2);
  out[16] = ':';
  put(17, seconds % 60, 2);
  out[19] = 'Z';
  return std::string_view(out.data(), out.size());
}

std::string format_utc(Instant t) {
  const date::year_month_day ymd{std::chrono::floor<date::days>(t)};
  if (ymd.year() < date::year(0) || ymd.year() > date::year(9999)) {
    // No such time comes from a ledger; written all the same, without the fixed width.
    const date::hh_mm_ss<std::chrono::seconds> time{t - std::chrono::floor<date::days>(t)};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), time.hours().count(),
                       time.minutes().count(), time.seconds().count());
  }
  UtcText text;
  return std::string(format_utc(t, text));
}

std::string format_local(Instant t, const date::time_zone* zone, bool with_zone) {
  if (zone == nullptr) return format_utc(t);
  date::zoned_seconds z{zone, t};
  return date::format(with_zone ? "%Y-%m-%d %H:%M %Z" : "%Y-%m-%d %H:%M", z);
}

std::optional<date::year_month_day> parse_date(std::string_view text) {
  Cursor c{text};
  auto ymd = read_date(c);
  if (!ymd || !c.done()) return std::nullopt;
  return ymd;
}

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::chrono::seconds total{0};
  std::size_t pos = 0;
  while (pos < text.size()) {
    // from_chars reads a sign; "2d-1d" is not a duration.
    if (!std::isdigit(static_cast<unsigned char>(text[pos]))) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), value);
    if (ec != std::errc{} || end == text.data() + pos || end == text.data() + text.size()) {
      return std::nullopt;
    }
    pos = static_cast<std::size_t>(end - text.data());
    std::int64_t unit = 0;
    switch (text[pos]) {
      case 'w': unit = 7 * 86400; break;
      case 'd': unit = 86400; break;
      case 'h': unit = 3600; break;
      case 'm': unit = 60; break;
      case 's': unit = 1; break;
      default: return std::nullopt;
    }
    ++pos;
    // Bounded so that no sum or product overflows: a century is more than any study needs.
    constexpr std::int64_t k_max_seconds = 100LL * 366 * 86400;
    if (value > k_max_seconds / unit || total.count() + value * unit > k_max_seconds) return std::nullopt;
    total += std::chrono::seconds{value * unit};
  }
  if (total.count() <= 0) return std::nullopt;
  return total;
}

std::string format_duration(std::chrono::seconds d) {
  std::int64_t s = d.count();
  if (s == 0) return "0s";
  std::string out;
  constexpr std::pair<std::int64_t, char> k_units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, name] : k_units) {
    if (s >= size) {
      out += fmt::format("{}{}", s / size, name);
      s %= size;
    }
  }
  return out;
}

std::optional<int> parse_clock_time(std::string_view text) {
  Cursor c{text};
  auto h = c.number(2);
  if (!h || !c.take(':')) return std::nullopt;
  auto m = c.number(2);
  if (!m || !c.done()) return std::nullopt;
  if (*m > 59 || *h > 24 || (*h == 24 && *m != 0)) return std::nullopt;
  return *h * 60 + *m;
}

}  // namespace respbench
