#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "ledger/ledger.hpp"
#include "ledger/sqlite_handle.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "support.hpp"

using respbench::Channel;
using respbench::Company;
using respbench::InquiryFilter;
using respbench::InquiryRecord;
using respbench::InquiryState;
using respbench::Instant;
using respbench::LedgerOpen;
using respbench::NewInquiry;
using respbench::Probe;
using respbench::Result;
using respbench::RunSummary;
using respbench::StateCount;
using respbench::sqlite_ledger::Migration;
using respbench::sqlite_ledger::SqliteLedger;
namespace fs = std::filesystem;
using respbench::test::TempDir;
namespace sqlite = respbench::sqlite;

namespace {

template <class T>
std::string error_of(const Result<T>& result) {
  return result ? std::string() : result.error().message;
}

Instant at(std::int64_t unix_seconds) { return Instant(std::chrono::seconds(unix_seconds)); }

constexpr std::int64_t k_monday = 1'772'442'000;  // 2026-03-02T09:00:00Z

Company company(std::string id, std::string sector) {
  Company c;
  c.id = id;
  c.name = "Firma " + id;
  c.sector = std::move(sector);
  c.email = "service@" + id + ".test";
  c.facebook = id + "page";
  c.reply_domains = {id + ".test", "mail." + id + ".test"};
  c.website = "https://" + id + ".test";
  c.country = "DE";
  c.notes = "fictional";
  return c;
}

Probe probe(std::string id) {
  Probe p;
  p.id = std::move(id);
  p.subject = "Frage zu Gebühren";
  p.channels = {Channel::email, Channel::facebook};
  p.sectors = {"bank", "insurer"};
  p.language = "de";
  p.body = "Guten Tag {company.name},\nwas kostet …?\n";
  return p;
}

NewInquiry inquiry(std::string company_id, Channel channel, std::string probe_id,
                   std::int64_t planned) {
  return NewInquiry{std::move(company_id), channel, std::move(probe_id),
                    "Anna Berger <anna.berger@example.org>", at(planned)};
}

// Two banks and an insurer, two probes, every (company, channel, probe): 12 inquiries, an hour
// apart in the order of the list.
struct Study {
  std::vector<Company> companies{company("acme", "bank"), company("bravo", "bank"),
                                 company("corvus", "insurer")};
  std::vector<Probe> probes{probe("fees"), probe("hours")};
  std::vector<NewInquiry> inquiries;

  Study() {
    std::int64_t planned = k_monday;
    for (const auto& c : companies) {
      for (const auto& p : probes) {
        for (Channel ch : {Channel::email, Channel::facebook}) {
          inquiries.push_back(inquiry(c.id, ch, p.id, planned));
          planned += 3600;
        }
      }
    }
  }
};

std::unique_ptr<SqliteLedger> open_ledger(
    const fs::path& path, LedgerOpen mode = LedgerOpen::create_if_missing,
    std::span<const Migration> steps = respbench::sqlite_ledger::migrations()) {
  auto ledger = respbench::sqlite_ledger::open(path, mode, steps);
  REQUIRE_MESSAGE(ledger.has_value(), error_of(ledger));
  return std::move(*ledger);
}

// A second connection to the file, as another process (or a curious analyst) would have.
sqlite::Database raw_connection(const fs::path& path) {
  auto db = sqlite::Database::open(path, sqlite::OpenMode::existing);
  REQUIRE_MESSAGE(db.has_value(), error_of(db));
  return std::move(*db);
}

void exec(sqlite::Database& db, std::string_view sql) {
  auto r = db.exec(sql, "run test SQL");
  REQUIRE_MESSAGE(r.has_value(), error_of(r));
}

std::int64_t query_int(sqlite::Database& db, std::string_view sql) {
  auto value = sqlite::query_int64(db, sql, "run test SQL");
  REQUIRE_MESSAGE(value.has_value(), error_of(value));
  return *value;
}

std::string query_text(sqlite::Database& db, std::string_view sql) {
  auto value = sqlite::query_text(db, sql, "run test SQL");
  REQUIRE_MESSAGE(value.has_value(), error_of(value));
  return *value;
}

std::vector<InquiryRecord> inquiries_of(SqliteLedger& ledger, const InquiryFilter& filter = {}) {
  auto records = ledger.inquiries(filter);
  REQUIRE_MESSAGE(records.has_value(), error_of(records));
  return *records;
}

std::vector<std::int64_t> ids_of(const std::vector<InquiryRecord>& records) {
  std::vector<std::int64_t> ids;
  for (const auto& r : records) ids.push_back(r.id);
  return ids;
}

void write_file(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  REQUIRE(out.good());
}

}  // namespace

