#include "util/crash_point.hpp"

#include <csignal>
#include <cstdlib>
#include <map>
#include <string>

namespace respbench {

void crash_point(std::string_view step) {
  static const char* const k_target = std::getenv("RESPBENCH_CRASH_AT");
  if (k_target == nullptr) return;
  std::string_view target = k_target;
  int occurrence = 1;
  if (auto colon = target.rfind(':'); colon != std::string_view::npos) {
    occurrence = std::atoi(std::string(target.substr(colon + 1)).c_str());
    target = target.substr(0, colon);
  }
  if (target != step) return;
  static std::map<std::string, int, std::less<>> k_seen;
  if (++k_seen[std::string(step)] == occurrence) std::raise(SIGKILL);
}

}  // namespace respbench
