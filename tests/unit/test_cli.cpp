// The commands end to end, in-process: init → check → plan → status, refusals with their
// exit codes, and that a refused study leaves nothing behind.
#include <doctest/doctest.h>

#include <fstream>

#include <rapidjson/document.h>

#include "cli/cli.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"
#include "util/lock.hpp"

using namespace respbench;
using respbench::test::run_cli;
using respbench::test::TempDir;

namespace fs = std::filesystem;

namespace {

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

const std::string k_now = "2026-03-01T18:00";

}  // namespace

TEST_CASE("init, check, plan and status work on a new study") {
  TempDir tmp;
  const auto dir = (tmp / "s").string();
  auto init = run_cli({"init", dir, "--now", "2026-11-22T12:00:00Z"});
  REQUIRE(init.exit_code == k_exit_ok);
  CHECK(fs::exists(tmp / "s/respbench.conf"));
  CHECK(fs::exists(tmp / "s/companies.csv"));
  CHECK(fs::is_directory(tmp / "s/reports"));
  // The Monday after 22 November 2026 (a Sunday).
  CHECK(test::read_text(tmp / "s/respbench.conf").find("start = 2026-11-23") != std::string::npos);

  auto check = run_cli({"check", "--study", dir, "--now", "2026-11-22T12:00:00Z"});
  CHECK(check.exit_code == k_exit_ok);
  CHECK(check.out.find("15 more to plan") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "s/respbench.db"));  // check writes nothing

  auto plan = run_cli({"plan", "--study", dir, "--now", "2026-11-22T12:00:00Z"});
  CHECK(plan.exit_code == k_exit_ok);
  CHECK(plan.out.find("Planned 15 new inquiries for 2 companies") != std::string::npos);

  auto status = run_cli({"status", "--study", dir, "--now", "2026-11-22T12:00:00Z", "--json"});
  REQUIRE(status.exit_code == k_exit_ok);
  auto doc = parse_json(status.out);
  CHECK(doc["totals"]["planned"].GetInt64() == 15);
  CHECK(doc["totals"]["all"].GetInt64() == 15);
  CHECK(doc["overdue_count"].GetInt64() == 0);
  CHECK(doc["next_due"].Size() == 10);
  CHECK(std::string(doc["timezone"].GetString()) == "Europe/Berlin");

  SUBCASE("init never overwrites a study") {
    auto again = run_cli({"init", dir});
    CHECK(again.exit_code == k_exit_invalid);
    CHECK(again.err.find("never overwrites") != std::string::npos);
  }
  SUBCASE("status shows overdue inquiries once their time has passed") {
    auto later = run_cli({"status", "--study", dir, "--now", "2026-11-25T12:00:00Z", "--json"});
    auto d = parse_json(later.out);
    CHECK(d["overdue_count"].GetInt64() > 0);
    CHECK(d["overdue_count"].GetInt64() + static_cast<std::int64_t>(d["next_due"].Size()) <= 15);
    auto text = run_cli({"status", "--study", dir, "--now", "2026-11-25T12:00:00Z"});
    CHECK(text.out.find("overdue") != std::string::npos);
  }
}

TEST_CASE("the sample study checks and plans companies x offered channels x 5 inquiries") {
  TempDir tmp;
  test::copy_sample_study(tmp.path());
  auto check = run_cli({"check", "--study", tmp.path().string(), "--now", k_now});
  CHECK(check.exit_code == k_exit_ok);
  CHECK(check.out.find("48 companies in 6 sectors; 45 offer email, 31 a Facebook page") != std::string::npos);

  auto plan = run_cli({"plan", "--study", tmp.path().string(), "--now", k_now});
  REQUIRE(plan.exit_code == k_exit_ok);
  CHECK(plan.out.find("Planned 380 new inquiries") != std::string::npos);

  SUBCASE("planning again adds nothing") {
    auto again = run_cli({"plan", "--study", tmp.path().string(), "--now", k_now});
    CHECK(again.exit_code == k_exit_ok);
    CHECK(again.out.find("Nothing new to plan") != std::string::npos);
  }
  SUBCASE("a company added to companies.csv is planned, the rest kept") {
    auto ledger = open_sqlite_ledger(tmp / "respbench.db", LedgerOpen::existing);
    REQUIRE(ledger);
    auto before = (*ledger)->inquiries({});
    REQUIRE(before);
    {
      std::ofstream csv(tmp / "companies.csv", std::ios::app);
      csv << "neu-telekom,Neu Telekom GmbH,telecoms,service@neu-telekom.test,NeuTelekomTest,,,DE,\n";
    }
    auto again = run_cli({"plan", "--study", tmp.path().string(), "--now", "2026-03-05T12:00:00Z"});
    CHECK(again.exit_code == k_exit_ok);
    CHECK(again.out.find("Planned 10 new inquiries for 1 companies (380 were planned already)") != std::string::npos);
    auto after = (*ledger)->inquiries({});
    REQUIRE(after);
    CHECK(after->size() == 390);
    for (std::size_t i = 0; i < before->size(); ++i) {
      auto same = std::find_if(after->begin(), after->end(), [&](const InquiryRecord& r) { return r.id == (*before)[i].id; });
      REQUIRE(same != after->end());
      CHECK(same->planned_at == (*before)[i].planned_at);
      CHECK(same->probe_id == (*before)[i].probe_id);
    }
  }
}

