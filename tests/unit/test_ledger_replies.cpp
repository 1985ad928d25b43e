// The ledger's rules for replies (DESIGN §5–§7): answers, acknowledgements, bounces, the review
// queue, a person's decisions, and recomputing an inquiry from its replies.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "ledger/sqlite_ledger.hpp"
#include "support.hpp"

using namespace respbench;
using namespace respbench::test;

namespace {

Instant at(std::int64_t s) { return Instant(std::chrono::seconds(s)); }
constexpr std::int64_t k_sent = 1'772'442'000;  // 2026-03-02T09:00:00Z
constexpr std::chrono::seconds k_window = std::chrono::hours(72);
constexpr std::string_view k_inbox = "imap:INBOX";

template <class T>
T ok(Result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// acme: inquiries 1 and 2 by email (sent at k_sent, Message-IDs with reply tokens), 3 on Facebook.
struct Fixture {
  TempDir dir;
  std::unique_ptr<sqlite_ledger::SqliteLedger> ledger;
  std::uint32_t uid = 0;

  Fixture() {
    ledger = ok(sqlite_ledger::open(dir / "respbench.db", LedgerOpen::create_if_missing, sqlite_ledger::migrations()));
    Company acme;
    acme.id = "acme";
    acme.name = "Acme GmbH";
    acme.sector = "retail";
    acme.email = "info@acme.test";
    acme.facebook = "acme";
    std::vector<Probe> probes;
    for (auto id : {"p1", "p2"}) {
      Probe p;
      p.id = id;
      p.subject = fmt::format("Frage {}", id);
      p.channels = {Channel::email, Channel::facebook};
      p.body = "?";
      probes.push_back(p);
    }
    const std::string persona = "Anna Berger <anna@shopper.test>";
    ok(ledger->record_plan({acme}, probes,
                           {{"acme", Channel::email, "p1", persona, at(k_sent)},
                            {"acme", Channel::email, "p2", persona, at(k_sent)},
                            {"acme", Channel::facebook, "p1", persona, at(k_sent)}}));
    for (std::int64_t id : {1, 2}) {
      ok(ledger->begin_send(id, fmt::format("{}bcdefghijklmnopqrstuvwxy@shopper.test", id == 1 ? 'a' : 'z'), "msg",
                            at(k_sent)));
      ok(ledger->mark_handover(id));
      ok(ledger->mark_sent(id, at(k_sent)));
    }
  }

  // Stores one reply, received `after` seconds after the send; returns its id.
  std::int64_t store(std::optional<std::int64_t> inquiry, std::int64_t after, ReplyKind kind, std::string review = "",
                     bool hard = true) {
    NewReply r;
    r.inquiry_id = inquiry;
    r.source = std::string(k_inbox);
    r.source_key = fmt::format("key-{}", ++uid);
    r.received_at = at(k_sent + after);
    r.kind = kind;
    r.counts_as_answer = inquiry.has_value() && counts_as_answer(kind);
    r.review = std::move(review);
    r.from_address = "info@acme.test";
    if (kind == ReplyKind::bounce) {
      r.bounce_hard = hard;
      r.bounce_status = hard ? "5.1.1" : "4.4.1";
      r.bounce_recipient = "info@acme.test";
    }
    ok(ledger->record_replies({r}, k_inbox, Watermark{1, uid}, k_window, at(k_sent + after + 60)));
    std::int64_t last = 0;  // replies() orders by receipt time, not by id
    for (const auto& stored : ok(ledger->replies({}))) last = std::max(last, stored.id);
    return last;
  }

  InquiryRecord inquiry(std::int64_t id) {
    for (auto& i : ok(ledger->inquiries({}))) {
      if (i.id == id) return i;
    }
    FAIL("no inquiry ", id);
    return {};
  }
  StoredReply reply(std::int64_t id) {
    ReplyFilter f;
    f.reply_id = id;
    auto found = ok(ledger->replies(f));
    REQUIRE(found.size() == 1);
    return found.front();
  }
  std::string last_error(std::int64_t id) { return ok(ledger->last_error(id)); }
};

}  // namespace

TEST_SUITE("ledger.replies") {

TEST_CASE("acknowledgements are kept with their times and never answer; the first answer does") {
  Fixture f;
  const auto ack = f.store(1, 60, ReplyKind::auto_ack);
  f.store(1, 120, ReplyKind::ticket_ack);
  f.store(1, 180, ReplyKind::out_of_office);
  CHECK(f.inquiry(1).state == InquiryState::sent);
  f.store(1, 3600, ReplyKind::human);
  f.store(1, 7200, ReplyKind::human);
  CHECK(f.inquiry(1).state == InquiryState::answered);
  CHECK(f.inquiry(1).answered_at == at(k_sent + 3600));
  CHECK(f.reply(ack).received_at == at(k_sent + 60));
  CHECK_FALSE(f.reply(ack).counts_as_answer);
}

TEST_CASE("a hard bounce makes an inquiry undeliverable; a soft one does not; one after an answer is noted") {
  Fixture f;
  f.store(1, 30, ReplyKind::bounce, "", /*hard=*/false);
  CHECK(f.inquiry(1).state == InquiryState::sent);
  f.store(1, 60, ReplyKind::bounce);
  CHECK(f.inquiry(1).state == InquiryState::undeliverable);
  CHECK(f.last_error(1).starts_with("bounced: reply 2, status 5.1.1, recipient info@acme.test"));

  f.store(2, 600, ReplyKind::human);
  f.store(2, 900, ReplyKind::bounce);
  CHECK(f.inquiry(2).state == InquiryState::answered);
  CHECK(f.last_error(2).find("a bounce came after the answer") != std::string::npos);

}

TEST_CASE("a bounce fetched after the window closed still makes the inquiry undeliverable") {
  Fixture f;
  CHECK(ok(f.ledger->close_expired(at(k_sent + k_window.count()), k_window)) == 2);
  f.store(1, 600, ReplyKind::bounce);
  CHECK(f.inquiry(1).state == InquiryState::undeliverable);
}

TEST_CASE("a reply that waits for review changes nothing until a person decides") {
  Fixture f;
  const auto id = f.store(1, 600, ReplyKind::human, "classification uncertain: human (weak signals)");
  CHECK(f.inquiry(1).state == InquiryState::sent);
  CHECK(ok(f.ledger->review_count()) == 1);
  ReplyFilter queue;
  queue.review_only = true;
  CHECK(ok(f.ledger->replies(queue)).size() == 1);

  auto changes = ok(f.ledger->classify_reply(id, ReplyKind::human, k_window, at(k_sent + 3600)));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].before == InquiryState::sent);
  CHECK(changes[0].after == InquiryState::answered);
  CHECK(changes[0].answered_after == at(k_sent + 600));
  CHECK(ok(f.ledger->review_count()) == 0);
  CHECK(f.reply(id).kind_decided_by == "person");
}

