// analyze_study() on a small study whose figures are worked out by hand (below), and
// report.thresholds in respbench.conf.
//
// Window 7 days, n = 3 probes per channel, now = 2026-03-20 12:00Z, calendar Mon-Fri 09-17
// Europe/Berlin (CET, UTC+1, in March before the 29th).
//
//   a1 Alpha Bank (bank; email + facebook)
//     email    #1 sent Mon 03-02 09:00Z, answered +2 h (ack +1 min)  → answered  2 h (2 business h)
//              #2 sent Mon 03-02 09:00Z, answered +30 h              → answered 30 h (7 + 7 = 14 bh)
//              #3 sent Mon 03-02 09:00Z, nothing                     → unanswered, censored 168 h
//     facebook #4 #5 #6 sent Tue 03-03 10:00Z, answered +1 h, +3 h, +5 h
//   a2 Beta Bank (bank; email)
//     email    #7 sent Mon 03-02 10:00Z, nothing                     → unanswered
//              #8 bounced                                            → undeliverable
//              #9 sent Mon 03-02 11:00Z (12:00 CET), answered +10 h  → answered 10 h (5 bh)
//   a3 Gamma Bank (bank; email) #10 #11 #12 all bounced: offers email, not reachable
//   t1 Tel One (telco; email)
//     email    #13 sent Wed 03-18 12:00Z, nothing                    → open, censored 48 h
//              #14 sent Tue 03-10 09:00Z, ledger still says `sent`   → unanswered (window over)
//              #15 planned                                           → not sent
//   t2 Tel Two (telco; neither channel)
//
// bank × email: companies 3, offering 3, reachable 2 (a3 bounced only) → 2/3; delivered 5,
//   answered 3, unanswered 2 → answer rate 3/5; k of n: a1 2 of 3, a2 1 of 2 (n short) →
//   k_of_n = [0, 1, 1, 0], mean 1.5, all answered 0/2; ack 1/5, median ack 1 min.
// bank × facebook: offering 1, reachable 1/3, answered 3/3, k_of_n = [0, 0, 0, 1], all 1/1.
// telco × email: companies 2, reachable 1/2; delivered 2 (open 1, unanswered 1), not sent 1;
//   answer rate 0/1; t1 is pending (open and planned inquiries): k_of_n all 0.
// overall email: reachable 3/5; delivered 7; answered 3 of 6 closed; KM over 7:
//   events 2, 10, 30 h; censored 48, 168, 168, 168 h → F(1 h) = 0, F(4 h) = 1/7, F(24 h) = 2/7,
//   F(168 h) = 3/7 (intervals by formula in Python 3, as in test_analysis_km.cpp); no median.

#include <doctest/doctest.h>

#include <chrono>

#include "analysis/analyze.hpp"
#include "analysis/input.hpp"
#include "study/config.hpp"
#include "util/diagnostics.hpp"

using namespace std::chrono_literals;
using respbench::AnalysisCompany;
using respbench::AnalysisInput;
using respbench::AnalysisOptions;
using respbench::analyze_study;
using respbench::Channel;
using respbench::GroupFigures;
using respbench::InquiryRow;
using respbench::InquiryState;
using respbench::Instant;
using respbench::k_no_time;
using respbench::Outcome;
using respbench::StudyFigures;

