#include "analysis/kaplan_meier.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "analysis/wilson.hpp"

namespace respbench {

namespace {

// Where a curve is meant to have reached 0.5, rounding must not make it miss by 1e-16: 0.75 ·
// (1 − 1/3) is 0.5 on paper.
constexpr double k_tolerance = 1e-12;

bool reaches_half(double f) { return f >= 0.5 - k_tolerance; }

}  // namespace

KaplanMeierBuilder::KaplanMeierBuilder(std::int64_t total, const KaplanMeierOptions* options)
    : m_options(options), m_total(total), m_at_risk(total) {
  assert(m_options != nullptr);
  m_thresholds.resize(m_options->thresholds.size());
  m_result.inquiries = total;
}

void KaplanMeierBuilder::observe(double time, bool event) {
  assert(!m_pending_time || time >= *m_pending_time);
  if (m_pending_time && time != *m_pending_time) flush();
  m_pending_time = time;
  (event ? m_pending_events : m_pending_censored) += 1;
}

ThresholdEstimate KaplanMeierBuilder::current_estimate(double hours) const {
  ThresholdEstimate e;
  e.hours = hours;
  if (m_events == 0) {
    // No answer yet: F = 0, where the log-log interval is undefined (R says NA). The Wilson
    // bound of 0 answers among those still watched is a conservative stand-in: inquiries
    // censored earlier are left out of it.
    e.high = wilson_interval(0, m_at_risk).high;
    return e;
  }
  e.estimate = 1.0 - m_survival;
  e.low = m_low;
  e.high = m_high;
  return e;
}

void KaplanMeierBuilder::record_thresholds_before(double time) {
  // F is right-continuous: a threshold equal to an event time includes that time's events.
  for (std::size_t i = 0; i < m_thresholds.size(); ++i) {
    const double h = m_options->thresholds[i];
    if (!m_thresholds[i] && h < time) m_thresholds[i] = current_estimate(h);
  }
}

void KaplanMeierBuilder::flush() {
  if (!m_pending_time) return;
  const double t = *m_pending_time;
  const std::int64_t d = m_pending_events;
  const std::int64_t c = m_pending_censored;
  m_pending_time.reset();
  m_pending_events = 0;
  m_pending_censored = 0;
  m_last_time = t;
  record_thresholds_before(t);
  m_censored += c;
  if (d > 0) {
    const std::int64_t n = m_at_risk;
    const double survival_before = m_survival;
    m_survival *= 1.0 - static_cast<double>(d) / static_cast<double>(n);
    m_events += d;
    if (d < n) {
      m_greenwood += static_cast<double>(d) / (static_cast<double>(n) * static_cast<double>(n - d));
      // The log-log interval on S: exp(−exp(log(−log S) ± z·se)), se = √Greenwood / |log S|.
      const double log_s = std::log(m_survival);
      const double se = std::sqrt(m_greenwood) / std::abs(log_s);
      const double s_low = std::pow(m_survival, std::exp(k_z95 * se));
      const double s_high = std::pow(m_survival, std::exp(-k_z95 * se));
      m_low = 1.0 - s_high;
      m_high = 1.0 - s_low;
    } else {
      // Every one still at risk answered: S = 0, Greenwood's term is infinite (R says NA). The
      // hazard of this step is d/n = 1 with Wilson's lower bound w; F ≥ 1 − S(t−)·(1 − w).
      const double w = wilson_interval(d, n).low;
      m_low = std::clamp(1.0 - survival_before * (1.0 - w), 0.0, 1.0);
      m_high = 1.0;
      m_survival = 0.0;
    }
    const double f = 1.0 - m_survival;
    if (!m_result.median_hours && reaches_half(f)) m_result.median_hours = t;
    // The interval of the median: where the bounds of F cross 0.5.
    if (!m_result.median_low && reaches_half(m_high)) m_result.median_low = t;
    if (!m_result.median_high && reaches_half(m_low)) m_result.median_high = t;

    auto& curve = m_result.curve;
    const double resolution = m_options->curve_resolution;
    const bool merge = resolution > 0 && !curve.empty() &&
                       std::floor(curve.back().hours / resolution) == std::floor(t / resolution);
    CurvePoint& point = merge ? curve.back() : curve.emplace_back();
    if (!merge) point.at_risk = n;
    point.hours = t;
    point.estimate = f;
    point.low = m_low;
    point.high = m_high;
    point.events += d;
  }
  m_at_risk -= d + c;
}

ResponseTimes KaplanMeierBuilder::finish() {
  flush();
  m_result.answered = m_events;
  m_result.censored = m_censored;
  m_result.at_thresholds.reserve(m_thresholds.size() + 1);
  for (std::size_t i = 0; i < m_thresholds.size(); ++i) {
    m_result.at_thresholds.push_back(m_thresholds[i] ? *m_thresholds[i]
                                                     : current_estimate(m_options->thresholds[i]));
  }
  if (m_options->threshold_at_end) m_result.at_thresholds.push_back(current_estimate(m_last_time));
  return std::move(m_result);
}

ResponseTimes kaplan_meier(std::span<SurvivalTime> observations, const KaplanMeierOptions& options) {
  std::ranges::sort(observations, {}, &SurvivalTime::time);
  KaplanMeierBuilder builder(static_cast<std::int64_t>(observations.size()), &options);
  for (const SurvivalTime& o : observations) builder.observe(o.time, o.event);
  return builder.finish();
}

}  // namespace respbench
