#pragma once
// `company-sim campaign`: the clock loop of a simulated study (issue 7). For t = FROM, FROM+step,
// … <= UNTIL: the companies' replies due by t are delivered (email: IMAP APPEND; Facebook:
// comments on the in-process Graph API emulator), the Facebook operator works the to-do list,
// `respbench run --now t` runs (the command cron would run), and the companies read the mail
// it sent. At the end the truth is written.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "util/time.hpp"

namespace company_sim {

struct CampaignOptions {
  std::filesystem::path study;
  std::filesystem::path rig;
  std::string respbench;  // the binary; empty: run respbench in-process (run_cli)
  std::filesystem::path truth;
  std::optional<std::uint64_t> seed;  // default: the study's seed
  std::string profiles;               // a profile file; empty: the defaults
  std::chrono::seconds step{600};
  std::optional<respbench::Instant> from;   // default: the first planned_at, rounded down to the step
  std::optional<respbench::Instant> until;  // default: last planned_at + answer window + 1 h
  bool verbose = false;
};

// Runs the campaign; returns the exit code (0; 1 on a failure, with its message on stderr; 130
// when `stop` was set, after writing the truth so far).
int run_campaign(const CampaignOptions& options, const std::atomic<bool>& stop);

}  // namespace company_sim