TEST_SUITE_BEGIN("ledger.sqlite");

TEST_CASE("a new ledger is created at schema 1 and keeps its data when reopened") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  const Study study;
  {
    auto ledger = open_ledger(path);
    CHECK(fs::exists(path));
    CHECK(ledger->schema_version() == 1);
    auto inserted = ledger->record_plan(study.companies, study.probes, study.inquiries);
    REQUIRE_MESSAGE(inserted.has_value(), error_of(inserted));
    CHECK(*inserted == 12);
  }

  auto ledger = open_ledger(path, LedgerOpen::existing);
  CHECK(ledger->schema_version() == 1);

  auto companies = ledger->companies();
  REQUIRE_MESSAGE(companies.has_value(), error_of(companies));
  REQUIRE(companies->size() == 3);
  const Company& acme = companies->front();
  CHECK(acme.id == "acme");
  CHECK(acme.name == "Firma acme");
  CHECK(acme.sector == "bank");
  CHECK(acme.email == "service@acme.test");
  CHECK(acme.facebook == "acmepage");
  CHECK(acme.reply_domains == std::vector<std::string>{"acme.test", "mail.acme.test"});
  CHECK(acme.website == "https://acme.test");
  CHECK(acme.country == "DE");
  CHECK(acme.notes == "fictional");
  CHECK((*companies)[2].id == "corvus");

  const auto records = inquiries_of(*ledger);
  REQUIRE(records.size() == 12);
  const InquiryRecord& first = records.front();
  CHECK(first.company_id == "acme");
  CHECK(first.channel == Channel::email);
  CHECK(first.probe_id == "fees");
  CHECK(first.persona == "Anna Berger <anna.berger@example.org>");
  CHECK(first.planned_at == at(k_monday));
  CHECK(first.state == InquiryState::planned);
  CHECK_FALSE(first.sent_at.has_value());
  CHECK(first.message_id.empty());
  CHECK(first.external_ref.empty());
  CHECK(records[1].channel == Channel::facebook);

  auto& db = ledger->database();
  CHECK(query_text(db, "SELECT value FROM meta WHERE key = 'application'") == "respbench");
  CHECK(query_text(db, "SELECT value FROM meta WHERE key = 'created_at'").size() == 20);
  CHECK(query_text(db, "SELECT channels || '|' || sectors FROM probes WHERE id = 'fees'")
        == "email,facebook|bank,insurer");
}

TEST_CASE("the connection runs with WAL, FULL sync, foreign keys and a busy timeout") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  auto& db = ledger->database();
  CHECK(query_text(db, "PRAGMA journal_mode") == "wal");
  CHECK(query_int(db, "PRAGMA foreign_keys") == 1);
  CHECK(query_int(db, "PRAGMA synchronous") == 2);  // FULL
  CHECK(query_int(db, "PRAGMA busy_timeout") == 5000);
  CHECK(query_int(db, "PRAGMA application_id") == respbench::sqlite_ledger::k_application_id);
  CHECK(query_int(db, "PRAGMA user_version") == 1);
}

TEST_CASE("opening a missing ledger as `existing` fails and creates nothing") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
  REQUIRE_FALSE(ledger.has_value());
  CHECK(ledger.error().message
        == fmt::format("no ledger at {} yet; run `respbench plan` first", path.string()));
  CHECK_FALSE(fs::exists(path));
  CHECK_FALSE(fs::exists(dir / "respbench.db-wal"));

  SUBCASE("nor is an empty file taken for a ledger") {
    write_file(path, "");
    auto again = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().message.starts_with("no ledger at "));
    CHECK(fs::file_size(path) == 0);
  }
}

TEST_CASE("create_if_missing creates the file but not its folder") {
  TempDir dir;
  const fs::path path = dir / "no-such-folder" / "respbench.db";
  auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::create_if_missing);
  REQUIRE_FALSE(ledger.has_value());
  CHECK(ledger.error().message.find("does not exist") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "no-such-folder"));

  auto folder = respbench::open_sqlite_ledger(dir / "", LedgerOpen::create_if_missing);
  REQUIRE_FALSE(folder.has_value());
  CHECK(folder.error().message.find("is a folder") != std::string::npos);
}

