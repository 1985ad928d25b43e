// respbench assign REPLY INQUIRY|none: a person decides which inquiry a reply belongs to
// (DESIGN §5). The decision wins over the matcher and is kept by reclassify; the inquiries the
// reply left and joined are recomputed from their replies.

#include <fmt/format.h>

#include "cli/reply_view.hpp"
#include "cli/study_access.hpp"

namespace respbench {

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
  const auto changes =
      value_or_throw(ledger->assign_reply(reply, inquiry, config.answer_window, context.now(config.zone)));
  context.say(inquiry ? fmt::format("reply {} belongs to inquiry {} (your decision)\n", reply, *inquiry)
                      : fmt::format("reply {} belongs to no inquiry (your decision)\n", reply));
  say_changes(context, changes, config.zone);
  return k_exit_ok;
}

}  // namespace respbench
