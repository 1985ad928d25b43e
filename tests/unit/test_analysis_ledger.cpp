// Ledger::analysis_input(): what the SQLite ledger hands analyze_study(), built through the
// Ledger interface as `plan` and `run` build it.

#include <doctest/doctest.h>

#include <chrono>

#include "analysis/analyze.hpp"
#include "analysis/input.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using respbench::Channel;
using respbench::Company;
using respbench::InquiryState;
using respbench::Instant;
using respbench::k_no_time;
using respbench::NewInquiry;
using respbench::NewReply;
using respbench::Probe;
using respbench::ReplyKind;
using respbench::test::TempDir;

namespace {

constexpr std::int64_t k_monday = 1'772'442'000;  // 2026-03-02T09:00:00Z
Instant at(std::int64_t s) { return Instant{std::chrono::seconds{s}}; }

Company company(std::string id, std::string sector, bool facebook) {
  Company c;
  c.id = id;
  c.name = "Firma " + id;
  c.sector = std::move(sector);
  c.email = "service@" + id + ".test";
  if (facebook) c.facebook = id + "page";
  return c;
}

Probe probe(std::string id) {
  Probe p;
  p.id = std::move(id);
  p.subject = "Frage";
  p.channels = {Channel::email, Channel::facebook};
  p.body = "Guten Tag";
  return p;
}

NewReply reply(std::string key, std::int64_t inquiry_id, std::int64_t received, ReplyKind kind,
               std::string excerpt = "") {
  NewReply r;
  r.inquiry_id = inquiry_id;
  r.source = "imap:INBOX";
  r.source_key = std::move(key);
  r.received_at = at(received);
  r.kind = kind;
  r.counts_as_answer = respbench::counts_as_answer(kind);
  r.from_address = "service@x.test";
  r.subject = "AW: Frage";
  r.excerpt = std::move(excerpt);
  r.raw = "Subject: AW: Frage\r\n\r\nText\r\n";
  r.size = r.raw.size();
  return r;
}

}  // namespace

TEST_SUITE("analysis ledger") {
  TEST_CASE("analysis_input reads companies, inquiries, first acknowledgements and quotes") {
    TempDir dir;
    auto ledger = respbench::open_sqlite_ledger(dir / "respbench.db", respbench::LedgerOpen::create_if_missing).value();
    const std::string anna = "Anna Berger <anna@example.test>";
    const std::string bert = "Bert Adler <bert@example.test>";
    std::vector<NewInquiry> plan = {
        {"b2", Channel::email, "p1", anna, at(k_monday)},     // 1
        {"b2", Channel::email, "p2", bert, at(k_monday)},     // 2
        {"a1", Channel::email, "p1", bert, at(k_monday)},     // 3
        {"a1", Channel::facebook, "p1", anna, at(k_monday)},  // 4 (stays planned)
        {"a1", Channel::email, "p2", anna, at(k_monday)},     // 5 (bounces)
    };
    REQUIRE(ledger->record_plan({company("b2", "telco", false), company("a1", "bank", true)},
                                {probe("p2"), probe("p1")}, plan)
                .value() == 5);
    for (std::int64_t id : {1, 2, 3, 5}) {
      REQUIRE(ledger->begin_send(id, "m" + std::to_string(id) + "@respbench.test", "msg", at(k_monday)));
      REQUIRE(ledger->mark_sent(id, at(k_monday + 10)));
    }
    REQUIRE(ledger->mark_undeliverable(5, "5.1.1 no such user", at(k_monday + 100)));
    const std::vector<NewReply> replies = {
        reply("r1", 1, k_monday + 300, ReplyKind::ticket_ack),
        reply("r2", 1, k_monday + 200, ReplyKind::auto_ack),  // the first acknowledgement
        reply("r3", 1, k_monday + 7200, ReplyKind::human, "Die Gebühr beträgt 5 €"),
        reply("r4", 2, k_monday + 3600, ReplyKind::human, "Schon früher beantwortet"),
        reply("r5", 3, k_monday + 60, ReplyKind::out_of_office),  // not an acknowledgement
        reply("r6", 3, k_monday + 9000, ReplyKind::human, "Antwort an a1"),
    };
    REQUIRE(ledger->record_replies(replies, "imap:INBOX", respbench::Watermark{1, 6}, 168h,
                                   at(k_monday + 10000)));

    const auto input = ledger->analysis_input(10);
    REQUIRE(input);
    REQUIRE(input->companies.size() == 2);
    CHECK(input->companies[0].id == "a1");  // by id
    CHECK(input->companies[0].offers_facebook);
    CHECK_FALSE(input->companies[1].offers_facebook);
    CHECK(input->companies[1].sector == "telco");
    CHECK(input->probe_ids == std::vector<std::string>{"p1", "p2"});
    CHECK(input->personas == std::vector<std::string>{anna, bert});  // sorted
    REQUIRE(input->inquiries.size() == 5);
    const auto& i1 = input->inquiries[0];
    CHECK(i1.id == 1);
    CHECK(i1.company == 1);
    CHECK(i1.probe == 0);
    CHECK(i1.persona == 0);
    CHECK(i1.state == InquiryState::answered);
    CHECK(i1.sent_at == k_monday + 10);
    CHECK(i1.answered_at == k_monday + 7200);
    CHECK(i1.first_ack_at == k_monday + 200);
    CHECK(input->inquiries[1].persona == 1);
    CHECK(input->inquiries[1].first_ack_at == k_no_time);
    CHECK(input->inquiries[2].first_ack_at == k_no_time);  // out of office is no acknowledgement
    CHECK(input->inquiries[3].channel == Channel::facebook);
    CHECK(input->inquiries[3].state == InquiryState::planned);
    CHECK(input->inquiries[3].sent_at == k_no_time);
    CHECK(input->inquiries[4].state == InquiryState::undeliverable);

    // One quote per company and channel: b2's first answer is r4 (inquiry 2), not r3.
    REQUIRE(input->quoted_replies.size() == 2);
    CHECK(input->quoted_replies[0].company == 0);
    CHECK(input->quoted_replies[0].excerpt == "Antwort an a1");
    CHECK(input->quoted_replies[1].company == 1);
    CHECK(input->quoted_replies[1].inquiry_id == 2);
    CHECK(input->quoted_replies[1].excerpt == "Schon früher beantwortet");
    CHECK(input->quoted_replies[1].kind == ReplyKind::human);

    // The bound holds, and 0 quotes none.
    CHECK(ledger->analysis_input(1).value().quoted_replies.size() == 1);
    CHECK(ledger->analysis_input(0).value().quoted_replies.empty());

    // And it goes through the analysis.
    respbench::AnalysisOptions options;
    options.now = at(k_monday + 86400);
    const auto figures = respbench::analyze_study(*input, options);
    CHECK(figures.overall[0].answered == 3);
    CHECK(figures.overall[0].ack_rate.successes == 1);
    CHECK(*figures.inquiries[0].ack_hours == doctest::Approx(190.0 / 3600));
  }

  TEST_CASE("analysis_input of an empty ledger") {
    TempDir dir;
    auto ledger = respbench::open_sqlite_ledger(dir / "respbench.db", respbench::LedgerOpen::create_if_missing).value();
    const auto input = ledger->analysis_input(10);
    REQUIRE(input);
    CHECK(input->companies.empty());
    CHECK(input->inquiries.empty());
  }
}
