#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
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
using respbench::NewReply;
using respbench::Probe;
using respbench::Result;
using respbench::RunSummary;
using respbench::StateCount;
using respbench::UnfinishedSend;
using respbench::Watermark;
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

// The schema this respbench creates and migrates to.
int newest_schema() { return respbench::sqlite_ledger::migrations().back().version; }

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

// Sending and replies ---------------------------------------------------------------------------

// The Study's email inquiries get the odd ids, planned two hours apart: 1 (acme fees) at Monday
// 09:00, 3 (acme hours) at 11:00, 5 (bravo fees) at 13:00, …, 11 (corvus hours) at 19:00.
std::unique_ptr<SqliteLedger> planned_ledger(const TempDir& dir) {
  auto ledger = open_ledger(dir / "respbench.db");
  const Study study;
  auto inserted = ledger->record_plan(study.companies, study.probes, study.inquiries);
  REQUIRE_MESSAGE(inserted.has_value(), error_of(inserted));
  REQUIRE(*inserted == 12);
  return ledger;
}

InquiryRecord record_of(SqliteLedger& ledger, std::int64_t id) {
  for (auto& r : inquiries_of(ledger)) {
    if (r.id == id) return r;
  }
  FAIL("no inquiry " << id);
  return {};
}

std::string message_id_for(std::int64_t id) { return fmt::format("{}.x7@respbench.test", id); }

std::string message_for(std::int64_t id) {
  return fmt::format("Message-ID: <{}>\r\nSubject: Frage zu Gebühren\r\n\r\nGuten Tag\r\n",
                     message_id_for(id));
}

template <class T>
void require_ok(const Result<T>& result) {
  REQUIRE_MESSAGE(result.has_value(), error_of(result));
}

// planned → sending → handed over → sent at `sent_at`, as the email channel does it.
void send(SqliteLedger& ledger, std::int64_t id, std::int64_t sent_at) {
  require_ok(ledger.begin_send(id, message_id_for(id), message_for(id), at(sent_at - 2)));
  require_ok(ledger.mark_handover(id));
  require_ok(ledger.mark_sent(id, at(sent_at)));
}

std::vector<std::int64_t> ids_of(const std::vector<UnfinishedSend>& sends) {
  std::vector<std::int64_t> ids;
  for (const auto& s : sends) ids.push_back(s.inquiry.id);
  return ids;
}

std::vector<UnfinishedSend> unfinished_of(SqliteLedger& ledger) {
  auto sends = ledger.unfinished_sends();
  REQUIRE_MESSAGE(sends.has_value(), error_of(sends));
  return *sends;
}

std::vector<InquiryRecord> due_of(SqliteLedger& ledger, Channel channel, std::int64_t now,
                                  std::size_t limit) {
  auto due = ledger.due_inquiries(channel, at(now), limit);
  REQUIRE_MESSAGE(due.has_value(), error_of(due));
  return *due;
}

constexpr std::string_view k_inbox = "imap:INBOX";
constexpr std::chrono::seconds k_window = std::chrono::hours(72);

NewReply reply(std::string key, std::optional<std::int64_t> inquiry_id, std::int64_t received,
               std::string kind = "human") {
  NewReply r;
  r.inquiry_id = inquiry_id;
  r.source = std::string(k_inbox);
  r.source_key = std::move(key);
  r.received_at = at(received);
  r.counts_as_answer = kind == "human";
  r.kind = respbench::parse_reply_kind(kind).value();
  r.reasons = "In-Reply-To names our Message-ID";
  r.from_address = "service@acme.test";
  r.subject = "AW: Frage zu Gebühren";
  r.message_id = r.source_key + "@mail.acme.test";
  r.raw = "Subject: AW: Frage\r\n\r\nDanke für Ihre Anfrage\r\n";
  r.size = r.raw.size();
  return r;
}

Result<int> record(SqliteLedger& ledger, const std::vector<NewReply>& replies,
                   std::uint32_t last_uid, std::int64_t fetched_at) {
  return ledger.record_replies(replies, k_inbox, Watermark{7, last_uid}, k_window,
                               at(fetched_at));
}

// (uidvalidity, last_uid) of `source`, or (0, 0) before its first poll.
std::pair<std::uint32_t, std::uint32_t> position(SqliteLedger& ledger,
                                                 std::string_view source = k_inbox) {
  auto mark = ledger.watermark(source);
  REQUIRE_MESSAGE(mark.has_value(), error_of(mark));
  if (!*mark) return {0, 0};
  return {(*mark)->uidvalidity, (*mark)->last_uid};
}

std::int64_t replies_of(SqliteLedger& ledger, std::optional<std::int64_t> inquiry_id) {
  auto count = ledger.reply_count(inquiry_id);
  REQUIRE_MESSAGE(count.has_value(), error_of(count));
  return *count;
}

}  // namespace

TEST_SUITE_BEGIN("ledger.sqlite");

