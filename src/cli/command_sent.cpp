// respbench sent INQUIRY --ref PERMALINK-OR-ID [--at TIME]: registers an inquiry a person posted
// by hand (an assisted channel's to-do). The reference's form is checked, the time must be
// plausible, and an inquiry is registered once: a second registration is refused.

#include <fmt/format.h>

#include "channels/assisted_channel.hpp"
#include "channels/assisted_ref.hpp"
#include "cli/study_access.hpp"

namespace respbench {

void declare_sent(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("inquiry", po::value<std::int64_t>()->value_name("INQUIRY")->required(),
                        "the inquiry's id (as `respbench todo` shows it)")(
      "ref", po::value<std::string>()->value_name("PERMALINK-OR-ID")->required(),
      "what was posted: a permalink or an object id (Facebook), or any note up to 500 characters")(
      "at", po::value<std::string>()->value_name("TIME"), "when it was posted (default: now), ISO 8601");
  positional.add("inquiry", 1);
}

int run_sent(Context& context) {
  Study study = load_valid_study(context);
  const auto* zone = study.config.zone;
  const Instant now = context.now(zone);
  const auto id = context.options["inquiry"].as<std::int64_t>();
  Instant at = now;
  if (context.options.count("at")) {
    auto parsed = parse_instant(context.options["at"].as<std::string>(), zone);
    if (!parsed) throw CommandError(k_exit_invalid, fmt::format("--at: {}", parsed.error().message));
    at = *parsed;
  }
  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;
  auto ledger = open_ledger(study, LedgerOpen::existing);

  const auto found = value_or_throw(ledger->inquiry_by_id(id));
  if (!found) throw CommandError(k_exit_invalid, fmt::format("there is no inquiry {}", id));
  const InquiryRecord& inquiry = *found;
  if (!is_assisted(inquiry.channel)) {
    throw CommandError(k_exit_invalid, fmt::format("inquiry {} goes by {}, which respbench sends itself; `sent` is for "
                                                   "inquiries posted by hand",
                                                   id, to_string(inquiry.channel)));
  }
  if (inquiry.sent_at) {
    throw CommandError(k_exit_invalid,
                       fmt::format("inquiry {} is registered as sent already (at {}, {}); a send is never recorded "
                                   "twice",
                                   id, format_local(*inquiry.sent_at, zone, true), inquiry.external_ref));
  }
  const bool due = inquiry.state == InquiryState::todo
                   || (inquiry.state == InquiryState::planned && inquiry.planned_at <= now);
  if (!due) {
    throw CommandError(k_exit_invalid,
                       inquiry.state == InquiryState::planned
                           ? fmt::format("inquiry {} is not due yet: it is planned for {}", id,
                                         format_local(inquiry.planned_at, zone, true))
                           : fmt::format("inquiry {} is {}, not on the to-do list", id, to_string(inquiry.state)));
  }
  auto ref = normalize_assisted_ref(inquiry.channel, context.options["ref"].as<std::string>());
  if (!ref) throw CommandError(k_exit_invalid, fmt::format("--ref: {}", ref.error().message));
  if (at > now) {
    throw CommandError(k_exit_invalid, fmt::format("--at {} is in the future (now is {})", format_local(at, zone, true),
                                                   format_local(now, zone, true)));
  }
  if (at < inquiry.planned_at - k_early_post_tolerance) {
    throw CommandError(k_exit_invalid,
                       fmt::format("--at {} is before inquiry {} was due ({}; at most {} minutes earlier are accepted)",
                                   format_local(at, zone, true), id, format_local(inquiry.planned_at, zone, true),
                                   k_early_post_tolerance.count()));
  }

  value_or_throw(ledger->register_assisted_send(id, *ref, at, now));
  context.say(fmt::format("inquiry {} ({} on {}) registered as sent at {}: {}\n", id, inquiry.company_id,
                          to_string(inquiry.channel), format_local(at, zone, true), *ref));
  return k_exit_ok;
}

}  // namespace respbench