TEST_CASE("a companies.csv with a duplicate id, a bad address and an unterminated quote is refused whole") {
  TempDir tmp;
  test::copy_sample_study(tmp.path());
  test::write_text(tmp / "companies.csv",
                   "id,name,sector,email,facebook\n"
                   "alpha,Alpha AG,banks,service@alpha.test,\n"                     // line 2
                   "beta,Beta AG,banks,service@@beta.test,\n"                       // line 3: bad address
                   "alpha,Alpha Zwei AG,banks,info@alpha2.test,\n"                  // line 4: duplicate id
                   "gamma,\"Gamma, Delta & Co,banks,service@gamma.test,\n"          // line 5: unterminated quote
                   "epsilon,Epsilon AG,banks,service@epsilon.test,EpsilonPage\n");  // line 6: still read
  for (std::string command : {"check", "plan"}) {
    INFO("command ", command);
    auto r = run_cli({command, "--study", tmp.path().string(), "--now", k_now});
    CHECK(r.exit_code == k_exit_invalid);
    CHECK(r.err.find("companies.csv:3:20: \"service@@beta.test\" is not an email address") != std::string::npos);
    CHECK(r.err.find("companies.csv:4:1: duplicate id \"alpha\" (first on line 2)") != std::string::npos);
    CHECK(r.err.find("companies.csv:5:7: unterminated quoted field") != std::string::npos);
    CHECK(count_lines_with(r.err, "companies.csv:") == 3);
    CHECK(r.err.find("has 3 errors; nothing was changed") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "respbench.db"));
  }
}

TEST_CASE("errors in all three study files are reported in one pass") {
  TempDir tmp;
  test::copy_sample_study(tmp.path());
  auto conf = test::read_text(tmp / "respbench.conf");
  conf.replace(conf.find("timezone = Europe/Berlin"), 24, "timezone = Europe/Berlinn");
  conf += "\n[extra]\ncolour = blue\n";
  test::write_text(tmp / "respbench.conf", conf);
  test::write_text(tmp / "probes/de/banks-account-fees.txt",
                   "Subject: Gebühren\nChannels: email\nSectors: banks\nLanguage: de\n\nHallo {company.nam},\n");
  auto csv = test::read_text(tmp / "companies.csv");
  csv.replace(csv.find("service@nordlicht-bank.test"), 27, "nordlicht-bank.test");
  test::write_text(tmp / "companies.csv", csv);

  auto r = run_cli({"check", "--study", tmp.path().string(), "--now", k_now});
  CHECK(r.exit_code == k_exit_invalid);
  CHECK(r.err.find("respbench.conf:6:12: unknown time zone \"Europe/Berlinn\"") != std::string::npos);
  CHECK(r.err.find("unknown key \"extra.colour\"") != std::string::npos);
  CHECK(r.err.find("probes/de/banks-account-fees.txt:6:7: unknown placeholder {company.nam}") != std::string::npos);
  CHECK(r.err.find("companies.csv:2:") != std::string::npos);
}

TEST_CASE("a second writer finds the study locked and exits 75, quietly with --quiet") {
  TempDir tmp;
  test::copy_sample_study(tmp.path());
  auto lock = StudyLock::try_acquire(tmp / "respbench.lock");
  REQUIRE(lock);
  REQUIRE(lock->has_value());

  auto r = run_cli({"plan", "--study", tmp.path().string(), "--now", k_now});
  CHECK(r.exit_code == k_exit_locked);
  CHECK(r.out.find("another respbench is working on") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "respbench.db"));

  auto quiet = run_cli({"plan", "--study", tmp.path().string(), "--now", k_now, "--quiet"});
  CHECK(quiet.exit_code == k_exit_locked);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());

  lock->reset();  // released: the next plan goes ahead
  CHECK(run_cli({"plan", "--study", tmp.path().string(), "--now", k_now}).exit_code == k_exit_ok);
}

TEST_CASE("usage errors and missing ledgers have their exit codes and clear messages") {
  TempDir tmp;
  test::copy_sample_study(tmp.path());
  const auto study = tmp.path().string();

  auto unknown = run_cli({"frobnicate"});
  CHECK(unknown.exit_code == k_exit_invalid);
  CHECK(unknown.err.find("unknown command \"frobnicate\"") != std::string::npos);

  auto bad_option = run_cli({"plan", "--study", study, "--bogus"});
  CHECK(bad_option.exit_code == k_exit_invalid);
  CHECK(bad_option.err.find("respbench plan --help") != std::string::npos);

  auto bad_now = run_cli({"check", "--study", study, "--now", "yesterday"});
  CHECK(bad_now.exit_code == k_exit_invalid);
  CHECK(bad_now.err.find("--now: expected an ISO 8601 time") != std::string::npos);

  auto no_ledger = run_cli({"status", "--study", study});
  CHECK(no_ledger.exit_code == k_exit_failure);
  CHECK(no_ledger.err.find("run `respbench plan` first") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "respbench.db"));

  auto missing = run_cli({"check", "--study", (tmp / "nowhere").string()});
  CHECK(missing.exit_code == k_exit_invalid);

  auto version = run_cli({"--version"});
  CHECK(version.exit_code == k_exit_ok);
  CHECK(version.out == std::string("respbench ") + RESPBENCH_VERSION + "\n");

  auto help = run_cli({"--help"});
  CHECK(help.exit_code == k_exit_ok);
  for (auto c : {"init", "check", "plan", "status", "75"}) CHECK(help.out.find(c) != std::string::npos);

  auto plan_help = run_cli({"plan", "--help"});
  CHECK(plan_help.exit_code == k_exit_ok);
  CHECK(plan_help.out.find("Usage: respbench plan") != std::string::npos);
}
