#pragma once
// The planner: which question goes to which company on which channel, from which persona, and
// when. Randomised but reproducible from the study's seed; balanced so that sector comparisons
// are not confounded by the weekday or time of day a question was sent.

#include <vector>

#include "ledger/ledger.hpp"
#include "study/study.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench {

// Plans what `existing` (the ledger's inquiries) does not have yet: for every company and
// channel it offers, study.probes_per_channel probes. Nothing is planned before `now` or the
// study's start. Rules:
//  - at most one inquiry per company and local day, only on business days, inside the send
//    window, at least schedule.min_spacing apart over all channels (existing ones included);
//  - a company's inquiries spread over schedule.business_days business days from its first
//    possible day;
//  - the companies of a sector get the same probes for a channel; within each sector the days
//    rotate over the weekdays and the times over one-hour bands of the send window in permuted
//    blocks, so every sector sees the same mix;
//  - personas rotate over a company's inquiries.
// Fails, naming the company, when its inquiries cannot fit the schedule.
Result<std::vector<NewInquiry>> plan_inquiries(const Study& study, const std::vector<InquiryRecord>& existing,
                                               Instant now);

}  // namespace respbench
