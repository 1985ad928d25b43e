#pragma once
// A small study for the assisted channels' tests: the sample study's configuration and probes
// with a panel of Facebook pages (one company's name holds HTML), and ways to look into its
// ledger.

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "support.hpp"

namespace respbench::test {

inline const std::string k_assisted_companies =
    "id,name,sector,email,facebook\n"
    "nordlicht-bank,Nordlicht <b>Bank</b> AG,banks,,NordlichtBank\n"
    "weissbach-kabel,Weißbach Kabel GmbH,telecoms,,https://www.facebook.com/WeissbachKabel\n"
    "stadtwerke-auenbruch,Stadtwerke Auenbruch GmbH,energy,,StadtwerkeAuenbruch\n";

// The sample study with the Facebook panel above (and `extra_rows` of companies.csv), planned
// at 2026-03-01 18:00 (inquiries from 2026-03-02 to 2026-03-20).
inline void make_assisted_study(const std::filesystem::path& dir, const std::string& extra_rows = "") {
  copy_sample_study(dir);
  write_text(dir / "companies.csv", k_assisted_companies + extra_rows);
  auto plan = run_cli({"plan", "--study", dir.string(), "--now", "2026-03-01T18:00"});
  REQUIRE_MESSAGE(plan.exit_code == 0, plan.err);
}

inline std::unique_ptr<sqlite_ledger::SqliteLedger> open_test_ledger(const std::filesystem::path& dir) {
  auto ledger = sqlite_ledger::open(dir / "respbench.db", LedgerOpen::existing, sqlite_ledger::migrations());
  REQUIRE_MESSAGE(ledger.has_value(), (ledger ? "" : ledger.error().message));
  return std::move(*ledger);
}

inline std::vector<InquiryRecord> inquiries_of(const std::filesystem::path& dir, InquiryFilter filter = {}) {
  auto list = open_test_ledger(dir)->inquiries(filter);
  REQUIRE(list.has_value());
  return *list;
}

inline std::vector<InquiryRecord> in_state(const std::filesystem::path& dir, InquiryState state) {
  InquiryFilter filter;
  filter.state = state;
  return inquiries_of(dir, filter);
}

inline InquiryRecord inquiry_by_id(const std::filesystem::path& dir, std::int64_t id) {
  auto found = open_test_ledger(dir)->inquiry_by_id(id);
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  return **found;
}

// The first inquiry of `company` in `state` (asked as `persona`, when given).
inline InquiryRecord first_inquiry(const std::filesystem::path& dir, const std::string& company, InquiryState state,
                                   const std::string& persona = "") {
  InquiryFilter filter;
  filter.company_id = company;
  filter.state = state;
  for (const auto& i : inquiries_of(dir, filter)) {
    if (persona.empty() || i.persona.starts_with(persona)) return i;
  }
  FAIL("no inquiry of " << company << " in state " << to_string(state) << " as " << persona);
  return {};
}

inline std::int64_t count_sql(const std::filesystem::path& dir, const std::string& sql) {
  auto ledger = open_test_ledger(dir);
  auto n = sqlite::query_int64(ledger->database(), sql, "count in a test");
  REQUIRE(n.has_value());
  return *n;
}

inline std::string text_sql(const std::filesystem::path& dir, const std::string& sql) {
  auto ledger = open_test_ledger(dir);
  auto t = sqlite::query_text(ledger->database(), sql, "read in a test");
  REQUIRE_MESSAGE(t.has_value(), (t ? "" : t.error().message));
  return *t;
}

}  // namespace respbench::test
