#include "analysis/wilson.hpp"

#include <algorithm>
#include <cmath>

namespace respbench {

Proportion wilson_interval(std::int64_t successes, std::int64_t trials) {
  Proportion p;
  p.trials = std::max<std::int64_t>(trials, 0);
  p.successes = std::clamp<std::int64_t>(successes, 0, p.trials);
  if (p.trials == 0) return p;  // no estimate, [0, 1]
  const double n = static_cast<double>(p.trials);
  const double x = static_cast<double>(p.successes);
  const double phat = x / n;
  const double z2 = k_z95 * k_z95;
  const double centre = (phat + z2 / (2 * n)) / (1 + z2 / n);
  const double half = k_z95 / (1 + z2 / n) * std::sqrt(phat * (1 - phat) / n + z2 / (4 * n * n));
  p.estimate = phat;
  // At 0/n and n/n the formula gives 0 and 1 up to rounding; say them exactly.
  p.low = p.successes == 0 ? 0.0 : std::max(0.0, centre - half);
  p.high = p.successes == p.trials ? 1.0 : std::min(1.0, centre + half);
  return p;
}

}  // namespace respbench
