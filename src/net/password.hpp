#pragma once
// Where passwords come from: the output of a command (a password manager, `pass show …`) or an
// environment variable, never the study's files (DESIGN §6: credentials stay out of the ledger,
// logs and reports).

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace respbench {

// The secret printed by `command` (run with /bin/sh -c; one trailing newline dropped) or held
// by the environment variable `env_name`; exactly one of the two must be non-empty. Fails when
// the command cannot run, exits non-zero or prints nothing (the error names the command, never
// its output), or when the variable is unset or empty (the error names the variable).
Result<std::string> read_secret(std::string_view command, std::string_view env_name);

}  // namespace respbench
