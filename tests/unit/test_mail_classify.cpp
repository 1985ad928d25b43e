// The classifier, signal by signal: RFC 3834 and its relatives, bounces of the common mail
// servers, ticket systems, absence notes and acknowledgements in German and English, the
// traps (a helpdesk agent's answer, quoted history, X-Auto-Response-Suppress), and what a
// bounce says about the failed delivery.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "mail/classify.hpp"
#include "mail/classify_rules.hpp"
#include "mail/message.hpp"
#include "support.hpp"

using namespace respbench;
using respbench::test::read_text;
using respbench::test::source_dir;

namespace {

// A reply to our inquiry with the given extra headers, subject and text.
Classification classify_reply(const std::string& headers, const std::string& subject, const std::string& text) {
  const std::string raw = "From: Someone <someone@acme.test>\nTo: analyst@shopper.test\nSubject: " + subject +
                          "\nMessage-ID: <r1@acme.test>\nIn-Reply-To: <inq-1@shopper.test>\n" + headers +
                          "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" + text;
  return classify(parse_message(raw));
}

const std::string k_answer =
    "Guten Tag,\n\ndas Girokonto kostet 4,90 € im Monat, für Studenten nichts.\n\nViele Grüße\nJan Berger\n";

bool has_reason(const Classification& c, std::string_view words) {
  return std::any_of(c.reasons.begin(), c.reasons.end(),
                     [&](const std::string& r) { return r.find(words) != std::string::npos; });
}

}  // namespace

