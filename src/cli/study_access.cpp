#include "cli/study_access.hpp"

#include <fmt/format.h>

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

}  // namespace respbench
