#pragma once
// What every command gets and how commands are listed. A command is a row in one table
// (commands.cpp): its name, a line of help, its options and the function that runs it.

#include <filesystem>
#include <iosfwd>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "cli/cli.hpp"
#include "util/diagnostics.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench {

namespace po = boost::program_options;

// Thrown to abort a command; caught once in run_cli, printed as "respbench: error: …".
class CommandError : public std::runtime_error {
 public:
  CommandError(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  ExitCode code() const { return m_code; }

 private:
  ExitCode m_code;
};

struct Context {
  std::filesystem::path study_dir;
  std::string now_text;  // --now as given; empty: the system clock
  bool quiet = false;
  po::variables_map options;  // the command's own options
  std::ostream& out;
  std::ostream& err;

  // The one clock every command reads (DESIGN §6): --now when given — read in `zone` when it
  // has no UTC offset — else the system's. Throws CommandError for an unreadable --now.
  Instant now(const date::time_zone* zone) const;

  // Prints each diagnostic on its own line to err, sorted by file and line.
  void print_diagnostics(const Diagnostics& diags) const;

  // A message for the user on out, unless --quiet.
  void say(std::string_view text) const;
};

struct Command {
  std::string_view name;
  std::string_view arguments;  // e.g. "DIR", shown in usage
  std::string_view summary;
  void (*declare)(po::options_description& options, po::positional_options_description& positional);
  int (*run)(Context& context);
};

// Every command, in the order `respbench --help` lists them.
std::span<const Command> commands();

// Declarations of the commands' parts (one file each).
void declare_init(po::options_description&, po::positional_options_description&);
int run_init(Context&);
void declare_check(po::options_description&, po::positional_options_description&);
int run_check(Context&);
void declare_plan(po::options_description&, po::positional_options_description&);
int run_plan(Context&);
void declare_run(po::options_description&, po::positional_options_description&);
int run_run(Context&);
void declare_status(po::options_description&, po::positional_options_description&);
int run_status(Context&);
void declare_review(po::options_description&, po::positional_options_description&);
int run_review(Context&);
void declare_assign(po::options_description&, po::positional_options_description&);
int run_assign(Context&);
void declare_classify(po::options_description&, po::positional_options_description&);
int run_classify(Context&);
void declare_reclassify(po::options_description&, po::positional_options_description&);
int run_reclassify(Context&);
void declare_report(po::options_description&, po::positional_options_description&);
int run_report(Context&);
void declare_explain(po::options_description&, po::positional_options_description&);
int run_explain(Context&);
void declare_help(po::options_description&, po::positional_options_description&);
int run_help(Context&);
void declare_todo(po::options_description&, po::positional_options_description&);
int run_todo(Context&);
void declare_sent(po::options_description&, po::positional_options_description&);
int run_sent(Context&);
void declare_reply(po::options_description&, po::positional_options_description&);
int run_reply(Context&);
void declare_import_messenger(po::options_description&, po::positional_options_description&);
int run_import_messenger(Context&);

}  // namespace respbench
