#pragma once
// company-sim's command line (issue 7):
//   company-sim rig-users --study DIR [--seed N] [--profiles FILE]
//   company-sim campaign --study DIR --rig DIR --respbench BIN --truth FILE
//                        [--seed N] [--profiles FILE] [--step 10m] [--from T] [--until T]

namespace company_sim {

// Runs one command; returns the process exit code (130 after SIGINT/SIGTERM).
int main_cli(int argc, char** argv);

}  // namespace company_sim
