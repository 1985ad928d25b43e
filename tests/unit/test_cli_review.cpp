// respbench review, assign, classify and reclassify through the CLI, over a sample study whose
// ledger holds sent inquiries and stored raw replies.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "ledger/ledger.hpp"
#include "support.hpp"

using namespace respbench;
using namespace respbench::test;

namespace {

constexpr std::string_view k_our_id = "abcdefghijklmnopqrstuvwxyz@shopper.test";

template <class T>
T ok(Result<T> r) {
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

std::string raw_reply(const std::string& from, const std::string& subject, const std::string& in_reply_to,
                      const std::string& extra = "") {
  std::string text = fmt::format("From: {}\r\nTo: anna.berger@shopper.test\r\nSubject: {}\r\nMessage-ID: <{}@x.test>\r\n",
                                 from, subject, std::hash<std::string>{}(from + subject));
  if (!in_reply_to.empty()) text += fmt::format("In-Reply-To: <{}>\r\n", in_reply_to);
  return text + extra + "\r\nGuten Tag, hier ist die Antwort.\r\n";
}

// The sample study, planned, with its first email inquiry sent on 2026-03-02 at 09:00 UTC.
struct ReviewStudy {
  TempDir dir;
  InquiryRecord inquiry;
  Instant sent = Instant(std::chrono::seconds(1'772'442'000));
  std::uint32_t uid = 0;

  ReviewStudy() {
    copy_sample_study(dir.path());
    REQUIRE(run_cli({"plan", "--study", path(), "--now", "2026-03-01T12:00", "--quiet"}).exit_code == 0);
    auto l = ledger();
    InquiryFilter email;
    email.channel = Channel::email;
    inquiry = ok(l->inquiries(email)).front();
    ok(l->begin_send(inquiry.id, k_our_id, "message", sent));
    ok(l->mark_handover(inquiry.id));
    ok(l->mark_sent(inquiry.id, sent));
  }
  std::string path() const { return dir.path().string(); }
  std::unique_ptr<Ledger> ledger() const { return ok(open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing)); }

  // Stores `raw` as the rules of an older respbench left it: unclassified and unmatched.
  std::int64_t store(const std::string& raw, std::chrono::seconds after, const std::string& review = "not matched") {
    NewReply r;
    r.source = "imap:INBOX";
    r.source_key = fmt::format("k{}", ++uid);
    r.received_at = sent + after;
    r.kind = ReplyKind::unclassified;
    r.review = review;
    r.from_address = raw.substr(6, raw.find("\r\n") - 6);
    r.subject = "stored";
    r.excerpt = "Guten Tag, hier ist die Antwort.";
    r.raw = raw;
    r.size = raw.size();
    auto l = ledger();
    ok(l->record_replies({r}, "imap:INBOX", Watermark{1, uid}, std::chrono::hours(24 * 7), sent + after));
    std::int64_t last = 0;
    for (const auto& stored : ok(l->replies({}))) last = std::max(last, stored.id);
    return last;
  }
  InquiryRecord current() const {
    for (auto& i : ok(ledger()->inquiries({}))) {
      if (i.id == inquiry.id) return i;
    }
    FAIL("inquiry gone");
    return {};
  }
  CliResult cli(std::vector<std::string> args) const {
    args.insert(args.begin() + 1, {"--study", path(), "--now", "2026-03-03T12:00"});
    return run_cli(args);
  }
};

}  // namespace

TEST_SUITE("cli.review") {

TEST_CASE("review lists the queue with reasons; assign and classify decide; status counts what waits") {
  ReviewStudy s;
  auto empty = s.cli({"review"});
  CHECK(empty.exit_code == k_exit_ok);
  CHECK(empty.out == "No replies are waiting for review.\n");

  const auto id = s.store(raw_reply("someone@stranger.test", "Antwort", ""), std::chrono::hours(2),
                          "not matched: the sender's domain stranger.test is no company's");
  auto text = s.cli({"review"});
  INFO(text.out, text.err);
  CHECK(text.out.find(fmt::format("reply {} · email · received 2026-03-02 12:00 CET", id)) != std::string::npos);
  CHECK(text.out.find("from someone@stranger.test") != std::string::npos);
  CHECK(text.out.find("review:    not matched: the sender's domain stranger.test is no company's") != std::string::npos);
  CHECK(text.out.find("text:      Guten Tag, hier ist die Antwort.") != std::string::npos);
  auto json = s.cli({"review", "--json"});
  CHECK(json.out.find(fmt::format("{{\"waiting\":1,\"replies\":[{{\"id\":{},\"channel\":\"email\"", id)) !=
        std::string::npos);
  CHECK(json.out.find("\"inquiry\":null") != std::string::npos);
  CHECK(s.cli({"status"}).out.find("1 reply is waiting for review") != std::string::npos);
  CHECK(s.cli({"status", "--json"}).out.find("\"review\":1,") != std::string::npos);

  SUBCASE("assign answers the inquiry with the reply's receipt time") {
    auto r = s.cli({"assign", std::to_string(id), std::to_string(s.inquiry.id)});
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    // Placed, it is judged again as a known reply: a person's answer, so the inquiry is answered.
    CHECK(r.out.find(fmt::format("reply {} judged again as a reply to inquiry {}: unclassified → human", id,
                                 s.inquiry.id)) != std::string::npos);
    CHECK(r.out.find(fmt::format("inquiry {}: sent → answered (answered 2026-03-02 12:00 CET)", s.inquiry.id)) !=
          std::string::npos);
    CHECK(s.current().answered_at == s.sent + std::chrono::hours(2));
    r = s.cli({"classify", std::to_string(id), "human"});
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    CHECK(s.current().answered_at == s.sent + std::chrono::hours(2));
    CHECK(s.cli({"review"}).out == "No replies are waiting for review.\n");
    CHECK(s.cli({"review", "--all"}).out.find("(decided by a person)") != std::string::npos);

    // `none`: it belongs to no inquiry, and the inquiry is open again.
    r = s.cli({"assign", std::to_string(id), "none"});
    CHECK(r.out.find("belongs to no inquiry") != std::string::npos);
    CHECK(s.current().state == InquiryState::sent);
  }
  SUBCASE("bad arguments are usage errors") {
    CHECK(s.cli({"assign", "x", "1"}).exit_code == k_exit_invalid);
    CHECK(s.cli({"assign", std::to_string(id)}).exit_code == k_exit_invalid);
    auto kind = s.cli({"classify", std::to_string(id), "spam"});
    CHECK(kind.exit_code == k_exit_invalid);
    CHECK(kind.err.find("KIND must be human, auto_ack") != std::string::npos);
    auto missing = s.cli({"assign", "999", std::to_string(s.inquiry.id)});
    CHECK(missing.exit_code == k_exit_failure);
    CHECK(missing.err.find("there is no reply 999") != std::string::npos);
  }
}

TEST_CASE("assign judges the kind again as a known reply, unless a person decided the kind") {
  ReviewStudy s;
  // By its headers it answers nothing (no In-Reply-To, no Re:) and it comes from no company's
  // domain: the rules leave it unmatched and `other`, uncertain.
  const auto id = s.store(raw_reply("someone@stranger.test", "Antwort", ""), std::chrono::hours(2));
  REQUIRE(s.cli({"reclassify"}).exit_code == k_exit_ok);
  auto reply_of = [&](std::int64_t reply) {
    for (const auto& r : ok(s.ledger()->replies({}))) {
      if (r.id == reply) return r;
    }
    FAIL("reply gone");
    return StoredReply{};
  };
  REQUIRE(reply_of(id).kind == ReplyKind::other);
  REQUIRE_FALSE(reply_of(id).review.empty());

  SUBCASE("placed by a person, it is a person's answer: no classify needed") {
    auto r = s.cli({"assign", std::to_string(id), std::to_string(s.inquiry.id)});
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    CHECK(r.out.find("other → human") != std::string::npos);
    CHECK(r.out.find(fmt::format("inquiry {}: sent → answered", s.inquiry.id)) != std::string::npos);
    const auto placed = reply_of(id);
    CHECK(placed.kind == ReplyKind::human);
    CHECK(placed.kind_decided_by == "rules");
    CHECK(placed.inquiry_decided_by == "person");
    CHECK(placed.counts_as_answer);
    CHECK(placed.review.empty());
    CHECK(s.current().state == InquiryState::answered);
    CHECK(s.current().answered_at == s.sent + std::chrono::hours(2));

    // reclassify judges a person-placed reply the same way: nothing changes.
    auto again = s.cli({"reclassify"});
    INFO(again.out);
    CHECK(again.out.find("0 changed") != std::string::npos);
    CHECK(reply_of(id).kind == ReplyKind::human);
    CHECK(s.current().state == InquiryState::answered);
  }
  SUBCASE("a person's decision on the kind wins") {
    REQUIRE(s.cli({"classify", std::to_string(id), "other"}).exit_code == k_exit_ok);
    auto r = s.cli({"assign", std::to_string(id), std::to_string(s.inquiry.id)});
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    CHECK(r.out.find("judged again") == std::string::npos);
    CHECK(reply_of(id).kind == ReplyKind::other);
    CHECK(reply_of(id).kind_decided_by == "person");
    CHECK(s.current().state == InquiryState::sent);
  }
  SUBCASE("placed under no inquiry, it is not judged again") {
    auto r = s.cli({"assign", std::to_string(id), "none"});
    CHECK(r.exit_code == k_exit_ok);
    CHECK(reply_of(id).kind == ReplyKind::other);
  }
}

TEST_CASE("reclassify judges the stored raw replies again, keeps people's decisions, and recomputes outcomes") {
  ReviewStudy s;
  // Stored by an older respbench that did not match yet: it quotes our Message-ID.
  const auto quoting = s.store(raw_reply("service@nordlicht-bank.test", "AW: Frage", std::string(k_our_id)),
                               std::chrono::hours(3));
  // An automatic one, also quoting us.
  s.store(raw_reply("service@nordlicht-bank.test", "Eingangsbestätigung", std::string(k_our_id),
                    "Auto-Submitted: auto-replied\r\n"),
          std::chrono::hours(1));
  // A stranger's that a person has placed already: that decision stays.
  const auto placed = s.store(raw_reply("someone@stranger.test", "Antwort", ""), std::chrono::hours(5));
  REQUIRE(s.cli({"assign", std::to_string(placed), "none"}).exit_code == k_exit_ok);

  auto dry = s.cli({"reclassify", "--dry-run"});
  INFO(dry.out, dry.err);
  CHECK(dry.exit_code == k_exit_ok);
  CHECK(dry.out.find("dry run, nothing changed: 3 replies judged again") != std::string::npos);
  CHECK(dry.out.find("unclassified → human: 1") != std::string::npos);
  // The stranger's: no reply to anything by its headers, and the person placed it with no inquiry.
  CHECK(dry.out.find("unclassified → other: 1") != std::string::npos);
  CHECK(dry.out.find("unclassified → auto_ack: 1") != std::string::npos);
  CHECK(dry.out.find(fmt::format("inquiry {}: sent → answered", s.inquiry.id)) != std::string::npos);
  CHECK(s.current().state == InquiryState::sent);

  auto done = s.cli({"reclassify", "--json"});
  INFO(done.out, done.err);
  CHECK(done.exit_code == k_exit_ok);
  CHECK(done.out.find("\"dry_run\":false,\"replies\":3") != std::string::npos);
  CHECK(s.current().state == InquiryState::answered);
  CHECK(s.current().answered_at == s.sent + std::chrono::hours(3));  // not the acknowledgement's time
  auto replies = ok(s.ledger()->replies({}));
  for (const auto& r : replies) {
    if (r.id == placed) {
      CHECK_FALSE(r.inquiry_id.has_value());
      CHECK(r.inquiry_decided_by == "person");
    } else {
      CHECK(r.inquiry_id == s.inquiry.id);
      CHECK(r.match_method == "message_id");
    }
    if (r.id == quoting) CHECK(r.counts_as_answer);
  }
  CHECK(ok(s.ledger()->review_count()) == 0);

  // Run again: nothing changes.
  auto again = s.cli({"reclassify"});
  CHECK(again.out.find("0 changed") != std::string::npos);
  CHECK(again.out.find("no inquiry's outcome changed") != std::string::npos);
}

}  // TEST_SUITE
