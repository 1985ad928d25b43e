#pragma once
// The figures of a study (metrics.hpp) from what the ledger holds (input.hpp): outcomes,
// per company and channel, per sector × channel and per channel, with Wilson intervals and
// Kaplan–Meier response-time curves in calendar and business hours.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "analysis/input.hpp"
#include "analysis/metrics.hpp"
#include "plan/calendar.hpp"
#include "study/config.hpp"
#include "util/time.hpp"

namespace respbench {

struct AnalysisOptions {
  Instant now;  // outcomes are as of this instant (open until the window is over)
  std::chrono::seconds answer_window = std::chrono::days{7};
  // P(answered by t) is read off at these (then at the window); `report.thresholds`.
  std::vector<std::chrono::seconds> thresholds = {std::chrono::hours{1}, std::chrono::hours{4},
                                                  std::chrono::hours{24}};
  // Business hours; none: the business-hours figures stay empty.
  std::optional<Calendar> calendar;
  int probes_per_channel = 5;  // the n of "k of n"
  // Curve points closer than this are merged (KaplanMeierOptions::curve_resolution); 0: none.
  std::chrono::seconds curve_resolution = std::chrono::minutes{1};
  // At most this many quoted replies (Ledger::analysis_input takes the same bound).
  std::size_t max_quoted_replies = 200;
  // For StudyFacts only.
  std::string study_name;
  std::string timezone;
  std::string calendar_description;  // "Mon-Fri 09:00-17:00, holidays DE"
};

// The options a study's configuration asks for, as of `now`.
AnalysisOptions analysis_options(const StudyConfig& config, Instant now);

// "Mon-Fri 09:00-17:00, holidays DE, 2 more days off" from the calendar's settings.
std::string describe_calendar(const StudyConfig& config);

// Every figure of metrics.hpp. Never fails: an empty ledger gives empty groups.
StudyFigures analyze_study(const AnalysisInput& input, const AnalysisOptions& options);
// The same, using up `input` (its texts moved, its rows freed early): for a million inquiries
// the peak memory is about 90 MB lower. Do not use `input` afterwards.
StudyFigures analyze_study(AnalysisInput&& input, const AnalysisOptions& options);

}  // namespace respbench
