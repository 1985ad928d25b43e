#include "report/figures_view.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace respbench {

std::string threshold_key(double hours) {
  std::string key = fmt::format("{:g}h", hours);
  std::replace(key.begin(), key.end(), '.', '_');
  return key;
}

int k_of_n_columns(const StudyFigures& figures) {
  std::size_t n = static_cast<std::size_t>(std::max(figures.facts.probes_per_channel, 0));
  for (const auto* list : {&figures.groups, &figures.overall}) {
    for (const auto& g : *list) {
      if (!g.k_of_n.empty()) n = std::max(n, g.k_of_n.size() - 1);
    }
  }
  return static_cast<int>(n);
}

const CompanyRef* find_company(const StudyFigures& figures, std::string_view id) {
  const auto& list = figures.company_list;
  auto it = std::lower_bound(list.begin(), list.end(), id, [](const CompanyRef& c, std::string_view v) { return c.id < v; });
  return it != list.end() && it->id == id ? &*it : nullptr;
}

InquiryFinder::InquiryFinder(const StudyFigures& figures)
    : m_list(&figures.inquiries),
      m_sorted(std::is_sorted(figures.inquiries.begin(), figures.inquiries.end(),
                              [](const InquiryFigures& a, const InquiryFigures& b) { return a.id < b.id; })) {}

const InquiryFigures* InquiryFinder::find(std::int64_t id) {
  const auto& list = *m_list;
  for (std::size_t i = m_next; i < std::min(m_next + 2, list.size()); ++i) {
    if (list[i].id == id) {
      m_next = i;
      return &list[i];
    }
  }
  std::vector<InquiryFigures>::const_iterator it;
  if (m_sorted) {
    it = std::lower_bound(list.begin(), list.end(), id, [](const InquiryFigures& i, std::int64_t v) { return i.id < v; });
  } else {
    it = std::find_if(list.begin(), list.end(), [&](const InquiryFigures& i) { return i.id == id; });
  }
  if (it == list.end() || it->id != id) return nullptr;
  m_next = static_cast<std::size_t>(it - list.begin());
  return &*it;
}

std::optional<double> median_of(std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2.0;
}

std::vector<LeagueEntry> league_table(const StudyFigures& figures) {
  const std::size_t n = figures.company_list.size();
  std::vector<LeagueEntry> entries(n);
  for (std::size_t i = 0; i < n; ++i) entries[i].company = static_cast<std::uint32_t>(i);
  for (const auto& c : figures.companies) {
    const CompanyRef* ref = find_company(figures, c.company_id);
    if (ref == nullptr) continue;
    auto& e = entries[static_cast<std::size_t>(ref - figures.company_list.data())];
    e.answered += c.answered;
    e.closed += c.closed;
    e.channels.push_back(&c);
  }
  // The median over all of a company's answers needs the inquiries: per-channel medians do
  // not combine.
  std::vector<std::vector<double>> times(n);
  for (const auto& i : figures.inquiries) {
    if (i.outcome == Outcome::answered && i.response_hours && i.company < n) times[i.company].push_back(*i.response_hours);
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto& e = entries[i];
    if (e.closed > 0) e.share = static_cast<double>(e.answered) / static_cast<double>(e.closed);
    e.median_hours = median_of(times[i]);
  }
  // Absent values sort last: -1 share and +inf median stand for "none".
  auto key = [&](const LeagueEntry& e) {
    return std::tuple(-e.share.value_or(-1.0), e.median_hours.value_or(1e300));
  };
  std::stable_sort(entries.begin(), entries.end(), [&](const LeagueEntry& a, const LeagueEntry& b) {
    const auto ka = key(a);
    const auto kb = key(b);
    if (ka != kb) return ka < kb;
    return figures.company_list[a.company].name < figures.company_list[b.company].name;
  });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].rank = (i > 0 && key(entries[i]) == key(entries[i - 1])) ? entries[i - 1].rank : static_cast<int>(i) + 1;
  }
  return entries;
}

}  // namespace respbench
