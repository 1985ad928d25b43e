// Understanding replies end to end, against the real mail rig (Postfix + Dovecot on loopback):
// `respbench run` sends, a company answers the way companies do — an automatic
// acknowledgement first and a person later, a reply that quotes nothing of ours, a helpdesk on
// a domain of its own, a stranger — and the ledger, `review` and `assign` show the outcome.
#include <doctest/doctest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "ledger/ledger.hpp"
#include "mail/compose.hpp"
#include "mail/message.hpp"
#include "mail_rig.hpp"
#include "support.hpp"

using namespace respbench;
using namespace respbench::test;

namespace {

constexpr const char* k_password_env = "RESPBENCH_TEST_REPLIES_PASSWORD";
const RigUser k_acme{"info@acme.test", "secret-acme"};

const std::vector<RigUser>& replies_rig_users() {
  static const std::vector<RigUser> users = [] {
    std::vector<RigUser> list = {k_acme};
    for (int i = 1; i <= 12; ++i) list.push_back({fmt::format("shopper{}@shopper.test", i), fmt::format("pw-{}", i)});
    return list;
  }();
  return users;
}

MailRig& replies_rig() {
  static MailRig rig(replies_rig_users(), {"bounce.test"});
  return rig;
}

// One company asked `probes` questions by email, planned three weeks ago so all are due now;
// the analyst's mailbox is fresh for every study.
struct RepliesStudy {
  TempDir dir;
  RigUser analyst;

  explicit RepliesStudy(const std::string& company_email = k_acme.address, const std::string& extra_email = "") {
    static std::size_t next_analyst = 1;
    REQUIRE(next_analyst < replies_rig_users().size());
    analyst = replies_rig_users()[next_analyst++];
    auto& rig = replies_rig();
    const auto start = date::floor<date::days>(std::chrono::system_clock::now()) - date::days{21};
    write_text(dir / "respbench.conf",
               fmt::format("[study]\nname = Replies\nstart = {}\nprobes_per_channel = 2\n"
                           "[email]\nsmtp_url = smtp://127.0.0.1:{}\nimap_url = imaps://127.0.0.1:{}\n"
                           "user = {}\npassword_env = {}\nca_file = {}\npause_seconds = 0\n{}"
                           "[personas]\npersona = Anna Berger <{}>\n",
                           date::format("%F", start), rig.port("SMTP_PORT"), rig.port("IMAPS_PORT"), analyst.address,
                           k_password_env, rig.ca_file(), extra_email, analyst.address));
    write_text(dir / "companies.csv", fmt::format("id,name,sector,email,facebook\nacme,Acme GmbH,retail,{},\n", company_email));
    write_text(dir / "probes/opening.txt",
               "Subject: Frage zu Ihren Servicezeiten\nChannels: email\nSectors: *\nLanguage: de\n\n"
               "Guten Tag,\n\nwann ist Ihr Service erreichbar?\n\nViele Grüße\n{persona.name}\n");
    write_text(dir / "probes/delivery.txt",
               "Subject: Lieferzeit einer Bestellung bei {company.name}\nChannels: email\nSectors: *\nLanguage: de\n\n"
               "Hallo,\n\nwie lange dauert die Lieferung?\n\nGrüße\n{persona.name}\n");
    ::setenv(k_password_env, analyst.password.c_str(), 1);
    REQUIRE(run_cli({"plan", "--study", path(), "--now", date::format("%FT18:00", start - date::days{1}), "--quiet"})
                .exit_code == 0);
  }

  std::string path() const { return dir.path().string(); }
  std::unique_ptr<Ledger> ledger() const {
    return std::move(*open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing));
  }
  std::vector<InquiryRecord> inquiries() const { return *ledger()->inquiries({}); }
  InquiryRecord inquiry(std::int64_t id) const {
    for (auto& i : inquiries()) {
      if (i.id == id) return i;
    }
    FAIL("no inquiry ", id);
    return {};
  }
  std::vector<StoredReply> replies() const { return *ledger()->replies({}); }
  CliResult run(const std::vector<std::string>& more = {}) const {
    std::vector<std::string> args = {"run", "--study", path()};
    args.insert(args.end(), more.begin(), more.end());
    auto r = run_cli(args);
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    return r;
  }
};

