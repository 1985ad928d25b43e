// respbench check: everything that can be known without the network — the files, and that
// the study can be planned. Writes nothing.

#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/study_access.hpp"

namespace respbench {

void declare_check(po::options_description&, po::positional_options_description&) {}

int run_check(Context& context) {
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);

  // Plan in memory against what the ledger has already, so an unplannable schedule is found
  // here and not by `plan`.
  const auto existing = planned_so_far(study);
  const auto planned = plan_or_refuse(context, study, existing, now);

  std::set<std::string> sectors;
  std::map<Channel, int> offering;
  for (const auto& c : study.companies) {
    sectors.insert(c.sector);
    for (Channel ch : study.channels_of(c)) ++offering[ch];
  }
  std::size_t in_language = 0;
  for (const auto& p : study.probes) in_language += p.language == study.config.language ? 1 : 0;
  context.say(fmt::format(
      "{}: \"{}\" is valid.\n"
      "  {} companies in {} sectors; {} offer email, {} a Facebook page\n"
      "  {} probes, {} in language \"{}\"; {} per company and channel\n"
      "  {} inquiries planned already, {} more to plan\n",
      context.study_dir.string(), study.config.name, study.companies.size(), sectors.size(), offering[Channel::email],
      offering[Channel::facebook], study.probes.size(), in_language, study.config.language,
      study.config.probes_per_channel, existing.size(), planned.size()));
  return k_exit_ok;
}

}  // namespace respbench