TEST_CASE("files that are not respbench ledgers are refused and left alone") {
  TempDir dir;
  const fs::path path = dir / "other.db";

  SUBCASE("another application's SQLite database") {
    {
      auto db = sqlite::Database::open(path, sqlite::OpenMode::create_if_missing);
      REQUIRE(db.has_value());
      exec(*db, "CREATE TABLE photos (id INTEGER PRIMARY KEY); PRAGMA user_version = 3;");
    }
    auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::create_if_missing);
    REQUIRE_FALSE(ledger.has_value());
    CHECK(ledger.error().message
          == path.string() + " is not a respbench ledger (an SQLite database of something else)");
    auto db = raw_connection(path);
    CHECK(query_int(db, "PRAGMA user_version") == 3);
    CHECK(query_text(db, "PRAGMA journal_mode") == "delete");  // not switched to WAL
    CHECK(query_int(db, "SELECT count(*) FROM sqlite_schema") == 1);
  }

  SUBCASE("an SQLite database with another application id") {
    {
      auto db = sqlite::Database::open(path, sqlite::OpenMode::create_if_missing);
      REQUIRE(db.has_value());
      exec(*db, "PRAGMA application_id = 1196444487");  // GeoPackage's "GPKG"
    }
    auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
    REQUIRE_FALSE(ledger.has_value());
    CHECK(ledger.error().message
          == path.string() + " is not a respbench ledger (an SQLite database with application id "
                             "0x47504b47)");
  }

  SUBCASE("a file that is no SQLite database at all") {
    write_file(path, "id,name,sector\nacme,ACME,bank\n");
    auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::create_if_missing);
    REQUIRE_FALSE(ledger.has_value());
    CHECK(ledger.error().message
          == path.string() + " is not a respbench ledger (not an SQLite database)");
    CHECK(fs::file_size(path) == 30);
  }

  SUBCASE("garbage behind a correct SQLite header") {
    write_file(path, std::string("SQLite format 3") + '\0' + std::string(600, 'x'));
    auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::create_if_missing);
    REQUIRE_FALSE(ledger.has_value());
    CHECK(ledger.error().message
          == path.string() + ": cannot recognise it as a respbench ledger: file is not a database");
  }
}

TEST_CASE("a ledger from a newer respbench is refused") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  open_ledger(path);
  {
    auto db = raw_connection(path);
    exec(db, "PRAGMA user_version = 7");
  }
  auto ledger = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
  REQUIRE_FALSE(ledger.has_value());
  CHECK(ledger.error().message.ends_with(
      "ledger schema 7 is newer than this respbench understands (1); update respbench"));
}

TEST_CASE("a v1 ledger is migrated by a newer step list, once") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  {
    auto ledger = open_ledger(path);
    const Study study;
    REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());
  }

  std::vector<Migration> steps(respbench::sqlite_ledger::migrations().begin(),
                               respbench::sqlite_ledger::migrations().end());
  steps.push_back({2, "count the visits",
                   "CREATE TABLE visits (n INTEGER NOT NULL); INSERT INTO visits VALUES (1);"
                   "ALTER TABLE inquiries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"});

  for (int reopen = 0; reopen < 2; ++reopen) {
    CAPTURE(reopen);
    auto ledger = open_ledger(path, LedgerOpen::existing, steps);
    CHECK(ledger->schema_version() == 2);
    auto& db = ledger->database();
    CHECK(query_int(db, "PRAGMA user_version") == 2);
    CHECK(query_int(db, "SELECT count(*) FROM visits") == 1);
    CHECK(query_int(db, "SELECT sum(priority) FROM inquiries") == 0);
    CHECK(inquiries_of(*ledger).size() == 12);
  }

  // The respbench of schema 1 now meets a ledger it does not understand.
  auto old = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
  REQUIRE_FALSE(old.has_value());
  CHECK(old.error().message.ends_with(
      "ledger schema 2 is newer than this respbench understands (1); update respbench"));
}