TEST_CASE("a new ledger is created at the newest schema and keeps its data when reopened") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  const Study study;
  {
    auto ledger = open_ledger(path);
    CHECK(fs::exists(path));
    CHECK(ledger->schema_version() == newest_schema());
    auto inserted = ledger->record_plan(study.companies, study.probes, study.inquiries);
    REQUIRE_MESSAGE(inserted.has_value(), error_of(inserted));
    CHECK(*inserted == 12);
  }

  auto ledger = open_ledger(path, LedgerOpen::existing);
  CHECK(ledger->schema_version() == newest_schema());

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
  CHECK_FALSE(first.answered_at.has_value());
  CHECK(first.attempts == 0);
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
  CHECK(query_int(db, "PRAGMA user_version") == newest_schema());
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
  CHECK(ledger.error().message.ends_with(fmt::format(
      "ledger schema 7 is newer than this respbench understands ({}); update respbench",
      newest_schema())));
}

TEST_CASE("a ledger is migrated by a newer step list, once") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  {
    auto ledger = open_ledger(path);
    const Study study;
    REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries).has_value());
  }

  std::vector<Migration> steps(respbench::sqlite_ledger::migrations().begin(),
                               respbench::sqlite_ledger::migrations().end());
  const int next = newest_schema() + 1;
  steps.push_back({next, "count the visits",
                   "CREATE TABLE visits (n INTEGER NOT NULL); INSERT INTO visits VALUES (1);"
                   "ALTER TABLE inquiries ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;"});

  for (int reopen = 0; reopen < 2; ++reopen) {
    CAPTURE(reopen);
    auto ledger = open_ledger(path, LedgerOpen::existing, steps);
    CHECK(ledger->schema_version() == next);
    auto& db = ledger->database();
    CHECK(query_int(db, "PRAGMA user_version") == next);
    CHECK(query_int(db, "SELECT count(*) FROM visits") == 1);
    CHECK(query_int(db, "SELECT sum(priority) FROM inquiries") == 0);
    CHECK(inquiries_of(*ledger).size() == 12);
  }

  // This respbench now meets a ledger it does not understand.
  auto old = respbench::open_sqlite_ledger(path, LedgerOpen::existing);
  REQUIRE_FALSE(old.has_value());
  CHECK(old.error().message.ends_with(
      fmt::format("ledger schema {} is newer than this respbench understands ({}); "
                  "update respbench",
                  next, newest_schema())));
}

TEST_CASE("a failing migration step changes nothing") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  open_ledger(path);

  std::vector<Migration> steps(respbench::sqlite_ledger::migrations().begin(),
                               respbench::sqlite_ledger::migrations().end());
  const int next = newest_schema() + 1;
  steps.push_back(
      {next, "break halfway", "CREATE TABLE visits (n INTEGER); INSERT INTO nowhere VALUES (1);"});
  auto ledger = respbench::sqlite_ledger::open(path, LedgerOpen::existing, steps);
  REQUIRE_FALSE(ledger.has_value());
  CHECK(ledger.error().message.find(
            fmt::format("cannot break halfway (schema {}): no such table: nowhere", next))
        != std::string::npos);

  auto db = raw_connection(path);
  CHECK(query_int(db, "PRAGMA user_version") == newest_schema());
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

TEST_SUITE_BEGIN("ledger.sqlite.sending");

TEST_CASE("schema 2 extends a schema 1 ledger and keeps its data") {
  TempDir dir;
  const fs::path path = dir / "respbench.db";
  const auto step_1 = respbench::sqlite_ledger::migrations().first(1);
  {
    auto ledger = open_ledger(path, LedgerOpen::create_if_missing, step_1);
    REQUIRE(ledger->schema_version() == 1);
    const Study study;
    REQUIRE(ledger->record_plan(study.companies, study.probes, study.inquiries) == 12);
    // What a schema 1 ledger may hold besides the plan: a send, a reply, a watermark.
    exec(ledger->database(),
         "UPDATE inquiries SET state = 'sent', sent_at = 1772442060, message_id = 'a@x', "
         "attempts = 1 WHERE id = 1;"
         "INSERT INTO replies (inquiry_id, channel, source, source_key, received_at, kind, "
         "fetched_at) VALUES (1, 'email', 'imap:INBOX', 'k1', 1772445600, 'human', 1772446000);"
         "INSERT INTO poll_watermarks VALUES ('email', 'INBOX', 7, 42, 1772446000);");
  }

  auto ledger = open_ledger(path, LedgerOpen::existing);
  CHECK(ledger->schema_version() == newest_schema());
  auto& db = ledger->database();
  CHECK(query_int(db, "PRAGMA user_version") == newest_schema());

  const auto records = inquiries_of(*ledger);
  REQUIRE(records.size() == 12);
  CHECK(records[0].state == InquiryState::sent);
  CHECK(records[0].sent_at == at(1772442060));
  CHECK(records[0].message_id == "a@x");
  CHECK(records[0].attempts == 1);
  CHECK_FALSE(records[0].answered_at.has_value());
  // The new columns have their defaults everywhere.
  CHECK(query_int(db, "SELECT count(*) FROM inquiries WHERE outgoing IS NULL AND handover = 0 "
                      "AND copied = 0 AND answered_at IS NULL")
        == 12);
  CHECK(query_int(db, "SELECT counts_as_answer FROM replies WHERE source_key = 'k1'") == 0);
  CHECK(replies_of(*ledger, std::nullopt) == 1);
  CHECK(replies_of(*ledger, 1) == 1);

  // A schema 1 send kept no message: nothing to look up or copy.
  CHECK(unfinished_of(*ledger).empty());
  auto found = ledger->inquiry_by_message_id("a@x");
  REQUIRE_MESSAGE(found.has_value(), error_of(found));
  REQUIRE(found->has_value());
  CHECK((*found)->id == 1);

  // The schema 1 watermark row is kept as it was; sources have rows of their own.
  CHECK(query_int(db, "SELECT last_uid FROM poll_watermarks WHERE channel = 'email'") == 42);
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(0, 0));
  require_ok(ledger->record_replies({}, k_inbox, Watermark{9, 3}, k_window, at(1772450000)));
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(9, 3));
  CHECK(query_int(db, "SELECT count(*) FROM poll_watermarks") == 2);

  // Replies by source are found through the index of UNIQUE (source, source_key).
  auto plan = sqlite::Statement::prepare(
      db, "EXPLAIN QUERY PLAN SELECT count(*) FROM replies WHERE source = 'imap:INBOX'", "plan");
  REQUIRE_MESSAGE(plan.has_value(), error_of(plan));
  REQUIRE(plan->step() == true);
  CHECK(plan->column_text(3).find("USING COVERING INDEX sqlite_autoindex_replies_1")
        != std::string::npos);
}