TEST_CASE("assign: a person places a reply; its inquiries are recomputed") {
  Fixture f;
  const auto id = f.store(std::nullopt, 600, ReplyKind::human, "not matched: from a stranger");
  CHECK_FALSE(f.reply(id).counts_as_answer);

  auto changes = ok(f.ledger->assign_reply(id, 1, k_window, at(k_sent + 3600)));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].after == InquiryState::answered);
  CHECK(f.inquiry(1).answered_at == at(k_sent + 600));
  const auto placed = f.reply(id);
  CHECK(placed.inquiry_id == 1);
  CHECK(placed.inquiry_decided_by == "person");
  CHECK(placed.review.empty());
  CHECK(placed.counts_as_answer);

  // Moved to the other inquiry: the first one loses its answer.
  changes = ok(f.ledger->assign_reply(id, 2, k_window, at(k_sent + 3600)));
  REQUIRE(changes.size() == 2);
  CHECK(f.inquiry(1).state == InquiryState::sent);
  CHECK_FALSE(f.inquiry(1).answered_at.has_value());
  CHECK(f.inquiry(2).state == InquiryState::answered);

  // To none, after the window: the inquiry it left is unanswered now.
  changes = ok(f.ledger->assign_reply(id, std::nullopt, k_window, at(k_sent + k_window.count() + 10)));
  REQUIRE(changes.size() == 1);
  CHECK(f.inquiry(2).state == InquiryState::unanswered);
  CHECK_FALSE(f.reply(id).inquiry_id.has_value());
  CHECK(f.reply(id).inquiry_decided_by == "person");
  CHECK(ok(f.ledger->review_count()) == 0);

  SUBCASE("an email reply is not a Facebook inquiry's answer") {
    auto refused = f.ledger->assign_reply(id, 3, k_window, at(k_sent));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message.find("the reply came by email, the inquiry was made by facebook") != std::string::npos);
  }
  SUBCASE("unknown ids are refused") {
    CHECK(f.ledger->assign_reply(999, 1, k_window, at(k_sent)).error().message.find("there is no reply 999") !=
          std::string::npos);
    CHECK(f.ledger->assign_reply(id, 999, k_window, at(k_sent)).error().message.find("there is no inquiry 999") !=
          std::string::npos);
  }
}

TEST_CASE("classify: a person's kind decides whether the reply answers") {
  Fixture f;
  const auto id = f.store(1, 600, ReplyKind::auto_ack);
  CHECK(f.inquiry(1).state == InquiryState::sent);
  ok(f.ledger->classify_reply(id, ReplyKind::human, k_window, at(k_sent + 700)));
  CHECK(f.inquiry(1).state == InquiryState::answered);
  ok(f.ledger->classify_reply(id, ReplyKind::bounce, k_window, at(k_sent + 700)));
  CHECK(f.inquiry(1).state == InquiryState::undeliverable);  // a person's "bounce" is a hard one
  ok(f.ledger->classify_reply(id, ReplyKind::other, k_window, at(k_sent + 700)));
  CHECK(f.inquiry(1).state == InquiryState::sent);
  CHECK(f.last_error(1).empty());

  SUBCASE("an unmatched reply stays in review for its inquiry, without the doubt about its kind") {
    const auto loose = f.store(std::nullopt, 60, ReplyKind::other,
                               "not matched: from a stranger | classification uncertain: other (no signal)");
    ok(f.ledger->classify_reply(loose, ReplyKind::human, k_window, at(k_sent + 700)));
    CHECK(f.reply(loose).review == "not matched: from a stranger");
  }
  SUBCASE("unclassified is no decision") {
    CHECK_FALSE(f.ledger->classify_reply(id, ReplyKind::unclassified, k_window, at(k_sent)).has_value());
  }
}

