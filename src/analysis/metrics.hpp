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
//
// The estimate is Kaplan–Meier's (analysis/kaplan_meier.hpp), its interval the 95 % log-log one
// from Greenwood's variance, as R's survfit(conf.type = "log-log"). Where that interval is
// undefined: before the first answer (F = 0) the high end is Wilson's for 0 answers among those
// still at risk; when the last ones at risk all answer (F = 1) the low end is 1 − S(t−)·(1 − w),
// w Wilson's low end of n/n.
//
// at_thresholds: in calendar hours the configured thresholds, then the answer window; in
// business hours the thresholds, then the end of the curve (its `hours` the largest observed
// business time), since every inquiry's window has a business length of its own.
//
// The median is the first time F reaches 0.5 (R averages with the next answer time when F stays
// exactly at 0.5; this does not); its interval runs from the first time the high end of F
// reaches 0.5 to the first time the low end does; each is absent when not reached.
//
// curve: a point per distinct answer time, except that answers closer together than the
// analysis' curve resolution (default one minute) share one point: the last time, the estimate
// after it, the events summed, the at-risk count before the first.
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
  // open or unanswered: the business time watched without an answer (Kaplan–Meier's censoring
  // time). In calendar hours it is now − sent (open) or the window (unanswered): no field, since
  // a million of them would cost 16 MB.
  std::optional<double> censored_business_hours;
};
// answered_at, first_ack_at and their hours are set only where they count: an answer or an
// acknowledgement received by `now` and within the window (analysis/outcomes.hpp). A
// delivered inquiry has response_business_hours (answered) or censored_business_hours (open,
// unanswered), never both.

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
  // Nothing open and nothing still to be sent on this channel: k (answered) and n (closed) are
  // final. Only settled companies enter GroupFigures::k_of_n.
  bool settled = false;
};
// StudyFigures::companies lists a company on a channel when it offers the channel or has
// inquiries on it. median_response_hours is the plain median of its answer times (a company
// has a handful; the open and unanswered ones are not in it).

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
  // k of n over the settled reachable companies (CompanyFigures::settled): k_of_n[k] companies
  // answered k of their n, n = their closed inquiries (the study's probes per channel unless
  // some bounced). The vector has probes_per_channel + 1 entries (more if a company has more
  // closed inquiries). A company with an inquiry still open or still to be sent waits outside
  // (k_of_n_pending): answers close an inquiry early and silence only at the window's end, so
  // counting it by what has closed so far would overstate k while the study runs.
  std::vector<std::int64_t> k_of_n;
  std::optional<double> mean_answered;  // the mean k over those companies
  Proportion all_answered;              // those companies with k = n (n ≥ 1)
  // Delivered inquiries with an acknowledgement or ticket confirmation received by now and
  // within the window, over all delivered ones (open ones included: acknowledgements come
  // within minutes, if at all).
  Proportion ack_rate;
  std::optional<double> median_ack_hours;  // the plain median over the acknowledged inquiries
  ResponseTimes calendar;  // in calendar hours
  ResponseTimes business;  // in business hours of the study's calendar
  std::int64_t k_of_n_pending = 0;  // reachable companies not settled yet (not in k_of_n)
  std::int64_t k_of_n_short = 0;    // companies in k_of_n with n < probes_per_channel
  // Companies offering the channel, not reachable yet, with inquiries open or still to be
  // sent: reachability can still rise by these.
  std::int64_t reach_pending = 0;
};
// companies: every company of the sector (of the study, for the overall groups), whether it
// offers the channel or not; reachability = reachable / companies. inquiries = delivered +
// undeliverable + not_sent; delivered = answered + unanswered + open.

// One company's channels side by side (email versus Facebook).
struct ChannelComparison {
  std::string company_id;
  std::string name;
  std::string sector;
  std::vector<CompanyFigures> channels;  // in the order of k_all_channels
};
// StudyFigures::comparison lists the companies that offer both channels.

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
