#include "analysis/analyze.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <future>
#include <unordered_map>

#include <fmt/format.h>

#include "analysis/business_time.hpp"
#include "analysis/kaplan_meier.hpp"
#include "analysis/outcomes.hpp"
#include "analysis/wilson.hpp"
#include "util/memory.hpp"

namespace respbench {

namespace {

constexpr std::size_t k_channels = std::size(k_all_channels);

std::size_t channel_index(Channel c) { return c == Channel::email ? 0 : 1; }

double hours(std::chrono::seconds s) { return static_cast<double>(s.count()) / 3600.0; }

// The median of `values` (reordered); the mean of the middle two for an even count.
std::optional<double> median_of(std::span<double> values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::ranges::nth_element(values, values.begin() + static_cast<std::ptrdiff_t>(mid));
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

// What one company on one channel adds up to while the inquiries are read (a company has a
// handful of inquiries per channel; 32 bits keep 400 000 of these small).
struct CompanyTally {
  std::int32_t planned = 0;
  std::int32_t delivered = 0;
  std::int32_t answered = 0;
  std::int32_t unanswered = 0;
  std::int32_t open = 0;
  std::int32_t undeliverable = 0;
  std::int32_t not_sent = 0;
  std::int32_t acknowledged = 0;
  std::optional<double> first_ack_hours;
};

// One delivered inquiry as the Kaplan–Meier pass sees it, packed into one number so that
// sorting a million of them is sorting plain integers: whole seconds in the high 32 bits (136
// years), the group (sector index · channels + channel index), and the event in the low bit.
using Observation = std::uint64_t;

Observation observation(std::int64_t seconds, std::size_t group, bool event) {
  const auto s = static_cast<std::uint64_t>(std::clamp<std::int64_t>(seconds, 0, 0xffff'ffff));
  return s << 32 | static_cast<std::uint64_t>(group) << 1 | (event ? 1U : 0U);
}
std::int64_t seconds_of(Observation o) { return static_cast<std::int64_t>(o >> 32); }

// Sorts by the seconds (the high 32 bits), stable: an LSD radix sort in three passes of 11
// bits, several times faster than std::sort on a million and what the estimate needs (the
// builders take ties in any order).
void sort_by_seconds(std::vector<Observation>& v) {
  constexpr int k_bits = 11;
  constexpr std::size_t k_buckets = std::size_t{1} << k_bits;
  std::vector<Observation> scratch(v.size());
  for (int shift = 32; shift < 64; shift += k_bits) {
    std::array<std::size_t, k_buckets + 1> start{};
    for (const Observation o : v) ++start[((o >> shift) & (k_buckets - 1)) + 1];
    for (std::size_t b = 1; b <= k_buckets; ++b) start[b] += start[b - 1];
    for (const Observation o : v) scratch[start[(o >> shift) & (k_buckets - 1)]++] = o;
    v.swap(scratch);
  }
}
std::size_t group_of(Observation o) { return static_cast<std::size_t>((o & 0xffff'ffff) >> 1); }
bool event_of(Observation o) { return (o & 1) != 0; }

// "Mon-Fri 09:00-17:00": days with the same hours as the day before are joined.
std::string describe_hours(const WeeklyHours& hours) {
  static constexpr std::array<std::string_view, 7> k_days = {"Mon", "Tue", "Wed", "Thu",
                                                              "Fri", "Sat", "Sun"};
  std::vector<std::string> groups;
  for (std::size_t first = 0; first < 7;) {
    std::size_t last = first;
    while (last + 1 < 7 && hours.days[last + 1] == hours.days[first]) ++last;
    if (!hours.days[first].empty()) {
      std::string group(k_days[first]);
      if (last > first) group += fmt::format("-{}", k_days[last]);
      for (const MinuteRange& r : hours.days[first]) {
        group += fmt::format(" {:02}:{:02}-{:02}:{:02}", r.begin / 60, r.begin % 60, r.end / 60,
                             r.end % 60);
      }
      groups.push_back(std::move(group));
    }
    first = last + 1;
  }
  std::string out;
  for (const auto& g : groups) out += (out.empty() ? "" : ", ") + g;
  return out;
}

// The response times of every group in one time scale: one sort of all delivered inquiries, one
// pass feeding each sector × channel group and its channel's overall group.
void estimate_response_times(std::vector<Observation>& observations, std::size_t sectors,
                             const KaplanMeierOptions& options,
                             std::vector<GroupFigures>& groups, std::vector<GroupFigures>& overall,
                             ResponseTimes GroupFigures::*scale) {
  sort_by_seconds(observations);
  std::vector<std::int64_t> totals(sectors * k_channels, 0);
  for (const Observation o : observations) ++totals[group_of(o)];
  std::vector<KaplanMeierBuilder> builders;
  builders.reserve(totals.size() + k_channels);
  std::array<std::int64_t, k_channels> overall_totals{};
  for (std::size_t g = 0; g < totals.size(); ++g) {
    builders.emplace_back(totals[g], &options);
    overall_totals[g % k_channels] += totals[g];
  }
  for (std::size_t c = 0; c < k_channels; ++c) builders.emplace_back(overall_totals[c], &options);
  for (const Observation o : observations) {
    const double t = hours(std::chrono::seconds{seconds_of(o)});
    const std::size_t g = group_of(o);
    builders[g].observe(t, event_of(o));
    builders[totals.size() + g % k_channels].observe(t, event_of(o));
  }
  for (std::size_t g = 0; g < totals.size(); ++g) groups[g].*scale = builders[g].finish();
  for (std::size_t c = 0; c < k_channels; ++c) overall[c].*scale = builders[totals.size() + c].finish();
}

}  // namespace

std::string describe_calendar(const StudyConfig& config) {
  std::string out = describe_hours(config.hours);
  out += config.holidays == HolidayRules::germany ? ", holidays DE" : ", no holidays";
  if (!config.extra_holidays.empty()) {
    out += fmt::format(", {} more day{} off", config.extra_holidays.size(),
                       config.extra_holidays.size() == 1 ? "" : "s");
  }
  return out;
}

AnalysisOptions analysis_options(const StudyConfig& config, Instant now) {
  AnalysisOptions o;
  o.now = now;
  o.answer_window = config.answer_window;
  o.thresholds = config.report.thresholds;
  o.calendar = config.calendar();
  o.probes_per_channel = config.probes_per_channel;
  o.study_name = config.name;
  o.timezone = config.timezone;
  o.calendar_description = describe_calendar(config);
  return o;
}

namespace {

// analyze_study(); with `owned` (the same object as `input`, given up by the caller) the
// company texts are moved instead of copied and the inquiry rows are freed as soon as they are
// read: a million inquiries then peak 90 MB lower.
StudyFigures analyze(const AnalysisInput& input, AnalysisInput* owned, const AnalysisOptions& options) {
  StudyFigures out;
  const Instant now = options.now;
  const auto window = options.answer_window;

  StudyFacts& facts = out.facts;
  facts.name = options.study_name;
  facts.timezone = options.timezone;
  facts.calendar = options.calendar_description;
  facts.answer_window_hours = hours(window);
  facts.probes_per_channel = options.probes_per_channel;
  for (auto t : options.thresholds) facts.thresholds_hours.push_back(hours(t));
  facts.generated_at = now;

  // Companies and their sectors (sorted by name: the groups' order). Sectors are few: numbered
  // as they come, then renumbered in sorted order.
  const std::size_t company_count = input.companies.size();
  reserve_huge(out.company_list, company_count);
  std::vector<std::string> sector_names;
  std::unordered_map<std::string_view, std::uint32_t> sector_number;
  std::vector<std::uint32_t> sector_of(company_count);
  for (std::size_t i = 0; i < company_count; ++i) {
    if (owned != nullptr) {
      AnalysisCompany& c = owned->companies[i];
      out.company_list.push_back({std::move(c.id), std::move(c.name), std::move(c.sector)});
    } else {
      const AnalysisCompany& c = input.companies[i];
      out.company_list.push_back({c.id, c.name, c.sector});
    }
    // A view into company_list, which was reserved whole and does not move.
    const std::string_view sector = out.company_list.back().sector;
    const auto [it, added] = sector_number.try_emplace(sector, static_cast<std::uint32_t>(sector_names.size()));
    if (added) sector_names.emplace_back(sector);
    sector_of[i] = it->second;
  }
  {
    std::vector<std::uint32_t> order(sector_names.size());
    for (std::uint32_t s = 0; s < order.size(); ++s) order[s] = s;
    std::ranges::sort(order, {}, [&](std::uint32_t s) -> const std::string& { return sector_names[s]; });
    std::vector<std::uint32_t> renumber(order.size());
    for (std::uint32_t s = 0; s < order.size(); ++s) renumber[order[s]] = s;
    for (auto& s : sector_of) s = renumber[s];
    std::ranges::sort(sector_names);
  }
  const std::size_t sectors = sector_names.size();
  out.probe_ids = input.probe_ids;
  out.personas = input.personas;

  // The business-time table spans the first send to now: every observed time lies inside.
  std::optional<BusinessTimeTable> business;
  if (options.calendar) {
    std::int64_t first = k_no_time;
    for (const InquiryRow& row : input.inquiries) {
      if (row.sent_at != k_no_time && (first == k_no_time || row.sent_at < first)) first = row.sent_at;
    }
    if (first != k_no_time && Instant{std::chrono::seconds{first}} <= now) {
      business.emplace(*options.calendar, Instant{std::chrono::seconds{first}}, now);
    }
  }

  // Groups: sector × channel in sector order, then one per channel over all sectors.
  out.groups.resize(sectors * k_channels);
  for (std::size_t s = 0; s < sectors; ++s) {
    for (std::size_t c = 0; c < k_channels; ++c) {
      out.groups[s * k_channels + c].sector = sector_names[s];
      out.groups[s * k_channels + c].channel = k_all_channels[c];
    }
  }
  out.overall.resize(k_channels);
  for (std::size_t c = 0; c < k_channels; ++c) out.overall[c].channel = k_all_channels[c];
  const auto each_group = [&](std::size_t g, auto&& f) {
    f(out.groups[g]);
    f(out.overall[g % k_channels]);
  };

  // Outcomes, one inquiry at a time.
  std::vector<CompanyTally> tallies;
  reserve_huge(tallies, company_count * k_channels);
  tallies.resize(company_count * k_channels);
  std::vector<Observation> observations;  // calendar hours first, business hours later
  reserve_huge(observations, input.inquiries.size());
  std::vector<std::vector<double>> ack_hours(out.groups.size() + k_channels);
  reserve_huge(out.inquiries, input.inquiries.size());
  for (const InquiryRow& row : input.inquiries) {
    assert(row.company < company_count);
    const std::size_t ch = channel_index(row.channel);
    const std::size_t g = sector_of[row.company] * k_channels + ch;
    const std::optional<Instant> sent = time_or_none(row.sent_at);
    const ObservedInquiry o =
        observe_inquiry(row.state, sent, time_or_none(row.answered_at), now, window);

    InquiryFigures& f = out.inquiries.emplace_back();
    f.id = row.id;
    f.company = row.company;
    f.probe = row.probe;
    f.persona = row.persona;
    f.channel = row.channel;
    f.outcome = o.outcome;
    f.planned_at = Instant{std::chrono::seconds{row.planned_at}};
    f.sent_at = sent;
    if (sent && (!facts.first_send || *sent < *facts.first_send)) facts.first_send = sent;
    if (sent && (!facts.last_send || *sent > *facts.last_send)) facts.last_send = sent;

    CompanyTally& tally = tallies[row.company * k_channels + ch];
    ++tally.planned;
    switch (o.outcome) {
      case Outcome::answered: ++tally.answered; break;
      case Outcome::unanswered: ++tally.unanswered; break;
      case Outcome::open: ++tally.open; break;
      case Outcome::undeliverable: ++tally.undeliverable; break;
      case Outcome::not_sent: ++tally.not_sent; break;
    }
    if (!o.delivered()) continue;
    ++tally.delivered;

    const double observed_hours = hours(o.observed);
    std::optional<double> observed_business;
    if (business) observed_business = hours(business->between(*sent, *o.observed_until));
    if (o.event()) {
      f.answered_at = o.observed_until;
      f.response_hours = observed_hours;
      f.response_business_hours = observed_business;
    } else {
      f.censored_business_hours = observed_business;
    }
    observations.push_back(observation(o.observed.count(), g, o.event()));

    // An acknowledgement counts like an answer: received by now, within the window.
    const std::optional<Instant> ack = time_or_none(row.first_ack_at);
    if (ack && *ack <= now && *ack <= *sent + window) {
      f.first_ack_at = ack;
      f.ack_hours = std::max(0.0, hours(*ack - *sent));
      ++tally.acknowledged;
      if (!tally.first_ack_hours || *f.ack_hours < *tally.first_ack_hours) {
        tally.first_ack_hours = f.ack_hours;
      }
      ack_hours[g].push_back(*f.ack_hours);
      ack_hours[out.groups.size() + ch].push_back(*f.ack_hours);
    }
  }

  if (owned != nullptr) std::vector<InquiryRow>().swap(owned->inquiries);

  // Response times in calendar hours (thresholds, then the window) and in business hours
  // (thresholds, then the end of the curve: each inquiry's window has its own business length).
  // On a second core while this one does the companies: it writes only the groups' `calendar`
  // and `business`, which nothing else here touches, and reads the finished inquiries.
  KaplanMeierOptions calendar_km;
  for (auto t : options.thresholds) calendar_km.thresholds.push_back(hours(t));
  KaplanMeierOptions business_km = calendar_km;
  business_km.threshold_at_end = true;
  calendar_km.thresholds.push_back(hours(window));
  calendar_km.curve_resolution = business_km.curve_resolution = hours(options.curve_resolution);
  auto response_times = std::async([&] {
    estimate_response_times(observations, sectors, calendar_km, out.groups, out.overall,
                            &GroupFigures::calendar);
    if (!options.calendar) return;
    observations.clear();
    for (const InquiryFigures& f : out.inquiries) {
      const auto& b = f.response_business_hours ? f.response_business_hours : f.censored_business_hours;
      if (!b) continue;  // not delivered
      const std::size_t g = sector_of[f.company] * k_channels + channel_index(f.channel);
      const auto seconds = std::llround(*b * 3600.0);  // exact: whole seconds went in
      observations.push_back(observation(seconds, g, f.response_business_hours.has_value()));
    }
    estimate_response_times(observations, sectors, business_km, out.groups, out.overall,
                            &GroupFigures::business);
  });

  // Each company's median response time: its answered inquiries, bucketed by company and
  // channel (counting sort: offsets from the tallies), each bucket holds at most a few.
  std::vector<std::size_t> bucket_start(tallies.size() + 1, 0);
  for (std::size_t k = 0; k < tallies.size(); ++k) {
    bucket_start[k + 1] = bucket_start[k] + static_cast<std::size_t>(tallies[k].answered);
  }
  std::vector<double> response_by_company(bucket_start.back());
  {
    std::vector<std::size_t> fill(bucket_start.begin(), bucket_start.end() - 1);
    for (const InquiryFigures& f : out.inquiries) {
      if (f.outcome != Outcome::answered) continue;
      response_by_company[fill[f.company * k_channels + channel_index(f.channel)]++] = *f.response_hours;
    }
  }

  // Companies × channels, and what they add to their groups.
  std::size_t max_n = static_cast<std::size_t>(std::max(options.probes_per_channel, 0));
  for (const CompanyTally& t : tallies) {
    max_n = std::max(max_n, static_cast<std::size_t>(t.answered + t.unanswered));
  }
  for (auto& group : out.groups) group.k_of_n.assign(max_n + 1, 0);
  for (auto& group : out.overall) group.k_of_n.assign(max_n + 1, 0);
  std::vector<std::array<std::int64_t, 2>> all_answered(out.groups.size() + k_channels, {0, 0});
  std::vector<std::int64_t> k_sum(out.groups.size() + k_channels, 0);

  std::size_t company_rows = 0;
  std::size_t comparisons = 0;
  for (std::size_t i = 0; i < company_count; ++i) {
    const AnalysisCompany& company = input.companies[i];
    for (std::size_t ch = 0; ch < k_channels; ++ch) {
      company_rows += company.offers(k_all_channels[ch]) || tallies[i * k_channels + ch].planned > 0 ? 1 : 0;
    }
    comparisons += company.offers_email && company.offers_facebook ? 1 : 0;
  }
  reserve_huge(out.companies, company_rows);
  out.comparison.reserve(comparisons);
  for (std::size_t i = 0; i < company_count; ++i) {
    const AnalysisCompany& company = input.companies[i];  // its texts may be moved: use `ref`
    const CompanyRef& ref = out.company_list[i];
    for (std::size_t ch = 0; ch < k_channels; ++ch) {
      const CompanyTally& t = tallies[i * k_channels + ch];
      const Channel channel = k_all_channels[ch];
      const std::size_t g = sector_of[i] * k_channels + ch;
      const bool offers = company.offers(channel);
      const bool reachable = offers && t.delivered > 0;
      const std::int64_t closed = t.answered + t.unanswered;
      const bool settled = reachable && closed > 0 && t.open == 0 && t.not_sent == 0;
      each_group(g, [&](GroupFigures& group) {
        ++group.companies;
        group.offering += offers ? 1 : 0;
        group.reachability.successes += reachable ? 1 : 0;
        if (offers && !reachable && t.not_sent + t.open > 0) ++group.reach_pending;
        group.inquiries += t.planned;
        group.delivered += t.delivered;
        group.answered += t.answered;
        group.unanswered += t.unanswered;
        group.open += t.open;
        group.undeliverable += t.undeliverable;
        group.not_sent += t.not_sent;
        group.ack_rate.successes += t.acknowledged;
        if (reachable && !settled) ++group.k_of_n_pending;
        if (settled) {
          ++group.k_of_n[static_cast<std::size_t>(t.answered)];
          if (closed < options.probes_per_channel) ++group.k_of_n_short;
        }
      });
      if (settled) {
        for (std::size_t slot : {g, out.groups.size() + ch}) {
          ++all_answered[slot][1];
          all_answered[slot][0] += t.answered == closed ? 1 : 0;
          k_sum[slot] += t.answered;
        }
      }
      if (!offers && t.planned == 0) continue;  // neither listed nor asked: nothing to show
      CompanyFigures& cf = out.companies.emplace_back();
      cf.company_id = ref.id;
      cf.name = ref.name;
      cf.sector = ref.sector;
      cf.channel = channel;
      cf.offers = offers;
      cf.reachable = reachable;
      cf.settled = settled;
      cf.planned = t.planned;
      cf.delivered = t.delivered;
      cf.closed = closed;
      cf.answered = t.answered;
      cf.open = t.open;
      cf.undeliverable = t.undeliverable;
      cf.acknowledged = t.acknowledged;
      const std::size_t k = i * k_channels + ch;
      cf.median_response_hours = median_of(std::span(response_by_company)
                                               .subspan(bucket_start[k], bucket_start[k + 1] - bucket_start[k]));
      cf.first_ack_hours = t.first_ack_hours;
    }
    // Email versus Facebook: the companies that list both.
    if (company.offers_email && company.offers_facebook) {
      ChannelComparison& cmp = out.comparison.emplace_back();
      cmp.company_id = ref.id;
      cmp.name = ref.name;
      cmp.sector = ref.sector;
      cmp.channels.assign(out.companies.end() - static_cast<std::ptrdiff_t>(k_channels), out.companies.end());
    }
  }

  // Proportions and means.
  const auto finish_group = [&](GroupFigures& group, std::size_t slot) {
    group.reachability = wilson_interval(group.reachability.successes, group.companies);
    group.answer_rate = wilson_interval(group.answered, group.answered + group.unanswered);
    group.ack_rate = wilson_interval(group.ack_rate.successes, group.delivered);
    group.all_answered = wilson_interval(all_answered[slot][0], all_answered[slot][1]);
    if (all_answered[slot][1] > 0) {
      group.mean_answered = static_cast<double>(k_sum[slot]) / static_cast<double>(all_answered[slot][1]);
    }
    group.median_ack_hours = median_of(ack_hours[slot]);
  };
  for (std::size_t g = 0; g < out.groups.size(); ++g) finish_group(out.groups[g], g);
  for (std::size_t c = 0; c < k_channels; ++c) finish_group(out.overall[c], out.groups.size() + c);

  for (std::size_t r = 0; r < input.quoted_replies.size(); ++r) {
    if (out.quoted_replies.size() >= options.max_quoted_replies) break;
    if (input.quoted_replies[r].received_at > now) continue;
    if (owned != nullptr) {
      out.quoted_replies.push_back(std::move(owned->quoted_replies[r]));
    } else {
      out.quoted_replies.push_back(input.quoted_replies[r]);
    }
  }
  response_times.get();
  return out;
}

}  // namespace

StudyFigures analyze_study(const AnalysisInput& input, const AnalysisOptions& options) {
  return analyze(input, nullptr, options);
}

StudyFigures analyze_study(AnalysisInput&& input, const AnalysisOptions& options) {
  return analyze(input, &input, options);
}

}  // namespace respbench
