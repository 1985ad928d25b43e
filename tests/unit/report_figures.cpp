#include "report_figures.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace respbench::test {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Proportion wilson(std::int64_t successes, std::int64_t trials) {
  Proportion p;
  p.successes = successes;
  p.trials = trials;
  if (trials == 0) return p;
  const double n = static_cast<double>(trials), phat = static_cast<double>(successes) / n, z = 1.959964;
  const double centre = (phat + z * z / (2 * n)) / (1 + z * z / n);
  const double half = z * std::sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  p.estimate = phat;
  p.low = std::max(0.0, centre - half);
  p.high = std::min(1.0, centre + half);
  return p;
}

// A plain Kaplan–Meier estimate of P(answered by t) with a rough band: good enough to draw.
ResponseTimes km(const std::vector<std::pair<double, bool>>& observations, const std::vector<double>& thresholds,
                 double window) {
  ResponseTimes r;
  r.inquiries = static_cast<std::int64_t>(observations.size());
  auto sorted = observations;
  std::sort(sorted.begin(), sorted.end());
  double survival = 1.0;
  std::int64_t at_risk = r.inquiries;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    std::int64_t events = 0;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) events += sorted[j++].second ? 1 : 0;
    if (events > 0) {
      survival *= 1.0 - static_cast<double>(events) / static_cast<double>(at_risk);
      const double est = 1.0 - survival;
      const double se = std::sqrt(std::max(est * (1 - est), 0.0) / static_cast<double>(r.inquiries));
      r.curve.push_back({sorted[i].first, est, std::max(0.0, est - 2 * se), std::min(1.0, est + 2 * se), at_risk, events});
      r.answered += events;
    }
    at_risk -= static_cast<std::int64_t>(j - i);
    i = j;
  }
  r.censored = r.inquiries - r.answered;
  auto at = [&](double h) {
    ThresholdEstimate t{h, 0, 0, 0};
    for (const auto& p : r.curve) {
      if (p.hours <= h) t = {h, p.estimate, p.low, p.high};
    }
    return t;
  };
  for (double h : thresholds) r.at_thresholds.push_back(at(h));
  r.at_thresholds.push_back(at(window));
  for (const auto& p : r.curve) {
    if (p.estimate >= 0.5) {
      r.median_hours = p.hours;
      break;
    }
  }
  for (const auto& p : r.curve) {
    if (p.high >= 0.5) {
      r.median_low = p.hours;
      break;
    }
  }
  for (const auto& p : r.curve) {
    if (p.low >= 0.5) {
      r.median_high = p.hours;
      break;
    }
  }
  return r;
}

}  // namespace

