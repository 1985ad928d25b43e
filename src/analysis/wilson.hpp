#pragma once
// The 95 % Wilson score interval of a proportion (Wilson 1927; Newcombe 1998, method 3): unlike
// the Wald interval it stays inside [0, 1] and keeps its coverage near 0 and near n, where the
// answer rates of small sectors often lie.

#include <cstdint>

#include "analysis/metrics.hpp"

namespace respbench {

// The standard normal quantile for two-sided 95 %: Φ⁻¹(0.975).
inline constexpr double k_z95 = 1.959963984540054;

// successes / trials with its 95 % Wilson interval. 0/n gives [0, high], n/n gives [low, 1]
// (exactly, not off by rounding); with no trials the estimate is absent and the interval [0, 1].
// successes is clamped into [0, trials].
Proportion wilson_interval(std::int64_t successes, std::int64_t trials);

}  // namespace respbench
