#include "plan/calendar.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace respbench {

namespace {

constexpr std::array<std::string_view, 7> k_day_names = {"Mon", "Tue", "Wed", "Thu",
                                                         "Fri", "Sat", "Sun"};
constexpr std::string_view k_blanks = " \t\r\n";
constexpr std::string_view k_group_separators = ",;";
constexpr std::string_view k_expected_group =
    R"(expected a day range like "Mon-Fri" followed by times like "09:00-17:00")";
constexpr std::string_view k_expected_range = R"(expected a time range like "09:00-17:00")";

// ---- text helpers (local on purpose: util/time.cpp is another room's work) -------------------

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(k_blanks);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(k_blanks);
  return text.substr(first, last - first + 1);
}

// Keeps empty pieces, so that "Mon 09:00-12:00,,Tue …" is reported instead of skipped.
std::vector<std::string_view> split_keep_empty(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find_first_of(separators, start);
    pieces.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return pieces;
    start = end + 1;
  }
}

// Words separated by runs of blanks.
std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  for (std::string_view piece : split_keep_empty(text, k_blanks)) {
    if (!piece.empty()) words.push_back(piece);
  }
  return words;
}

bool all_digits(std::string_view text) {
  const auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  return std::ranges::all_of(text, is_digit);
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Minutes since midnight from "HH:MM" or "H:MM", 00:00 … 24:00.
std::optional<int> read_clock(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view hours = text.substr(0, colon);
  const std::string_view minutes = text.substr(colon + 1);
  if (hours.empty() || hours.size() > 2 || minutes.size() != 2) return std::nullopt;
  if (!all_digits(hours) || !all_digits(minutes)) return std::nullopt;
  const int h = to_int(hours);
  const int m = to_int(minutes);
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string format_clock(int minute_of_day) {
  return fmt::format("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60);
}

std::string format_range(const MinuteRange& range) {
  return fmt::format("{}-{}", format_clock(range.begin), format_clock(range.end));
}

// 0 for Monday … 6 for Sunday, case-insensitive.
std::optional<int> read_day(std::string_view text) {
  const auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  const auto same = [&](char a, char b) { return lower(a) == lower(b); };
  for (std::size_t i = 0; i < k_day_names.size(); ++i) {
    if (std::ranges::equal(text, k_day_names[i], same)) return static_cast<int>(i);
  }
  return std::nullopt;
}

// Monday-based indices [first, last] of a day ("Sat") or day range ("Mon-Fri").
struct DaySpan {
  int first = 0;
  int last = 0;
};

// "Mon-Fri", or "Sat" for a single day.
std::string format_span(DaySpan span) {
  if (span.first == span.last) return std::string(k_day_names[span.first]);
  return fmt::format("{}-{}", k_day_names[span.first], k_day_names[span.last]);
}

Result<DaySpan> read_day_span(std::string_view text) {
  const auto dash = text.find('-');
  const auto first = read_day(text.substr(0, dash));
  const auto last = dash == std::string_view::npos ? first : read_day(text.substr(dash + 1));
  if (!first || !last) return fail(fmt::format("{}, found \"{}\"", k_expected_group, text));
  // A week that wraps ("Fri-Mon") is rare enough to ask for two groups rather than guess.
  if (*last < *first) {
    return fail(fmt::format("day range \"{}\" wraps around the week; write it as two groups: "
                            "\"{} …, {} …\"",
                            text, format_span({*first, 6}), format_span({0, *last})));
  }
  return DaySpan{*first, *last};
}

// Adds one group ("Mon-Thu 08:00-12:00 13:00-17:00") to `hours`.
Result<void> parse_group(std::string_view group, WeeklyHours& hours) {
  const std::vector<std::string_view> words = split_words(group);
  if (words.empty()) {
    return fail(fmt::format("{}, found an empty group between separators", k_expected_group));
  }
  const auto span = read_day_span(words.front());
  if (!span) return std::unexpected(span.error());
  if (words.size() == 1) {
    return fail(fmt::format("expected times like \"09:00-17:00\" after \"{}\"", words.front()));
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto range = parse_minute_range(words[i]);
    if (!range) return std::unexpected(range.error());
    for (int day = span->first; day <= span->last; ++day) hours.days[day].push_back(*range);
  }
  return {};
}

// Sorts each day's ranges and rejects overlaps; touching ranges (…-12:00, 12:00-…) are fine.
Result<void> sort_and_check_overlaps(WeeklyHours& hours) {
  for (std::size_t day = 0; day < hours.days.size(); ++day) {
    auto& ranges = hours.days[day];
    std::ranges::sort(ranges, {}, &MinuteRange::begin);
    for (std::size_t i = 1; i < ranges.size(); ++i) {
      if (ranges[i].begin < ranges[i - 1].end) {
        return fail(fmt::format("opening hours overlap on {}: {} and {}", k_day_names[day],
                                format_range(ranges[i - 1]), format_range(ranges[i])));
      }
    }
  }
  return {};
}

// ---- holidays --------------------------------------------------------------------------------

bool is_german_holiday(date::local_days day) {
  const date::year_month_day date{day};
  const auto holidays = german_national_holidays(date.year());
  return std::ranges::find(holidays, date) != holidays.end();
}

std::size_t iso_weekday_index(date::local_days day) {
  return date::weekday{day}.iso_encoding() - 1;
}

}  // namespace

// ---- parsing ---------------------------------------------------------------------------------

Result<MinuteRange> parse_minute_range(std::string_view text) {
  text = trim(text);
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return fail(fmt::format("{}, found \"{}\"", k_expected_range, text));
  }
  const auto begin = read_clock(text.substr(0, dash));
  const auto end = read_clock(text.substr(dash + 1));
  if (!begin || !end) {
    return fail(
        fmt::format("{} (hours 00-24, minutes 00-59), found \"{}\"", k_expected_range, text));
  }
  if (*end <= *begin) {
    return fail(fmt::format("time range \"{}\" must end after it begins", text));
  }
  return MinuteRange{*begin, *end};
}

Result<WeeklyHours> parse_weekly_hours(std::string_view text) {
  if (trim(text).empty()) {
    return fail(R"(expected opening hours like "Mon-Fri 09:00-17:00", found nothing)");
  }
  WeeklyHours hours;
  for (std::string_view group : split_keep_empty(text, k_group_separators)) {
    if (auto added = parse_group(group, hours); !added) return std::unexpected(added.error());
  }
  auto checked = sort_and_check_overlaps(hours);
  if (!checked) return std::unexpected(checked.error());
  return hours;
}

// ---- holidays --------------------------------------------------------------------------------

date::year_month_day easter_sunday(date::year y) {
  // The "Anonymous Gregorian algorithm" (Meeus, Astronomical Algorithms, ch. 8); the one-letter
  // names are his. Valid for every Gregorian year, i.e. from 1583 on.
  const int year = static_cast<int>(y);
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return y / date::month(static_cast<unsigned>(month)) / date::day(static_cast<unsigned>(day));
}

std::vector<date::year_month_day> german_national_holidays(date::year y) {
  const date::local_days easter{easter_sunday(y)};
  const auto after_easter = [&](int days) {
    return date::year_month_day{easter + date::days{days}};
  };
  std::vector<date::year_month_day> holidays = {
      y / date::January / 1,     // Neujahr
      after_easter(-2),          // Karfreitag
      after_easter(1),           // Ostermontag
      y / date::May / 1,         // Tag der Arbeit
      after_easter(39),          // Christi Himmelfahrt
      after_easter(50),          // Pfingstmontag
      y / date::October / 3,     // Tag der Deutschen Einheit
      y / date::December / 25,   // 1. Weihnachtstag
      y / date::December / 26};  // 2. Weihnachtstag
  // Himmelfahrt falls on 30 April or 1 May when Easter is very early (e.g. 2008: 1 May).
  std::ranges::sort(holidays);
  return holidays;
}

// ---- Calendar --------------------------------------------------------------------------------

Calendar::Calendar(const date::time_zone* zone, WeeklyHours hours, HolidayRules rules,
                   std::set<date::local_days> extra_holidays)
    : m_zone(zone), m_hours(std::move(hours)), m_rules(rules), m_extra(std::move(extra_holidays)) {
  assert(m_zone != nullptr);
}

bool Calendar::is_holiday(date::local_days day) const {
  if (m_extra.contains(day)) return true;
  switch (m_rules) {
    case HolidayRules::none: return false;
    case HolidayRules::germany: return is_german_holiday(day);
  }
  return false;
}

bool Calendar::is_business_day(date::local_days day) const {
  return !hours_on(day).empty();
}

const std::vector<MinuteRange>& Calendar::hours_on(date::local_days day) const {
  static const std::vector<MinuteRange> k_closed;
  if (is_holiday(day)) return k_closed;
  return m_hours.days[iso_weekday_index(day)];
}

Instant Calendar::to_instant(date::local_days day, int minute_of_day) const {
  const date::local_seconds local = day + std::chrono::minutes{minute_of_day};
  // `first` is the offset in force just before the local time. For a unique time it is the
  // offset; in an autumn overlap it is the summer offset, which gives the earlier instant; in a
  // spring gap it is the winter offset, which puts 02:30 as far past the change as 02:30 is past
  // the gap's start 02:00 — that is, at 03:30 summer time, moved forward by the gap.
  const date::local_info info = m_zone->get_info(local);
  return Instant{local.time_since_epoch() - info.first.offset};
}

date::local_days Calendar::local_day(Instant t) const {
  return date::floor<date::days>(m_zone->to_local(t));
}

int Calendar::local_minute_of_day(Instant t) const {
  const auto local = m_zone->to_local(t);
  const auto since_midnight = local - date::floor<date::days>(local);
  return static_cast<int>(std::chrono::floor<std::chrono::minutes>(since_midnight).count());
}

std::chrono::seconds Calendar::business_time_between(Instant from, Instant to) const {
  if (to <= from) return std::chrono::seconds{0};
  std::chrono::seconds total{0};
  // Instants before `covered` are counted already (or lie before `from`). Moving gap times
  // forward can make local ranges overlap in real time: on a spring-forward day "01:00-02:30
  // 03:00-04:00" ends the first range at 03:30 summer time. Each instant counts once.
  Instant covered = from;
  std::vector<std::pair<Instant, Instant>> open;  // one day's opening hours as instants
  // One day early: when a gap swallows midnight (Samoa skipped 30 December 2011), the hours of
  // the day before are moved forward into the local day of `from`.
  const date::local_days last = local_day(to);
  for (date::local_days day = local_day(from) - date::days{1}; day <= last; day += date::days{1}) {
    open.clear();
    for (const MinuteRange& range : hours_on(day)) {
      open.emplace_back(to_instant(day, range.begin), to_instant(day, range.end));
    }
    // Sorted by begin already, except when a range begins inside a spring-forward gap
    // ("02:30-02:45" becomes 03:30-03:45, after the "03:00-04:00" that follows it).
    std::ranges::sort(open);
    for (const auto& [open_begin, open_end] : open) {
      const Instant begin = std::max(open_begin, covered);
      const Instant end = std::min(open_end, to);
      if (end <= begin) continue;
      total += end - begin;
      covered = end;
    }
  }
  return total;
}

}  // namespace respbench
