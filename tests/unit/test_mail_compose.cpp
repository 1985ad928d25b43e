// Outgoing mail: headers, encodings and line ends, read back by the same parser replies use.
#include <doctest/doctest.h>

#include <set>

#include "mail/compose.hpp"
#include "mail/message.hpp"

using namespace respbench;

namespace {

OutgoingMail sample_mail() {
  OutgoingMail m;
  m.from = Persona{"Jürgen Groß", "juergen.gross@shopper.test"};
  m.to = "service@nordlicht-bank.test";
  m.subject = "Frage zu den Kontoführungsgebühren – bitte um Rückmeldung";
  m.body = "Guten Tag,\n\nwie hoch sind die Gebühren für ein Girokonto?\n\nViele Grüße\nJürgen Groß";
  m.message_id = "abc123@shopper.test";
  m.date = *parse_instant("2026-03-02T08:16:00Z", nullptr);
  m.zone = date::locate_zone("Europe/Berlin");
  return m;
}

}  // namespace

TEST_CASE("an inquiry becomes a proper MIME message with CRLF line ends") {
  const std::string raw = compose_mail(sample_mail());
  CHECK(raw.find("Date: Mon, 02 Mar 2026 09:16:00 +0100\r\n") != std::string::npos);
  CHECK(raw.find("Message-Id: <abc123@shopper.test>\r\n") != std::string::npos);
  CHECK(raw.find("MIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(raw.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  CHECK(raw.find("Content-Transfer-Encoding: quoted-printable\r\n") != std::string::npos);
  CHECK(raw.find("To: service@nordlicht-bank.test\r\n") != std::string::npos);
  // Non-ASCII words in headers are RFC 2047 encoded; the body is 7-bit quoted-printable.
  CHECK(raw.find("=?UTF-8?") != std::string::npos);
  CHECK(raw.find("iso-8859") == std::string::npos);
  CHECK(raw.find("Gr=C3=BC=C3=9Fe") != std::string::npos);
  for (unsigned char c : raw) CHECK(c < 0x80);
  // Every line ends in CRLF; no bare LF.
  for (std::size_t i = raw.find('\n'); i != std::string::npos; i = raw.find('\n', i + 1)) {
    REQUIRE(i > 0);
    CHECK(raw[i - 1] == '\r');
  }
}

TEST_CASE("a composed message reads back with its subject, sender and Message-ID") {
  const auto mail = sample_mail();
  const auto analysis = parse_message(compose_mail(mail));
  CHECK(analysis.subject == mail.subject);
  CHECK(analysis.from_address == mail.from.email);
  CHECK(analysis.message_id == mail.message_id);
}

TEST_CASE("replies reveal what they refer to") {
  const std::string reply =
      "From: Kundenservice <service@nordlicht-bank.test>\r\n"
      "To: juergen.gross@shopper.test\r\n"
      "Subject: AW: Frage\r\n"
      "Message-ID: <reply1@nordlicht-bank.test>\r\n"
      "In-Reply-To: <abc123@shopper.test>\r\n"
      "References: <older@shopper.test> <abc123@shopper.test>\r\n"
      "\r\n"
      "Sehr geehrter Herr Groß, ...\r\n";
  const auto a = parse_message(reply);
  CHECK(a.message_id == "reply1@nordlicht-bank.test");
  CHECK(a.from_address == "service@nordlicht-bank.test");
  REQUIRE(a.referenced_ids.size() == 3);
  CHECK(a.referenced_ids[0] == "abc123@shopper.test");
  CHECK(a.referenced_ids[1] == "older@shopper.test");
  CHECK(parse_message("garbage without headers").message_id.empty());
  CHECK(parse_message("").referenced_ids.empty());
}

TEST_CASE("message ids are random and on the given domain") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_message_id("shopper.test");
    CHECK(id.ends_with("@shopper.test"));
    CHECK(id.size() == 26 + 13);
    ids.insert(id);
  }
  CHECK(ids.size() == 1000);
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
