#pragma once
// The Kaplan–Meier estimate of F(t) = P(answered by t) = 1 − S(t) from answer times (events)
// and times at which inquiries stopped being watched (censored: still open, or the window ran
// out), with Greenwood's variance and the 95 % log-log interval — the figures R's
// survival::survfit(conf.type = "log-log") gives.
//
// At a time with both events and censorings the censored ones count as still at risk (events
// come first), as in every standard implementation.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analysis/metrics.hpp"

namespace respbench {

// One observation: an event (answer) at `time`, or censored at `time` (any unit; hours here).
struct SurvivalTime {
  double time = 0.0;
  bool event = false;
};

struct KaplanMeierOptions {
  // Times at which F is read off (ResponseTimes::at_thresholds, in this order).
  std::vector<double> thresholds;
  // Curve points closer than this are merged into one (the last of them, with their events
  // summed and the at-risk count of the first): a curve of a million answers stays drawable.
  // 0: one point per distinct event time. Thresholds and the median use the exact curve.
  double curve_resolution = 0.0;
  // When set, one more threshold entry after `thresholds`: F at the end of the curve, labelled
  // with the largest observed time (the business-hours stand-in for "within the window").
  bool threshold_at_end = false;
};

// Builds the estimate from observations fed in nondecreasing time order, so that one sorted
// pass can feed many groups at once (analyze.cpp) and nothing is stored per observation.
class KaplanMeierBuilder {
 public:
  // `total`: the number of observations that will be fed (all are at risk at the start).
  KaplanMeierBuilder(std::int64_t total, const KaplanMeierOptions* options);

  // Feeds one observation; `time` must not be smaller than the previous one.
  void observe(double time, bool event);
  // The estimate. Call once, after the last observe().
  ResponseTimes finish();

 private:
  void flush();  // applies the pending time's events and censorings
  void record_thresholds_before(double time);
  ThresholdEstimate current_estimate(double hours) const;

  const KaplanMeierOptions* m_options;
  std::int64_t m_total = 0;
  std::int64_t m_at_risk = 0;
  double m_survival = 1.0;
  double m_greenwood = 0.0;  // Σ d / (n (n − d))
  double m_low = 0.0;        // the current interval of F
  double m_high = 0.0;
  std::optional<double> m_pending_time;
  std::int64_t m_pending_events = 0;
  std::int64_t m_pending_censored = 0;
  double m_last_time = 0.0;
  std::int64_t m_events = 0;
  std::int64_t m_censored = 0;
  std::vector<std::optional<ThresholdEstimate>> m_thresholds;  // in the options' order
  ResponseTimes m_result;
};

// Kaplan–Meier over `observations` (sorted in place).
ResponseTimes kaplan_meier(std::span<SurvivalTime> observations, const KaplanMeierOptions& options);

}  // namespace respbench
