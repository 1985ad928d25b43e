#pragma once
// The figures of a study as every report shows them (DESIGN §7): outcomes per inquiry, figures
// per company and channel, per sector × channel and overall, with their intervals. Computed by
// analyze_study() (analysis/analyze.hpp) from the ledger; written by src/report. Plain values:
// no I/O, no formatting, so that the writers and the tests need nothing else.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "study/model.hpp"
#include "util/time.hpp"

namespace respbench {

// A proportion with its 95 % Wilson score interval. With no trials the estimate is absent and
// the interval is [0, 1].
struct Proportion {
  std::int64_t successes = 0;
  std::int64_t trials = 0;
  std::optional<double> estimate;  // successes / trials
  double low = 0.0;
  double high = 1.0;
};

// One step of a Kaplan–Meier curve of P(answered by t): after `hours`, the estimate and its
// 95 % log-log (Greenwood) interval, and how many inquiries were still at risk just before.
struct CurvePoint {
  double hours = 0.0;
  double estimate = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::int64_t at_risk = 0;
  std::int64_t events = 0;
};

// P(answered by `hours`) read off the curve, with its interval.
struct ThresholdEstimate {
  double hours = 0.0;
  double estimate = 0.0;
  double low = 0.0;
  double high = 0.0;
};

// The response times of a group of delivered inquiries, in one time scale (calendar or business
// hours). Open inquiries are censored at the time they have been open; unanswered ones at the
// end of the answer window.
struct ResponseTimes {
  std::int64_t inquiries = 0;  // delivered inquiries in the group
  std::int64_t answered = 0;   // events
  std::int64_t censored = 0;
  std::vector<CurvePoint> curve;                 // one point per distinct answer time
  std::vector<ThresholdEstimate> at_thresholds;  // the configured thresholds, then the window
  std::optional<double> median_hours;            // where the curve reaches 0.5
  std::optional<double> median_low;              // its interval, where the bounds reach 0.5
  std::optional<double> median_high;
};

// What happened to one inquiry (DESIGN §7).
enum class Outcome {
  answered,       // a person's answer within the window
  unanswered,     // the window is over
  open,           // the window is running: censored, never counted as unanswered
  undeliverable,  // a bounce or a rejection
  not_sent,       // planned, due, in the to-do list or needing attention: not delivered yet
};

std::string_view to_string(Outcome o);

// One inquiry. Compact, since a study may hold a million: company, probe and persona are
// indices into StudyFigures' tables.
struct InquiryFigures {
  std::int64_t id = 0;
  std::uint32_t company = 0;  // index into StudyFigures::company_list
  std::uint32_t probe = 0;    // index into StudyFigures::probe_ids
  std::uint32_t persona = 0;  // index into StudyFigures::personas
  Channel channel = Channel::email;
  Outcome outcome = Outcome::not_sent;
  Instant planned_at;
  std::optional<Instant> sent_at;
  std::optional<Instant> answered_at;   // the first person's answer (within the window)
  std::optional<Instant> first_ack_at;  // the first acknowledgement or ticket confirmation
  std::optional<double> response_hours;           // answered: calendar hours from send to answer
  std::optional<double> response_business_hours;  // the same in the study's business hours
  std::optional<double> ack_hours;                // to the first acknowledgement
  // Open or unanswered: how long it was observed without an answer — its censoring time in the
  // Kaplan–Meier estimate (up to now for an open one, the whole window for an unanswered one),
  // so that inquiries.csv suffices to recompute the curves.
  std::optional<double> censored_hours;
  std::optional<double> censored_business_hours;
};

// A company as the report names it.
struct CompanyRef {
  std::string id;
  std::string name;
  std::string sector;
};

// A reply the HTML report quotes (the first answer of each company and channel, bounded): texts
// as the company wrote them — escape before showing. replies.csv lists every reply by reading
// the ledger as it writes, not from here.
struct ReplyFigures {
  std::int64_t id = 0;
  std::optional<std::int64_t> inquiry_id;
  std::uint32_t company = 0;  // index into StudyFigures::company_list (when matched)
  Channel channel = Channel::email;
  Instant received_at;
  ReplyKind kind = ReplyKind::other;
  std::string from;     // address, or a page's name
  std::string subject;
  std::string excerpt;
};

// One company on one channel.
struct CompanyFigures {
  std::string company_id;
  std::string name;
  std::string sector;
  Channel channel = Channel::email;
  bool offers = false;     // the company lists the channel
  bool reachable = false;  // offers it and at least one inquiry was delivered
  std::int64_t planned = 0;
  std::int64_t delivered = 0;
  std::int64_t closed = 0;    // delivered and no longer open (answered or unanswered)
  std::int64_t answered = 0;  // k of n: answered among the delivered closed ones (n = closed)
  std::int64_t open = 0;
  std::int64_t undeliverable = 0;
  std::int64_t acknowledged = 0;  // inquiries with an acknowledgement or ticket confirmation
  std::optional<double> median_response_hours;  // over its answered inquiries
  std::optional<double> first_ack_hours;        // its fastest acknowledgement
};

// A sector on a channel, or a channel over all sectors (sector "").
struct GroupFigures {
  std::string sector;  // "" for all sectors
  Channel channel = Channel::email;
  std::int64_t companies = 0;
  std::int64_t offering = 0;
  Proportion reachability;  // reachable / companies
  std::int64_t inquiries = 0;
  std::int64_t delivered = 0;
  std::int64_t answered = 0;
  std::int64_t unanswered = 0;
  std::int64_t open = 0;
  std::int64_t undeliverable = 0;
  std::int64_t not_sent = 0;
  Proportion answer_rate;  // answered / delivered closed
  // k of n over the reachable companies: k_of_n[k] companies answered k of their n (n is the
  // study's probes per channel; a company with fewer closed inquiries counts by what it has).
  std::vector<std::int64_t> k_of_n;
  std::optional<double> mean_answered;  // the mean k
  Proportion all_answered;              // companies that answered all of their n (n ≥ 1)
  Proportion ack_rate;                  // delivered inquiries with an acknowledgement
  std::optional<double> median_ack_hours;
  ResponseTimes calendar;  // in calendar hours
  ResponseTimes business;  // in business hours of the study's calendar
};

// One company's channels side by side (email versus Facebook).
struct ChannelComparison {
  std::string company_id;
  std::string name;
  std::string sector;
  std::vector<CompanyFigures> channels;  // in the order of k_all_channels
};

struct StudyFacts {
  std::string name;
  std::string timezone;
  std::string calendar;  // "Mon-Fri 09:00-17:00, holidays DE"
  double answer_window_hours = 0.0;
  int probes_per_channel = 5;
  std::vector<double> thresholds_hours;  // e.g. 1, 4, 24
  Instant generated_at;
  std::optional<Instant> first_send;
  std::optional<Instant> last_send;
};

struct StudyFigures {
  StudyFacts facts;
  std::vector<GroupFigures> groups;   // sector × channel, by sector then channel
  std::vector<GroupFigures> overall;  // one per channel, sector ""
  std::vector<CompanyFigures> companies;  // company × channel, by company then channel
  std::vector<ChannelComparison> comparison;
  std::vector<CompanyRef> company_list;   // by id
  std::vector<std::string> probe_ids;
  std::vector<std::string> personas;
  std::vector<InquiryFigures> inquiries;  // by id
  std::vector<ReplyFigures> quoted_replies;
};

}  // namespace respbench
