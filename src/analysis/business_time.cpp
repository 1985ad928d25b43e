#include "analysis/business_time.hpp"

#include <algorithm>
#include <utility>

namespace respbench {

namespace {

std::int64_t unix_seconds(Instant t) { return t.time_since_epoch().count(); }

}  // namespace

BusinessTimeTable::BusinessTimeTable(const Calendar& calendar, Instant from, Instant to)
    : m_calendar(&calendar), m_from(unix_seconds(from)), m_to(unix_seconds(std::max(from, to))) {
  // The days as the calendar walks them (one day early: a gap may move the hours of the day
  // before into the first day), a day late for good measure. Local ranges moved forward out of
  // a spring-forward gap may overlap in real time: the union counts, as in the calendar.
  std::vector<std::pair<std::int64_t, std::int64_t>> intervals;
  const date::local_days last = calendar.local_day(to) + date::days{1};
  for (date::local_days day = calendar.local_day(from) - date::days{1}; day <= last;
       day += date::days{1}) {
    for (const MinuteRange& range : calendar.hours_on(day)) {
      intervals.emplace_back(unix_seconds(calendar.to_instant(day, range.begin)),
                             unix_seconds(calendar.to_instant(day, range.end)));
    }
  }
  std::ranges::sort(intervals);
  std::int64_t total = 0;
  for (auto [begin, end] : intervals) {
    if (!m_openings.empty() && begin <= m_openings.back().end) {
      Opening& previous = m_openings.back();
      if (end > previous.end) {
        total += end - previous.end;
        previous.end = end;
      }
      continue;
    }
    if (end <= begin) continue;
    m_openings.push_back({begin, end, total});
    total += end - begin;
  }
}

std::int64_t BusinessTimeTable::seconds_before(std::int64_t t) const {
  // The first opening that ends after t: everything before it counts whole, it counts from its
  // begin up to t.
  const auto it = std::ranges::upper_bound(m_openings, t, {}, &Opening::end);
  if (it == m_openings.end()) {
    return m_openings.empty() ? 0 : m_openings.back().before + (m_openings.back().end - m_openings.back().begin);
  }
  return it->before + std::max<std::int64_t>(0, t - it->begin);
}

std::chrono::seconds BusinessTimeTable::between(Instant a, Instant b) const {
  if (b <= a) return std::chrono::seconds{0};
  const std::int64_t from = unix_seconds(a);
  const std::int64_t to = unix_seconds(b);
  if (from < m_from || to > m_to) return m_calendar->business_time_between(a, b);
  return std::chrono::seconds{seconds_before(to) - seconds_before(from)};
}

}  // namespace respbench
