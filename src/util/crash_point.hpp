#pragma once
// Crash injection for the crash-safety tests (like mbsync's test script, which interrupts the
// program at every journal step): a run names each step between two side effects; when the
// environment variable RESPBENCH_CRASH_AT names the step ("after-intent", or "after-intent:3"
// for its third occurrence), the process kills itself with SIGKILL right there — no cleanup,
// no flush, as a power cut or the OOM killer would.

#include <string_view>

namespace respbench {

void crash_point(std::string_view step);

}  // namespace respbench