TEST_CASE("a send goes planned → sending → handed over → sent, each step recorded") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  auto& db = ledger->database();

  require_ok(ledger->begin_send(1, message_id_for(1), message_for(1), at(k_monday + 10)));
  auto r = record_of(*ledger, 1);
  CHECK(r.state == InquiryState::sending);
  CHECK(r.message_id == message_id_for(1));
  CHECK(r.attempts == 1);
  CHECK_FALSE(r.sent_at.has_value());
  CHECK(query_int(db, "SELECT updated_at FROM inquiries WHERE id = 1") == k_monday + 10);
  auto unfinished = unfinished_of(*ledger);
  REQUIRE(unfinished.size() == 1);
  CHECK(unfinished[0].inquiry.id == 1);
  CHECK(unfinished[0].inquiry.state == InquiryState::sending);
  CHECK(unfinished[0].message == message_for(1));
  CHECK_FALSE(unfinished[0].handover);
  CHECK_FALSE(unfinished[0].copied);

  require_ok(ledger->mark_handover(1));
  unfinished = unfinished_of(*ledger);
  REQUIRE(unfinished.size() == 1);
  CHECK(unfinished[0].handover);

  require_ok(ledger->mark_sent(1, at(k_monday + 12)));
  r = record_of(*ledger, 1);
  CHECK(r.state == InquiryState::sent);
  CHECK(r.sent_at == at(k_monday + 12));
  CHECK(r.attempts == 1);
  // Sent, but its copy is not in the Sent folder yet.
  unfinished = unfinished_of(*ledger);
  REQUIRE(unfinished.size() == 1);
  CHECK(unfinished[0].inquiry.state == InquiryState::sent);
  CHECK(unfinished[0].message == message_for(1));
  CHECK_FALSE(unfinished[0].copied);

  require_ok(ledger->mark_copied(1));
  CHECK(unfinished_of(*ledger).empty());
  CHECK(query_int(db, "SELECT copied FROM inquiries WHERE id = 1") == 1);
  CHECK(ledger->last_error(1) == std::string());

  auto found = ledger->inquiry_by_message_id(message_id_for(1));
  REQUIRE_MESSAGE(found.has_value(), error_of(found));
  REQUIRE(found->has_value());
  CHECK((*found)->id == 1);
  CHECK((*found)->state == InquiryState::sent);
  // Stored bare: the bracketed form and unknown ids find nothing.
  CHECK(ledger->inquiry_by_message_id("<" + message_id_for(1) + ">") == std::nullopt);
  CHECK(ledger->inquiry_by_message_id("nobody@respbench.test") == std::nullopt);
}

