#pragma once
// A small seeded random source whose output is the same on every platform and compiler, so
// that a study's plan is reproducible from its seed. (std::mt19937_64 is portable, but the
// standard distributions and std::shuffle are not.)

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace respbench {

class Random {
 public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}

  // A stream for one purpose, derived from a study seed and names ("sector", "banks"), so
  // that adding a company to one sector leaves the other sectors' streams unchanged.
  static Random derive(std::uint64_t seed, std::string_view purpose, std::string_view name = {});

  std::uint64_t next();                    // splitmix64
  std::uint64_t below(std::uint64_t n);    // uniform in [0, n), n > 0, without modulo bias
  double unit();                           // uniform in [0, 1)

  template <class T>
  void shuffle(std::vector<T>& items) {  // Fisher–Yates
    for (std::size_t i = items.size(); i > 1; --i) {
      std::swap(items[i - 1], items[static_cast<std::size_t>(below(i))]);
    }
  }

 private:
  std::uint64_t m_state;
};

// 64-bit FNV-1a: a stable hash of text (std::hash may differ between library versions).
std::uint64_t stable_hash(std::string_view text, std::uint64_t basis = 0xcbf29ce484222325ULL);

}  // namespace respbench
