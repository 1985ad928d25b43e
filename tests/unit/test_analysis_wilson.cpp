// Wilson score intervals against Newcombe (1998), "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Statistics in Medicine 17:857–872, Table II, method 3
// (score interval without continuity correction). Each value was recomputed by formula in
// Python 3 (p̂ + z²/2n ± z·√(p̂q̂/n + z²/4n²)) / (1 + z²/n), z = 1.959963984540054, and agrees
// with the table to its four decimals.

#include <doctest/doctest.h>

#include "analysis/wilson.hpp"

using respbench::wilson_interval;

namespace {

void check_interval(std::int64_t x, std::int64_t n, double low, double high) {
  INFO(x, "/", n);
  const auto p = wilson_interval(x, n);
  REQUIRE(p.estimate);
  CHECK(*p.estimate == doctest::Approx(static_cast<double>(x) / static_cast<double>(n)));
  CHECK(p.low == doctest::Approx(low).epsilon(1e-6));
  CHECK(p.high == doctest::Approx(high).epsilon(1e-6));
  CHECK(p.successes == x);
  CHECK(p.trials == n);
}

}  // namespace

TEST_SUITE("analysis wilson") {
  TEST_CASE("Newcombe's examples: 81/263, 15/148, 0/20, 1/29, 29/29") {
    // Newcombe: 0.2553–0.3662, 0.0624–0.1605, 0.0000–0.1611, 0.0061–0.1718, 0.8830–1.0000.
    check_interval(81, 263, 0.255289, 0.366210);
    check_interval(15, 148, 0.062386, 0.160487);
    check_interval(0, 20, 0.0, 0.161125);
    check_interval(1, 29, 0.006113, 0.171755);
    check_interval(29, 29, 0.883030, 1.0);
  }

  TEST_CASE("small n, where Wald fails (values recomputed by formula in Python 3)") {
    check_interval(5, 10, 0.236593, 0.763407);  // symmetric about 0.5
    check_interval(1, 10, 0.017876, 0.404150);
    check_interval(0, 10, 0.0, 0.277533);
    check_interval(10, 10, 0.722467, 1.0);
  }

  TEST_CASE("the edges are exact: 0/n starts at 0, n/n ends at 1") {
    for (std::int64_t n : {1, 2, 7, 1000, 1'000'000}) {
      CHECK(wilson_interval(0, n).low == 0.0);
      CHECK(wilson_interval(0, n).high > 0.0);
      CHECK(wilson_interval(n, n).high == 1.0);
      CHECK(wilson_interval(n, n).low < 1.0);
    }
  }

  TEST_CASE("no trials: no estimate, the interval is [0, 1]") {
    const auto p = wilson_interval(0, 0);
    CHECK_FALSE(p.estimate);
    CHECK(p.low == 0.0);
    CHECK(p.high == 1.0);
    CHECK(p.trials == 0);
  }

  TEST_CASE("successes outside [0, trials] are clamped, not trusted") {
    CHECK(wilson_interval(5, 3).successes == 3);
    CHECK(wilson_interval(-1, 3).successes == 0);
    CHECK(wilson_interval(2, -4).trials == 0);
  }

  TEST_CASE("the interval always holds the estimate and stays inside [0, 1]") {
    for (std::int64_t n = 1; n <= 60; ++n) {
      for (std::int64_t x = 0; x <= n; ++x) {
        const auto p = wilson_interval(x, n);
        CHECK(p.low >= 0.0);
        CHECK(p.high <= 1.0);
        CHECK(p.low <= *p.estimate);
        CHECK(*p.estimate <= p.high);
      }
    }
  }
}
