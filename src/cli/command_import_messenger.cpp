// respbench import-messenger FOLDER: the pages' answers to Messenger inquiries, from the shopper
// account's own data export (DESIGN §4). Importing the same export again adds nothing; threads
// that match no inquiry are listed for a person to look at, not stored, so that a later import
// (after registering the missing reference) still matches them.

#include <set>

#include <fmt/format.h>

#include "channels/messenger_import.hpp"
#include "cli/study_access.hpp"

namespace respbench {

void declare_import_messenger(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("folder", po::value<std::string>()->value_name("FOLDER")->required(),
                        "the unpacked export (or its messages/ or messages/inbox/ folder)");
  positional.add("folder", 1);
}

int run_import_messenger(Context& context) {
  Study study = load_valid_study(context);
  const auto* zone = study.config.zone;
  const Instant now = context.now(zone);
  const std::filesystem::path folder = context.options["folder"].as<std::string>();
  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;
  auto ledger = open_ledger(study, LedgerOpen::existing);

  Diagnostics diags;
  auto threads = read_messenger_export(folder, diags);
  if (!threads) throw CommandError(k_exit_invalid, threads.error().message);
  context.print_diagnostics(diags);

  InquiryFilter facebook;
  facebook.channel = Channel::facebook;
  const auto imports = match_messenger_threads(*threads, study, value_or_throw(ledger->inquiries(facebook)));
  std::vector<NewReply> replies;
  for (const auto& t : imports) replies.insert(replies.end(), t.replies.begin(), t.replies.end());
  // One transaction for the whole export: it is imported whole or not at all.
  const int added = value_or_throw(ledger->record_entered_replies(replies, "rules", study.config.answer_window, now));

  int unmatched = 0;
  for (const auto& t : imports) {
    if (!t.problem.empty()) {
      ++unmatched;
      continue;
    }
    std::set<std::int64_t> ids;
    int answers = 0;
    for (const auto& r : t.replies) {
      ids.insert(*r.inquiry_id);
      answers += r.counts_as_answer ? 1 : 0;
    }
    std::string inquiries;
    for (auto id : ids) inquiries += fmt::format("{}{}", inquiries.empty() ? "" : ", ", id);
    context.say(fmt::format("thread {}: {} (matched by {}), {} message(s) of the page after our inquiries ({} by a "
                            "person){}{}\n",
                            t.thread, t.company_id, t.matched_by, t.replies.size(), answers,
                            inquiries.empty() ? "" : fmt::format(" → inquiry {}", inquiries),
                            t.before_inquiry > 0 ? fmt::format("; {} before any inquiry, left out", t.before_inquiry)
                                                 : std::string()));
  }
  if (unmatched > 0) {
    context.say(fmt::format("\nNot imported, for a person to review ({}):\n", unmatched));
    for (const auto& t : imports) {
      if (t.problem.empty()) continue;
      std::string names;
      for (const auto& p : t.participants) names += fmt::format("{}{}", names.empty() ? "" : ", ", p);
      context.say(fmt::format("  thread {} ({}): {}\n", t.thread, names, t.problem));
    }
  }
  context.say(fmt::format("\nimported {} new repl{} from {} thread(s) ({} known already){}\n", added,
                          added == 1 ? "y" : "ies", threads->size(), replies.size() - static_cast<std::size_t>(added),
                          diags.empty() ? "" : fmt::format("; {} file(s) could not be read, their threads were left out",
                                                           diags.size())));
  return diags.empty() ? k_exit_ok : k_exit_failure;
}

}  // namespace respbench
