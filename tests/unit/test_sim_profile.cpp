// company-sim's profiles: the defaults have the shape of the classic German study, and a
// profile file overrides single keys with file:line:column errors.
#include <doctest/doctest.h>

#include "profile.hpp"

using company_sim::Profiles;
using respbench::Channel;
using respbench::Diagnostics;

namespace {

std::string errors_of(const std::string& text) {
  Diagnostics diags;
  (void)Profiles::parse(text, "sim.profiles", diags);
  std::string out;
  for (const auto& d : diags.sorted()) out += respbench::format_diagnostic(d) + "\n";
  return out;
}

}  // namespace

TEST_CASE("default profiles: email close to 4 of 5, Facebook below 3 of 5, finance slower on Facebook") {
  const auto p = Profiles::defaults();
  for (const char* sector : {"banks", "insurers", "telecoms", "energy", "retail", "travel", "unknown"}) {
    CAPTURE(sector);
    const auto& email = p.get(sector, Channel::email);
    const auto& fb = p.get(sector, Channel::facebook);
    // Expected answers of 5 among companies that can be reached.
    CHECK(5 * email.true_answer_rate() > 3.5);
    CHECK(5 * fb.true_answer_rate() < 3.0);
    CHECK(email.missing_mailbox_share > 0);
    CHECK(fb.ack_share == 0);
  }
  CHECK(p.get("banks", Channel::facebook).true_answer_rate() < p.get("retail", Channel::facebook).true_answer_rate());
  CHECK(p.get("banks", Channel::facebook).delay_median_hours > p.get("retail", Channel::facebook).delay_median_hours);
}

TEST_CASE("a profile file overrides keys of one sector, or of every sector with *") {
  Diagnostics diags;
  const auto p = Profiles::parse("# test\n[*.email]\nmissing_mailbox_share = 0.5\n\n[banks.facebook]\n"
                                 "diligent_share = 0.1\ndelay_median = 90m\n[newsector.email]\nack_share=1\nticket_share = 0\n",
                                 "sim.profiles", diags);
  CHECK(diags.empty());
  CHECK(p.get("banks", Channel::email).missing_mailbox_share == 0.5);  // a default sector entry
  CHECK(p.get("whatever", Channel::email).missing_mailbox_share == 0.5);
  CHECK(p.get("banks", Channel::facebook).diligent_share == doctest::Approx(0.1));
  CHECK(p.get("banks", Channel::facebook).delay_median_hours == doctest::Approx(1.5));
  CHECK(p.get("retail", Channel::facebook).diligent_share == Profiles::defaults().get("retail", Channel::facebook).diligent_share);
  CHECK(p.get("newsector", Channel::email).ack_share == 1.0);
  CHECK(p.get("newsector", Channel::email).missing_mailbox_share == 0.5);
}

TEST_CASE("profile file errors name file, line and column and what was expected") {
  CHECK(errors_of("diligent_share = 0.3\n") ==
        "sim.profiles:1:1: \"diligent_share\" outside a section; expected [sector.channel] first\n");
  CHECK(errors_of("[banks]\n") == "sim.profiles:1:1: expected a section [sector.channel], e.g. [banks.email]\n");
  CHECK(errors_of("\n[banks.fax]\n") == "sim.profiles:2:8: unknown channel \"fax\"; expected email or facebook\n");
  CHECK(errors_of("[banks.email]\n  diligent_share = 1.5\n") ==
        "sim.profiles:2:20: expected a number from 0 to 1, got \"1.5\"\n");
  CHECK(errors_of("[banks.email]\ndelay_median = soon\n") ==
        "sim.profiles:2:16: expected a duration such as 90m or 6h, got \"soon\"\n");
  CHECK(errors_of("[banks.facebook]\nack_share = 0.2\n") == "sim.profiles:2:1: \"ack_share\" is for email only\n");
  CHECK(errors_of("[banks.email]\nanswer_rate = 0.2\n").starts_with(
      "sim.profiles:2:1: unknown key \"answer_rate\"; expected one of diligent_share, "));
  CHECK(errors_of("[banks.email]\nno equals sign\n") ==
        "sim.profiles:2:1: expected key = value or a section [sector.channel]\n");
  CHECK(errors_of("[retail.email]\ndiligent_share = 0.6\nsporadic_share = 0.6\n") ==
        "sim.profiles:1:1: [retail.email]: diligent_share + sporadic_share is 1.200; expected at most 1\n");
  CHECK(errors_of("[retail.email]\ndiligent_share = 0.4\n").empty());
}
