#pragma once
// The simulator's dice (issue 7): every decision is drawn from a stream keyed by the seed, the
// company, the channel and — for an inquiry — its ordinal for that company (1 for the first
// inquiry the company got on that channel, …). The same seed therefore plays the same campaign,
// whatever order the companies are visited in, and adding a company changes no other company.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "profile.hpp"
#include "study/model.hpp"
#include "util/random.hpp"

namespace company_sim {

enum class CompanyType { diligent, sporadic, silent };
// "diligent", "sporadic", "silent".
const char* to_string(CompanyType type);

enum class AutoReply { none, ack, ticket };

// What a company is like on one channel, drawn once.
struct CompanyTraits {
  CompanyType type = CompanyType::silent;
  double answer_probability = 0;  // per inquiry
  // Email only:
  bool missing_mailbox = false;
  AutoReply auto_reply = AutoReply::none;
  // An out-of-office spell [first, end) in the study's local days; none when the company has none.
  std::optional<date::local_days> ooo_first;
  std::optional<date::local_days> ooo_end;
};

// Draws the traits of `company_id` on `channel`. The out-of-office spell (email) starts on a day
// drawn from [first_day, first_day + days) and lasts 3–7 days.
CompanyTraits draw_company(std::uint64_t seed, std::string_view company_id, respbench::Channel channel,
                           const ChannelProfile& profile, date::local_days first_day, int days);

// What a company does with one inquiry, drawn when it arrives.
struct InquiryFate {
  bool answered = false;        // a human answer comes, within the window or (late) after it
  bool late = false;            // ... after the window
  double delay_business_hours = 0;  // of the answer, from receipt (or from the end of an OOO spell)
  std::int64_t auto_reply_seconds = 0;  // ack / ticket / OOO: 60–180 s after receipt
  std::int64_t late_seconds = 0;    // a late answer: this long after the window's end (5–50 min)
  std::uint64_t text_choice = 0;    // picks the texts (template, greeting, ticket number …)
  bool quote = false;               // the answer quotes the inquiry below "Am … schrieb …:" (~20 %)
  double unit_extra = 0;            // a spare uniform draw in [0, 1) for the caller's choices
};

InquiryFate draw_inquiry(std::uint64_t seed, std::string_view company_id, respbench::Channel channel, int ordinal,
                         const CompanyTraits& traits, const ChannelProfile& profile);

// A standard normal draw (Box–Muller) from the next two uniforms of `r`; both actors use it.
double standard_normal(respbench::Random& r);

// A lognormal delay with this median and sigma from one standard-normal draw (for tests).
double lognormal_hours(double median_hours, double sigma, double standard_normal);

}  // namespace company_sim
