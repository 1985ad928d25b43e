#pragma once
// Running respbench from the simulator: as a child process (what cron does; the campaign's
// default) or in-process through respbench::run_cli (the same code path without exec/dynamic
// loading; tests and --in-process).

#include <string>
#include <vector>

#include "facebook_actor.hpp"  // RespbenchResult, RunRespbench

namespace company_sim {

// Runs `binary` with `args` and waits; captures stdout and stderr. exit_code is 128 + the
// signal when the child was killed, -1 when it could not be started (err says why).
RespbenchResult spawn_respbench(const std::string& binary, const std::vector<std::string>& args);

// respbench::run_cli(args) with the output captured.
RespbenchResult run_respbench_in_process(const std::vector<std::string>& args);

}  // namespace company_sim
