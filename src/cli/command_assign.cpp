// respbench assign REPLY INQUIRY|none: a person decides which inquiry a reply belongs to
// (DESIGN §5). The decision wins over the matcher and is kept by reclassify; the inquiries the
// reply left and joined are recomputed from their replies. A reply placed under an inquiry is
// a known reply whatever its headers lack, so its kind is judged again as such — unless a
// person decided its kind, which wins.

#include <algorithm>

#include <fmt/format.h>

#include "channels/reply_matching.hpp"
#include "cli/reply_view.hpp"
#include "cli/study_access.hpp"

namespace respbench {
namespace {

// The reply with its raw message when its kind is to be judged again once placed: an email
// reply (Facebook comments are not classified from a raw message) whose kind no person decided.
std::optional<StoredReply> to_judge_again(Ledger& ledger, std::int64_t reply) {
  ReplyFilter one;
  one.reply_id = reply;
  one.with_raw = true;
  auto found = value_or_throw(ledger.replies(one));
  if (found.empty() || found.front().channel != Channel::email || found.front().raw.empty()
      || found.front().kind_decided_by == "person") {
    return std::nullopt;
  }
  return std::move(found.front());
}

// `later`'s outcomes folded into `changes`: each inquiry once, from its first state to its last.
void fold_changes(std::vector<OutcomeChange>& changes, const std::vector<OutcomeChange>& later) {
  for (const auto& change : later) {
    auto it = std::find_if(changes.begin(), changes.end(),
                           [&](const OutcomeChange& c) { return c.inquiry_id == change.inquiry_id; });
    if (it == changes.end()) {
      changes.push_back(change);
      continue;
    }
    it->after = change.after;
    it->answered_after = change.answered_after;
  }
}

}  // namespace

void declare_assign(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("reply", po::value<std::string>()->required(), "the reply's id (see `respbench review`)")(
      "inquiry", po::value<std::string>()->required(), "the inquiry's id, or `none`: it belongs to no inquiry");
  positional.add("reply", 1).add("inquiry", 1);
}

int run_assign(Context& context) {
  const StudyConfig config = load_config(context);
  const auto reply = parse_id(context.options["reply"].as<std::string>(), "REPLY");
  const auto& inquiry_text = context.options["inquiry"].as<std::string>();
  std::optional<std::int64_t> inquiry;
  if (inquiry_text != "none") inquiry = parse_id(inquiry_text, "INQUIRY (or none)");
  auto ledger = open_existing_ledger(context);
  const auto again = inquiry ? to_judge_again(*ledger, reply) : std::nullopt;
  // Judging needs the study's probes (the matcher's subjects); loaded before anything changes,
  // so that an invalid study refuses the whole command rather than half of it.
  const auto study = again ? std::optional<Study>(load_valid_study(context)) : std::nullopt;
  const Instant now = context.now(config.zone);

  auto changes = value_or_throw(ledger->assign_reply(reply, inquiry, config.answer_window, now));
  context.say(inquiry ? fmt::format("reply {} belongs to inquiry {} (your decision)\n", reply, *inquiry)
                      : fmt::format("reply {} belongs to no inquiry (your decision)\n", reply));
  if (again) {
    // A second transaction: if it is lost, `reclassify` (which judges person-placed replies the
    // same way, verdict_of) or assigning again completes it.
    StoredReply placed = *again;
    placed.inquiry_id = inquiry;
    placed.inquiry_decided_by = "person";
    LedgerMatchLookup lookup(*ledger, value_or_throw(ledger->companies()), study->probes);
    const auto verdict = value_or_throw(verdict_of(placed, lookup));
    const auto report =
        value_or_throw(ledger->apply_verdicts({verdict}, config.answer_window, now, ApplyMode::commit));
    if (verdict.rules.kind != again->kind) {
      context.say(fmt::format("reply {} judged again as a reply to inquiry {}: {} → {}\n", reply, *inquiry,
                              to_string(again->kind), to_string(verdict.rules.kind)));
    }
    fold_changes(changes, report.outcomes);
  }
  say_changes(context, changes, config.zone);
  return k_exit_ok;
}

}  // namespace respbench
