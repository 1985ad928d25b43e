// respbench init DIR: a new study folder that check and plan accept as it is.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.hpp"
#include "study/init_template.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;

namespace respbench {

void declare_init(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()("dir", po::value<std::string>()->value_name("DIR"), "the folder to create the study in");
  positional.add("dir", 1);
}

int run_init(Context& context) {
  if (!context.options.count("dir")) throw CommandError(k_exit_invalid, "init needs the folder: respbench init DIR");
  const fs::path dir = context.options["dir"].as<std::string>();

  // Start on the Monday after today, so that a study made now can be planned now.
  const auto* zone = date::locate_zone("Europe/Berlin");
  const auto today = date::floor<date::days>(date::zoned_seconds(zone, context.now(zone)).get_local_time());
  const auto next_monday = today + (date::Monday - date::weekday(today));
  const auto start = date::year_month_day{next_monday == today ? today + date::weeks{1} : next_monday};

  const auto files = study_template(start);
  std::vector<std::string> present;
  for (const auto& f : files) {
    if (fs::exists(dir / f.path)) present.push_back(f.path);
  }
  if (!present.empty()) {
    throw CommandError(k_exit_invalid, fmt::format("{} already holds {}; init never overwrites a study",
                                                   dir.string(), fmt::join(present, ", ")));
  }
  std::error_code ec;
  fs::create_directories(dir / "reports", ec);
  if (ec) throw CommandError(k_exit_failure, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  for (const auto& f : files) {
    fs::create_directories((dir / f.path).parent_path(), ec);
    if (ec) throw CommandError(k_exit_failure, fmt::format("cannot create {}: {}", (dir / f.path).parent_path().string(), ec.message()));
    if (auto r = write_file_atomic(dir / f.path, f.content); !r) throw CommandError(k_exit_failure, r.error().message);
  }
  context.say(fmt::format(
      "Created a study in {0}:\n"
      "  respbench.conf   settings (start {1}; edit the name, mail servers, personas)\n"
      "  companies.csv    the panel: one row per company\n"
      "  probes/          one file per question\n"
      "Next: respbench check --study {0}, then respbench plan --study {0}\n",
      dir.string(), date::format("%F", start)));
  return k_exit_ok;
}

}  // namespace respbench