StudyFigures sample_figures() {
  StudyFigures f;
  auto& facts = f.facts;
  facts.name = "Kundenservice-Studie 2026 <Test & \"Probe\">";
  facts.timezone = "Europe/Berlin";
  facts.calendar = "Mon-Fri 09:00-17:00, holidays DE";
  facts.answer_window_hours = 168;
  facts.probes_per_channel = 5;
  facts.thresholds_hours = {1, 4, 24};
  const Instant start = date::sys_days{date::year{2026} / 3 / 2} + hours(8);
  facts.first_send = start;
  facts.last_send = start + hours(24 * 18);
  facts.generated_at = start + hours(24 * 22);

  const char* sectors[] = {"Banken", "Energieversorger", "Versicherungen"};
  const char* names[] = {k_awkward_name, "Alpha Bank AG", "Bürgerbank eG", "Nordsparkasse",
                         "Stadtwerke Ost", "Ökostrom Süd GmbH", "Gas & Licht AG", "Energie-Union",
                         "Versicherung Löwe", "Hansa Assekuranz", "-Minus Versicherung", "@Schutz direkt"};
  for (int i = 0; i < 12; ++i) {
    f.company_list.push_back({fmt::format("c{:02}", i + 1), names[i], sectors[i / 4]});
  }
  f.probe_ids = {"q1-fees", "q2-cancel", "q3-address", "q4-invoice", "q5-contract"};
  f.personas = {"Anna Berger <anna.berger@example.test>", "Jonas Wolf <jonas.wolf@example.test>"};

  // A deterministic spread of answer behaviour: company i answers on channel c with a rate and
  // speed of its own.
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245u + 12345u;
    return static_cast<double>((seed >> 8) & 0xFFFF) / 65536.0;
  };
  std::int64_t inquiry_id = 1;
  std::map<std::pair<std::string, Channel>, std::vector<std::pair<double, bool>>> observations;
  std::map<std::pair<std::string, Channel>, std::vector<std::pair<double, bool>>> business;
  for (std::uint32_t ci = 0; ci < f.company_list.size(); ++ci) {
    const auto& company = f.company_list[ci];
    ChannelComparison comparison{company.id, company.name, company.sector, {}};
    for (Channel ch : k_all_channels) {
      CompanyFigures c;
      c.company_id = company.id;
      c.name = company.name;
      c.sector = company.sector;
      c.channel = ch;
      c.offers = ch == Channel::email || ci % 4 != 3;
      const double rate = ch == Channel::email ? 0.35 + 0.05 * (ci % 7) : 0.25 + 0.06 * (ci % 5);
      const double speed = ch == Channel::email ? 6.0 + 3.0 * (ci % 4) : 2.0 + 4.0 * (ci % 3);
      std::vector<double> times;
      if (c.offers) {
        for (std::uint32_t p = 0; p < 5; ++p) {
          InquiryFigures q;
          q.id = inquiry_id++;
          q.company = ci;
          q.probe = p;
          q.persona = p % 2;
          q.channel = ch;
          q.planned_at = start + hours(24 * (p * 3 + ci % 3)) + minutes(37 * ci);
          ++c.planned;
          const double u = next();
          double censored = 0.0;  // the calendar censoring time (derived by the writers, not stored)
          if (ch == Channel::email && ci == 7 && p == 0) {
            q.outcome = Outcome::undeliverable;
            ++c.undeliverable;
          } else if (p == 4 && ci % 3 == 0) {
            q.outcome = Outcome::open;
            q.sent_at = q.planned_at;
            censored = 40.0 + ci;
            q.censored_business_hours = 12.0 + ci;
            ++c.delivered;
            ++c.open;
          } else {
            q.sent_at = q.planned_at;
            ++c.delivered;
            ++c.closed;
            if (u < rate) {
              const double h = speed * std::exp(2.2 * (next() - 0.5)) * (0.3 + next());
              q.outcome = Outcome::answered;
              q.answered_at = *q.sent_at + std::chrono::seconds(static_cast<long>(h * 3600));
              q.response_hours = h;
              q.response_business_hours = h * 0.4;
              times.push_back(h);
              ++c.answered;
            } else {
              q.outcome = Outcome::unanswered;
              censored = 168.0;
              q.censored_business_hours = 40.0;
            }
            if (next() < 0.3) {
              q.first_ack_at = *q.sent_at + minutes(2);
              q.ack_hours = 2.0 / 60.0;
              ++c.acknowledged;
            }
          }
          if (q.sent_at) {
            const bool answered = q.outcome == Outcome::answered;
            observations[{company.sector, ch}].emplace_back(answered ? *q.response_hours : censored, answered);
            business[{company.sector, ch}].emplace_back(answered ? *q.response_business_hours : q.censored_business_hours.value(),
                                                       answered);
          }
          f.inquiries.push_back(q);
        }
      }
      c.reachable = c.offers && c.delivered > 0;
      if (!times.empty()) {
        std::sort(times.begin(), times.end());
        c.median_response_hours = times[times.size() / 2];
      }
      if (c.acknowledged > 0) c.first_ack_hours = 2.0 / 60.0;
      f.companies.push_back(c);
      comparison.channels.push_back(c);
    }
    f.comparison.push_back(comparison);
  }
  std::sort(f.inquiries.begin(), f.inquiries.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  auto group_of = [&](const std::string& sector, Channel ch) {
    GroupFigures g;
    g.sector = sector;
    g.channel = ch;
    g.k_of_n.assign(6, 0);
    std::int64_t reachable = 0, all = 0, closed = 0, k_sum = 0, acked = 0;
    for (const auto& c : f.companies) {
      if (c.channel != ch || (!sector.empty() && c.sector != sector)) continue;
      ++g.companies;
      g.offering += c.offers ? 1 : 0;
      if (!c.reachable) continue;
      ++reachable;
      g.inquiries += c.planned;
      g.delivered += c.delivered;
      g.answered += c.answered;
      g.unanswered += c.closed - c.answered;
      g.open += c.open;
      g.undeliverable += c.undeliverable;
      closed += c.closed;
      acked += c.acknowledged;
      ++g.k_of_n[static_cast<std::size_t>(std::min<std::int64_t>(c.answered, 5))];
      k_sum += c.answered;
      all += c.closed > 0 && c.answered == c.closed ? 1 : 0;
    }
    g.reachability = wilson(reachable, g.companies);
    g.answer_rate = wilson(g.answered, closed);
    if (reachable > 0) g.mean_answered = static_cast<double>(k_sum) / static_cast<double>(reachable);
    g.all_answered = wilson(all, reachable);
    g.ack_rate = wilson(acked, g.delivered);
    g.median_ack_hours = 2.0 / 60.0;
    std::vector<std::pair<double, bool>> obs, bus;
    for (const auto& [key, list] : observations) {
      if (key.second == ch && (sector.empty() || key.first == sector)) obs.insert(obs.end(), list.begin(), list.end());
    }
    for (const auto& [key, list] : business) {
      if (key.second == ch && (sector.empty() || key.first == sector)) bus.insert(bus.end(), list.begin(), list.end());
    }
    g.calendar = km(obs, facts.thresholds_hours, 168);
    g.business = km(bus, facts.thresholds_hours, 40);
    return g;
  };
  for (const char* sector : sectors) {
    for (Channel ch : k_all_channels) f.groups.push_back(group_of(sector, ch));
  }
  for (Channel ch : k_all_channels) f.overall.push_back(group_of("", ch));

  ReplyFigures hostile;
  hostile.id = 1;
  hostile.inquiry_id = 1;
  hostile.company = 0;
  hostile.channel = Channel::email;
  hostile.received_at = start + hours(3);
  hostile.kind = ReplyKind::human;
  hostile.from = "service@mueller.test";
  hostile.subject = "Re: Ihre Anfrage <b>wichtig</b>";
  hostile.excerpt = k_hostile_excerpt;
  f.quoted_replies.push_back(hostile);
  ReplyFigures plain = hostile;
  plain.id = 2;
  plain.company = 5;
  plain.channel = Channel::facebook;
  plain.from = "Ökostrom Süd";
  plain.subject = "";
  plain.excerpt = "Hallo Anna,\nvielen Dank für Ihre Nachricht. Die Kündigungsfrist beträgt drei Monate zum Monatsende.\n\nIhr Service-Team";
  f.quoted_replies.push_back(plain);
  return f;
}

}  // namespace respbench::test