TEST_CASE("apply_verdicts keeps every person's decision and recomputes what changed; a dry run keeps nothing") {
  Fixture f;
  const auto a = f.store(1, 600, ReplyKind::auto_ack);              // the rules will say: human
  const auto b = f.store(std::nullopt, 900, ReplyKind::human, "x");  // a person puts it to inquiry 2
  ok(f.ledger->assign_reply(b, 2, k_window, at(k_sent + 1000)));
  const auto c = f.store(2, 1200, ReplyKind::auto_ack);  // a person says: other
  ok(f.ledger->classify_reply(c, ReplyKind::other, k_window, at(k_sent + 1300)));
  CHECK(f.inquiry(1).state == InquiryState::sent);

  std::vector<ReplyVerdict> verdicts;
  auto verdict = [&](std::int64_t id, std::optional<std::int64_t> inquiry, ReplyKind kind, std::string review = "") {
    ReplyVerdict v;
    v.reply_id = id;
    v.rules.inquiry_id = inquiry;
    v.rules.kind = kind;
    v.rules.match_method = inquiry ? "subject" : "";
    v.rules.reasons = "new rules";
    v.match_review = std::move(review);
    verdicts.push_back(v);
  };
  verdict(a, 1, ReplyKind::human);
  verdict(b, std::nullopt, ReplyKind::human, "not matched: stranger");  // the person's inquiry wins
  verdict(c, 2, ReplyKind::human);                                       // the person's kind wins

  const auto dry = ok(f.ledger->apply_verdicts(verdicts, k_window, at(k_sent + 2000), ApplyMode::dry_run));
  CHECK(dry.replies == 3);
  CHECK(dry.replies_changed == 1);
  REQUIRE(dry.kinds.size() == 1);
  CHECK(dry.kinds[0].first == std::pair{ReplyKind::auto_ack, ReplyKind::human});
  CHECK(dry.kinds[0].second == 1);
  REQUIRE(dry.outcomes.size() == 1);
  CHECK(dry.outcomes[0].inquiry_id == 1);
  CHECK(dry.outcomes[0].after == InquiryState::answered);
  CHECK(f.inquiry(1).state == InquiryState::sent);  // nothing kept
  CHECK(f.reply(a).kind == ReplyKind::auto_ack);

  const auto done = ok(f.ledger->apply_verdicts(verdicts, k_window, at(k_sent + 2000), ApplyMode::commit));
  CHECK(done.outcomes.size() == 1);
  CHECK(f.inquiry(1).state == InquiryState::answered);
  CHECK(f.inquiry(1).answered_at == at(k_sent + 600));
  CHECK(f.reply(a).reasons == "new rules");
  CHECK(f.reply(b).inquiry_id == 2);
  CHECK(f.reply(b).review.empty());
  CHECK(f.reply(c).kind == ReplyKind::other);
  CHECK(f.inquiry(2).answered_at == at(k_sent + 900));
}

TEST_CASE("settle_inquiry: the window, and what it leaves alone") {
  Fixture f;
  auto change = ok(f.ledger->settle_inquiry(1, k_window, at(k_sent + 10)));
  CHECK_FALSE(change.changed());
  change = ok(f.ledger->settle_inquiry(1, k_window, at(k_sent + k_window.count())));
  CHECK(change.after == InquiryState::unanswered);
  // Refused by the server: no bounce to undo, it stays undeliverable.
  ok(f.ledger->begin_send(3, "qqqqqqqqqqqqqqqqqqqqqqqqqq@shopper.test", "m", at(k_sent)));
  ok(f.ledger->mark_undeliverable(3, "550 no such user", at(k_sent)));
  CHECK(ok(f.ledger->settle_inquiry(3, k_window, at(k_sent + 10))).after == InquiryState::undeliverable);
  CHECK_FALSE(f.ledger->settle_inquiry(99, k_window, at(k_sent)).has_value());
}

TEST_CASE("an inquiry is found by the reply token of its Message-ID") {
  Fixture f;
  CHECK(ok(f.ledger->inquiry_by_reply_token("abcdefghij"))->id == 1);
  CHECK(ok(f.ledger->inquiry_by_reply_token("zbcdefghij"))->id == 2);
  CHECK_FALSE(ok(f.ledger->inquiry_by_reply_token("bbbbbbbbbb")).has_value());
  CHECK_FALSE(ok(f.ledger->inquiry_by_reply_token("")).has_value());
}

}  // TEST_SUITE