TEST_CASE("a transition from the wrong state is refused, names the state and changes nothing") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  send(*ledger, 1, k_monday + 60);
  const auto before = record_of(*ledger, 1);

  const auto refusal = [](const Result<void>& r) { return error_of(r); };
  CHECK(refusal(ledger->begin_send(1, "again@respbench.test", "m", at(k_monday + 99)))
            .ends_with(": cannot begin sending inquiry 1: it is sent, not planned"));
  CHECK(refusal(ledger->mark_handover(1))
            .ends_with(": cannot mark inquiry 1 as handed over: it is sent, not sending"));
  CHECK(refusal(ledger->mark_sent(1, at(k_monday + 99)))
            .ends_with(": cannot mark inquiry 1 as sent: it is sent, not sending"));
  CHECK(refusal(ledger->defer_send(1, at(k_monday + 999), "451", at(k_monday + 99)))
            .ends_with(": cannot defer inquiry 1: it is sent, not sending"));
  CHECK(refusal(ledger->mark_handover(3))
            .ends_with(": cannot mark inquiry 3 as handed over: it is planned, not sending"));
  CHECK(refusal(ledger->mark_sent(3, at(k_monday)))
            .ends_with(": cannot mark inquiry 3 as sent: it is planned, not sending"));
  CHECK(refusal(ledger->mark_attention(3, "?", at(k_monday)))
            .ends_with(
                ": cannot mark inquiry 3 for attention: it is planned, not sending or sent"));
  CHECK(refusal(ledger->mark_copied(3))
            .ends_with(": cannot mark inquiry 3 as copied to the Sent folder: it is planned, not "
                       "sent, answered or unanswered"));
  CHECK(refusal(ledger->mark_sent(999, at(k_monday)))
            .ends_with(": cannot mark inquiry 999 as sent: no such inquiry"));
  CHECK(refusal(ledger->mark_undeliverable(999, "550", at(k_monday)))
            .ends_with(": cannot mark inquiry 999 as undeliverable: no such inquiry"));
  auto no_error = ledger->last_error(999);
  REQUIRE_FALSE(no_error.has_value());
  CHECK(no_error.error().message.ends_with(
      ": cannot read the last error of inquiry 999: no such inquiry"));

  exec(ledger->database(), "UPDATE inquiries SET state = 'unanswered' WHERE id = 5");
  CHECK(refusal(ledger->mark_undeliverable(5, "550", at(k_monday)))
            .ends_with(": cannot mark inquiry 5 as undeliverable: it is unanswered, not planned, "
                       "sending or sent"));

  const auto after = record_of(*ledger, 1);
  CHECK(after.state == before.state);
  CHECK(after.sent_at == before.sent_at);
  CHECK(after.message_id == before.message_id);
  CHECK(after.attempts == before.attempts);
  CHECK(record_of(*ledger, 3).state == InquiryState::planned);
  CHECK(record_of(*ledger, 3).attempts == 0);
}

TEST_CASE("begin_send refuses a Message-ID that is taken, empty or in angle brackets") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  require_ok(ledger->begin_send(1, "same@respbench.test", "m1", at(k_monday)));

  auto taken = ledger->begin_send(3, "same@respbench.test", "m3", at(k_monday));
  REQUIRE_FALSE(taken.has_value());
  CHECK(taken.error().message.find("cannot begin sending inquiry 3 as same@respbench.test: "
                                   "UNIQUE constraint failed: inquiries.message_id")
        != std::string::npos);

  auto bracketed = ledger->begin_send(3, "<x@respbench.test>", "m3", at(k_monday));
  REQUIRE_FALSE(bracketed.has_value());
  CHECK(bracketed.error().message.ends_with(
      "cannot begin sending inquiry 3: the Message-ID <x@respbench.test> must be given without "
      "angle brackets"));
  auto empty = ledger->begin_send(3, "", "m3", at(k_monday));
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().message.ends_with("cannot begin sending inquiry 3: no Message-ID given"));

  CHECK_FALSE(ledger->database().in_transaction());
  const auto r = record_of(*ledger, 3);
  CHECK(r.state == InquiryState::planned);
  CHECK(r.attempts == 0);
  CHECK(r.message_id.empty());
  require_ok(ledger->begin_send(3, "other@respbench.test", "m3", at(k_monday)));
  CHECK(record_of(*ledger, 3).message_id == "other@respbench.test");
}

