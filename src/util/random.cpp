#include "util/random.hpp"

namespace respbench {

std::uint64_t stable_hash(std::string_view text, std::uint64_t basis) {
  std::uint64_t h = basis;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Random Random::derive(std::uint64_t seed, std::string_view purpose, std::string_view name) {
  std::uint64_t h = stable_hash(purpose, stable_hash(std::string_view("\0", 1), seed ^ 0x9e3779b97f4a7c15ULL));
  h = stable_hash(std::string_view("\0", 1), h);
  return Random(stable_hash(name, h));
}

std::uint64_t Random::next() {
  std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t Random::below(std::uint64_t n) {
  // Reject the top sliver of values that would make some results more likely than others.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do {
    x = next();
  } while (x >= limit);
  return x % n;
}

double Random::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

}  // namespace respbench