TEST_CASE("a failing migration step changes nothing") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  open_ledger(path);

  std::vector<Migration> steps(respbench::sqlite_ledger::migrations().begin(),
                               respbench::sqlite_ledger::migrations().end());
  steps.push_back(
      {2, "break halfway", "CREATE TABLE visits (n INTEGER); INSERT INTO nowhere VALUES (1);"});
  auto ledger = respbench::sqlite_ledger::open(path, LedgerOpen::existing, steps);
  REQUIRE_FALSE(ledger.has_value());
  CHECK(ledger.error().message.find("cannot break halfway (schema 2): no such table: nowhere")
        != std::string::npos);

  auto db = raw_connection(path);
  CHECK(query_int(db, "PRAGMA user_version") == 1);
  CHECK(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'visits'") == 0);
}

TEST_CASE("migration steps must be numbered 1, 2, …") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  const Migration gap[] = {{1, "create", "SELECT 1"}, {3, "skip two", "SELECT 1"}};
  auto r = respbench::sqlite_ledger::migrate(ledger->database(), gap);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "ledger migration 2 ('skip two') is numbered 3; expected 2");
}

TEST_CASE("record_plan inserts new inquiries only and leaves planned ones alone") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  Study study;
  REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries) == 12);

  auto& db = ledger->database();
  exec(db,
       "UPDATE inquiries SET state = 'sent', sent_at = 1772442060, message_id = '<a@x>' "
       "WHERE company_id = 'acme' AND channel = 'email' AND probe_id = 'fees'");

  // The same plan again, with a later time for every inquiry and a renamed company.
  for (auto& i : study.inquiries) i.planned_at += std::chrono::days(1);
  study.companies[0].name = "ACME AG";
  auto again = ledger->record_plan(study.companies, study.probes, study.inquiries);
  REQUIRE_MESSAGE(again.has_value(), error_of(again));
  CHECK(*again == 0);

  const auto records = inquiries_of(*ledger);
  REQUIRE(records.size() == 12);
  CHECK(records[0].state == InquiryState::sent);
  CHECK(records[0].sent_at == at(1772442060));
  CHECK(records[0].message_id == "<a@x>");
  CHECK(records[0].planned_at == at(k_monday));  // planned times are not moved either
  CHECK(query_int(db, "SELECT count(*) FROM inquiries WHERE state = 'planned'") == 11);
  // Companies are updated, not duplicated.
  CHECK(query_text(db, "SELECT name FROM companies WHERE id = 'acme'") == "ACME AG");
  CHECK(query_int(db, "SELECT count(*) FROM companies") == 3);

  // One new probe: only its inquiries are new.
  study.probes.push_back(probe("refund"));
  study.inquiries.push_back(inquiry("bravo", Channel::email, "refund", k_monday));
  CHECK(ledger->record_plan(study.companies, study.probes, study.inquiries) == 1);
  CHECK(inquiries_of(*ledger).size() == 13);
}

TEST_CASE("the schema itself allows one inquiry per company, channel and probe") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  const Study study;
  REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());

  auto r = ledger->database().exec(
      "INSERT INTO inquiries (company_id, channel, probe_id, persona, planned_at) "
      "VALUES ('acme', 'email', 'fees', 'Jonas Weber <jonas@example.org>', 0)",
      "insert a duplicate");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("UNIQUE constraint failed: inquiries.company_id, inquiries.channel, "
                               "inquiries.probe_id")
        != std::string::npos);
}

TEST_CASE("foreign keys hold, and a bad inquiry rolls the whole plan back") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  Study study;
  study.inquiries.push_back(inquiry("nobody", Channel::email, "fees", k_monday));

  auto r = ledger->record_plan(study.companies, study.probes, study.inquiries);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("FOREIGN KEY constraint failed") != std::string::npos);
  CHECK(r.error().message.find("nobody email fees") != std::string::npos);

  auto& db = ledger->database();
  CHECK_FALSE(db.in_transaction());
  CHECK(query_int(db, "SELECT count(*) FROM companies") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM probes") == 0);
  CHECK(query_int(db, "SELECT count(*) FROM inquiries") == 0);

  // The ledger is usable afterwards, and the good part goes in once the bad one is gone.
  study.inquiries.pop_back();
  CHECK(ledger->record_plan(study.companies, study.probes, study.inquiries) == 12);

  SUBCASE("an unknown probe is refused too") {
    study.inquiries.push_back(inquiry("acme", Channel::email, "no-such-probe", k_monday));
    CHECK_FALSE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());
    CHECK(query_int(db, "SELECT count(*) FROM inquiries") == 12);
  }
  SUBCASE("and a raw insert on the ledger's connection") {
    auto raw = db.exec(
        "INSERT INTO replies (inquiry_id, channel, source, source_key, received_at, "
        "fetched_at) VALUES (999, 'email', 'imap', '1/1', 0, 0)",
        "insert an orphan reply");
    REQUIRE_FALSE(raw.has_value());
    CHECK(raw.error().message.find("FOREIGN KEY constraint failed") != std::string::npos);
  }
}

