// Replies entered by hand (`respbench reply`), for any channel: the outcome rules of polled
// replies — a person's answer within the window answers, the earliest wins; a bounce makes the
// inquiry undeliverable; the other kinds are kept — and the checks before anything is stored.
#include <doctest/doctest.h>

#include "assisted_support.hpp"

using namespace respbench;
using respbench::test::run_cli;
using respbench::test::TempDir;

namespace {

std::vector<std::string> cli(const TempDir& tmp, std::vector<std::string> args,
                             const std::string& now = "2026-03-20T18:00") {
  args.insert(args.end(), {"--study", tmp.path().string(), "--now", now});
  return args;
}

// Every Facebook inquiry of the study on the to-do list at the end of planning's last day, the
// first of `company`'s registered as sent at its planned time.
InquiryRecord sent_inquiry(const TempDir& tmp, const std::string& company) {
  auto r = run_cli(cli(tmp, {"run"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto todo = test::first_inquiry(tmp.path(), company, InquiryState::todo);
  auto sent = run_cli(cli(tmp, {"sent", std::to_string(todo.id), "--ref", fmt::format("{}_1", todo.id), "--at",
                                format_utc(todo.planned_at)}));
  REQUIRE_MESSAGE(sent.exit_code == 0, sent.err);
  return test::inquiry_by_id(tmp.path(), todo.id);
}

std::string after(const InquiryRecord& i, std::chrono::seconds d) { return format_utc(*i.sent_at + d); }

test::CliResult reply(const TempDir& tmp, const InquiryRecord& i, std::chrono::seconds delay, const std::string& kind,
                     const std::string& text = "") {
  return run_cli(cli(tmp, {"reply", std::to_string(i.id), "--at", after(i, delay), "--kind", kind, "--text", text}));
}

}  // namespace

TEST_CASE("a person's answer entered by hand answers the inquiry; the earliest wins; the others are kept") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  const auto inquiry = sent_inquiry(tmp, "weissbach-kabel");
  const auto id = std::to_string(inquiry.id);
  using std::chrono::hours;

  auto ack = reply(tmp, inquiry, hours(0) + std::chrono::seconds(20), "auto_ack", "Danke für Ihre Nachricht");
  REQUIRE_MESSAGE(ack.exit_code == 0, ack.err);
  CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).state == InquiryState::sent);
  for (const char* kind : {"ticket_ack", "out_of_office", "other"}) {
    CHECK(reply(tmp, inquiry, hours(1), kind, kind).exit_code == 0);
  }
  CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).state == InquiryState::sent);

  CHECK(reply(tmp, inquiry, hours(5), "human", "Ja, das geht.").exit_code == 0);
  auto answered = test::inquiry_by_id(tmp.path(), inquiry.id);
  CHECK(answered.state == InquiryState::answered);
  CHECK(answered.answered_at == *inquiry.sent_at + hours(5));

  CHECK(reply(tmp, inquiry, hours(3), "human", "Früher").exit_code == 0);
  CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).answered_at == *inquiry.sent_at + hours(3));
  CHECK(reply(tmp, inquiry, hours(4), "human", "Später").exit_code == 0);
  CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).answered_at == *inquiry.sent_at + hours(3));

  // The same reply entered twice is stored once.
  auto twice = reply(tmp, inquiry, hours(4), "human", "Später");
  CHECK(twice.exit_code == 0);
  CHECK(twice.out.find("recorded already") != std::string::npos);
  CHECK(test::count_sql(tmp.path(), fmt::format("SELECT count(*) FROM replies WHERE inquiry_id = {}", id)) == 7);
  CHECK(test::text_sql(tmp.path(), fmt::format("SELECT group_concat(DISTINCT kind_decided_by || '/' || source || '/' || "
                                               "inquiry_decided_by) FROM replies WHERE inquiry_id = {}",
                                               id))
        == "person/manual/person");
  CHECK(test::text_sql(tmp.path(), fmt::format("SELECT group_concat(kind, ',') FROM (SELECT kind FROM replies WHERE "
                                               "inquiry_id = {} ORDER BY received_at, kind)",
                                               id))
        == "auto_ack,other,out_of_office,ticket_ack,human,human,human");
}

