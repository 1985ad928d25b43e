#include "graph_support.hpp"

#include <cstdlib>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "ledger/sqlite_ledger.hpp"

namespace respbench::test {

std::string page_id_of(int index) { return std::to_string(19292868552LL + index); }

FacebookStudy::FacebookStudy(graph_emulator::Emulator& emulator, int companies, int probes, bool numeric_pages,
                             const std::string& extra_config)
    : graph(emulator) {
  graph.add_token(k_fb_page_token, graph_emulator::TokenKind::page);
  graph.add_token(k_fb_app_token, graph_emulator::TokenKind::app);
  write_text(dir / "respbench.conf",
             fmt::format("[study]\nname = Facebook study\nstart = 2026-03-02\nprobes_per_channel = {}\n"
                         "answer_window = 7d\n[schedule]\nmin_spacing = 1h\nbusiness_days = 15\n"
                         "[facebook]\ngraph_url = {}\ntoken_env = {}\ntimeout = 5s\n{}"
                         "[personas]\npersona = Anna Berger <anna.berger@shopper.test>\n",
                         probes, graph.base_url(), k_fb_token_env, extra_config));
  std::string csv = "id,name,sector,email,facebook\n";
  for (int i = 0; i < companies; ++i) {
    const std::string name = fmt::format("Company{:03}", i);
    graph.add_page(page_id_of(i), name + " AG", name);
    csv += fmt::format("c{:03},{} AG,{},,{}\n", i, name, i % 2 ? "banks" : "retail",
                       numeric_pages ? page_id_of(i) : "https://www.facebook.com/" + name);
  }
  write_text(dir / "companies.csv", csv);
  for (int p = 0; p < probes; ++p) {
    write_text(dir / fmt::format("probes/q{}.txt", p),
               fmt::format("Subject: Frage {}\nChannels: facebook\nSectors: *\nLanguage: de\n\nHallo {{company.name}}, "
                           "Frage {}?\n",
                           p, p));
  }
  ::setenv(k_fb_token_env, k_fb_page_token, 1);
  auto planned = run_cli({"plan", "--study", path(), "--now", "2026-03-01T12:00", "--quiet"});
  INFO(planned.err);
  REQUIRE(planned.exit_code == 0);
}

std::unique_ptr<Ledger> FacebookStudy::ledger() const {
  auto ledger = open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing);
  REQUIRE(ledger.has_value());
  return std::move(*ledger);
}

std::vector<InquiryRecord> FacebookStudy::facebook_inquiries() const {
  InquiryFilter filter;
  filter.channel = Channel::facebook;
  return *ledger()->inquiries(filter);
}

void FacebookStudy::register_sent(std::int64_t inquiry_id, const std::string& ref, const std::string& sent_at) const {
  auto ledger = sqlite_ledger::open(dir / "respbench.db", LedgerOpen::existing, sqlite_ledger::migrations());
  INFO((ledger ? std::string() : ledger.error().message));
  REQUIRE(ledger.has_value());
  auto at = parse_instant(sent_at, nullptr);
  REQUIRE(at.has_value());
  auto update = sqlite::Statement::prepare((*ledger)->database(),
                                           "UPDATE inquiries SET state = 'sent', sent_at = ?2, external_ref = ?3 "
                                           "WHERE id = ?1 AND channel = 'facebook'",
                                           "register a Facebook inquiry as sent");
  REQUIRE(update.has_value());
  REQUIRE(update->execute(inquiry_id, at->time_since_epoch().count(), std::string_view(ref)).has_value());
}

CliResult FacebookStudy::run(const std::string& now) const {
  return run_cli({"run", "--study", path(), "--now", now});
}

}  // namespace respbench::test
