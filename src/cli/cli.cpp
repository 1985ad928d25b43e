#include "cli/cli.hpp"

#include <algorithm>
#include <array>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/command.hpp"

namespace respbench {
namespace {

constexpr std::array k_commands = {
    Command{"init", "DIR", "Create a new study folder with a template configuration", declare_init, run_init},
    Command{"check", "", "Check the study's files and that it can be planned; writes nothing", declare_check,
            run_check},
    Command{"plan", "", "Plan the inquiries into the ledger (keeps what is planned, adds what is new)",
            declare_plan, run_plan},
    Command{"run", "", "Send what is due, read the answers, close what has ended (for cron)", declare_run,
            run_run},
    Command{"status", "", "Show inquiries per sector, channel and state, and the next due sends", declare_status,
            run_status},
    Command{"review", "", "List the replies waiting for a person (unmatched, ambiguous, uncertain); --all: every reply",
            declare_review, run_review},
    Command{"assign", "REPLY INQUIRY", "Decide which inquiry a reply belongs to (INQUIRY `none`: to no inquiry)",
            declare_assign, run_assign},
    Command{"classify", "REPLY KIND", "Decide a reply's kind: human, auto_ack, ticket_ack, out_of_office, bounce, other",
            declare_classify, run_classify},
    Command{"reclassify", "", "Judge every stored email reply again by the current rules; people's decisions stay",
            declare_reclassify, run_reclassify},
    Command{"todo", "", "List what to post by hand on assisted channels (Facebook …), with the text to paste",
            declare_todo, run_todo},
    Command{"sent", "INQUIRY", "Register an inquiry posted by hand: --ref PERMALINK-OR-ID [--at TIME]", declare_sent,
            run_sent},
    Command{"reply", "INQUIRY", "Enter a reply by hand: --at TIME --kind human|auto_ack|… [--text] [--from]",
            declare_reply, run_reply},
    Command{"import-messenger", "FOLDER", "Import the pages' Messenger answers from the shopper's data export",
            declare_import_messenger, run_import_messenger},
    Command{"report", "", "Write the report: CSV, JSON and one HTML page into reports/ (or --out)", declare_report,
            run_report},
    Command{"explain", "FILE", "Parse and classify one message file (.eml, - for stdin) and say why; no study needed",
            declare_explain, run_explain},
    Command{"help", "[TOPIC]", "Show help: commands, or `help config` for every respbench.conf key", declare_help,
            run_help},
};

po::options_description global_options() {
  po::options_description desc("Global options");
  desc.add_options()
      ("study", po::value<std::string>()->value_name("DIR"), "study folder (default: the current folder)")
      ("now", po::value<std::string>()->value_name("TIME"),
       "use TIME as the clock, ISO 8601 (2026-03-02T10:00+01:00; without offset: study time zone)")
      ("quiet,q", po::bool_switch(), "print only errors")
      ("help,h", po::bool_switch(), "show help for the command")
      ("version", po::bool_switch(), "print the version");
  return desc;
}

constexpr std::string_view k_exit_codes =
    "Exit codes: 0 success, 1 failure, 2 usage error or invalid study (nothing changed),\n"
    "            75 another respbench run holds the study (try again later).\n";

void print_overview(std::ostream& out) {
  fmt::print(out, "respbench {} — benchmark how companies answer their customers\n\n", RESPBENCH_VERSION);
  fmt::print(out, "Usage: respbench [--study DIR] [--now TIME] [--quiet] COMMAND [options]\n\nCommands:\n");
  std::size_t width = 0;
  for (const auto& c : k_commands) width = std::max(width, c.name.size());
  for (const auto& c : k_commands) fmt::print(out, "  {:<{}} {}\n", c.name, width + 1, c.summary);
  out << "\n" << global_options() << "\n" << k_exit_codes << "\nSee `respbench COMMAND --help` for a command's options.\n";
}

void print_command_help(std::ostream& out, const Command& command, const po::options_description& own) {
  fmt::print(out, "Usage: respbench {}{}{} [options]\n\n{}\n\n", command.name, command.arguments.empty() ? "" : " ",
             command.arguments, command.summary);
  if (!own.options().empty()) out << own << "\n";
  out << global_options() << "\n" << k_exit_codes;
}

// The command word: the first argument that is neither an option nor an option's value.
std::ptrdiff_t find_command(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--study" || a == "--now") {
      ++i;
      continue;
    }
    if (!a.starts_with("-")) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

int dispatch(const std::vector<std::string>& all_args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args = all_args;
  auto at = find_command(args);
  const Command* command = nullptr;
  if (at >= 0) {
    for (const auto& c : k_commands) {
      if (c.name == args[static_cast<std::size_t>(at)]) command = &c;
    }
    if (command == nullptr) {
      throw CommandError(k_exit_invalid,
                         fmt::format("unknown command \"{}\"; `respbench --help` lists the commands", args[static_cast<std::size_t>(at)]));
    }
    args.erase(args.begin() + at);
  }

  po::options_description own(command ? fmt::format("Options of {}", command->name) : std::string("Options"));
  po::positional_options_description positional;
  if (command) command->declare(own, positional);
  po::options_description all;
  all.add(global_options()).add(own);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    // `sent --help` must show help, not complain that the required --inquiry is missing:
    // notify() is what checks required options, so it waits until help is ruled out.
    if (!vm["help"].as<bool>()) po::notify(vm);
  } catch (const po::error& e) {
    throw CommandError(k_exit_invalid,
                       fmt::format("{}; see `respbench {}--help`", e.what(), command ? fmt::format("{} ", command->name) : ""));
  }

  if (vm["version"].as<bool>()) {
    fmt::print(out, "respbench {}\n", RESPBENCH_VERSION);
    return k_exit_ok;
  }
  if (command == nullptr) {
    print_overview(vm["help"].as<bool>() ? out : err);
    return vm["help"].as<bool>() ? k_exit_ok : k_exit_invalid;
  }
  if (vm["help"].as<bool>()) {
    print_command_help(out, *command, own);
    return k_exit_ok;
  }

  Context context{std::filesystem::path(vm.count("study") ? vm["study"].as<std::string>() : std::string(".")),
                  vm.count("now") ? vm["now"].as<std::string>() : std::string(),
                  vm["quiet"].as<bool>(),
                  vm,
                  out,
                  err};
  return command->run(context);
}

}  // namespace

std::span<const Command> commands() { return k_commands; }

Instant Context::now(const date::time_zone* zone) const {
  if (now_text.empty()) return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto parsed = parse_instant(now_text, zone);
  if (!parsed) throw CommandError(k_exit_invalid, fmt::format("--now: {}", parsed.error().message));
  return *parsed;
}

void Context::print_diagnostics(const Diagnostics& diags) const {
  for (const auto& d : diags.sorted()) fmt::print(err, "{}\n", format_diagnostic(d));
}

void Context::say(std::string_view text) const {
  if (!quiet) fmt::print(out, "{}", text);
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    return dispatch(args, out, err);
  } catch (const CommandError& e) {
    fmt::print(err, "respbench: error: {}\n", e.what());
    return e.code();
  } catch (const std::exception& e) {
    fmt::print(err, "respbench: error: {}\n", e.what());
    return k_exit_failure;
  }
}

}  // namespace respbench
