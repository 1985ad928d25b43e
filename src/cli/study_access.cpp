#include "cli/study_access.hpp"

#include <ostream>

#include <fmt/format.h>

#include "plan/planner.hpp"
#include "util/files.hpp"

namespace respbench {

Study load_valid_study(const Context& context) {
  Diagnostics diags;
  auto study = load_study(context.study_dir, diags);
  if (!study) {
    context.print_diagnostics(diags);
    throw CommandError(k_exit_invalid,
                       fmt::format("the study in {} has {} error{}; nothing was changed", context.study_dir.string(),
                                   diags.size(), diags.size() == 1 ? "" : "s"));
  }
  return std::move(*study);
}

StudyConfig load_config(const Context& context) {
  Diagnostics diags;
  auto text = read_file(context.study_dir / k_config_file);
  if (!text) throw CommandError(k_exit_invalid, text.error().message);
  auto config = parse_config(*text, k_config_file, diags);
  if (!config) {
    context.print_diagnostics(diags);
    throw CommandError(k_exit_invalid, "respbench.conf has errors");
  }
  return std::move(*config);
}

std::unique_ptr<Ledger> open_existing_ledger(const Context& context) {
  return value_or_throw(open_sqlite_ledger(context.study_dir / k_ledger_file, LedgerOpen::existing));
}

std::optional<StudyLock> lock_study(const Context& context) {
  auto path = context.study_dir / "respbench.lock";
  auto lock = StudyLock::try_acquire(path);
  if (!lock) throw CommandError(k_exit_failure, lock.error().message);
  if (!*lock) {
    context.say(fmt::format("respbench: another respbench is working on {}; nothing done, try again later\n",
                            context.study_dir.string()));
  }
  return std::move(*lock);
}

std::unique_ptr<Ledger> open_ledger(const Study& study, LedgerOpen mode) {
  return value_or_throw(open_sqlite_ledger(study.ledger_path(), mode));
}

std::vector<InquiryRecord> planned_so_far(const Study& study) {
  if (!std::filesystem::exists(study.ledger_path())) return {};
  return value_or_throw(open_ledger(study, LedgerOpen::existing)->inquiries({}));
}

std::vector<NewInquiry> plan_or_refuse(const Context& context, const Study& study,
                                       const std::vector<InquiryRecord>& existing, Instant now) {
  auto planned = plan_inquiries(study, existing, now);
  if (planned) return std::move(*planned);
  const auto& lines = study.config.key_lines;
  const auto it = lines.find("schedule.business_days");
  context.err << format_diagnostic({k_config_file, it == lines.end() ? 0 : it->second, 0, planned.error().message})
              << "\n";
  throw CommandError(k_exit_invalid, "the study cannot be planned; nothing was changed");
}

}  // namespace respbench