// The inquiries in acme's INBOX, parsed (the company reading its mail).
std::vector<ParsedMessage> acme_inbox() {
  replies_rig().wait_queue();
  auto session = connect_imap(replies_rig().server("imaps", k_acme));
  REQUIRE(session.has_value());
  REQUIRE((*session)->examine("INBOX").has_value());
  auto uids = (*session)->uid_search("ALL");
  REQUIRE(uids.has_value());
  auto messages = (*session)->fetch(*uids, 1 << 20);
  REQUIRE(messages.has_value());
  std::vector<ParsedMessage> out;
  for (const auto& m : *messages) out.push_back(parse_message(m.raw));
  return out;
}

// The company's inquiry with this Message-ID.
ParsedMessage received(const InquiryRecord& inquiry) {
  for (auto& m : acme_inbox()) {
    if (m.message_id == inquiry.message_id) return m;
  }
  FAIL("inquiry ", inquiry.id, " is not in acme's INBOX");
  return {};
}

struct Reply {
  std::string from = "Kundenservice <info@acme.test>";
  std::string to;
  std::string subject;
  std::string in_reply_to;  // empty: quotes nothing
  std::string extra_headers;
  std::string body = "Guten Tag,\r\n\r\nunser Service ist werktags von 8 bis 18 Uhr erreichbar.\r\n\r\n"
                     "Mit freundlichen Grüßen\r\nIhr Kundenservice\r\n";
};

std::string compose(const Reply& r) {
  std::string text = fmt::format("From: {}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: <{}>\r\nDate: {}\r\n", r.from, r.to,
                                 r.subject, new_message_id("acme.test"), rfc5322_date(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), nullptr));
  if (!r.in_reply_to.empty()) text += fmt::format("In-Reply-To: <{}>\r\nReferences: <{}>\r\n", r.in_reply_to, r.in_reply_to);
  text += r.extra_headers;
  text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  return text + r.body;
}

// Sends `reply` by SMTP, as acme (its login; the From header says what the test wants).
void send(const Reply& reply, const std::string& envelope_to) {
  auto sender = make_smtp_sender(replies_rig().server("smtp", k_acme));
  auto sent = sender->send(k_acme.address, envelope_to, compose(reply), [] {});
  REQUIRE_MESSAGE(sent.has_value(), (sent ? "" : sent.error().message));
  replies_rig().wait_queue();
}

// Puts `reply` into the analyst's INBOX as received at `at` (IMAP APPEND with INTERNALDATE).
void deliver_at(const RepliesStudy& study, const Reply& reply, Instant at) {
  auto session = connect_imap(replies_rig().server("imaps", study.analyst));
  REQUIRE(session.has_value());
  auto appended = (*session)->append("INBOX", "", at, compose(reply));
  REQUIRE_MESSAGE(appended.has_value(), (appended ? "" : appended.error().message));
}

Instant now_seconds() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

