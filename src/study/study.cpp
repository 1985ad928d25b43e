#include "study/study.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "study/companies.hpp"
#include "study/probes.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;

namespace respbench {
namespace {

// Every sector must have enough probes, in the study's language, for each channel its
// companies offer — otherwise some companies would get fewer questions than others.
void check_probe_coverage(const Study& study, Diagnostics& diags) {
  std::set<std::pair<std::string, Channel>> checked;
  const int needed = study.config.probes_per_channel;
  for (const auto& company : study.companies) {
    for (Channel channel : study.channels_of(company)) {
      if (!checked.emplace(company.sector, channel).second) continue;
      auto available = study.probes_for(company.sector, channel).size();
      if (static_cast<int>(available) < needed) {
        diags.add(k_companies_file, company.line, 0,
                  fmt::format("sector \"{}\" has {} probe{} for {} in language \"{}\" in probes/; expected at "
                              "least {} (study.probes_per_channel) with \"Sectors:\" naming it or *",
                              company.sector, available, available == 1 ? "" : "s", to_string(channel),
                              study.config.language, needed));
      }
    }
  }
}

}  // namespace

std::vector<Channel> Study::channels_of(const Company& company) const {
  std::vector<Channel> out;
  for (Channel c : k_all_channels) {
    if (company.offers(c)) out.push_back(c);
  }
  return out;
}

std::vector<const Probe*> Study::probes_for(std::string_view sector, Channel channel) const {
  std::vector<const Probe*> out;
  for (const auto& p : probes) {
    if (p.language == config.language && p.fits(sector, channel)) out.push_back(&p);
  }
  return out;
}

std::optional<Study> load_study(const fs::path& dir, Diagnostics& diags) {
  const std::size_t errors_before = diags.size();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.add(dir.string(), 0, 0, "no such study folder; expected a folder made by `respbench init`");
    return std::nullopt;
  }
  Study study;
  study.dir = dir;

  std::optional<StudyConfig> config;
  if (auto text = read_file(dir / k_config_file)) {
    config = parse_config(*text, k_config_file, diags);
  } else {
    diags.add(k_config_file, 0, 0, fmt::format("missing or unreadable ({}); `respbench init` writes one", text.error().message));
  }
  if (auto text = read_file(dir / k_companies_file)) {
    study.companies = parse_companies(*text, k_companies_file, diags);
    if (study.companies.empty() && diags.size() == errors_before) {
      diags.add(k_companies_file, 0, 0, "no companies; expected one row per company below the header");
    }
  } else {
    diags.add(k_companies_file, 0, 0, fmt::format("missing or unreadable ({})", text.error().message));
  }
  study.probes = load_probes(dir, diags);

  if (config) {
    study.config = std::move(*config);
    check_probe_coverage(study, diags);
  }
  if (diags.size() != errors_before) return std::nullopt;
  return study;
}

}  // namespace respbench
