// Kaplan–Meier against the textbook example with censoring: the 6-MP arm of Freireich et al.
// (1963), remission times in weeks, * censored:
//   6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*
// (Kleinbaum & Klein, Survival Analysis, ch. 2; R's survival::survfit on the same data).
// Expected S(t) 0.857 0.807 0.753 0.690 0.627 0.538 0.448 as published; the Greenwood standard
// errors and the log-log intervals were computed independently by formula in Python 3
// (S·√Σd/(n(n−d)); exp(−exp(log(−log S) ± z·√Σ/|log S|))) and agree with R's
// survfit(conf.type = "log-log") output, e.g. t = 6: 0.857, se 0.0764, 0.620–0.952;
// t = 23: 0.448, se 0.1346, 0.188–0.680; median 23, lower 95 % limit 13, upper NA.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "analysis/kaplan_meier.hpp"
#include "analysis/wilson.hpp"

using respbench::kaplan_meier;
using respbench::KaplanMeierBuilder;
using respbench::KaplanMeierOptions;
using respbench::ResponseTimes;
using respbench::SurvivalTime;

namespace {

std::vector<SurvivalTime> freireich_6mp() {
  std::vector<SurvivalTime> data;
  for (double t : {6, 6, 6, 7, 10, 13, 16, 22, 23}) data.push_back({t, true});
  for (double t : {6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35}) data.push_back({t, false});
  return data;
}

struct Expected {
  double time;
  std::int64_t at_risk;
  std::int64_t events;
  double survival;
  double s_low;   // log-log interval on S
  double s_high;
};

// Python 3, by formula (see the top of the file).
const Expected k_expected[] = {
    {6, 21, 3, 0.857143, 0.619718, 0.951552},  {7, 17, 1, 0.806723, 0.563147, 0.922809},
    {10, 15, 1, 0.752941, 0.503200, 0.889362}, {13, 12, 1, 0.690196, 0.431610, 0.849066},
    {16, 11, 1, 0.627451, 0.367511, 0.804912}, {22, 7, 1, 0.537815, 0.267779, 0.746791},
    {23, 6, 1, 0.448179, 0.188052, 0.680143},
};

}  // namespace

