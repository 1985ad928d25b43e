// respbench check: everything that can be known without the network — the files, and that
// the study can be planned. Writes nothing.

#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/study_access.hpp"
#include "plan/planner.hpp"

namespace respbench {

void declare_check(po::options_description&, po::positional_options_description&) {}

int run_check(Context& context) {
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);

  // Plan in memory against what the ledger has already, so an unplannable schedule is found
  // here and not by `plan`.
  std::vector<InquiryRecord> existing;
  if (std::filesystem::exists(study.ledger_path())) {
    existing = value_or_throw(open_ledger(study, LedgerOpen::existing)->inquiries({}));
  }
  auto planned = plan_inquiries(study, existing, now);
  if (!planned) {
    auto line = study.config.key_lines["schedule.business_days"];
    context.err << format_diagnostic({k_config_file, line, 0, planned.error().message}) << "\n";
    throw CommandError(k_exit_invalid, "the study cannot be planned; nothing was changed");
  }

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
      study.config.probes_per_channel, existing.size(), planned->size()));
  return k_exit_ok;
}

}  // namespace respbench
