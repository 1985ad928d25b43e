// respbench classify REPLY KIND: a person decides what kind of reply it is (DESIGN §5). The
// decision wins over the classifier and is kept by reclassify; the reply's inquiry is
// recomputed from its replies.

#include <fmt/format.h>

#include "cli/reply_view.hpp"
#include "cli/study_access.hpp"

namespace respbench {

void declare_classify(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("reply", po::value<std::string>()->required(), "the reply's id (see `respbench review`)")(
      "kind", po::value<std::string>()->required(),
      "human, auto_ack, ticket_ack, out_of_office, bounce or other");
  positional.add("reply", 1).add("kind", 1);
}

int run_classify(Context& context) {
  const StudyConfig config = load_config(context);
  const auto reply = parse_id(context.options["reply"].as<std::string>(), "REPLY");
  const auto& kind_text = context.options["kind"].as<std::string>();
  const auto kind = parse_reply_kind(kind_text);
  if (!kind || *kind == ReplyKind::unclassified) {
    throw CommandError(k_exit_invalid,
                       fmt::format("KIND must be human, auto_ack, ticket_ack, out_of_office, bounce or other, not \"{}\"",
                                   kind_text));
  }
  auto ledger = open_existing_ledger(context);
  const auto changes = value_or_throw(ledger->classify_reply(reply, *kind, config.answer_window, context.now(config.zone)));
  context.say(fmt::format("reply {} is {} (your decision)\n", reply, to_string(*kind)));
  say_changes(context, changes, config.zone);
  return k_exit_ok;
}

}  // namespace respbench
