// respbench plan: the inquiries into the ledger. Planning again keeps what is planned and adds
// only what is new (an added company, a newly listed channel).

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cli/study_access.hpp"

namespace respbench {

void declare_plan(po::options_description&, po::positional_options_description&) {}

int run_plan(Context& context) {
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);
  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;

  const auto existing = planned_so_far(study);
  const auto planned = plan_or_refuse(context, study, existing, now);

  auto ledger = open_ledger(study, LedgerOpen::create_if_missing);
  const int inserted = value_or_throw(ledger->record_plan(study.companies, study.probes, planned));

  if (inserted == 0) {
    context.say(fmt::format("Nothing new to plan: all {} inquiries are in the ledger already.\n", existing.size()));
    return k_exit_ok;
  }
  std::set<std::string> companies;
  for (const auto& i : planned) companies.insert(i.company_id);
  auto [first, last] = std::minmax_element(planned.begin(), planned.end(),
                                           [](const auto& a, const auto& b) { return a.planned_at < b.planned_at; });
  const auto* zone = study.config.zone;
  context.say(fmt::format("Planned {} new inquiries for {} companies{}: from {} to {}.\nLedger: {}\n", inserted,
                          companies.size(),
                          existing.empty() ? "" : fmt::format(" ({} were planned already)", existing.size()),
                          format_local(first->planned_at, zone, true), format_local(last->planned_at, zone, true),
                          study.ledger_path().string()));
  return k_exit_ok;
}

}  // namespace respbench
