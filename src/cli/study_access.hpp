#pragma once
// How commands get at a study: loaded whole and valid, locked for writing, its ledger opened.
// Each throws CommandError with the right exit code, so commands read straight through.

#include <memory>
#include <optional>

#include "cli/command.hpp"
#include "ledger/ledger.hpp"
#include "study/study.hpp"
#include "util/lock.hpp"

namespace respbench {

// The study at context.study_dir; prints every problem and throws (exit 2) when it is invalid.
Study load_valid_study(const Context& context);

// The study's write lock, or nullopt when another process holds it (after saying so unless
// --quiet); the command then exits with k_exit_locked.
std::optional<StudyLock> lock_study(const Context& context);

// The study's ledger; throws (exit 1) when it cannot be opened.
std::unique_ptr<Ledger> open_ledger(const Study& study, LedgerOpen mode);

// Throws CommandError(k_exit_failure) with the error's message when `r` failed.
template <class T>
T value_or_throw(Result<T> r) {
  if (!r) throw CommandError(k_exit_failure, r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

}  // namespace respbench