TEST_SUITE("mail classify") {

TEST_CASE("every hand-written message in tests/messages gets its kind") {
  const std::pair<const char*, ReplyKind> expected[] = {
      {"ack-de-auto-submitted.eml", ReplyKind::auto_ack},   {"ack-de-wording-only.eml", ReplyKind::auto_ack},
      {"ack-en-automated.eml", ReplyKind::auto_ack},        {"bounce-exchange-de.eml", ReplyKind::bounce},
      {"bounce-exim.eml", ReplyKind::bounce},               {"bounce-gmail-text.eml", ReplyKind::bounce},
      {"bounce-qmail.eml", ReplyKind::bounce},              {"bounce-sendmail-delay.eml", ReplyKind::bounce},
      {"postfix-dsn.eml", ReplyKind::bounce},               {"human-de-apple-html-only.eml", ReplyKind::human},
      {"human-de-base64-utf8.eml", ReplyKind::human},       {"human-de-nocharset-8bit.eml", ReplyKind::human},
      {"human-de-outlook-latin1-qp.eml", ReplyKind::human}, {"human-de-zendesk-agent.eml", ReplyKind::human},
      {"human-en-cp1252-8bit.eml", ReplyKind::human},       {"human-en-gmail-alternative.eml", ReplyKind::human},
      {"human-en-quotes-ack.eml", ReplyKind::human},        {"ooo-de-exchange.eml", ReplyKind::out_of_office},
      {"ooo-en-away.eml", ReplyKind::out_of_office},        {"other-newsletter.eml", ReplyKind::other},
      {"other-not-a-message.txt", ReplyKind::other},        {"ticket-de-otrs.eml", ReplyKind::ticket_ack},
      {"ticket-en-freshdesk.eml", ReplyKind::ticket_ack},
  };
  for (const auto& [file, kind] : expected) {
    CAPTURE(file);
    const auto c = classify(parse_message(read_text(source_dir() / "tests" / "messages" / file)));
    CHECK(to_string(c.kind) == to_string(kind));
    CHECK_FALSE(c.reasons.empty());
  }
}

TEST_CASE("a plain answer is human, and says why") {
  const auto c = classify_reply("", "AW: Frage", k_answer);
  CHECK(c.kind == ReplyKind::human);
  CHECK_FALSE(c.uncertain);
  CHECK(has_reason(c, "no sign of an automatic message"));
}

TEST_CASE("RFC 3834 and its relatives mark a machine; \"no\" and X-Auto-Response-Suppress do not") {
  SUBCASE("Auto-Submitted: auto-replied") {
    const auto c = classify_reply("Auto-Submitted: auto-replied\n", "Re: Frage", "Kurz notiert.\n");
    CHECK(c.kind == ReplyKind::auto_ack);
    CHECK(c.uncertain);  // a machine, but no words say which kind of answer
    CHECK(has_reason(c, "Auto-Submitted: auto-replied"));
  }
  SUBCASE("Auto-Submitted: no") {
    const auto c = classify_reply("Auto-Submitted: no\n", "Re: Frage", k_answer);
    CHECK(c.kind == ReplyKind::human);
    CHECK_FALSE(has_reason(c, "Auto-Submitted"));
  }
  SUBCASE("X-Auto-Response-Suppress asks us not to answer; it is ordinary Outlook mail") {
    const auto c = classify_reply("X-Auto-Response-Suppress: All\n", "AW: Frage", k_answer);
    CHECK(c.kind == ReplyKind::human);
    CHECK_FALSE(c.uncertain);
    CHECK_FALSE(has_reason(c, "Suppress"));
  }
  for (const char* header : {"X-Autoreply: yes\n", "X-Autorespond: yes\n", "Precedence: auto_reply\n",
                             "Auto-Submitted: auto-generated\n"}) {
    CAPTURE(header);
    const auto c = classify_reply(header, "Re: Frage",
                                  "Vielen Dank für Ihre Nachricht. Wir melden uns so schnell wie möglich.\n");
    CHECK(c.kind == ReplyKind::auto_ack);
  }
  SUBCASE("Precedence: junk and Return-Path: <> support acknowledging words") {
    const auto c = classify_reply("Return-Path: <>\nPrecedence: junk\n", "Re: Frage",
                                  "Vielen Dank für Ihre Nachricht.\n");
    CHECK(c.kind == ReplyKind::auto_ack);
    CHECK(has_reason(c, "Return-Path: <>"));
    CHECK(has_reason(c, "Precedence: junk"));
  }
}

TEST_CASE("lists and newsletters are other") {
  const auto c = classify(parse_message(
      "From: news@acme.test\nSubject: Angebote im März\nList-Unsubscribe: <mailto:u@acme.test>\n"
      "List-Id: <news.acme.test>\nPrecedence: bulk\n\nUnsere Angebote.\n"));
  CHECK(c.kind == ReplyKind::other);
  CHECK(has_reason(c, "List-Unsubscribe"));
  const auto list = classify_reply("Precedence: list\nList-Id: <l.acme.test>\n", "Re: Frage", "Digest.\n");
  CHECK(list.kind == ReplyKind::other);
}

TEST_CASE("bounces of the common mail servers by their subjects and words") {
  const std::pair<const char*, const char*> bounces[] = {
      {"Undelivered Mail Returned to Sender", "This is the mail system at host mx.acme.test."},
      {"Mail delivery failed: returning message to sender",
       "This message was created automatically by mail delivery software."},
      {"Returned mail: see transcript for details", "The original message was received at Mon, 2 Mar 2026"},
      {"failure notice", "Hi. This is the qmail-send program at acme.test."},
      {"Undeliverable: Frage", "Delivery has failed to these recipients or groups:"},
      {"Unzustellbar: Frage", "Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:"},
      {"Delivery Status Notification (Failure)", "** Address not found **\n\nYour message wasn't delivered to x@acme.test"},
  };
  for (const auto& [subject, text] : bounces) {
    CAPTURE(subject);
    const std::string raw = std::string("From: MAILER-DAEMON@mx.acme.test\nTo: analyst@shopper.test\nSubject: ") +
                            subject + "\n\n" + text + "\n";
    const auto c = classify(parse_message(raw));
    CHECK(c.kind == ReplyKind::bounce);
    CHECK(c.bounce.has_value());
  }
}

TEST_CASE("a bounce's details: status, hard or soft, the recipient and the original Message-ID") {
  SUBCASE("from the DSN and the attached message (Postfix)") {
    const auto c = classify(parse_message(read_text(source_dir() / "tests" / "messages" / "postfix-dsn.eml")));
    REQUIRE(c.bounce.has_value());
    CHECK(c.bounce->hard);
    CHECK(c.bounce->status == "5.1.1");
    CHECK(c.bounce->recipient == "nobody@bounce.test");
    CHECK(c.bounce->original_message_id == "inq-42.7f3a@shopper.test");
    CHECK(has_reason(c, "report-type=delivery-status"));
  }
  SUBCASE("from X-Failed-Recipients and an inline copy (Exim)") {
    const auto c = classify(parse_message(read_text(source_dir() / "tests" / "messages" / "bounce-exim.eml")));
    REQUIRE(c.bounce.has_value());
    CHECK(c.bounce->recipient == "sales@umbrella.test");
    CHECK(c.bounce->status == "5.1.1");
    CHECK(c.bounce->original_message_id == "inq-50.cc@shopper.test");
  }
  SUBCASE("a delay warning is soft") {
    const auto c =
        classify(parse_message(read_text(source_dir() / "tests" / "messages" / "bounce-sendmail-delay.eml")));
    REQUIRE(c.bounce.has_value());
    CHECK_FALSE(c.bounce->hard);
    CHECK(c.bounce->recipient == "service@initech.test");
  }
  SUBCASE("status class 4 is soft") {
    const auto c = classify(parse_message(
        "From: MAILER-DAEMON@mx.acme.test\nTo: analyst@shopper.test\nSubject: Undelivered Mail Returned to Sender\n"
        "References: <inq-9@shopper.test>\n\n<info@acme.test>: 452 4.2.2 Mailbox full\n"));
    REQUIRE(c.bounce.has_value());
    CHECK_FALSE(c.bounce->hard);
    CHECK(c.bounce->status == "4.2.2");
    CHECK(c.bounce->recipient == "info@acme.test");
    CHECK(c.bounce->original_message_id == "inq-9@shopper.test");  // threaded to the failed message
  }
}

TEST_CASE("ticket systems: a confirmation with a number is a ticket_ack, an agent's answer is human") {
  SUBCASE("the German confirmation") {
    const auto c = classify_reply("", "Ihre Anfrage [#48213]",
                                  "Ihre Anfrage wurde unter der Nummer 48213 erfasst. Wir melden uns.\n");
    CHECK(c.kind == ReplyKind::ticket_ack);
  }
  SUBCASE("the English confirmation through a helpdesk") {
    const auto c = classify_reply("X-Zendesk-From-Account-Id: 1\n", "[#12345] Fees",
                                  "Thank you. We have received your request and will get back to you soon.\n");
    CHECK(c.kind == ReplyKind::ticket_ack);
    CHECK(has_reason(c, "Zendesk"));
  }
  SUBCASE("an OTRS ticket number in the subject, an acknowledgement in the text") {
    const auto c = classify_reply("X-OTRS-Loop: yes\nAuto-Submitted: auto-generated\n",
                                  "[Ticket#2026030210000012] Frage",
                                  "Vielen Dank für Ihre Nachricht. Wir werden uns schnellstmöglich melden.\n");
    CHECK(c.kind == ReplyKind::ticket_ack);
  }
  SUBCASE("an agent's answer carries the number too: the words decide") {
    const auto c = classify_reply("X-Zendesk-From-Account-Id: 1\nPrecedence: bulk\n", "Re: [#12345] Gebühren",
                                  "Vielen Dank für Ihre Nachricht.\n\n" + k_answer);
    CHECK(c.kind == ReplyKind::human);
  }
  SUBCASE("a helpdesk marks its agents' answers automatic: without acknowledging words, human") {
    const auto c = classify_reply("Auto-Submitted: auto-generated\nX-JIRA-FingerPrint: 3f2a\n", "SUP-4417 Fees",
                                  "Dennis commented:\n\n" + k_answer);
    CHECK(c.kind == ReplyKind::human);
    CHECK(c.uncertain);
  }
}

TEST_CASE("out of office in German and English") {
  const std::pair<const char*, const char*> notes[] = {
      {"Abwesenheitsnotiz: Frage", "Ich bin bis zum 13.03. nicht im Büro. Ihre E-Mail wird nicht weitergeleitet."},
      {"Re: Frage", "Vielen Dank. Bis einschließlich 13.03.2026 bin ich nicht im Büro und nach meiner Rückkehr für "
                    "Sie da."},
      {"Out of office: Question", "I am currently away from the office with limited access to email."},
      {"Automatic reply: Question", "I am out of the office until Monday and will respond upon my return."},
  };
  for (const auto& [subject, text] : notes) {
    CAPTURE(subject);
    const auto c = classify_reply("", subject, std::string(text) + "\n");
    CHECK(c.kind == ReplyKind::out_of_office);
  }
  // A person who mentions an absence is still a person.
  const auto person = classify_reply("", "Re: Question",
                                     "Sorry for the late answer, I was out of the office last week. The account "
                                     "costs 5 GBP a month.\n");
  CHECK(person.kind == ReplyKind::human);
}

TEST_CASE("automatic acknowledgements by their words alone") {
  for (const char* text : {"Vielen Dank für Ihre Nachricht. Wir werden uns schnellstmöglich bei Ihnen melden.",
                           "This is an automated response. We have received your message.",
                           "Ihre Nachricht ist bei uns eingegangen. Wir bearbeiten Anfragen in der Reihenfolge "
                           "des Eingangs."}) {
    CAPTURE(text);
    CHECK(classify_reply("", "Re: Frage", std::string(text) + "\n").kind == ReplyKind::auto_ack);
  }
  // Polite words alone do not make an acknowledgement.
  const auto polite = classify_reply("", "Re: Frage", "Vielen Dank für Ihre Nachricht.\n\n" + k_answer);
  CHECK(polite.kind == ReplyKind::human);
  CHECK_FALSE(polite.uncertain);
}

TEST_CASE("quoted history does not trigger rules; a reply to an automatic reply is a person's") {
  const auto c = classify_reply("", "AW: Automatische Antwort: Frage",
                                k_answer + "\n> Dies ist eine automatische Antwort. Ich bin nicht im Büro.\n"
                                           "> Ihre Anfrage wurde unter der Nummer 4711 erfasst.\n");
  CHECK(c.kind == ReplyKind::human);
  CHECK_FALSE(c.uncertain);
}

TEST_CASE("mail that answers nothing is other: notifications, and what is not a message") {
  const auto invoice = classify(parse_message(
      "From: noreply@acme.test\nTo: analyst@shopper.test\nSubject: Ihre Rechnung Februar\n\n"
      "Ihre Rechnung für Februar steht ab sofort in Ihrem Kundenkonto bereit.\n"));
  CHECK(invoice.kind == ReplyKind::other);
  const auto receipt = classify(parse_message(
      "From: a@acme.test\nSubject: Gelesen: Frage\nContent-Type: multipart/report; "
      "report-type=disposition-notification; boundary=b\n\n--b\nContent-Type: text/plain\n\ngelesen\n--b--\n"));
  CHECK(receipt.kind == ReplyKind::other);
  const auto junk = classify(parse_message("\x01\x02 not mail"));
  CHECK(junk.kind == ReplyKind::other);
  CHECK(junk.uncertain);
  CHECK(has_reason(junk, "not a mail message"));
}

TEST_CASE("a too-large message is classified on its headers and says so") {
  ParseLimits limits;
  limits.max_size = 100;
  const auto c = classify(parse_message(
      "From: a@acme.test\nSubject: Out of office: Question\nAuto-Submitted: auto-replied\n\n" + std::string(500, 'x'),
      limits));
  CHECK(c.kind == ReplyKind::out_of_office);
  CHECK(has_reason(c, "too large"));
}

TEST_CASE("the rule tables are well-formed: lower-case patterns that start with words, weights 1 to 6") {
  for (const auto& rule : wording_rules()) {
    CAPTURE(rule.pattern);
    CHECK_FALSE(rule.pattern.empty());
    CHECK_FALSE(rule.pattern.starts_with("…"));
    CHECK_FALSE(rule.pattern.starts_with("{n}"));
    CHECK(std::none_of(rule.pattern.begin(), rule.pattern.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)); }));
    CHECK(rule.weight >= 1);
    CHECK(rule.weight <= 6);
  }
  for (const auto& rule : header_rules()) {
    CAPTURE(rule.name);
    CHECK_FALSE(rule.reason.empty());
    CHECK(rule.weight >= 1);
  }
}

}  // TEST_SUITE
