// respbench help [config]: the commands, or every respbench.conf key from the one key table.

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/command.hpp"
#include "study/config_keys.hpp"

namespace respbench {

void declare_help(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("topic", po::value<std::string>()->value_name("TOPIC"), "config: the keys of respbench.conf");
  positional.add("topic", 1);
}

int run_help(Context& context) {
  auto topic = context.options.count("topic") ? context.options["topic"].as<std::string>() : std::string();
  if (topic.empty()) {
    fmt::print(context.out, "Commands:\n");
    for (const auto& c : commands()) fmt::print(context.out, "  {:<8} {}\n", c.name, c.summary);
    fmt::print(context.out, "\n`respbench help config` lists the keys of respbench.conf.\n");
    return k_exit_ok;
  }
  if (topic != "config") throw CommandError(k_exit_invalid, fmt::format("no help on \"{}\"; try `respbench help config`", topic));
  fmt::print(context.out, "Keys of respbench.conf ([section] then key = value):\n\n");
  for (const auto& key : config_keys()) {
    std::string def = key.required ? "required" : key.default_value.empty() ? "empty" : fmt::format("default {}", key.default_value);
    fmt::print(context.out, "  {:<28} {}{}\n  {:<28} ({})\n", key.name, key.help, key.repeatable ? " (repeatable)" : "", "",
               def);
  }
  return k_exit_ok;
}

}  // namespace respbench
