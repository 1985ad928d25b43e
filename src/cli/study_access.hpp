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

// The study's configuration only (respbench.conf): for commands that read the ledger and must
// work while someone edits companies.csv. Prints every problem and throws (exit 2).
StudyConfig load_config(const Context& context);

// The ledger of the study at context.study_dir; throws (exit 1) when there is none yet.
std::unique_ptr<Ledger> open_existing_ledger(const Context& context);

// The study's write lock, or nullopt when another process holds it (after saying so unless
// --quiet); the command then exits with k_exit_locked.
std::optional<StudyLock> lock_study(const Context& context);

// The study's ledger; throws (exit 1) when it cannot be opened.
std::unique_ptr<Ledger> open_ledger(const Study& study, LedgerOpen mode);

// The inquiries the ledger holds; none when there is no ledger yet (reading creates none, so
// an unplannable study leaves no file behind).
std::vector<InquiryRecord> planned_so_far(const Study& study);

// The inquiries the study still needs besides `existing`. When the schedule cannot hold them,
// prints why at respbench.conf's schedule.business_days line and throws (exit 2).
std::vector<NewInquiry> plan_or_refuse(const Context& context, const Study& study,
                                       const std::vector<InquiryRecord>& existing, Instant now);

// Throws CommandError(k_exit_failure) with the error's message when `r` failed.
template <class T>
T value_or_throw(Result<T> r) {
  if (!r) throw CommandError(k_exit_failure, r.error().message);
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

}  // namespace respbench
