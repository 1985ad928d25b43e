// Writes index.html from the hand-built figures of tests/unit/report_figures.cpp into a folder,
// for tests/report/check-html to open in a real browser.
// Usage: report_fixture DIR [de|en]

#include <cstdio>
#include <filesystem>
#include <string>

#include "report/html_report.hpp"
#include "report_figures.hpp"
#include "util/files.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: report_fixture DIR [de|en]\n");
    return 2;
  }
  const auto lang = respbench::parse_lang(argc > 2 ? argv[2] : "de");
  if (!lang) {
    std::fprintf(stderr, "report_fixture: unknown language\n");
    return 2;
  }
  const std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  auto written = respbench::write_file_atomic(dir / "index.html",
                                              respbench::html_report(respbench::test::sample_figures(), *lang));
  if (!written) {
    std::fprintf(stderr, "report_fixture: %s\n", written.error().message.c_str());
    return 1;
  }
  return 0;
}