TEST_CASE("inquiries() filters and orders by planned time, then id") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  Study study;
  // acme's four inquiries all at the same time, planned last: their ids decide their order.
  for (auto& i : study.inquiries) {
    if (i.company_id == "acme") i.planned_at = at(k_monday + 100 * 3600);
  }
  REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries) == 12);
  auto& db = ledger->database();
  exec(db,
       "UPDATE inquiries SET state = 'answered' WHERE company_id = 'bravo' AND channel = 'email'");
  exec(db, "UPDATE inquiries SET state = 'todo' WHERE channel = 'facebook' AND probe_id = 'hours'");

  const auto all = inquiries_of(*ledger);
  REQUIRE(all.size() == 12);
  for (std::size_t i = 1; i < all.size(); ++i) {
    CAPTURE(i);
    CHECK((all[i - 1].planned_at < all[i].planned_at
           || (all[i - 1].planned_at == all[i].planned_at && all[i - 1].id < all[i].id)));
  }
  CHECK(all.back().company_id == "acme");
  CHECK(ids_of(all).back() == 4);

  InquiryFilter by_state;
  by_state.state = InquiryState::answered;
  const auto answered = inquiries_of(*ledger, by_state);
  REQUIRE(answered.size() == 2);
  CHECK(answered[0].company_id == "bravo");
  CHECK(answered[0].state == InquiryState::answered);

  InquiryFilter by_channel;
  by_channel.channel = Channel::facebook;
  const auto facebook = inquiries_of(*ledger, by_channel);
  CHECK(facebook.size() == 6);
  for (const auto& r : facebook) CHECK(r.channel == Channel::facebook);

  InquiryFilter todo_on_facebook = by_channel;
  todo_on_facebook.state = InquiryState::todo;
  CHECK(inquiries_of(*ledger, todo_on_facebook).size() == 3);

  InquiryFilter by_company;
  by_company.company_id = "corvus";
  CHECK(inquiries_of(*ledger, by_company).size() == 4);

  InquiryFilter due;
  due.planned_before = at(k_monday + 4 * 3600 + 1);  // bravo's first inquiry starts at +4 h
  const auto early = inquiries_of(*ledger, due);
  REQUIRE(early.size() == 1);
  CHECK(early[0].planned_at == at(k_monday + 4 * 3600));

  InquiryFilter limited;
  limited.limit = 5;
  const auto all_ids = ids_of(all);
  CHECK(ids_of(inquiries_of(*ledger, limited))
        == std::vector<std::int64_t>(all_ids.begin(), all_ids.begin() + 5));

  InquiryFilter nothing;
  nothing.company_id = "nobody";
  CHECK(inquiries_of(*ledger, nothing).empty());
}

TEST_CASE("inquiries() refuses names it does not know instead of guessing") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  const Study study;
  REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());
  exec(ledger->database(), "UPDATE inquiries SET channel = 'pigeon' WHERE id = 3");
  auto records = ledger->inquiries({});
  REQUIRE_FALSE(records.has_value());
  CHECK(records.error().message.ends_with("inquiry 3 has an unknown channel 'pigeon'"));
}

