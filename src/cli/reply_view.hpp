#pragma once
// What the reply commands (review, assign, classify, reclassify) share: reading their
// arguments and saying how an inquiry's outcome changed.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"
#include "ledger/ledger.hpp"

namespace respbench {

// A reply or inquiry id given on the command line; throws (exit 2) with `what` when it is not one.
std::int64_t parse_id(std::string_view text, std::string_view what);

// "inquiry 12: sent → answered (answered 2026-03-02 10:15 CET)", times in `zone`.
std::string describe_change(const OutcomeChange& change, const date::time_zone* zone);

// Says each change on context.out (unless --quiet), or that the outcome stayed as it was.
void say_changes(const Context& context, const std::vector<OutcomeChange>& changes, const date::time_zone* zone);

}  // namespace respbench
