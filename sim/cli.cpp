#include "cli.hpp"

#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "campaign.hpp"
#include "profile.hpp"
#include "rig_users.hpp"
#include "study/study.hpp"
#include "util/time.hpp"

namespace company_sim {

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) { g_stop = true; }

constexpr const char* k_usage =
    "usage:\n"
    "  company-sim rig-users --study DIR [--seed N] [--profiles FILE]\n"
    "  company-sim campaign --study DIR --rig DIR --respbench BIN --truth FILE\n"
    "                       [--seed N] [--profiles FILE] [--step 10m] [--from TIME] [--until TIME]\n"
    "                       [--in-process] [--verbose]\n"
    "rig-users prints the mail rig's users file for the study (tests/mail-rig/start DIR FILE).\n"
    "campaign plays the study's companies in simulated time against the rig and an in-process\n"
    "Graph API emulator, running `BIN --study DIR --now T --quiet run` every step, and writes\n"
    "the truth (FILE and FILE's stem + -profiles.csv). --in-process runs respbench's run_cli\n"
    "in this process instead of BIN.\n";

int usage(const std::string& problem) {
  std::cerr << "company-sim: " << problem << "\n" << k_usage;
  return 2;
}

}  // namespace

int main_cli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << k_usage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  if (command != "rig-users" && command != "campaign") return usage("unknown command " + command);

  // Options with a value, and flags.
  std::map<std::string, std::string> values;
  bool verbose = false, in_process = false;
  static const std::vector<std::string> k_value_options = {"--study", "--seed",  "--profiles", "--rig",  "--respbench",
                                                           "--truth", "--step", "--from",     "--until"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--verbose") {
      verbose = true;
    } else if (a == "--in-process") {
      in_process = true;
    } else if (std::find(k_value_options.begin(), k_value_options.end(), a) != k_value_options.end()) {
      if (i + 1 >= args.size()) return usage(a + " needs a value");
      values[a] = args[++i];
    } else {
      return usage("unknown option " + a);
    }
  }
  if (!values.contains("--study")) return usage("--study DIR is required");

  std::optional<std::uint64_t> seed;
  if (values.contains("--seed")) {
    try {
      seed = std::stoull(values["--seed"]);
    } catch (const std::exception&) {
      return usage("--seed wants a number, got " + values["--seed"]);
    }
  }

  if (command == "rig-users") {
    respbench::Diagnostics diags;
    const auto study = respbench::load_study(values["--study"], diags);
    if (!study) {
      for (const auto& d : diags.sorted()) std::cerr << respbench::format_diagnostic(d) << "\n";
      return 2;
    }
    Profiles profiles = Profiles::defaults();
    if (values.contains("--profiles")) {
      auto loaded = Profiles::load(values["--profiles"]);
      if (!loaded) {
        std::cerr << loaded.error().message << "\n";
        return 2;
      }
      profiles = std::move(*loaded);
    }
    std::cout << rig_users(*study, profiles, seed.value_or(study->config.seed));
    return 0;
  }

  CampaignOptions o;
  o.study = values["--study"];
  for (const char* required : {"--rig", "--truth"}) {
    if (!values.contains(required)) return usage(std::string(required) + " is required");
  }
  if (!values.contains("--respbench") && !in_process) return usage("--respbench BIN (or --in-process) is required");
  o.rig = values["--rig"];
  o.truth = values["--truth"];
  o.respbench = in_process ? std::string() : values["--respbench"];
  o.seed = seed;
  o.profiles = values["--profiles"];
  o.verbose = verbose;
  if (values.contains("--step")) {
    auto step = respbench::parse_duration(values["--step"]);
    if (!step) return usage("--step wants a duration such as 10m, got " + values["--step"]);
    o.step = *step;
  }
  // Times without an offset are read in the study's zone, like respbench's --now.
  respbench::Diagnostics diags;
  const auto study = respbench::load_study(o.study, diags);
  const auto* zone = study ? study->config.zone : nullptr;
  for (auto [name, target] : {std::pair{"--from", &o.from}, std::pair{"--until", &o.until}}) {
    if (!values.contains(name)) continue;
    auto t = respbench::parse_instant(values[name], zone);
    if (!t) return usage(fmt::format("{}: {}", name, t.error().message));
    *target = *t;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return run_campaign(o, g_stop);
}

}  // namespace company_sim
