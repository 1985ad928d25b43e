// Parsing replies: headers and their encodings, charsets, the text of plain and HTML mail,
// quoted history, delivery reports, attached messages, the size and part bounds, and input
// that is not mail at all. Messages are in tests/messages (the Postfix DSN there is a real one
// from the mail rig) or written inline.
#include <doctest/doctest.h>

#include <string>

#include "mail/html_text.hpp"
#include "mail/message.hpp"
#include "mail/quoted_text.hpp"
#include "support.hpp"

using namespace respbench;
using respbench::test::read_text;
using respbench::test::source_dir;

namespace {

ParsedMessage parse_file(const std::string& name, const ParseLimits& limits = {}) {
  return parse_message(read_text(source_dir() / "tests" / "messages" / name), limits);
}

bool contains(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

bool has_note(const ParsedMessage& m, std::string_view words) {
  for (const auto& n : m.notes) {
    if (contains(n, words)) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("mail message") {

TEST_CASE("headers: RFC 2047 words decoded, addresses lower case, ids without brackets, the date") {
  const auto m = parse_file("human-de-outlook-latin1-qp.eml");
  CHECK(m.subject == "AW: Frage zu Ihren Kontogebühren");
  CHECK(m.from_name == "Jürgen Weiß");
  CHECK(m.from_address == "juergen.weiss@acme.test");
  CHECK(m.to_addresses == std::vector<std::string>{"analyst@shopper.test"});
  CHECK(m.message_id == "AM6PR01MB1234.acme.test");
  // In-Reply-To, then References, as written (the same id twice here)
  CHECK(m.referenced_ids == std::vector<std::string>{"inq-42.7f3a@shopper.test", "inq-42.7f3a@shopper.test"});
  REQUIRE(m.date.has_value());
  CHECK(m.date->time_since_epoch().count() == 1772525502);  // 2026-03-03T08:11:42Z
  REQUIRE(m.header("thread-topic") != nullptr);
  CHECK(*m.header("Thread-Topic") == "Frage zu Ihren Kontogebühren");
  CHECK(m.header("X-Not-There") == nullptr);
  CHECK_FALSE(m.malformed);
  CHECK_FALSE(m.too_large);
}

TEST_CASE("ISO-8859-1 in quoted-printable: umlauts read, Outlook's Von:/Gesendet: history cut off") {
  const auto m = parse_file("human-de-outlook-latin1-qp.eml");
  CHECK(contains(m.text, "für Studenten ist es gebührenfrei. Überweisungen sind inklusive."));
  CHECK(contains(m.text, "Von: Anna Analyst"));
  CHECK(contains(m.new_text, "Jürgen Weiß\nKundenservice"));
  CHECK_FALSE(contains(m.new_text, "Von:"));
  CHECK_FALSE(contains(m.new_text, "schnellstmöglich"));
  CHECK(m.notes.empty());
}

TEST_CASE("Windows-1252: typographic quotes, the euro sign and the apostrophe") {
  const auto m = parse_file("human-en-cp1252-8bit.eml");
  CHECK(contains(m.text, "our \u201cBasic\u201d account costs \u20ac 2.50 \u2013 that\u2019s all."));
}

TEST_CASE("no charset declared: 8-bit text read as Windows-1252, and noted; raw 8-bit subject too") {
  const auto m = parse_file("human-de-nocharset-8bit.eml");
  CHECK(contains(m.text, "Grüß Gott"));
  CHECK(contains(m.text, "Lukas Bäumer"));
  CHECK(has_note(m, "Windows-1252"));
  CHECK(m.subject == "Re: Gebühren");
}

TEST_CASE("base64 UTF-8 text; the attachment (RFC 2231 name) is not text; the signature is cut") {
  const auto m = parse_file("human-de-base64-utf8.eml");
  CHECK(m.from_name == "Zoë Krüger");
  CHECK(contains(m.text, "Das Konto kostet 0 € für Schüler."));
  CHECK_FALSE(contains(m.text, "PDF"));
  CHECK(contains(m.text, "Abwesenheitsnotiz-Hinweise"));  // in the signature
  CHECK_FALSE(contains(m.new_text, "Abwesenheitsnotiz"));
  CHECK(m.new_text.ends_with("Grüße\nZoë"));
}

TEST_CASE("HTML-only mail becomes text: no script or style, entities decoded, blockquote history removed") {
  const auto m = parse_file("human-de-apple-html-only.eml");
  CHECK(m.html_only);
  CHECK(m.subject == "Re: Frage zu Ihren Kontogebühren");
  CHECK(contains(m.text, "die Kontoführung kostet 3 € im Monat & die Karte ist „gratis“."));
  CHECK(contains(m.text, "Freundliche Grüße\nPetra Möller"));
  CHECK_FALSE(contains(m.text, "var x"));
  CHECK_FALSE(contains(m.text, "color"));
  CHECK_FALSE(contains(m.text, "Antwort"));  // the <title> in <head>
  CHECK(contains(m.text, "> Am 02.03.2026 um 10:00 schrieb Anna Analyst <analyst@shopper.test>:"));
  CHECK_FALSE(contains(m.new_text, "nicht im Büro"));
  CHECK(m.new_text.starts_with("Guten Tag Frau Analyst,\n\ndie Kontoführung"));
}

TEST_CASE("multipart/alternative: the plain part wins; a wrapped \"On … wrote:\" ends the new text") {
  const auto m = parse_file("human-en-gmail-alternative.eml");
  CHECK_FALSE(m.html_only);
  CHECK(contains(m.text, "Let me know if you need the price list."));  // only in the plain part
  CHECK(m.new_text.ends_with("Best,\nSam"));
  CHECK_FALSE(contains(m.new_text, "automated"));
}

TEST_CASE("Postfix's real DSN: the delivery report per recipient and the failed message's headers") {
  const auto m = parse_file("postfix-dsn.eml");
  CHECK(m.content_type == "multipart/report");
  CHECK(m.report_type == "delivery-status");
  REQUIRE(m.delivery_status.size() == 1);
  CHECK(m.delivery_status[0].recipient == "nobody@bounce.test");
  CHECK(m.delivery_status[0].action == "failed");
  CHECK(m.delivery_status[0].status == "5.1.1");
  CHECK(contains(m.delivery_status[0].diagnostic, "550 5.1.1 <nobody@bounce.test> User doesn't exist"));
  REQUIRE(m.attached.has_value());
  CHECK(m.attached->message_id == "inq-42.7f3a@shopper.test");
  CHECK(m.attached->subject == "Frage zu Ihren Kontogebühren");
  CHECK(m.attached->from_address == "analyst@shopper.test");
  CHECK(m.attached->to_addresses == std::vector<std::string>{"nobody@bounce.test"});
  CHECK(contains(m.text, "This is the mail system at host mail.rig.test."));
  CHECK_FALSE(contains(m.text, "Girokonto"));  // the attached message is not the bounce's text
}

TEST_CASE("Exchange NDR: HTML-only notification, text/rfc822-headers as the attached message") {
  const auto m = parse_file("bounce-exchange-de.eml");
  CHECK(m.html_only);
  CHECK(m.subject == "Unzustellbar: Frage zu Ihren Kontogebühren");
  REQUIRE(m.attached.has_value());
  CHECK(m.attached->message_id == "inq-52.ee@shopper.test");
  REQUIRE(m.delivery_status.size() == 1);
  CHECK(m.delivery_status[0].status == "5.1.10");
  CHECK(contains(m.text, "Diagnoseinformationen für Administratoren"));
}

TEST_CASE("a message over the size bound: headers only, marked too large") {
  ParseLimits limits;
  limits.max_size = 600;
  const auto m = parse_file("human-de-outlook-latin1-qp.eml", limits);
  CHECK(m.too_large);
  CHECK(m.subject == "AW: Frage zu Ihren Kontogebühren");
  CHECK(m.from_address == "juergen.weiss@acme.test");
  CHECK(m.text.empty());
  CHECK(has_note(m, "only its headers"));
}

TEST_CASE("too many MIME parts: headers only; parts nested too deep: not read") {
  std::string many = "From: a@x.test\nSubject: many\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 600; ++i) many += "--b\nContent-Type: text/plain\n\npart\n";
  many += "--b--\n";
  const auto m = parse_message(many);
  CHECK(m.malformed);
  CHECK(m.subject == "many");
  CHECK(m.text.empty());

  std::string deep = "From: a@x.test\nSubject: deep\n";
  for (int i = 0; i < 60; ++i) deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) + "\n";
  deep += "Content-Type: text/plain\n\ninnermost\n";
  const auto d = parse_message(deep);
  CHECK(d.subject == "deep");
  CHECK(has_note(d, "nested too deep"));
  CHECK_FALSE(contains(d.text, "innermost"));
}

TEST_CASE("charsets that are wrong or unknown are noted and read as UTF-8 or Windows-1252") {
  const auto wrong = parse_message("From: a@x.test\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\nGr\xfc\xdf Gott\n");
  CHECK(contains(wrong.text, "Grüß Gott"));
  CHECK(has_note(wrong, "not valid UTF-8"));
  const auto unknown = parse_message("From: a@x.test\nSubject: s\nContent-Type: text/plain; charset=x-no-such\n\nK\xc3\xa4se\n");
  CHECK(contains(unknown.text, "Käse"));
  CHECK(has_note(unknown, "x-no-such"));
  const auto latin9 = parse_message(
      "From: a@x.test\nSubject: =?iso-8859-15?q?Preis_in_=A4?=\nContent-Type: text/plain; charset=iso-8859-15\n"
      "Content-Transfer-Encoding: quoted-printable\n\n5 =A4 im Monat\n");
  CHECK(latin9.subject == "Preis in €");
  CHECK(contains(latin9.text, "5 € im Monat"));
  CHECK(latin9.notes.empty());
}

TEST_CASE("malformed input: never a crash, what is readable is read, the rest noted") {
  CHECK(parse_message("").malformed);
  const auto text = parse_message("just some words\nno headers at all\n");
  CHECK(text.malformed);
  CHECK(contains(text.text, "just some words"));
  const auto binary = parse_message(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  CHECK(binary.malformed);

  // An unterminated multipart, invalid base64, a NUL in the text, a header of 100 000 characters.
  const auto broken = parse_message(
      "From: a@x.test\nSubject: " + std::string(100000, 'x') +
      "\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n"
      "Content-Transfer-Encoding: base64\n\n!!!not base64***\n--zz\nContent-Type: text/plain\n\nhello" +
      std::string(1, '\0') + "world\n");
  CHECK(broken.subject.size() == 100000);
  CHECK_FALSE(contains(broken.text, std::string(1, '\0')));

  const auto headers_only = parse_message("From: a@x.test\nSubject: only headers");
  CHECK(headers_only.subject == "only headers");
  CHECK(headers_only.text.empty());
}

TEST_CASE("html_to_text: entities, blocks, nested quotes, broken markup") {
  CHECK(html_to_text("<p>a&amp;b &lt;c&gt; &#252;&#xFC; &euro;&nbsp;5</p>") == "a&b <c> üü € 5");
  CHECK(html_to_text("a<br>b<div>c</div>d") == "a\nb\nc\nd");
  CHECK(html_to_text("<style>x{}</style><SCRIPT>alert(1)</SCRIPT>visible<!-- hidden -->") == "visible");
  CHECK(html_to_text("new<blockquote>old<blockquote>older</blockquote></blockquote>") == "new\n> old\n> > older");
  CHECK(html_to_text("a < b and c & d") == "a < b and c & d");
  CHECK(html_to_text("<p>unterminated <b") == "unterminated");
  CHECK(html_to_text("text<!-- never closed") == "text");
  CHECK(html_to_text("<a href=\"x>y\">link</a>") == "link");
  CHECK(html_to_text("<pre>  two\n  lines</pre>") == "  two\n  lines");
  CHECK(html_to_text(std::string(100000, '<')).size() == 100000);  // linear, not quadratic
}

TEST_CASE("strip_quoted_history: quote marks, attributions, Outlook blocks, signatures") {
  CHECK(strip_quoted_history("Yes.\n\n> question?\n> more") == "Yes.");
  CHECK(strip_quoted_history("Ja.\n\nAm 02.03.2026 um 10:00 schrieb Anna <a@x.test>:\n> Frage?") == "Ja.");
  CHECK(strip_quoted_history("Ja.\n\n-----Ursprüngliche Nachricht-----\nVon: Anna\nFrage?") == "Ja.");
  CHECK(strip_quoted_history("Yes.\n\n-----Original Message-----\nFrom: Anna\nQuestion?") == "Yes.");
  CHECK(strip_quoted_history("Yes.\n________________________________\nFrom: Anna <a@x.test>\nSent: Monday\nTo: b@x.test\n"
                             "Subject: Q\n\nQuestion?") == "Yes.");
  CHECK(strip_quoted_history("Ja.\n\nVon: Anna <a@x.test>\nGesendet: Montag\nAn: b@x.test\nBetreff: F\n\nFrage?") ==
        "Ja.");
  CHECK(strip_quoted_history("Yes.\n-- \nJane\nOut of office hours: call us") == "Yes.");
  CHECK(strip_quoted_history("> q1\nanswer 1\n> q2\nanswer 2") == "answer 1\nanswer 2");  // interleaved
  CHECK(strip_quoted_history("\n\nA\n\n\n\nB\n\n") == "A\n\nB");
  CHECK(strip_quoted_history("From: the start of a sentence is not a header block") ==
        "From: the start of a sentence is not a header block");
}

TEST_CASE("sha256_hex") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // TEST_SUITE