TEST_CASE("defer_send plans a send again unless its message was handed over") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t now = k_monday + 60;

  SUBCASE("nothing handed over: back to planned, with a fresh Message-ID next time") {
    require_ok(ledger->begin_send(1, message_id_for(1), message_for(1), at(now)));
    require_ok(ledger->defer_send(1, at(now + 600), "451 4.7.1 try again later", at(now + 1)));
    auto r = record_of(*ledger, 1);
    CHECK(r.state == InquiryState::planned);
    CHECK(r.message_id.empty());
    CHECK(r.attempts == 1);
    CHECK(ledger->last_error(1) == std::string("451 4.7.1 try again later"));
    CHECK(query_int(ledger->database(), "SELECT count(*) FROM inquiries WHERE id = 1 AND "
                                        "outgoing IS NULL AND next_attempt_at = 1772442660")
          == 1);
    CHECK(unfinished_of(*ledger).empty());
    CHECK(ledger->inquiry_by_message_id(message_id_for(1)) == std::nullopt);

    // Not due before the retry time.
    CHECK(ids_of(due_of(*ledger, Channel::email, now + 599, 10)).empty());
    CHECK(ids_of(due_of(*ledger, Channel::email, now + 600, 10)) == std::vector<std::int64_t>{1});

    require_ok(ledger->begin_send(1, "second@respbench.test", "m2", at(now + 600)));
    r = record_of(*ledger, 1);
    CHECK(r.state == InquiryState::sending);
    CHECK(r.attempts == 2);
    CHECK(r.message_id == "second@respbench.test");
    // The deferral's reason stays until there is a newer one.
    CHECK(ledger->last_error(1) == std::string("451 4.7.1 try again later"));
  }

  SUBCASE("handed over: refused, and the send stays unfinished for reconciliation") {
    require_ok(ledger->begin_send(1, message_id_for(1), message_for(1), at(now)));
    require_ok(ledger->mark_handover(1));
    auto deferred = ledger->defer_send(1, at(now + 600), "connection lost", at(now + 1));
    REQUIRE_FALSE(deferred.has_value());
    CHECK(deferred.error().message.ends_with(
        ": cannot defer inquiry 1: its message was handed over to the server and may have been "
        "sent; planning it again could send it twice, so it must be settled instead (found in "
        "the Sent folder, or marked for attention)"));
    auto r = record_of(*ledger, 1);
    CHECK(r.state == InquiryState::sending);
    CHECK(r.message_id == message_id_for(1));
    CHECK(ledger->last_error(1) == std::string());
    const auto unfinished = unfinished_of(*ledger);
    REQUIRE(unfinished.size() == 1);
    CHECK(unfinished[0].handover);
    CHECK(unfinished[0].message == message_for(1));
    CHECK(ids_of(due_of(*ledger, Channel::email, now + 3 * 3600, 10))
          == std::vector<std::int64_t>{3});

    // The way out: the operator decides.
    require_ok(ledger->mark_attention(1, "sent or not? not in the Sent folder", at(now + 2)));
    CHECK(record_of(*ledger, 1).state == InquiryState::attention);
    CHECK(ledger->last_error(1) == std::string("sent or not? not in the Sent folder"));
    CHECK(unfinished_of(*ledger).empty());
  }
}

TEST_CASE("undeliverable from planned, sending or sent; attention from sending or sent") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  require_ok(ledger->begin_send(3, message_id_for(3), "m3", at(k_monday)));
  send(*ledger, 5, k_monday + 60);
  require_ok(ledger->begin_send(7, message_id_for(7), "m7", at(k_monday)));
  send(*ledger, 9, k_monday + 60);

  require_ok(ledger->mark_undeliverable(1, "no email address", at(k_monday + 100)));
  require_ok(ledger->mark_undeliverable(3, "550 5.1.1 no such user", at(k_monday + 100)));
  require_ok(ledger->mark_undeliverable(5, "bounced: mailbox full", at(k_monday + 100)));
  require_ok(ledger->mark_attention(7, "the server hung up after DATA", at(k_monday + 100)));
  require_ok(ledger->mark_attention(9, "sent twice?", at(k_monday + 100)));

  for (std::int64_t id : {1, 3, 5}) {
    CAPTURE(id);
    CHECK(record_of(*ledger, id).state == InquiryState::undeliverable);
  }
  CHECK(ledger->last_error(3) == std::string("550 5.1.1 no such user"));
  CHECK(record_of(*ledger, 7).state == InquiryState::attention);
  CHECK(record_of(*ledger, 9).state == InquiryState::attention);
  CHECK(ledger->last_error(9) == std::string("sent twice?"));
  CHECK(query_int(ledger->database(), "SELECT updated_at FROM inquiries WHERE id = 5")
        == k_monday + 100);
  // Settled: neither undeliverable nor attention is anything the sender picks up again.
  CHECK(unfinished_of(*ledger).empty());
  CHECK(error_of(ledger->mark_attention(5, "?", at(k_monday)))
            .ends_with("it is undeliverable, not sending or sent"));
}

TEST_CASE("a copy may be recorded after the inquiry was answered or closed") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  send(*ledger, 1, k_monday + 60);
  send(*ledger, 3, k_monday + 60);
  require_ok(record(*ledger, {reply("a", 1, k_monday + 3600)}, 1, k_monday + 4000));
  require_ok(ledger->close_expired(at(k_monday + 60 + k_window.count()), k_window));
  REQUIRE(record_of(*ledger, 1).state == InquiryState::answered);
  REQUIRE(record_of(*ledger, 3).state == InquiryState::unanswered);
  CHECK(ids_of(unfinished_of(*ledger)) == std::vector<std::int64_t>{1, 3});

  require_ok(ledger->mark_copied(1));
  require_ok(ledger->mark_copied(3));
  CHECK(unfinished_of(*ledger).empty());
  CHECK(record_of(*ledger, 1).state == InquiryState::answered);
  CHECK(record_of(*ledger, 3).state == InquiryState::unanswered);
}

