// bench_analyze: times the analysis half of `respbench report` on a study folder — the ledger
// read (Ledger::analysis_input) and analyze_study() — and prints a few figures to show the work
// was done. Run it under /usr/bin/time -v for the peak memory (bench/report/README.md).
//
//   bench_analyze DIR [--now 2026-03-25T12:00:00Z]

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "analysis/analyze.hpp"
#include "analysis/input.hpp"
#include "ledger/ledger.hpp"
#include "study/config.hpp"
#include "util/diagnostics.hpp"
#include "util/files.hpp"
#include "util/time.hpp"

using namespace respbench;

int main(int argc, char** argv) {
  if (argc != 2 && argc != 4) {
    fmt::print(stderr, "usage: bench_analyze DIR [--now ISO]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const Instant now = parse_instant(argc == 4 ? argv[3] : "2026-03-25T12:00:00Z", nullptr).value();
  using clock = std::chrono::steady_clock;
  const auto seconds_since = [](clock::time_point t) {
    return std::chrono::duration<double>(clock::now() - t).count();
  };
  // CPU seconds of this process: on a shared machine the wall clock also counts the others.
  const auto cpu = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };

  const auto t0 = clock::now();
  Diagnostics diags;
  auto text = read_file(dir / "respbench.conf");
  if (!text) {
    fmt::print(stderr, "{}\n", text.error().message);
    return 1;
  }
  const auto config = parse_config(*text, "respbench.conf", diags);
  if (!config) {
    fmt::print(stderr, "respbench.conf is not valid\n");
    return 1;
  }
  auto ledger = open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing);
  if (!ledger) {
    fmt::print(stderr, "{}\n", ledger.error().message);
    return 1;
  }
  AnalysisOptions options = analysis_options(*config, now);
  const auto t1 = clock::now();
  const double c1 = cpu();
  auto input = (*ledger)->analysis_input(options.max_quoted_replies);
  if (!input) {
    fmt::print(stderr, "{}\n", input.error().message);
    return 1;
  }
  const double read_s = seconds_since(t1);
  const double read_cpu = cpu() - c1;
  const std::size_t companies = input->companies.size();
  const std::size_t inquiries = input->inquiries.size();
  const std::size_t quoted = input->quoted_replies.size();
  const auto t2 = clock::now();
  const double c2 = cpu();
  const StudyFigures figures = analyze_study(std::move(*input), options);
  const double analyze_s = seconds_since(t2);
  const double analyze_cpu = cpu() - c2;

  fmt::print("read    {:.3f} s, {:.3f} s CPU ({} companies, {} inquiries, {} quoted replies)\n", read_s, read_cpu,
             companies, inquiries, quoted);
  fmt::print("analyze {:.3f} s, {:.3f} s CPU ({} groups, {} company rows, {} comparisons)\n", analyze_s, analyze_cpu,
             figures.groups.size(), figures.companies.size(), figures.comparison.size());
  fmt::print("total  {:.3f} s (with opening the ledger and the config)\n", seconds_since(t0));
  for (const GroupFigures& g : figures.overall) {
    fmt::print("{:<9} reach {:.3f}  answer rate {:.3f} [{:.3f}, {:.3f}]  k of n {}  P(<=24h) {:.3f}  "
               "median {:.2f} h ({} curve points), business median {:.2f} h\n",
               to_string(g.channel), g.reachability.estimate.value_or(0), g.answer_rate.estimate.value_or(0),
               g.answer_rate.low, g.answer_rate.high, fmt::join(g.k_of_n, "/"),
               g.calendar.at_thresholds.size() > 2 ? g.calendar.at_thresholds[2].estimate : 0.0,
               g.calendar.median_hours.value_or(-1), g.calendar.curve.size(), g.business.median_hours.value_or(-1));
  }
  return 0;
}