TEST_CASE("state_counts groups by sector, channel and state") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  const Study study;
  REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());
  auto& db = ledger->database();
  exec(db,
       "UPDATE inquiries SET state = 'answered' WHERE company_id = 'acme' AND channel = 'email'");
  exec(db,
       "UPDATE inquiries SET state = 'sent' WHERE company_id = 'bravo' AND channel = 'email' "
       "AND probe_id = 'fees'");
  exec(db,
       "UPDATE inquiries SET state = 'undeliverable' WHERE company_id = 'corvus' "
       "AND channel = 'facebook'");

  auto counts = ledger->state_counts();
  REQUIRE_MESSAGE(counts.has_value(), error_of(counts));
  const std::vector<std::tuple<std::string, Channel, InquiryState, std::int64_t>> expected = {
      {"bank", Channel::email, InquiryState::planned, 1},
      {"bank", Channel::email, InquiryState::sent, 1},
      {"bank", Channel::email, InquiryState::answered, 2},
      {"bank", Channel::facebook, InquiryState::planned, 4},
      {"insurer", Channel::email, InquiryState::planned, 2},
      {"insurer", Channel::facebook, InquiryState::undeliverable, 2},
  };
  std::vector<std::tuple<std::string, Channel, InquiryState, std::int64_t>> got;
  for (const StateCount& c : *counts) got.emplace_back(c.sector, c.channel, c.state, c.count);
  CHECK(got == expected);
}

TEST_CASE("runs are recorded at their start and their end") {
  TempDir dir;
  auto ledger = open_ledger(dir / "respbench.db");
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

  auto first = ledger->begin_run(at(k_monday));
  REQUIRE_MESSAGE(first.has_value(), error_of(first));
  auto second = ledger->begin_run(at(k_monday + 600));
  REQUIRE(second.has_value());
  CHECK(*second > *first);

  RunSummary summary;
  summary.sent = 3;
  summary.fetched = 2;
  summary.closed = 1;
  summary.errors = {"smtp: connection refused", "imap: timeout"};
  summary.exit_code = 1;
  auto finished = ledger->finish_run(*first, at(k_monday + 42), summary);
  REQUIRE_MESSAGE(finished.has_value(), error_of(finished));

  auto& db = ledger->database();
  auto run = sqlite::Statement::prepare(db, R"sql(
      SELECT now_at, started_at, finished_at, sent, fetched, closed, errors, exit_code
      FROM runs WHERE id = ?1)sql",
                                        "read a run");
  REQUIRE_MESSAGE(run.has_value(), error_of(run));
  REQUIRE(run->bind_int64(1, *first).has_value());
  REQUIRE(run->step() == true);
  CHECK(run->column_int64(0) == k_monday);
  CHECK(run->column_int64(1) >= before.time_since_epoch().count());
  CHECK(run->column_int64(1) <= before.time_since_epoch().count() + 60);
  CHECK(run->column_int64(2) == k_monday + 42);
  CHECK(run->column_int64(3) == 3);
  CHECK(run->column_int64(4) == 2);
  CHECK(run->column_int64(5) == 1);
  CHECK(run->column_text(6) == "smtp: connection refused\nimap: timeout");
  CHECK(run->column_int64(7) == 1);
  CHECK(run->check_columns().has_value());
  CHECK(query_int(db, "SELECT count(*) FROM runs WHERE finished_at IS NULL") == 1);

  auto unknown = ledger->finish_run(999, at(k_monday), summary);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().message.ends_with("cannot record the end of run 999: no such run"));
}

