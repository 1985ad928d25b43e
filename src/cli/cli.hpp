#pragma once
// The command line: `respbench [--study DIR] [--now TIME] [--quiet] COMMAND [options]`.

#include <iosfwd>
#include <string>
#include <vector>

namespace respbench {

// Exit codes, as documented in the README and `respbench --help`.
enum ExitCode : int {
  k_exit_ok = 0,
  k_exit_failure = 1,   // the command could not do its work (ledger, network, …)
  k_exit_invalid = 2,   // wrong usage or an invalid study: nothing was changed
  k_exit_locked = 75,   // another respbench holds the study (EX_TEMPFAIL: cron tries again later)
};

// Runs one command; `args` excludes the program name. Output goes to `out`, diagnostics and
// errors to `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace respbench
