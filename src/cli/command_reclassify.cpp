// respbench reclassify: runs the current rules (parse, classify, match) over every stored raw
// email reply — after the rules improved — keeping every person's decision, then recomputes the
// outcome of every inquiry involved. --dry-run shows what would change and changes nothing.

#include <map>
#include <ostream>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "channels/reply_matching.hpp"
#include "cli/reply_view.hpp"
#include "cli/study_access.hpp"

namespace respbench {
namespace {

std::string to_json(const ReclassifyReport& report, std::int64_t kept, bool dry_run) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("dry_run");
  w.Bool(dry_run);
  w.Key("replies");
  w.Int64(report.replies);
  w.Key("kept_without_raw");
  w.Int64(kept);
  w.Key("changed");
  w.Int64(report.replies_changed);
  w.Key("moved");
  w.Int64(report.inquiry_moved);
  w.Key("kinds");
  w.StartArray();
  for (const auto& [kinds, count] : report.kinds) {
    w.StartObject();
    w.Key("from");
    w.String(std::string(to_string(kinds.first)).c_str());
    w.Key("to");
    w.String(std::string(to_string(kinds.second)).c_str());
    w.Key("count");
    w.Int64(count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("outcomes");
  w.StartArray();
  for (const auto& c : report.outcomes) {
    w.StartObject();
    w.Key("inquiry");
    w.Int64(c.inquiry_id);
    w.Key("before");
    w.String(std::string(to_string(c.before)).c_str());
    w.Key("after");
    w.String(std::string(to_string(c.after)).c_str());
    w.Key("answered_before");
    if (c.answered_before) w.String(format_utc(*c.answered_before).c_str());
    else w.Null();
    w.Key("answered_after");
    if (c.answered_after) w.String(format_utc(*c.answered_after).c_str());
    else w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace

void declare_reclassify(po::options_description& options, po::positional_options_description&) {
  options.add_options()("dry-run", po::bool_switch(), "show what would change; change nothing")(
      "json", po::bool_switch(), "print JSON for scripts");
}

int run_reclassify(Context& context) {
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);
  // One writer at a time: a run would record replies the verdicts do not know yet.
  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;
  auto ledger = open_ledger(study, LedgerOpen::existing);
  LedgerMatchLookup lookup(*ledger, value_or_throw(ledger->companies()), study.probes);

  ReplyFilter email;
  email.channel = Channel::email;
  std::vector<ReplyVerdict> verdicts;
  std::int64_t kept = 0;
  // One raw message in memory at a time: the list is read without them.
  for (const StoredReply& listed : value_or_throw(ledger->replies(email))) {
    ReplyFilter one;
    one.reply_id = listed.id;
    one.with_raw = true;
    auto found = value_or_throw(ledger->replies(one));
    if (found.empty() || found.front().raw.empty()) {
      ++kept;  // nothing to judge again: its kind and inquiry stay as they are
      continue;
    }
    verdicts.push_back(value_or_throw(verdict_of(found.front(), lookup)));
  }
  const bool dry_run = context.options["dry-run"].as<bool>();
  const auto report = value_or_throw(
      ledger->apply_verdicts(verdicts, study.config.answer_window, now, dry_run ? ApplyMode::dry_run : ApplyMode::commit));

  if (context.options["json"].as<bool>()) {
    context.out << to_json(report, kept, dry_run);
    return k_exit_ok;
  }
  std::string out = fmt::format("{}{} repl{} judged again by the current rules ({} without a raw message kept as they are); "
                                "{} changed, {} now belong to another inquiry (or none)\n",
                                dry_run ? "dry run, nothing changed: " : "", report.replies,
                                report.replies == 1 ? "y" : "ies", kept, report.replies_changed, report.inquiry_moved);
  for (const auto& [kinds, count] : report.kinds) {
    out += fmt::format("  {} → {}: {}\n", to_string(kinds.first), to_string(kinds.second), count);
  }
  if (report.outcomes.empty()) out += "no inquiry's outcome changed\n";
  for (const auto& change : report.outcomes) out += "  " + describe_change(change, study.config.zone) + "\n";
  context.say(out);
  return k_exit_ok;
}

}  // namespace respbench