TEST_CASE("an answer after the window is kept but does not answer; a bounce makes the inquiry undeliverable") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  const auto late = sent_inquiry(tmp, "weissbach-kabel");
  auto r = run_cli(cli(tmp, {"reply", std::to_string(late.id), "--at", after(late, std::chrono::days(8)), "--kind",
                             "human"},
                       "2026-04-01T12:00"));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("after the answer window") != std::string::npos);
  CHECK(test::inquiry_by_id(tmp.path(), late.id).state == InquiryState::sent);
  CHECK(test::count_sql(tmp.path(), fmt::format("SELECT count(*) FROM replies WHERE inquiry_id = {}", late.id)) == 1);

  const auto bounced = sent_inquiry(tmp, "stadtwerke-auenbruch");
  CHECK(reply(tmp, bounced, std::chrono::minutes(2), "bounce", "Diese Seite ist nicht verfügbar").exit_code == 0);
  CHECK(test::inquiry_by_id(tmp.path(), bounced.id).state == InquiryState::undeliverable);
  // Entered replies follow the one rule of every reply: a person who calls that bounce something
  // else after all makes the inquiry deliverable again (and the window, over by now, closes it).
  const auto reply_id = test::count_sql(
      tmp.path(), fmt::format("SELECT id FROM replies WHERE inquiry_id = {} AND kind = 'bounce'", bounced.id));
  auto other = run_cli(cli(tmp, {"classify", std::to_string(reply_id), "other"}));
  REQUIRE_MESSAGE(other.exit_code == 0, other.err);
  CHECK(test::inquiry_by_id(tmp.path(), bounced.id).state == InquiryState::unanswered);
}

TEST_CASE("reply refuses an inquiry not sent, a time before the send or in the future, and an unknown kind") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  const auto sent = sent_inquiry(tmp, "weissbach-kabel");
  const auto todo = test::first_inquiry(tmp.path(), "stadtwerke-auenbruch", InquiryState::todo);

  auto not_sent = run_cli(cli(tmp, {"reply", std::to_string(todo.id), "--at", "2026-03-20T12:00", "--kind", "human"}));
  CHECK(not_sent.exit_code == k_exit_invalid);
  CHECK(not_sent.err.find("has not been sent") != std::string::npos);
  auto before = reply(tmp, sent, -std::chrono::seconds(1), "human");
  CHECK(before.exit_code == k_exit_invalid);
  CHECK(before.err.find("before inquiry") != std::string::npos);
  auto future = run_cli(cli(tmp, {"reply", std::to_string(sent.id), "--at", "2026-03-20T18:01", "--kind", "human"}));
  CHECK(future.exit_code == k_exit_invalid);
  auto kind = reply(tmp, sent, std::chrono::hours(1), "unclassified");
  CHECK(kind.exit_code == k_exit_invalid);
  CHECK(kind.err.find("expected human, auto_ack") != std::string::npos);
  CHECK(run_cli(cli(tmp, {"reply", "99999", "--at", "2026-03-20T12:00", "--kind", "human"})).exit_code == k_exit_invalid);
  CHECK(test::count_sql(tmp.path(), "SELECT count(*) FROM replies") == 0);
  CHECK(test::inquiry_by_id(tmp.path(), sent.id).state == InquiryState::sent);
}

TEST_CASE("reply works for an email inquiry too") {
  TempDir tmp;
  test::make_assisted_study(tmp.path(), "mail-ag,Mail AG,retail,info@mail-ag.test,\n");
  InquiryFilter filter;
  filter.company_id = "mail-ag";
  const auto email = test::inquiries_of(tmp.path(), filter).front();
  REQUIRE(email.channel == Channel::email);
  {
    auto ledger = test::open_test_ledger(tmp.path());
    REQUIRE(ledger->begin_send(email.id, "x1@shopper.test", "message", email.planned_at).has_value());
    REQUIRE(ledger->mark_handover(email.id).has_value());
    REQUIRE(ledger->mark_sent(email.id, email.planned_at).has_value());
  }
  auto r = run_cli(cli(tmp, {"reply", std::to_string(email.id), "--at", format_utc(email.planned_at + std::chrono::hours(2)),
                             "--kind", "human", "--from", "Frau Schmidt, Kundenservice", "--text", "Rückruf: ja, geht."}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto answered = test::inquiry_by_id(tmp.path(), email.id);
  CHECK(answered.state == InquiryState::answered);
  CHECK(answered.answered_at == email.planned_at + std::chrono::hours(2));
  CHECK(test::text_sql(tmp.path(), "SELECT channel || '|' || from_address || '|' || excerpt FROM replies")
        == "email|Frau Schmidt, Kundenservice|Rückruf: ja, geht.");
}