namespace {

std::int64_t unix_at(const char* text) {
  return respbench::parse_instant(text, nullptr).value().time_since_epoch().count();
}

constexpr std::int64_t k_hour = 3600;

struct Study {
  AnalysisInput input;
  AnalysisOptions options;
};

Study small_study() {
  Study s;
  auto& in = s.input;
  in.companies = {
      AnalysisCompany{"a1", "Alpha Bank", "bank", true, true},
      AnalysisCompany{"a2", "Beta Bank", "bank", true, false},
      AnalysisCompany{"a3", "Gamma Bank", "bank", true, false},
      AnalysisCompany{"t1", "Tel One", "telco", true, false},
      AnalysisCompany{"t2", "Tel Two", "telco", false, false},
  };
  in.probe_ids = {"p1", "p2", "p3"};
  in.personas = {"Anna Berger <anna@example.test>"};
  const auto row = [&](std::int64_t id, std::uint32_t company, std::uint32_t probe, Channel channel,
                       InquiryState state, std::int64_t sent, std::int64_t answered = k_no_time,
                       std::int64_t ack = k_no_time) {
    InquiryRow r;
    r.id = id;
    r.company = company;
    r.probe = probe;
    r.channel = channel;
    r.state = state;
    r.planned_at = sent == k_no_time ? unix_at("2026-03-21T09:00:00Z") : sent - 60;
    r.sent_at = sent;
    r.answered_at = answered;
    r.first_ack_at = ack;
    in.inquiries.push_back(r);
  };
  const auto mon9 = unix_at("2026-03-02T09:00:00Z");
  const auto tue10 = unix_at("2026-03-03T10:00:00Z");
  const auto e = Channel::email;
  const auto f = Channel::facebook;
  using S = InquiryState;
  row(1, 0, 0, e, S::answered, mon9, mon9 + 2 * k_hour, mon9 + 60);
  row(2, 0, 1, e, S::answered, mon9, mon9 + 30 * k_hour);
  row(3, 0, 2, e, S::unanswered, mon9);
  row(4, 0, 0, f, S::answered, tue10, tue10 + 1 * k_hour);
  row(5, 0, 1, f, S::answered, tue10, tue10 + 3 * k_hour);
  row(6, 0, 2, f, S::answered, tue10, tue10 + 5 * k_hour);
  row(7, 1, 0, e, S::unanswered, unix_at("2026-03-02T10:00:00Z"));
  row(8, 1, 1, e, S::undeliverable, unix_at("2026-03-02T10:30:00Z"));
  row(9, 1, 2, e, S::answered, unix_at("2026-03-02T11:00:00Z"), unix_at("2026-03-02T21:00:00Z"));
  for (std::int64_t id : {10, 11, 12}) {
    row(id, 2, static_cast<std::uint32_t>(id - 10), e, S::undeliverable, unix_at("2026-03-03T09:00:00Z"));
  }
  row(13, 3, 0, e, S::sent, unix_at("2026-03-18T12:00:00Z"));
  row(14, 3, 1, e, S::sent, unix_at("2026-03-10T09:00:00Z"));
  row(15, 3, 2, e, S::planned, k_no_time);

  respbench::ReplyFigures quoted;
  quoted.id = 100;
  quoted.inquiry_id = 1;
  quoted.company = 0;
  quoted.received_at = Instant{std::chrono::seconds{mon9 + 2 * k_hour}};
  quoted.excerpt = "<script>alert(1)</script>";
  in.quoted_replies.push_back(quoted);
  auto late = quoted;
  late.received_at = Instant{std::chrono::seconds{unix_at("2026-03-25T00:00:00Z")}};
  in.quoted_replies.push_back(late);

  auto& o = s.options;
  o.now = Instant{std::chrono::seconds{unix_at("2026-03-20T12:00:00Z")}};
  o.answer_window = std::chrono::days{7};
  o.probes_per_channel = 3;
  o.calendar.emplace(date::locate_zone("Europe/Berlin"),
                     respbench::parse_weekly_hours("Mon-Fri 09:00-17:00").value(),
                     respbench::HolidayRules::germany, std::set<date::local_days>{});
  o.curve_resolution = 0s;
  return s;
}

const GroupFigures& group(const StudyFigures& f, std::string_view sector, Channel c) {
  for (const auto& g : f.groups) {
    if (g.sector == sector && g.channel == c) return g;
  }
  FAIL("no group ", sector, " ", respbench::to_string(c));
  return f.groups.front();
}

const respbench::InquiryFigures& inquiry(const StudyFigures& f, std::int64_t id) {
  for (const auto& i : f.inquiries) {
    if (i.id == id) return i;
  }
  FAIL("no inquiry ", id);
  return f.inquiries.front();
}

}  // namespace