TEST_CASE("inquiry states have stable names") {
  for (InquiryState s : respbench::k_all_inquiry_states) {
    CAPTURE(respbench::to_string(s));
    CHECK(respbench::parse_inquiry_state(respbench::to_string(s)) == s);
  }
  CHECK(respbench::to_string(InquiryState::undeliverable) == "undeliverable");
  CHECK_FALSE(respbench::parse_inquiry_state("Planned").has_value());
  CHECK_FALSE(respbench::parse_inquiry_state("").has_value());
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("ledger.sqlite_handle");

TEST_CASE("statements bind and read text, blobs, integers and NULL faithfully") {
  TempDir dir;
  auto db = sqlite::Database::open(dir / "t.db", sqlite::OpenMode::create_if_missing);
  REQUIRE(db.has_value());
  exec(*db, "CREATE TABLE t (a, b, c, d)");

  auto insert = sqlite::Statement::prepare(*db, "INSERT INTO t VALUES (?1, ?2, ?3, ?4)", "insert");
  REQUIRE_MESSAGE(insert.has_value(), error_of(insert));
  const std::string raw("From: a\r\n\0binary\xff", 17);
  auto r = insert->execute(std::string_view(), sqlite::Blob{raw}, std::int64_t{-9'000'000'000},
                           std::nullopt);
  REQUIRE_MESSAGE(r.has_value(), error_of(r));
  r = insert->execute("Grüße", sqlite::Blob{}, std::optional<std::int64_t>(),
                      std::optional<std::string>("x"));
  REQUIRE_MESSAGE(r.has_value(), error_of(r));

  const auto types = "SELECT group_concat(typeof(a) || typeof(b) || typeof(c) || typeof(d), ' ')";
  CHECK(query_text(*db, std::string(types) + " FROM t") == "textblobintegernull textblobnulltext");

  auto select =
      sqlite::Statement::prepare(*db, "SELECT a, b, c, d FROM t ORDER BY rowid", "select");
  REQUIRE(select.has_value());
  REQUIRE(select->step() == true);
  CHECK(select->column_text(0).empty());
  CHECK_FALSE(select->column_is_null(0));
  CHECK(select->column_blob(1) == raw);
  CHECK(select->column_int64(2) == -9'000'000'000);
  CHECK(select->column_is_null(3));
  CHECK_FALSE(select->column_optional_int64(3).has_value());
  CHECK(select->check_columns().has_value());
  REQUIRE(select->step() == true);
  CHECK(select->column_text(0) == "Grüße");
  CHECK(select->column_blob(1).empty());
  CHECK(select->column_text(7).empty());  // no such column: noted, reported below
  auto columns = select->check_columns();
  REQUIRE_FALSE(columns.has_value());
  CHECK(columns.error().message.ends_with("cannot select: no result column 7"));
  CHECK(select->step() == false);
}

TEST_CASE("statement errors name the file, the purpose and SQLite's reason") {
  TempDir dir;
  auto db = sqlite::Database::open(dir / "t.db", sqlite::OpenMode::create_if_missing);
  REQUIRE(db.has_value());

  auto bad = sqlite::Statement::prepare(*db, "SELECT * FROM missing", "read the missing table");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.ends_with("cannot read the missing table: no such table: missing"));

  auto two = sqlite::Statement::prepare(*db, "SELECT 1; SELECT 2", "read twice");
  REQUIRE_FALSE(two.has_value());
  CHECK(two.error().message.ends_with("cannot read twice: more than one SQL statement"));

  auto none = sqlite::Statement::prepare(*db, "  -- nothing\n", "do nothing");
  REQUIRE_FALSE(none.has_value());

  auto one = sqlite::Statement::prepare(*db, "SELECT ?1", "echo");
  REQUIRE(one.has_value());
  auto out_of_range = one->bind_int64(2, 1);
  REQUIRE_FALSE(out_of_range.has_value());
  CHECK(out_of_range.error().message.ends_with("cannot echo: column index out of range"));

  auto missing = sqlite::Database::open(dir / "nope.db", sqlite::OpenMode::existing);
  REQUIRE_FALSE(missing.has_value());
  CHECK_FALSE(fs::exists(dir / "nope.db"));
}

TEST_CASE("a transaction rolls back unless committed") {
  TempDir dir;
  auto db = sqlite::Database::open(dir / "t.db", sqlite::OpenMode::create_if_missing);
  REQUIRE(db.has_value());
  exec(*db, "CREATE TABLE t (x)");
  {
    auto tx = sqlite::Transaction::begin(*db, "add one");
    REQUIRE(tx.has_value());
    CHECK(db->in_transaction());
    exec(*db, "INSERT INTO t VALUES (1)");
  }
  CHECK_FALSE(db->in_transaction());
  CHECK(query_int(*db, "SELECT count(*) FROM t") == 0);
  {
    auto tx = sqlite::Transaction::begin(*db, "add two");
    REQUIRE(tx.has_value());
    exec(*db, "INSERT INTO t VALUES (2)");
    REQUIRE(tx->commit().has_value());
    CHECK_FALSE(tx->commit().has_value());  // twice is a mistake, and says so
  }
  CHECK(query_int(*db, "SELECT sum(x) FROM t") == 2);

  SUBCASE("a second writer waits, then gives up with SQLite's reason") {
    auto other = raw_connection(dir / "t.db");
    REQUIRE(other.set_busy_timeout(std::chrono::milliseconds(50)).has_value());
    auto tx = sqlite::Transaction::begin(*db, "hold the lock");
    REQUIRE(tx.has_value());
    auto blocked = sqlite::Transaction::begin(other, "write too");
    REQUIRE_FALSE(blocked.has_value());
    CHECK(blocked.error().message.ends_with(
        "cannot begin a transaction to write too: database is locked"));
  }
}

TEST_SUITE_END();
