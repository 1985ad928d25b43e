// graph_emulator: the Graph API emulator as a program, for demos and manual tests. Serves a
// small sample (one page, one post with comments, a Page token) until interrupted; faults are
// set with POST /__control, counts read with GET /__stats.
//
//   graph_emulator [PORT]     (0 or none: a free port; the base URL is printed)

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "emulator.hpp"

using respbench::graph_emulator::Emulator;
using respbench::graph_emulator::Person;
using respbench::graph_emulator::TokenKind;

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  Emulator emulator(port);
  const char* token = std::getenv("RESPBENCH_FB_TOKEN");
  emulator.add_token(token != nullptr && *token != '\0' ? token : "emulator-page-token", TokenKind::page);
  emulator.add_token("emulator-app-token", TokenKind::app);
  emulator.add_page("19292868552", "Nordlicht Bank AG", "NordlichtBank");
  const Person shopper{"100087654321", "Anna Berger"};
  const Person page{"19292868552", "Nordlicht Bank AG"};
  const auto post = emulator.add_post("19292868552", page, "Unsere neuen Öffnungszeiten", "2026-03-02T08:00:00+0000");
  const auto question = emulator.add_comment(post, shopper, "Wie hoch sind die Kontogebühren?", "2026-03-02T10:15:03+0000");
  emulator.add_comment(question, page, "Hallo Anna, 4,90 € im Monat.", "2026-03-02T11:02:41+0000");
  std::printf("graph emulator on %s (post %s, question %s)\n", emulator.base_url().c_str(), post.c_str(),
              question.c_str());
  std::fflush(stdout);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (g_stop == 0) pause();
  return 0;
}
