// respbench help [config]: the commands, or every respbench.conf key from the one key table.

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/command.hpp"
#include "study/config_keys.hpp"

namespace respbench {

void declare_help(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("topic", po::value<std::string>()->value_name("TOPIC"), "config: the keys of respbench.conf")(
      "markdown", po::bool_switch(), "print the key table as Markdown (docs/config-keys.md is made so)");
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
  const bool markdown = context.options["markdown"].as<bool>();
  if (markdown) {
    fmt::print(context.out,
               "# respbench.conf keys\n\nMade by `respbench help config --markdown` from the one key table "
               "(src/study/config_keys.cpp); do not edit by hand.\n\n| key | default | meaning |\n|---|---|---|\n");
  } else {
    fmt::print(context.out, "Keys of respbench.conf ([section] then key = value):\n\n");
  }
  for (const auto& key : config_keys()) {
    std::string def = key.required ? "required" : key.default_value.empty() ? "empty" : std::string(key.default_value);
    std::string help = fmt::format("{}{}", key.help, key.repeatable ? " (repeatable)" : "");
    if (markdown) {
      fmt::print(context.out, "| `{}` | {} | {} |\n", key.name, key.required || key.default_value.empty() ? def : fmt::format("`{}`", def), help);
    } else {
      fmt::print(context.out, "  {:<28} {}\n  {:<28} ({})\n", key.name, help, "", def);
    }
  }
  return k_exit_ok;
}

}  // namespace respbench
