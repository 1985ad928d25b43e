#include "draws.hpp"

#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "util/random.hpp"

namespace company_sim {

using respbench::Random;

// Box–Muller from two uniforms of the stream: the standard distributions are not portable
// (util/random.hpp), the formula is.
double standard_normal(Random& r) {
  const double u1 = 1.0 - r.unit();  // (0, 1]: log stays finite
  const double u2 = r.unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

const char* to_string(CompanyType type) {
  switch (type) {
    case CompanyType::diligent: return "diligent";
    case CompanyType::sporadic: return "sporadic";
    case CompanyType::silent: return "silent";
  }
  return "?";
}

double lognormal_hours(double median_hours, double sigma, double z) { return median_hours * std::exp(sigma * z); }

CompanyTraits draw_company(std::uint64_t seed, std::string_view company_id, respbench::Channel channel,
                           const ChannelProfile& profile, date::local_days first_day, int days) {
  // One stream per company and channel; the draws are taken in a fixed order, all of them
  // always, so that a changed share moves no other decision.
  Random r = Random::derive(seed, "company-sim/company", fmt::format("{}/{}", company_id, respbench::to_string(channel)));
  const double type_roll = r.unit();
  const double missing_roll = r.unit();
  const double auto_roll = r.unit();
  const double ooo_roll = r.unit();
  const auto ooo_start = static_cast<int>(r.below(static_cast<std::uint64_t>(std::max(days, 1))));
  const auto ooo_length = 3 + static_cast<int>(r.below(5));

  CompanyTraits t;
  if (type_roll < profile.diligent_share) {
    t.type = CompanyType::diligent;
    t.answer_probability = profile.diligent_answer;
  } else if (type_roll < profile.diligent_share + profile.sporadic_share) {
    t.type = CompanyType::sporadic;
    t.answer_probability = profile.sporadic_answer;
  }
  if (channel == respbench::Channel::email) {
    t.missing_mailbox = missing_roll < profile.missing_mailbox_share;
    if (auto_roll < profile.ack_share) {
      t.auto_reply = AutoReply::ack;
    } else if (auto_roll < profile.ack_share + profile.ticket_share) {
      t.auto_reply = AutoReply::ticket;
    }
    if (ooo_roll < profile.ooo_share) {
      t.ooo_first = first_day + date::days{ooo_start};
      t.ooo_end = *t.ooo_first + date::days{ooo_length};
    }
  }
  return t;
}

InquiryFate draw_inquiry(std::uint64_t seed, std::string_view company_id, respbench::Channel channel, int ordinal,
                         const CompanyTraits& traits, const ChannelProfile& profile) {
  Random r = Random::derive(seed, "company-sim/inquiry",
                            fmt::format("{}/{}/{}", company_id, respbench::to_string(channel), ordinal));
  InquiryFate f;
  const double answer_roll = r.unit();
  const double late_roll = r.unit();
  const double z = standard_normal(r);
  f.auto_reply_seconds = 60 + static_cast<std::int64_t>(r.below(121));
  f.late_seconds = 300 + static_cast<std::int64_t>(r.below(2701));
  f.text_choice = r.next();
  f.quote = r.unit() < 0.2;
  f.unit_extra = r.unit();
  f.answered = answer_roll < traits.answer_probability;
  f.late = f.answered && late_roll < profile.late_share;
  f.delay_business_hours = lognormal_hours(profile.delay_median_hours, profile.delay_sigma, z);
  return f;
}

}  // namespace company_sim