TEST_CASE("due_inquiries: planned, due, no retry pending, of the channel, oldest first, limited") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t now = k_monday + 6 * 3600;  // inquiry 7 is planned for exactly now

  CHECK(ids_of(due_of(*ledger, Channel::email, now, 10)) == std::vector<std::int64_t>{1, 3, 5, 7});
  CHECK(ids_of(due_of(*ledger, Channel::email, now - 1, 10)) == std::vector<std::int64_t>{1, 3, 5});
  CHECK(ids_of(due_of(*ledger, Channel::email, now, 2)) == std::vector<std::int64_t>{1, 3});
  CHECK(due_of(*ledger, Channel::email, now, 0).empty());
  CHECK(ids_of(due_of(*ledger, Channel::facebook, now, 10)) == std::vector<std::int64_t>{2, 4, 6});

  // Under way, done, or waiting for a retry: not due.
  require_ok(ledger->begin_send(1, message_id_for(1), "m", at(now)));
  send(*ledger, 3, now);
  require_ok(ledger->begin_send(5, message_id_for(5), "m", at(now)));
  require_ok(ledger->defer_send(5, at(now + 300), "421 busy", at(now)));
  CHECK(ids_of(due_of(*ledger, Channel::email, now, 10)) == std::vector<std::int64_t>{7});
  CHECK(ids_of(due_of(*ledger, Channel::email, now + 300, 10)) == std::vector<std::int64_t>{5, 7});

  // Planned earlier now (at Monday 11:00), both at the same time: the id decides.
  exec(ledger->database(), "UPDATE inquiries SET planned_at = 1772449200 WHERE id IN (11, 9)");
  const auto due = due_of(*ledger, Channel::email, now + 300, 10);
  CHECK(ids_of(due) == std::vector<std::int64_t>{9, 11, 5, 7});
  CHECK(ids_of(due_of(*ledger, Channel::email, now + 300, 1)) == std::vector<std::int64_t>{9});
  REQUIRE(due.size() == 4);
  CHECK(due[2].attempts == 1);  // the deferred one
  CHECK(due[2].state == InquiryState::planned);
  CHECK(due[2].company_id == "bravo");
  CHECK(due[0].attempts == 0);
}

TEST_CASE("unfinished_sends: sending, and sent without a copy, oldest planned first") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t now = k_monday + 86400;
  send(*ledger, 9, now);  // sent, answered later, never copied
  require_ok(record(*ledger, {reply("a9", 9, now + 60)}, 1, now + 100));
  require_ok(ledger->begin_send(5, message_id_for(5), message_for(5), at(now)));  // sending
  send(*ledger, 1, now);  // sent, not copied
  send(*ledger, 3, now);  // sent and copied
  require_ok(ledger->mark_copied(3));
  send(*ledger, 7, now);  // sent, then bounced
  require_ok(ledger->mark_undeliverable(7, "bounced", at(now + 10)));

  const auto unfinished = unfinished_of(*ledger);
  REQUIRE(ids_of(unfinished) == std::vector<std::int64_t>{1, 5, 9});
  CHECK(unfinished[0].inquiry.state == InquiryState::sent);
  CHECK(unfinished[0].handover);
  CHECK(unfinished[1].inquiry.state == InquiryState::sending);
  CHECK_FALSE(unfinished[1].handover);
  CHECK(unfinished[1].inquiry.message_id == message_id_for(5));
  CHECK(unfinished[2].inquiry.state == InquiryState::answered);
  CHECK(unfinished[2].inquiry.answered_at == at(now + 60));
  for (const auto& u : unfinished) {
    CAPTURE(u.inquiry.id);
    CHECK(u.message == message_for(u.inquiry.id));
    CHECK_FALSE(u.copied);
    CHECK(u.inquiry.attempts == 1);
  }
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("ledger.sqlite.replies");