TEST_SUITE("analysis km") {
  TEST_CASE("the 6-MP data: steps, at-risk counts, estimates and log-log intervals") {
    auto data = freireich_6mp();
    const ResponseTimes r = kaplan_meier(data, {});
    CHECK(r.inquiries == 21);
    CHECK(r.answered == 9);
    CHECK(r.censored == 12);
    REQUIRE(r.curve.size() == std::size(k_expected));
    for (std::size_t i = 0; i < r.curve.size(); ++i) {
      const auto& p = r.curve[i];
      const auto& e = k_expected[i];
      INFO("t = ", e.time);
      CHECK(p.hours == e.time);
      CHECK(p.at_risk == e.at_risk);
      CHECK(p.events == e.events);
      // F = 1 − S; its interval is the one on S, mirrored.
      CHECK(p.estimate == doctest::Approx(1 - e.survival).epsilon(1e-5));
      CHECK(p.low == doctest::Approx(1 - e.s_high).epsilon(1e-5));
      CHECK(p.high == doctest::Approx(1 - e.s_low).epsilon(1e-5));
    }
  }

  TEST_CASE("the 6-MP median and its interval as R gives them: 23, from 13, no upper limit") {
    auto data = freireich_6mp();
    const ResponseTimes r = kaplan_meier(data, {});
    REQUIRE(r.median_hours);
    CHECK(*r.median_hours == 23);
    REQUIRE(r.median_low);
    CHECK(*r.median_low == 13);
    CHECK_FALSE(r.median_high);  // the low end of F never reaches 0.5
  }

  TEST_CASE("thresholds read the step function from the right, and before the first event") {
    auto data = freireich_6mp();
    KaplanMeierOptions options;
    options.thresholds = {5, 6, 9.5, 10, 40};
    const ResponseTimes r = kaplan_meier(data, options);
    REQUIRE(r.at_thresholds.size() == 5);
    // Before any event: F = 0 with Wilson's bound for 0 of the 21 at risk (Python: 0.154639).
    CHECK(r.at_thresholds[0].hours == 5);
    CHECK(r.at_thresholds[0].estimate == 0.0);
    CHECK(r.at_thresholds[0].low == 0.0);
    CHECK(r.at_thresholds[0].high == doctest::Approx(0.154639).epsilon(1e-5));
    // At an event time the step is included: F(6) = 1 − 0.857143.
    CHECK(r.at_thresholds[1].estimate == doctest::Approx(0.142857).epsilon(1e-5));
    CHECK(r.at_thresholds[2].estimate == doctest::Approx(1 - 0.806723).epsilon(1e-5));
    CHECK(r.at_thresholds[3].estimate == doctest::Approx(1 - 0.752941).epsilon(1e-5));
    CHECK(r.at_thresholds[3].low == doctest::Approx(1 - 0.889362).epsilon(1e-5));
    // Past the last time: the final value.
    CHECK(r.at_thresholds[4].estimate == doctest::Approx(1 - 0.448179).epsilon(1e-5));
    CHECK(r.at_thresholds[4].hours == 40);
  }

  TEST_CASE("ties: events count before censorings at the same time, whatever the input order") {
    // At t = 6 the censored one is still at risk: n = 21, not 20.
    auto data = freireich_6mp();
    std::swap(data[0], data[9]);  // a censored 6 before the events
    const ResponseTimes r = kaplan_meier(data, {});
    CHECK(r.curve.front().at_risk == 21);
    CHECK(r.curve.front().estimate == doctest::Approx(3.0 / 21.0));
  }

  TEST_CASE("no events: an empty curve, no median, F = 0 everywhere") {
    std::vector<SurvivalTime> data = {{5, false}, {7, false}};
    KaplanMeierOptions options;
    options.thresholds = {1, 10};
    const ResponseTimes r = kaplan_meier(data, options);
    CHECK(r.curve.empty());
    CHECK_FALSE(r.median_hours);
    CHECK(r.at_thresholds[0].high == doctest::Approx(respbench::wilson_interval(0, 2).high));
    // Nobody watched past 7: nothing is known at 10.
    CHECK(r.at_thresholds[1].estimate == 0.0);
    CHECK(r.at_thresholds[1].high == 1.0);
  }

  TEST_CASE("no observations at all") {
    std::vector<SurvivalTime> data;
    KaplanMeierOptions options;
    options.thresholds = {1};
    const ResponseTimes r = kaplan_meier(data, options);
    CHECK(r.inquiries == 0);
    CHECK(r.curve.empty());
    REQUIRE(r.at_thresholds.size() == 1);
    CHECK(r.at_thresholds[0].high == 1.0);
  }

  TEST_CASE("when the last ones at risk all answer, F = 1 with a Wilson-type low end") {
    std::vector<SurvivalTime> data = {{1, true}, {2, true}};
    const ResponseTimes r = kaplan_meier(data, {});
    REQUIRE(r.curve.size() == 2);
    CHECK(r.curve[0].estimate == doctest::Approx(0.5));
    CHECK(r.curve[1].estimate == 1.0);
    CHECK(r.curve[1].high == 1.0);
    // 1 − S(t−)·(1 − w), w = Wilson's low end of 1/1 = 0.206549 (Python): 0.603275.
    CHECK(r.curve[1].low == doctest::Approx(0.603275).epsilon(1e-5));
    REQUIRE(r.median_hours);
    CHECK(*r.median_hours == 1);  // F reaches exactly 0.5 at 1
  }

  TEST_CASE("F exactly 0.5 after rounding still reaches the median") {
    // S = (1 − 1/4)(1 − 1/3) = 0.5 on paper.
    std::vector<SurvivalTime> data = {{1, true}, {2, true}, {3, false}, {4, false}};
    const ResponseTimes r = kaplan_meier(data, {});
    REQUIRE(r.median_hours);
    CHECK(*r.median_hours == 2);
  }

  TEST_CASE("a curve resolution merges close events into one point and keeps the exact figures") {
    std::vector<SurvivalTime> data;
    for (int i = 0; i < 100; ++i) data.push_back({0.001 * i, i % 2 == 0});  // 100 within 0.1 h
    data.push_back({5, true});
    KaplanMeierOptions exact;
    exact.thresholds = {0.05, 1};
    KaplanMeierOptions coarse = exact;
    coarse.curve_resolution = 1.0;
    auto copy = data;
    const ResponseTimes a = kaplan_meier(data, exact);
    const ResponseTimes b = kaplan_meier(copy, coarse);
    CHECK(a.curve.size() == 51);
    REQUIRE(b.curve.size() == 2);
    CHECK(b.curve[0].events == 50);
    CHECK(b.curve[0].at_risk == 101);
    CHECK(b.curve[0].hours == doctest::Approx(0.098));
    CHECK(b.curve[0].estimate == doctest::Approx(a.curve[49].estimate));
    CHECK(b.curve[1].estimate == doctest::Approx(a.curve[50].estimate));
    for (std::size_t i = 0; i < 2; ++i) CHECK(a.at_thresholds[i].estimate == b.at_thresholds[i].estimate);
  }

  TEST_CASE("threshold_at_end adds F at the largest observed time") {
    std::vector<SurvivalTime> data = {{1, true}, {3, false}, {9, false}};
    KaplanMeierOptions options;
    options.thresholds = {2};
    options.threshold_at_end = true;
    const ResponseTimes r = kaplan_meier(data, options);
    REQUIRE(r.at_thresholds.size() == 2);
    CHECK(r.at_thresholds[1].hours == 9);
    CHECK(r.at_thresholds[1].estimate == doctest::Approx(1.0 / 3.0));
  }

  TEST_CASE("the builder gives what kaplan_meier gives when fed in order") {
    auto data = freireich_6mp();
    KaplanMeierOptions options;
    const ResponseTimes a = kaplan_meier(data, options);  // sorts `data`
    KaplanMeierBuilder builder(static_cast<std::int64_t>(data.size()), &options);
    for (const auto& o : data) builder.observe(o.time, o.event);
    const ResponseTimes b = builder.finish();
    REQUIRE(a.curve.size() == b.curve.size());
    for (std::size_t i = 0; i < a.curve.size(); ++i) CHECK(a.curve[i].estimate == b.curve[i].estimate);
  }
}