const StoredReply& only_reply_of(const std::vector<StoredReply>& replies, std::int64_t inquiry_id) {
  const StoredReply* found = nullptr;
  for (const auto& r : replies) {
    if (r.inquiry_id == inquiry_id) {
      CHECK(found == nullptr);
      found = &r;
    }
  }
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_SUITE("mail-rig") {

TEST_CASE("replies e2e: an acknowledgement, then a person's answer minutes later: answered once, at the answer's time") {
  RepliesStudy study;
  study.run();
  const auto inquiries = study.inquiries();
  REQUIRE(inquiries.size() == 2);
  const InquiryRecord inquiry = inquiries.front();
  REQUIRE(inquiry.state == InquiryState::sent);
  const ParsedMessage asked = received(inquiry);

  // The helpdesk's automatic acknowledgement, by SMTP, at once.
  Reply ack;
  ack.to = asked.from_address;
  ack.subject = "Ihre Anfrage: " + asked.subject;
  ack.in_reply_to = inquiry.message_id;
  ack.extra_headers = "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n";
  ack.body = "Vielen Dank für Ihre Nachricht. Wir melden uns so schnell wie möglich bei Ihnen.\r\n";
  send(ack, asked.from_address);
  // The person's answer, received 17 minutes later.
  const Instant answered = now_seconds() + std::chrono::minutes(17);
  Reply answer;
  answer.to = asked.from_address;
  answer.subject = "AW: " + asked.subject;
  answer.in_reply_to = inquiry.message_id;
  deliver_at(study, answer, answered);

  auto second = study.run({"--now", format_utc(answered + std::chrono::minutes(5))});
  CHECK(second.out.find("read 2 new messages (2 matched)") != std::string::npos);

  const auto after = study.inquiry(inquiry.id);
  CHECK(after.state == InquiryState::answered);
  REQUIRE(after.answered_at.has_value());
  CHECK(*after.answered_at == answered);
  auto replies = study.replies();
  REQUIRE(replies.size() == 2);
  std::size_t acks = 0;
  std::size_t counted = 0;
  for (const auto& r : replies) {
    CHECK(r.inquiry_id == inquiry.id);
    CHECK(r.match_method == "message_id");
    CHECK(r.review.empty());
    if (r.kind == ReplyKind::auto_ack) {
      ++acks;
      CHECK_FALSE(r.counts_as_answer);
      CHECK(r.received_at < answered);  // kept with its own (earlier) time
    }
    counted += r.counts_as_answer ? 1 : 0;
  }
  CHECK(acks == 1);
  CHECK(counted == 1);
  CHECK(*study.ledger()->review_count() == 0);
  // The other inquiry got nothing.
  CHECK(study.inquiry(inquiries.back().id).state == InquiryState::sent);

  SUBCASE("reclassify changes nothing that the rules decided the same way") {
    auto r = run_cli({"reclassify", "--study", study.path(), "--now", format_utc(answered + std::chrono::minutes(6))});
    INFO(r.out, r.err);
    CHECK(r.exit_code == k_exit_ok);
    CHECK(r.out.find("2 replies judged again") != std::string::npos);
    CHECK(r.out.find("0 changed") != std::string::npos);
    CHECK(r.out.find("no inquiry's outcome changed") != std::string::npos);
    CHECK(*study.inquiry(inquiry.id).answered_at == answered);
  }
}

TEST_CASE("replies e2e: a reply that quotes nothing of ours matches by the reply token of its Reply-To") {
  RepliesStudy study(k_acme.address, "reply_token = yes\n");
  study.run();
  const InquiryRecord inquiry = study.inquiries().front();
  const ParsedMessage asked = received(inquiry);
  const std::string* reply_to = asked.header("Reply-To");
  REQUIRE(reply_to != nullptr);
  INFO("Reply-To: ", *reply_to);
  // Anna Berger <shopperN+TOKEN@shopper.test>: the plus-address of the persona, delivered by the
  // rig into the persona's own mailbox.
  const auto plus = study.analyst.address.substr(0, study.analyst.address.find('@')) + "+";
  CHECK(reply_to->find(plus) != std::string::npos);
  CHECK(reply_to->find("Anna Berger") != std::string::npos);
  const auto open = reply_to->find('<');
  const auto close = reply_to->find('>');
  REQUIRE(open != std::string::npos);
  const std::string address = reply_to->substr(open + 1, close - open - 1);

  Reply answer;
  answer.to = address;
  answer.subject = "Ihre Nachricht an uns";  // neither the inquiry's subject nor its Message-ID
  send(answer, address);
  auto second = study.run();
  CHECK(second.out.find("read 1 new messages (1 matched)") != std::string::npos);
  const auto replies = study.replies();
  REQUIRE(replies.size() == 1);
  CHECK(replies.front().inquiry_id == inquiry.id);
  CHECK(replies.front().match_method == "plus_token");
  CHECK(study.inquiry(inquiry.id).state == InquiryState::answered);
}

TEST_CASE("replies e2e: a subdomain's reply matches by subject, a helpdesk's by our Message-ID") {
  RepliesStudy study;
  study.run();
  const auto inquiries = study.inquiries();
  REQUIRE(inquiries.size() == 2);
  const ParsedMessage first = received(inquiries[0]);
  const ParsedMessage second = received(inquiries[1]);

  // From a subdomain of the company's, with a ticket tag and a prefix, quoting nothing.
  Reply by_subject;
  by_subject.from = "Team Service <team@kundenservice.acme.test>";
  by_subject.to = first.from_address;
  by_subject.subject = "AW: [Ticket#20260302-77] " + first.subject;
  send(by_subject, first.from_address);
  // From a helpdesk's domain that is none of the company's, quoting our Message-ID.
  Reply by_helpdesk;
  by_helpdesk.from = "Acme Support <agent@deskly.test>";
  by_helpdesk.to = second.from_address;
  by_helpdesk.subject = "[Acme] Ihre Anfrage #4711";
  by_helpdesk.in_reply_to = inquiries[1].message_id;
  send(by_helpdesk, second.from_address);

  auto run = study.run();
  CHECK(run.out.find("read 2 new messages (2 matched)") != std::string::npos);
  const auto replies = study.replies();
  CHECK(only_reply_of(replies, inquiries[0].id).match_method == "subject");
  CHECK(only_reply_of(replies, inquiries[1].id).match_method == "message_id");
  for (const auto& i : study.inquiries()) CHECK(i.state == InquiryState::answered);
}

TEST_CASE("replies e2e: a stranger's reply waits for review; assign makes it the inquiry's answer") {
  RepliesStudy study;
  study.run();
  const InquiryRecord inquiry = study.inquiries().front();
  const ParsedMessage asked = received(inquiry);
  Reply stranger;
  stranger.from = "Max Muster <max@elsewhere.test>";
  stranger.to = asked.from_address;
  stranger.subject = "Servicezeiten";
  send(stranger, asked.from_address);
  auto run = study.run();
  CHECK(run.out.find("read 1 new messages (0 matched)") != std::string::npos);

  auto review = run_cli({"review", "--study", study.path(), "--json"});
  INFO(review.out, review.err);
  CHECK(review.exit_code == k_exit_ok);
  CHECK(review.out.find("\"waiting\":1") != std::string::npos);
  CHECK(review.out.find("\"from\":\"max@elsewhere.test\"") != std::string::npos);
  CHECK(review.out.find("the sender's domain elsewhere.test is no company's") != std::string::npos);
  auto status = run_cli({"status", "--study", study.path()});
  CHECK(status.out.find("1 reply is waiting for review") != std::string::npos);
  CHECK(study.inquiry(inquiry.id).state == InquiryState::sent);

  const auto replies = study.replies();
  REQUIRE(replies.size() == 1);
  // Nothing in its headers says it replies to anything, so the rules call it `other` (and
  // uncertain): the person places it, and placed it is judged again as a known reply — a
  // person's answer, with no `classify` needed.
  CHECK(replies.front().kind == ReplyKind::other);
  auto assign = run_cli({"assign", "--study", study.path(), std::to_string(replies.front().id), std::to_string(inquiry.id)});
  INFO(assign.out, assign.err);
  CHECK(assign.exit_code == k_exit_ok);
  CHECK(assign.out.find("other → human") != std::string::npos);
  CHECK(assign.out.find(fmt::format("inquiry {}: sent → answered", inquiry.id)) != std::string::npos);
  CHECK(study.replies().front().kind == ReplyKind::human);
  // A person may still say so; the outcome stays.
  auto human = run_cli({"classify", "--study", study.path(), std::to_string(replies.front().id), "human"});
  INFO(human.out, human.err);
  CHECK(human.exit_code == k_exit_ok);
  const auto after = study.inquiry(inquiry.id);
  CHECK(after.state == InquiryState::answered);
  CHECK(after.answered_at == replies.front().received_at);
  CHECK(*study.ledger()->review_count() == 0);

  // The person's decision outlives the rules: reclassify keeps it.
  auto again = run_cli({"reclassify", "--study", study.path()});
  INFO(again.out, again.err);
  CHECK(again.exit_code == k_exit_ok);
  CHECK(study.replies().front().inquiry_id == inquiry.id);
  CHECK(study.inquiry(inquiry.id).state == InquiryState::answered);
}

TEST_CASE("replies e2e: Postfix's bounce for an unknown user makes the inquiry undeliverable") {
  RepliesStudy study("nobody@bounce.test");
  study.run();  // accepted at RCPT: sent; the DSN follows
  replies_rig().wait_queue();
  study.run();
  const auto replies = study.replies();
  CHECK(replies.size() == 2);
  for (const auto& i : study.inquiries()) {
    INFO("inquiry ", i.id);
    CHECK(i.state == InquiryState::undeliverable);
    const StoredReply& bounce = only_reply_of(replies, i.id);
    CHECK(bounce.kind == ReplyKind::bounce);
    CHECK(bounce.match_method == "bounce");
    CHECK(bounce.bounce_hard);
  }
}

}  // TEST_SUITE
