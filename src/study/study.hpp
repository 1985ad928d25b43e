#pragma once
// A study folder (DESIGN §2), loaded and checked as a whole: respbench.conf, companies.csv,
// probes/. A study with any error is refused whole, before anything is written or sent.

#include <filesystem>
#include <optional>
#include <vector>

#include "study/config.hpp"
#include "study/model.hpp"
#include "util/diagnostics.hpp"

namespace respbench {

inline constexpr const char* k_config_file = "respbench.conf";
inline constexpr const char* k_companies_file = "companies.csv";
inline constexpr const char* k_ledger_file = "respbench.db";

struct Study {
  std::filesystem::path dir;
  StudyConfig config;
  std::vector<Company> companies;
  std::vector<Probe> probes;  // every probe file, whatever its language

  // The channels `company` is asked on, in k_all_channels order.
  std::vector<Channel> channels_of(const Company& company) const;
  // The probes of the study's language that fit `sector` on `channel`, sorted by id.
  std::vector<const Probe*> probes_for(std::string_view sector, Channel channel) const;
  std::filesystem::path ledger_path() const { return dir / k_ledger_file; }
};

// Loads the study in `dir` and checks everything that can be checked without the network.
// Every problem goes to `diags`; nullopt when there was any.
std::optional<Study> load_study(const std::filesystem::path& dir, Diagnostics& diags);

}  // namespace respbench
