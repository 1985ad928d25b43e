// respbench reply INQUIRY --at TIME --kind KIND [--text TEXT] [--from WHO]: a reply a person saw
// (a phone call back, a chat, an answer on a page respbench cannot read) entered by hand, for
// any channel. The outcome rules are those of polled replies: a person's answer within the
// window answers the inquiry (the earliest wins), a bounce makes it undeliverable.

#include <algorithm>

#include <fmt/format.h>

#include "cli/study_access.hpp"
#include "util/strings.hpp"
#include "mail/message.hpp"

namespace respbench {
namespace {


std::string kinds_expected() {
  std::string names;
  for (ReplyKind k : k_all_reply_kinds) {
    if (k == ReplyKind::unclassified) continue;
    if (!names.empty()) names += ", ";
    names += to_string(k);
  }
  return names;
}

}  // namespace

void declare_reply(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("inquiry", po::value<std::int64_t>()->value_name("INQUIRY")->required(),
                        "the inquiry the reply answers")(
      "at", po::value<std::string>()->value_name("TIME")->required(), "when the reply came, ISO 8601")(
      "kind", po::value<std::string>()->value_name("KIND")->required(),
      "human, auto_ack, ticket_ack, out_of_office, bounce or other")(
      "text", po::value<std::string>()->value_name("TEXT")->default_value(""), "what the reply said")(
      "from", po::value<std::string>()->value_name("WHO")->default_value(""), "who replied");
  positional.add("inquiry", 1);
}

int run_reply(Context& context) {
  Study study = load_valid_study(context);
  const auto* zone = study.config.zone;
  const Instant now = context.now(zone);
  const auto id = context.options["inquiry"].as<std::int64_t>();
  auto at = parse_instant(context.options["at"].as<std::string>(), zone);
  if (!at) throw CommandError(k_exit_invalid, fmt::format("--at: {}", at.error().message));
  const auto kind_name = context.options["kind"].as<std::string>();
  const auto kind = parse_reply_kind(kind_name);
  if (!kind || *kind == ReplyKind::unclassified) {
    throw CommandError(k_exit_invalid, fmt::format("--kind: '{}' is not a kind of reply; expected {}", kind_name,
                                                   kinds_expected()));
  }
  const auto text = context.options["text"].as<std::string>();
  const auto from = context.options["from"].as<std::string>();

  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;
  auto ledger = open_ledger(study, LedgerOpen::existing);
  const auto found = value_or_throw(ledger->inquiry_by_id(id));
  if (!found) throw CommandError(k_exit_invalid, fmt::format("there is no inquiry {}", id));
  if (!found->sent_at) {
    throw CommandError(k_exit_invalid, fmt::format("inquiry {} has not been sent (it is {}); only a sent inquiry "
                                                   "can have replies",
                                                   id, to_string(found->state)));
  }
  if (*at < *found->sent_at) {
    throw CommandError(k_exit_invalid, fmt::format("--at {} is before inquiry {} was sent ({})",
                                                   format_local(*at, zone, true), id,
                                                   format_local(*found->sent_at, zone, true)));
  }
  if (*at > now) {
    throw CommandError(k_exit_invalid, fmt::format("--at {} is in the future (now is {})",
                                                   format_local(*at, zone, true), format_local(now, zone, true)));
  }

  NewReply reply;
  reply.inquiry_id = id;
  reply.channel = found->channel;
  reply.source = "manual";
  // The same reply entered twice is stored once; a different one at the same time is another.
  reply.source_key = fmt::format("{}:{}:{}", id, at->time_since_epoch().count(),
                                 sha256_hex(fmt::format("{}\n{}\n{}", kind_name, from, text)).substr(0, 16));
  reply.received_at = *at;
  reply.kind = *kind;
  reply.counts_as_answer = counts_as_answer(*kind);
  // A person who says it bounced says it never arrived: a hard bounce (a delay warning is no bounce to enter).
  reply.bounce_hard = *kind == ReplyKind::bounce;
  reply.reasons = "entered by a person (respbench reply)";
  reply.match_method = "manual";
  reply.from_address = from;
  reply.excerpt = utf8_prefix(text, k_excerpt_size);
  reply.raw = text;
  reply.size = text.size();
  const int added = value_or_throw(ledger->record_entered_replies({reply}, "person", study.config.answer_window, now));
  if (added == 0) {
    context.say(fmt::format("this reply to inquiry {} is recorded already; nothing changed\n", id));
    return k_exit_ok;
  }

  const auto after = value_or_throw(ledger->inquiry_by_id(id));
  std::string outcome = fmt::format("inquiry {} is {}", id, to_string(after->state));
  if (after->state == InquiryState::answered && after->answered_at) {
    outcome += fmt::format(" (answered at {})", format_local(*after->answered_at, zone, true));
  }
  if (reply.counts_as_answer && *at - *found->sent_at > study.config.answer_window) {
    outcome += fmt::format("; the reply came after the answer window of {} and does not count",
                           format_duration(study.config.answer_window));
  }
  context.say(fmt::format("recorded a reply of kind {} to inquiry {} at {}; {}\n", kind_name, id,
                          format_local(*at, zone, true), outcome));
  return k_exit_ok;
}

}  // namespace respbench