TEST_CASE("record_replies stores each reply once and moves the watermark with it") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t sent = k_monday + 60;
  send(*ledger, 1, sent);
  send(*ledger, 3, sent);
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(0, 0));

  const std::vector<NewReply> batch = {
      reply("k1", 1, sent + 3600),                         // a person's answer
      reply("k2", std::nullopt, sent + 100, "unclassified"),  // not matched: review
      reply("k3", 3, sent + 30, "auto_ack"),                // an acknowledgement only
  };
  CHECK(record(*ledger, batch, 3, sent + 4000) == 3);
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(7, 3));
  CHECK(replies_of(*ledger, std::nullopt) == 3);
  CHECK(replies_of(*ledger, 1) == 1);
  CHECK(replies_of(*ledger, 3) == 1);
  CHECK(replies_of(*ledger, 5) == 0);

  auto r1 = record_of(*ledger, 1);
  CHECK(r1.state == InquiryState::answered);
  CHECK(r1.answered_at == at(sent + 3600));
  CHECK(r1.sent_at == at(sent));
  auto r3 = record_of(*ledger, 3);
  CHECK(r3.state == InquiryState::sent);
  CHECK_FALSE(r3.answered_at.has_value());

  auto& db = ledger->database();
  CHECK(query_int(db, "SELECT count(*) FROM replies WHERE inquiry_id IS NULL") == 1);
  CHECK(query_text(db, "SELECT kind FROM replies WHERE source_key = 'k2'") == "unclassified");
  CHECK(query_text(db, "SELECT kind || '|' || kind_decided_by || '|' || counts_as_answer || '|' "
                       "|| received_at || '|' || fetched_at || '|' || size || '|' || subject "
                       "FROM replies WHERE source_key = 'k1'")
        == fmt::format("human|rules|1|{}|{}|{}|AW: Frage zu Gebühren", sent + 3600, sent + 4000,
                       batch[0].raw.size()));
  CHECK(query_text(db, "SELECT raw FROM replies WHERE source_key = 'k1'") == batch[0].raw);
  CHECK(query_int(db, "SELECT updated_at FROM poll_watermarks WHERE mailbox = 'imap:INBOX'")
        == sent + 4000);

  SUBCASE("the same replies again: nothing new, nothing doubled, the watermark moves") {
    auto again = batch;
    again[0].received_at = at(sent + 10);  // a rescan cannot rewrite what is stored
    CHECK(record(*ledger, again, 5, sent + 5000) == 0);
    CHECK(replies_of(*ledger, std::nullopt) == 3);
    CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(7, 5));
    CHECK(record_of(*ledger, 1).answered_at == at(sent + 3600));
    CHECK(query_int(db, "SELECT fetched_at FROM replies WHERE source_key = 'k1'") == sent + 4000);
  }

  SUBCASE("one new reply among old ones counts as one") {
    auto more = batch;
    more.push_back(reply("k4", 3, sent + 7200));
    CHECK(record(*ledger, more, 4, sent + 8000) == 1);
    CHECK(replies_of(*ledger, std::nullopt) == 4);
    CHECK(record_of(*ledger, 3).answered_at == at(sent + 7200));
  }

  SUBCASE("sources keep their own watermarks and keys") {
    auto junk = batch[0];
    junk.source = "imap:Junk";
    auto stored = ledger->record_replies({junk}, "imap:Junk", Watermark{2, 1}, k_window,
                                         at(sent + 9000));
    REQUIRE_MESSAGE(stored.has_value(), error_of(stored));
    CHECK(*stored == 1);
    CHECK(position(*ledger, "imap:Junk") == std::pair<std::uint32_t, std::uint32_t>(2, 1));
    CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(7, 3));
    CHECK(replies_of(*ledger, 1) == 2);
  }
}

TEST_CASE("the earliest answer within the window is the answer time, in any fetch order") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t sent = k_monday + 60;
  for (std::int64_t id : {1, 3, 5, 7, 9}) send(*ledger, id, sent);
  const std::int64_t window = k_window.count();
  std::uint32_t uid = 0;
  const auto fetch = [&](std::vector<NewReply> replies) {
    uid += static_cast<std::uint32_t>(replies.size());
    auto stored = record(*ledger, replies, uid, sent + 2 * window);
    REQUIRE_MESSAGE(stored.has_value(), error_of(stored));
    CHECK(*stored == static_cast<int>(replies.size()));
  };

  fetch({reply("a", 1, sent + 5 * 3600)});
  CHECK(record_of(*ledger, 1).answered_at == at(sent + 5 * 3600));
  fetch({reply("b", 1, sent + 2 * 3600)});  // earlier, fetched later
  CHECK(record_of(*ledger, 1).answered_at == at(sent + 2 * 3600));
  fetch({reply("c", 1, sent + 3600, "auto_ack")});  // earlier still, but no answer
  fetch({reply("d", 1, sent + 3 * 3600)});          // later
  CHECK(record_of(*ledger, 1).answered_at == at(sent + 2 * 3600));
  CHECK(record_of(*ledger, 1).state == InquiryState::answered);
  CHECK(replies_of(*ledger, 1) == 4);

  // In one batch, too.
  fetch({reply("e", 3, sent + 200), reply("f", 3, sent + 100), reply("g", 3, sent + 300)});
  CHECK(record_of(*ledger, 3).answered_at == at(sent + 100));

  // The window's last second still counts; the next one does not.
  fetch({reply("h", 5, sent + window)});
  CHECK(record_of(*ledger, 5).state == InquiryState::answered);
  CHECK(record_of(*ledger, 5).answered_at == at(sent + window));
  fetch({reply("i", 7, sent + window + 1)});
  CHECK(record_of(*ledger, 7).state == InquiryState::sent);
  CHECK_FALSE(record_of(*ledger, 7).answered_at.has_value());
  CHECK(replies_of(*ledger, 7) == 1);  // stored all the same

  // A reply received before the send (clocks, or a mismatch) answers nothing.
  fetch({reply("j", 9, sent - 1)});
  CHECK(record_of(*ledger, 9).state == InquiryState::sent);

  // Replies to inquiries that were not sent are stored, and change nothing.
  fetch({reply("k", 11, sent + 60)});
  CHECK(record_of(*ledger, 11).state == InquiryState::planned);
  CHECK(replies_of(*ledger, 11) == 1);
}