TEST_SUITE("analysis metrics") {
  TEST_CASE("outcomes per inquiry: open ones are censored, never unanswered") {
    const auto s = small_study();
    const StudyFigures f = analyze_study(s.input, s.options);
    REQUIRE(f.inquiries.size() == 15);
    CHECK(inquiry(f, 1).outcome == Outcome::answered);
    CHECK(*inquiry(f, 1).response_hours == 2.0);
    CHECK(*inquiry(f, 1).response_business_hours == 2.0);
    CHECK(*inquiry(f, 1).ack_hours == doctest::Approx(1.0 / 60));
    CHECK(*inquiry(f, 2).response_business_hours == 14.0);
    CHECK(*inquiry(f, 9).response_business_hours == 5.0);
    CHECK(inquiry(f, 3).outcome == Outcome::unanswered);
    CHECK(*inquiry(f, 3).censored_business_hours == 40.0);  // Mon 10:00 CET to Mon 10:00 CET
    CHECK_FALSE(inquiry(f, 3).response_hours);
    CHECK(inquiry(f, 8).outcome == Outcome::undeliverable);
    CHECK(inquiry(f, 13).outcome == Outcome::open);
    CHECK_FALSE(inquiry(f, 13).response_business_hours);
    // Wed 13:00-17:00 CET, Thu 8 h, Fri 09:00-13:00 CET: 16 business hours.
    CHECK(*inquiry(f, 13).censored_business_hours == 16.0);
    CHECK(inquiry(f, 14).outcome == Outcome::unanswered);
    CHECK(inquiry(f, 15).outcome == Outcome::not_sent);
    CHECK_FALSE(inquiry(f, 15).sent_at);
  }

  TEST_CASE("per company and channel: reachable, k of n, settled, medians") {
    const auto s = small_study();
    const StudyFigures f = analyze_study(s.input, s.options);
    // a2 and a3 have no Facebook row (neither listed nor asked), t2 none at all.
    REQUIRE(f.companies.size() == 5);
    const auto& a1e = f.companies[0];
    CHECK(a1e.company_id == "a1");
    CHECK(a1e.channel == Channel::email);
    CHECK(a1e.reachable);
    CHECK(a1e.settled);
    CHECK(a1e.planned == 3);
    CHECK(a1e.closed == 3);
    CHECK(a1e.answered == 2);
    CHECK(a1e.acknowledged == 1);
    CHECK(*a1e.median_response_hours == 16.0);  // (2 + 30) / 2
    CHECK(*a1e.first_ack_hours == doctest::Approx(1.0 / 60));
    const auto& a1f = f.companies[1];
    CHECK(a1f.channel == Channel::facebook);
    CHECK(a1f.answered == 3);
    CHECK(*a1f.median_response_hours == 3.0);
    const auto& a3 = f.companies[3];
    CHECK(a3.company_id == "a3");
    CHECK(a3.offers);
    CHECK_FALSE(a3.reachable);
    CHECK(a3.undeliverable == 3);
    const auto& t1 = f.companies[4];
    CHECK(t1.reachable);
    CHECK_FALSE(t1.settled);
    CHECK(t1.open == 1);
    CHECK(t1.closed == 1);
  }

  TEST_CASE("per sector and channel: reachability, answer rate, k of n, acknowledgements") {
    const auto s = small_study();
    const StudyFigures f = analyze_study(s.input, s.options);
    REQUIRE(f.groups.size() == 4);  // bank, telco × email, facebook
    const auto& be = group(f, "bank", Channel::email);
    CHECK(be.companies == 3);
    CHECK(be.offering == 3);
    CHECK(be.reachability.successes == 2);
    CHECK(be.reachability.trials == 3);
    CHECK(be.reachability.low == doctest::Approx(0.207660).epsilon(1e-5));  // Wilson 2/3
    CHECK(be.inquiries == 9);
    CHECK(be.delivered == 5);
    CHECK(be.answered == 3);
    CHECK(be.unanswered == 2);
    CHECK(be.undeliverable == 4);
    CHECK(be.answer_rate.successes == 3);
    CHECK(be.answer_rate.trials == 5);
    CHECK(be.answer_rate.high == doctest::Approx(0.882379).epsilon(1e-5));
    CHECK(be.k_of_n == std::vector<std::int64_t>{0, 1, 1, 0});
    CHECK(*be.mean_answered == 1.5);
    CHECK(be.all_answered.successes == 0);
    CHECK(be.all_answered.trials == 2);
    CHECK(be.k_of_n_short == 1);
    CHECK(be.k_of_n_pending == 0);
    CHECK(be.reach_pending == 0);
    CHECK(be.ack_rate.successes == 1);
    CHECK(be.ack_rate.trials == 5);
    CHECK(*be.median_ack_hours == doctest::Approx(1.0 / 60));

    const auto& bf = group(f, "bank", Channel::facebook);
    CHECK(bf.companies == 3);
    CHECK(bf.offering == 1);
    CHECK(bf.reachability.successes == 1);
    CHECK(bf.k_of_n == std::vector<std::int64_t>{0, 0, 0, 1});
    CHECK(bf.all_answered.successes == 1);
    CHECK(bf.all_answered.trials == 1);
    CHECK(*bf.answer_rate.estimate == 1.0);

    const auto& te = group(f, "telco", Channel::email);
    CHECK(te.companies == 2);
    CHECK(te.reachability.successes == 1);
    CHECK(te.open == 1);
    CHECK(te.unanswered == 1);
    CHECK(te.not_sent == 1);
    CHECK(te.answer_rate.trials == 1);  // the open one is not in it
    CHECK(te.k_of_n == std::vector<std::int64_t>{0, 0, 0, 0});
    CHECK(te.k_of_n_pending == 1);
    CHECK_FALSE(te.mean_answered);
    CHECK_FALSE(te.all_answered.estimate);

    const auto& tf = group(f, "telco", Channel::facebook);
    CHECK(tf.offering == 0);
    CHECK(tf.reachability.successes == 0);
    CHECK(tf.reachability.trials == 2);
  }

  TEST_CASE("overall email: the Kaplan–Meier figures in calendar and business hours") {
    const auto s = small_study();
    const StudyFigures f = analyze_study(s.input, s.options);
    REQUIRE(f.overall.size() == 2);
    const auto& e = f.overall[0];
    CHECK(e.sector.empty());
    CHECK(e.companies == 5);
    CHECK(e.reachability.successes == 3);
    CHECK(e.answer_rate.successes == 3);
    CHECK(e.answer_rate.trials == 6);
    CHECK(e.k_of_n == std::vector<std::int64_t>{0, 1, 1, 0});
    CHECK(e.k_of_n_pending == 1);

    const auto& km = e.calendar;
    CHECK(km.inquiries == 7);
    CHECK(km.answered == 3);
    CHECK(km.censored == 4);
    REQUIRE(km.curve.size() == 3);
    CHECK(km.curve[0].hours == 2.0);
    CHECK(km.curve[1].hours == 10.0);
    CHECK(km.curve[2].hours == 30.0);
    REQUIRE(km.at_thresholds.size() == 4);  // 1 h, 4 h, 24 h, the window
    CHECK(km.at_thresholds[0].estimate == 0.0);
    CHECK(km.at_thresholds[1].estimate == doctest::Approx(1.0 / 7));
    CHECK(km.at_thresholds[1].low == doctest::Approx(0.021438941).epsilon(1e-6));
    CHECK(km.at_thresholds[1].high == doctest::Approx(0.665946121).epsilon(1e-6));
    CHECK(km.at_thresholds[2].estimate == doctest::Approx(2.0 / 7));
    CHECK(km.at_thresholds[2].low == doctest::Approx(0.080202544).epsilon(1e-6));
    CHECK(km.at_thresholds[3].hours == 168.0);
    CHECK(km.at_thresholds[3].estimate == doctest::Approx(3.0 / 7));
    CHECK(km.at_thresholds[3].high == doctest::Approx(0.828133984).epsilon(1e-6));
    CHECK_FALSE(km.median_hours);

    // Business hours: events at 2, 5, 14; the window's business length differs per inquiry.
    const auto& b = e.business;
    CHECK(b.inquiries == 7);
    REQUIRE(b.curve.size() == 3);
    CHECK(b.curve[0].hours == 2.0);
    CHECK(b.curve[1].hours == 5.0);
    CHECK(b.curve[2].hours == 14.0);
    REQUIRE(b.at_thresholds.size() == 4);
    CHECK(b.at_thresholds[1].estimate == doctest::Approx(1.0 / 7));  // by 4 business hours
    CHECK(b.at_thresholds[3].estimate == doctest::Approx(3.0 / 7));  // the end of the curve
    CHECK(b.at_thresholds[3].hours > 14.0);

    const auto& fb = f.overall[1];
    REQUIRE(fb.calendar.median_hours);
    CHECK(*fb.calendar.median_hours == 3.0);  // F reaches 2/3 at 3 h
  }

  TEST_CASE("email versus Facebook: the companies offering both, and the facts") {
    const auto s = small_study();
    const StudyFigures f = analyze_study(s.input, s.options);
    REQUIRE(f.comparison.size() == 1);
    CHECK(f.comparison[0].company_id == "a1");
    REQUIRE(f.comparison[0].channels.size() == 2);
    CHECK(f.comparison[0].channels[0].channel == Channel::email);
    CHECK(f.comparison[0].channels[1].answered == 3);
    CHECK(f.company_list.size() == 5);
    CHECK(f.facts.answer_window_hours == 168.0);
    CHECK(f.facts.probes_per_channel == 3);
    CHECK(f.facts.thresholds_hours == std::vector<double>{1, 4, 24});
    CHECK(*f.facts.first_send == Instant{std::chrono::seconds{unix_at("2026-03-02T09:00:00Z")}});
    CHECK(*f.facts.last_send == Instant{std::chrono::seconds{unix_at("2026-03-18T12:00:00Z")}});
    // The reply received after `now` is not quoted.
    REQUIRE(f.quoted_replies.size() == 1);
    CHECK(f.quoted_replies[0].excerpt == "<script>alert(1)</script>");
  }

  TEST_CASE("analyzing a given-up input gives the same figures as analyzing a kept one") {
    auto s = small_study();
    const StudyFigures kept = analyze_study(s.input, s.options);
    const StudyFigures used_up = analyze_study(std::move(s.input), s.options);
    REQUIRE(used_up.company_list.size() == kept.company_list.size());
    for (std::size_t i = 0; i < kept.company_list.size(); ++i) {
      CHECK(used_up.company_list[i].name == kept.company_list[i].name);
      CHECK(used_up.company_list[i].sector == kept.company_list[i].sector);
    }
    REQUIRE(used_up.companies.size() == kept.companies.size());
    for (std::size_t i = 0; i < kept.companies.size(); ++i) {
      CHECK(used_up.companies[i].company_id == kept.companies[i].company_id);
      CHECK(used_up.companies[i].answered == kept.companies[i].answered);
    }
    REQUIRE(used_up.groups.size() == kept.groups.size());
    for (std::size_t g = 0; g < kept.groups.size(); ++g) {
      CHECK(used_up.groups[g].sector == kept.groups[g].sector);
      CHECK(used_up.groups[g].k_of_n == kept.groups[g].k_of_n);
      CHECK(used_up.groups[g].calendar.curve.size() == kept.groups[g].calendar.curve.size());
    }
    CHECK(used_up.inquiries.size() == kept.inquiries.size());
    CHECK(used_up.comparison[0].name == "Alpha Bank");
    REQUIRE(used_up.quoted_replies.size() == 1);
    CHECK(used_up.quoted_replies[0].excerpt == kept.quoted_replies[0].excerpt);
  }

  TEST_CASE("an empty study gives empty groups and no failure") {
    AnalysisInput input;
    AnalysisOptions options;
    const StudyFigures f = analyze_study(input, options);
    CHECK(f.groups.empty());
    REQUIRE(f.overall.size() == 2);
    CHECK(f.overall[0].companies == 0);
    CHECK_FALSE(f.overall[0].answer_rate.estimate);
    CHECK(f.overall[0].calendar.at_thresholds.size() == 4);
  }

  TEST_CASE("report.thresholds: default 1h, 4h, 24h; given ones are read; a bad one is refused") {
    const std::string minimal =
        "[study]\nname = T\nstart = 2026-03-02\n[personas]\npersona = Anna Berger <anna@example.test>\n";
    respbench::Diagnostics diags;
    auto config = respbench::parse_config(minimal, "respbench.conf", diags);
    REQUIRE(config);
    CHECK(config->report.thresholds == std::vector<std::chrono::seconds>{1h, 4h, 24h});
    config = respbench::parse_config(minimal + "[report]\nthresholds = 30m, 2h, 2d\n", "respbench.conf", diags);
    REQUIRE(config);
    CHECK(config->report.thresholds == std::vector<std::chrono::seconds>{30min, 2h, 48h});
    const auto options = respbench::analysis_options(*config, Instant{});
    CHECK(options.thresholds == config->report.thresholds);
    CHECK(options.calendar_description == "Mon-Fri 09:00-17:00, holidays DE");
    CHECK_FALSE(respbench::parse_config(minimal + "[report]\nthresholds = 1h, soon\n", "respbench.conf", diags));
    CHECK(diags.size() == 1);
  }
}
