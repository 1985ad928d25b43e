// Schema 5: the indexes the report's row files read through (replies_for_report,
// inquiries_reference). A schema 3 ledger, as the releases before the report wrote them, is
// migrated through 4 to 5 and keeps its data; the report's queries then read only the indexes,
// and the references come out as inquiries.csv needs them.

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <date/date.h>

#include "ledger/ledger.hpp"
#include "ledger/sqlite_handle.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "support.hpp"

namespace respbench {
namespace {

using test::TempDir;

const Instant k_t0 = date::sys_days{date::year{2026} / 3 / 2} + std::chrono::hours(8);

// Three inquiries: an email sent, an email whose send began but never finished, a Facebook
// post registered by hand; one reply to the first. Written at schema `version`.
std::unique_ptr<sqlite_ledger::SqliteLedger> ledger_at(const std::filesystem::path& path, int version) {
  auto steps = sqlite_ledger::migrations().first(static_cast<std::size_t>(version));
  auto opened = sqlite_ledger::open(path, LedgerOpen::create_if_missing, steps);
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  auto& ledger = **opened;
  Company company;
  company.id = "c01";
  company.name = "Nordlicht Bank";
  company.sector = "Banken";
  company.email = "service@nordlicht.test";
  company.facebook = "NordlichtBank";
  Probe probe;
  probe.id = "q1";
  probe.subject = "Gebühren";
  probe.channels = {Channel::email, Channel::facebook};
  probe.language = "de";
  probe.body = "Guten Tag";
  Probe second = probe;
  second.id = "q2";
  const std::string persona = "Anna Berger <anna.berger@example.test>";
  REQUIRE(ledger
              .record_plan({company}, {probe, second},
                           {{"c01", Channel::email, "q1", persona, k_t0},
                            {"c01", Channel::email, "q2", persona, k_t0},
                            {"c01", Channel::facebook, "q1", persona, k_t0}})
              .has_value());
  REQUIRE(ledger.begin_send(1, "1.abc@respbench.test", "Subject: x\r\n\r\nx\r\n", k_t0).has_value());
  REQUIRE(ledger.mark_sent(1, k_t0).has_value());
  REQUIRE(ledger.begin_send(2, "2.def@respbench.test", "Subject: y\r\n\r\ny\r\n", k_t0).has_value());
  REQUIRE(ledger.register_assisted_send(3, "https://www.facebook.com/NordlichtBank/posts/1", k_t0, k_t0).has_value());
  NewReply reply;
  reply.inquiry_id = 1;
  reply.source = "imap:INBOX";
  reply.source_key = "k1";
  reply.received_at = k_t0 + std::chrono::hours(3);
  reply.kind = ReplyKind::human;
  reply.counts_as_answer = true;
  reply.match_method = "message_id";
  reply.from_address = "service@nordlicht.test";
  reply.subject = "Re: Gebühren";
  reply.raw = std::string(5000, 'x');  // a raw message the report must not read
  REQUIRE(ledger.record_replies({reply}, "imap:INBOX", Watermark{1, 1}, std::chrono::hours(168), k_t0 + std::chrono::hours(4))
              .has_value());
  return std::move(*opened);
}

std::string plan_of(sqlite::Database& db, const std::string& query) {
  auto plan = sqlite::Statement::prepare(db, "EXPLAIN QUERY PLAN " + query, "plan");
  REQUIRE_MESSAGE(plan.has_value(), plan.error().message);
  std::string text;
  while (plan->step().value_or(false)) text += plan->column_text(3) + "\n";
  return text;
}

TEST_CASE("schema 5 indexes a schema 3 ledger for the report's files and keeps its data") {
  TempDir dir;
  const auto path = dir / "respbench.db";
  { CHECK(ledger_at(path, 3)->schema_version() == 3); }

  auto opened = sqlite_ledger::open(path, LedgerOpen::existing, sqlite_ledger::migrations());
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  auto& ledger = **opened;
  CHECK(ledger.schema_version() == 5);
  CHECK(ledger.schema_version() == sqlite_ledger::migrations().back().version);
  auto& db = ledger.database();
  CHECK(sqlite::query_int64(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                                "('inquiries_for_analysis', 'replies_first_ack', 'replies_for_report', "
                                "'inquiries_reference')", "count the indexes")
            .value_or(0) == 4);

  // The report's reads never touch a table row (where the raw and outgoing messages are).
  CHECK(plan_of(db, "SELECT id, inquiry_id, channel, source, received_at, kind, counts_as_answer, kind_decided_by, "
                    "inquiry_decided_by, match_method, from_address, subject FROM replies ORDER BY id")
            .find("COVERING INDEX replies_for_report") != std::string::npos);
  CHECK(plan_of(db, "SELECT id, message_id, external_ref FROM inquiries WHERE message_id IS NOT NULL OR "
                    "external_ref IS NOT NULL ORDER BY id")
            .find("COVERING INDEX inquiries_reference") != std::string::npos);

  std::vector<ReplyRow> replies;
  auto read = ledger.for_each_reply([&](const ReplyRow& row) -> Result<void> {
    replies.push_back(row);
    return {};
  });
  REQUIRE_MESSAGE(read.has_value(), read.error().message);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].inquiry_id == 1);
  CHECK(replies[0].source == "imap:INBOX");
  CHECK(replies[0].received_at == k_t0 + std::chrono::hours(3));
  CHECK(replies[0].kind == ReplyKind::human);
  CHECK(replies[0].counts_as_answer);
  CHECK(replies[0].match_method == "message_id");
  CHECK(replies[0].from_address == "service@nordlicht.test");
  CHECK(replies[0].subject == "Re: Gebühren");

  // Both Message-IDs (the caller tells the unfinished send by its missing send time) and the
  // registered reference, in id order.
  std::vector<std::pair<std::int64_t, std::string>> references;
  auto listed = ledger.for_each_inquiry_reference([&](std::int64_t id, std::string_view reference) -> Result<void> {
    references.emplace_back(id, reference);
    return {};
  });
  REQUIRE_MESSAGE(listed.has_value(), listed.error().message);
  CHECK(references == std::vector<std::pair<std::int64_t, std::string>>{
                          {1, "1.abc@respbench.test"},
                          {2, "2.def@respbench.test"},
                          {3, "https://www.facebook.com/NordlichtBank/posts/1"}});
}

TEST_CASE("a ledger created new is at schema 5 with the same indexes") {
  TempDir dir;
  auto ledger = ledger_at(dir / "respbench.db", static_cast<int>(sqlite_ledger::migrations().size()));
  CHECK(sqlite::query_int64(ledger->database(),
                            "SELECT count(*) FROM sqlite_schema WHERE name IN ('replies_for_report', 'inquiries_reference')",
                            "count the indexes")
            .value_or(0) == 2);
  int seen = 0;
  auto stopped = ledger->for_each_inquiry_reference([&](std::int64_t, std::string_view) -> Result<void> {
    ++seen;
    return fail("enough");
  });
  CHECK_FALSE(stopped.has_value());
  CHECK(seen == 1);
}

}  // namespace
}  // namespace respbench