TEST_CASE("an answer that arrived in time but was fetched after closing still answers") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t sent = k_monday + 60;
  const std::int64_t window = k_window.count();
  send(*ledger, 1, sent);
  send(*ledger, 3, sent);
  // The mailbox was out of reach while the windows ended.
  CHECK(ledger->close_expired(at(sent + window + 3600), k_window) == 2);

  CHECK(record(*ledger, {reply("a", 1, sent + window - 10), reply("b", 3, sent + window + 5)}, 2,
               sent + window + 7200)
        == 2);
  CHECK(record_of(*ledger, 1).state == InquiryState::answered);
  CHECK(record_of(*ledger, 1).answered_at == at(sent + window - 10));
  CHECK(record_of(*ledger, 3).state == InquiryState::unanswered);
  CHECK_FALSE(record_of(*ledger, 3).answered_at.has_value());
}

TEST_CASE("a failing reply rolls back the whole batch and the watermark") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t sent = k_monday + 60;
  send(*ledger, 1, sent);
  CHECK(record(*ledger, {reply("first", std::nullopt, sent + 10, "unclassified")}, 1, sent + 20)
        == 1);

  SUBCASE("a reply to an inquiry that does not exist") {
    auto bad = record(*ledger, {reply("good", 1, sent + 30), reply("bad", 999, sent + 40)}, 9,
                      sent + 50);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.find("FOREIGN KEY constraint failed (reply bad)")
          != std::string::npos);
  }
  SUBCASE("a reply from another source") {
    auto other = reply("other", 1, sent + 40);
    other.source = "imap:Junk";
    auto bad = record(*ledger, {reply("good", 1, sent + 30), other}, 9, sent + 50);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.ends_with(
        ": cannot record the replies from imap:INBOX: reply other is from 'imap:Junk'"));
  }
  SUBCASE("a negative answer window") {
    auto bad = ledger->record_replies({reply("good", 1, sent + 30)}, k_inbox, Watermark{7, 9},
                                      std::chrono::seconds(-1), at(sent + 50));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message.ends_with("the answer window is negative"));
  }

  CHECK_FALSE(ledger->database().in_transaction());
  CHECK(replies_of(*ledger, std::nullopt) == 1);
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(7, 1));
  CHECK(record_of(*ledger, 1).state == InquiryState::sent);
  CHECK_FALSE(record_of(*ledger, 1).answered_at.has_value());

  // The good reply goes in once the bad one is gone.
  CHECK(record(*ledger, {reply("good", 1, sent + 30)}, 9, sent + 60) == 1);
  CHECK(record_of(*ledger, 1).answered_at == at(sent + 30));
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(7, 9));
}

TEST_CASE("watermarks keep the full range of IMAP UIDs") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::uint32_t top = 4'294'967'295;
  require_ok(ledger->record_replies({}, k_inbox, Watermark{top, top - 1}, k_window, at(k_monday)));
  CHECK(position(*ledger) == std::pair<std::uint32_t, std::uint32_t>(top, top - 1));

  exec(ledger->database(), "UPDATE poll_watermarks SET last_uid = -1");
  auto damaged = ledger->watermark(k_inbox);
  REQUIRE_FALSE(damaged.has_value());
  CHECK(damaged.error().message.ends_with(
      "the watermark of imap:INBOX is damaged (uidvalidity 4294967295, last uid -1)"));
}

TEST_CASE("close_expired closes sent inquiries at the last second of their window") {
  TempDir dir;
  auto ledger = planned_ledger(dir);
  const std::int64_t sent = k_monday + 60;
  const std::int64_t window = k_window.count();
  send(*ledger, 1, sent);
  send(*ledger, 3, sent + 3600);
  send(*ledger, 5, sent - 3600);  // earlier still, but answered
  require_ok(record(*ledger, {reply("a", 5, sent)}, 1, sent + 10));
  require_ok(ledger->begin_send(7, message_id_for(7), "m", at(sent - 7200)));  // still sending

  CHECK(ledger->close_expired(at(sent + window - 1), k_window) == 0);
  CHECK(record_of(*ledger, 1).state == InquiryState::sent);

  CHECK(ledger->close_expired(at(sent + window), k_window) == 1);
  CHECK(record_of(*ledger, 1).state == InquiryState::unanswered);
  CHECK(query_int(ledger->database(), "SELECT updated_at FROM inquiries WHERE id = 1")
        == sent + window);
  CHECK(record_of(*ledger, 3).state == InquiryState::sent);
  CHECK(record_of(*ledger, 5).state == InquiryState::answered);
  CHECK(record_of(*ledger, 5).answered_at == at(sent));
  CHECK(record_of(*ledger, 7).state == InquiryState::sending);
  CHECK(record_of(*ledger, 9).state == InquiryState::planned);

  CHECK(ledger->close_expired(at(sent + window), k_window) == 0);
  CHECK(ledger->close_expired(at(sent + 3600 + window), k_window) == 1);
  CHECK(record_of(*ledger, 3).state == InquiryState::unanswered);

  auto negative = ledger->close_expired(at(sent), std::chrono::seconds(-1));
  REQUIRE_FALSE(negative.has_value());
  CHECK(negative.error().message.ends_with("the answer window is negative"));
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
