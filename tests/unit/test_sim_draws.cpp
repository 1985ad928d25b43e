// company-sim's dice: the same seed plays the same fates, and over many companies the shares
// come out as the profile says.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "draws.hpp"
#include "profile.hpp"

using namespace company_sim;
using respbench::Channel;

namespace {

const date::local_days k_first = date::local_days{date::year{2026} / 3 / 2};

std::string fates(std::uint64_t seed, const ChannelProfile& profile) {
  std::string out;
  for (int c = 0; c < 20; ++c) {
    const auto id = fmt::format("company-{}", c);
    const auto traits = draw_company(seed, id, Channel::email, profile, k_first, 21);
    out += fmt::format("{}:{}:{}:{} ", to_string(traits.type), traits.missing_mailbox, static_cast<int>(traits.auto_reply),
                       traits.ooo_first ? (traits.ooo_first->time_since_epoch().count()) : -1);
    for (int ordinal = 1; ordinal <= 5; ++ordinal) {
      const auto f = draw_inquiry(seed, id, Channel::email, ordinal, traits, profile);
      out += fmt::format("{}{}{:.3f}/", f.answered, f.late, f.delay_business_hours);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the same seed gives the same fates; another seed others") {
  const auto profile = Profiles::defaults().get("retail", Channel::email);
  CHECK(fates(42, profile) == fates(42, profile));
  CHECK(fates(42, profile) != fates(43, profile));
  // A fate depends on the company, the channel and the ordinal only: drawing company 7's third
  // inquiry alone gives what it gave in the sequence.
  const auto traits = draw_company(42, "company-7", Channel::email, profile, k_first, 21);
  const auto alone = draw_inquiry(42, "company-7", Channel::email, 3, traits, profile);
  (void)draw_inquiry(42, "company-7", Channel::email, 1, traits, profile);
  CHECK(draw_inquiry(42, "company-7", Channel::email, 3, traits, profile).delay_business_hours ==
        alone.delay_business_hours);
  CHECK(draw_inquiry(42, "company-7", Channel::facebook, 3, traits, profile).delay_business_hours !=
        alone.delay_business_hours);
}

TEST_CASE("over many companies the drawn shares are close to the profile's") {
  ChannelProfile p = Profiles::defaults().get("telecoms", Channel::email);
  p.ack_share = 0.25, p.ticket_share = 0.15, p.ooo_share = 0.10, p.missing_mailbox_share = 0.04, p.late_share = 0.05;
  const int n = 20000;
  int diligent = 0, sporadic = 0, missing = 0, ack = 0, ticket = 0, ooo = 0, answered = 0, late = 0, inquiries = 0;
  int quoted = 0;
  std::vector<double> delays;
  for (int c = 0; c < n; ++c) {
    const auto id = fmt::format("c{}", c);
    const auto t = draw_company(7, id, Channel::email, p, k_first, 21);
    diligent += t.type == CompanyType::diligent;
    sporadic += t.type == CompanyType::sporadic;
    missing += t.missing_mailbox;
    ack += t.auto_reply == AutoReply::ack;
    ticket += t.auto_reply == AutoReply::ticket;
    ooo += t.ooo_first.has_value();
    if (t.ooo_first) {
      CHECK(*t.ooo_first >= k_first);
      CHECK(*t.ooo_first < k_first + date::days{21});
      const auto length = (*t.ooo_end - *t.ooo_first).count();
      CHECK((length >= 3 && length <= 7));
    }
    for (int k = 1; k <= 5; ++k) {
      const auto f = draw_inquiry(7, id, Channel::email, k, t, p);
      ++inquiries;
      answered += f.answered && !f.late;
      late += f.late;
      quoted += f.quote;
      if (f.answered) delays.push_back(f.delay_business_hours);
      CHECK((f.auto_reply_seconds >= 60 && f.auto_reply_seconds <= 180));
    }
  }
  auto share = [&](int k, int of) { return static_cast<double>(k) / of; };
  CHECK(share(diligent, n) == doctest::Approx(p.diligent_share).epsilon(0.05));
  CHECK(share(sporadic, n) == doctest::Approx(p.sporadic_share).epsilon(0.05));
  CHECK(share(missing, n) == doctest::Approx(0.04).epsilon(0.12));
  CHECK(share(ack, n) == doctest::Approx(0.25).epsilon(0.05));
  CHECK(share(ticket, n) == doctest::Approx(0.15).epsilon(0.06));
  CHECK(share(ooo, n) == doctest::Approx(0.10).epsilon(0.08));
  CHECK(share(quoted, inquiries) == doctest::Approx(0.2).epsilon(0.05));
  // The per-inquiry answer rate within the window is what the truth's -profiles.csv states.
  CHECK(share(answered, inquiries) == doctest::Approx(p.true_answer_rate()).epsilon(0.02));
  CHECK(share(late, answered + late) == doctest::Approx(0.05).epsilon(0.15));
  // Lognormal delays: half below the median.
  int below = 0;
  for (double d : delays) below += d < p.delay_median_hours;
  CHECK(share(below, static_cast<int>(delays.size())) == doctest::Approx(0.5).epsilon(0.03));
}
