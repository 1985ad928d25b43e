// IMAP syntax without a server (src/net/imap_protocol.hpp): what odd but legal (and some
// illegal) server output does to the reader and the parsers.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "net/imap_protocol.hpp"
#include "net/mail_transport.hpp"
#include "net/password.hpp"

using respbench::Instant;
using respbench::MailboxStatus;
namespace imap = respbench::imap;

namespace {

Instant utc(int y, unsigned m, unsigned d, int hour, int minute, int second) {
  return date::sys_days(date::year{y} / date::month{m} / date::day{d}) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

// All responses in `stream`, fed in pieces of `piece` bytes.
std::vector<imap::Response> read_all(std::string_view stream, std::size_t piece, imap::Limits limits = {}) {
  imap::ResponseReader reader(limits);
  std::vector<imap::Response> out;
  for (std::size_t i = 0; i < stream.size(); i += piece) {
    reader.feed(stream.substr(i, piece));
    for (;;) {
      auto next = reader.next();
      REQUIRE(next.has_value());
      if (!*next) break;
      out.push_back(std::move(**next));
    }
  }
  auto last = reader.finish();
  REQUIRE(last.has_value());
  if (*last) out.push_back(std::move(**last));
  return out;
}

imap::Response one(std::string_view stream) {
  auto all = read_all(stream, stream.size() + 1);
  REQUIRE(all.size() == 1);
  return all.front();
}

}  // namespace

TEST_CASE("net imap: INTERNALDATE with offsets reads as UTC") {
  CHECK(imap::parse_internal_date("15-Mar-2026 10:30:00 +0100") == utc(2026, 3, 15, 9, 30, 0));
  CHECK(imap::parse_internal_date("15-Mar-2026 10:30:00 -0130") == utc(2026, 3, 15, 12, 0, 0));
  CHECK(imap::parse_internal_date("15-Mar-2026 10:30:00 +0000") == utc(2026, 3, 15, 10, 30, 0));
  // Across midnight and the year; a day padded with a space; month names in any case.
  CHECK(imap::parse_internal_date(" 1-Jan-2026 00:15:00 +0200") == utc(2025, 12, 31, 22, 15, 0));
  CHECK(imap::parse_internal_date("1-jan-2026 00:15:00 +0200") == utc(2025, 12, 31, 22, 15, 0));
  CHECK(imap::parse_internal_date("29-Feb-2024 23:59:59 -1200") == utc(2024, 3, 1, 11, 59, 59));
  CHECK(imap::parse_internal_date("31-Dec-2025 23:59:60 +0000") == utc(2025, 12, 31, 23, 59, 59));

  CHECK_FALSE(imap::parse_internal_date("29-Feb-2025 10:00:00 +0000"));  // not a leap year
  CHECK_FALSE(imap::parse_internal_date("15-Foo-2026 10:30:00 +0100"));
  CHECK_FALSE(imap::parse_internal_date("15-Mar-2026 24:00:00 +0100"));
  CHECK_FALSE(imap::parse_internal_date("15-Mar-2026 10:30 +0100"));
  CHECK_FALSE(imap::parse_internal_date("15-Mar-2026 10:30:00 0100"));
  CHECK_FALSE(imap::parse_internal_date("15-Mar-2026 10:30:00 +01:00"));
  CHECK_FALSE(imap::parse_internal_date("15-Mar-2026 10:30:00 +0160"));
  CHECK_FALSE(imap::parse_internal_date("115-Mar-2026 10:30:00 +0100"));
  CHECK_FALSE(imap::parse_internal_date(""));

  const Instant t = utc(2026, 3, 5, 9, 7, 3);
  CHECK(imap::format_internal_date(t) == "05-Mar-2026 09:07:03 +0000");
  CHECK(imap::parse_internal_date(imap::format_internal_date(t)) == t);
}

TEST_CASE("net imap: UID sets are sorted, de-duplicated and compressed into ranges") {
  CHECK(imap::compress_uid_set({}) == "");
  CHECK(imap::compress_uid_set({7}) == "7");
  CHECK(imap::compress_uid_set({12, 5, 6, 7, 8, 9}) == "5:9,12");
  CHECK(imap::compress_uid_set({3, 1, 2, 2, 10, 11, 20}) == "1:3,10:11,20");
  CHECK(imap::compress_uid_set({0, 4}) == "4");
  CHECK(imap::compress_uid_set({4294967294u, 4294967295u, 1}) == "1,4294967294:4294967295");
}

TEST_CASE("net imap: quoted strings and mailbox names") {
  CHECK(imap::quote("INBOX").value() == "\"INBOX\"");
  CHECK(imap::quote(R"(a "b" \c)").value() == R"("a \"b\" \\c")");
  CHECK_FALSE(imap::quote("a\r\nb"));
  CHECK_FALSE(imap::quote(std::string_view("a\0b", 3)));

  CHECK(imap::mailbox_argument("Sent").value() == "\"Sent\"");
  CHECK(imap::mailbox_argument("Tom & Jerry").value() == "\"Tom &- Jerry\"");
  // RFC 3501's own example, and a German one.
  CHECK(imap::mailbox_argument("~peter/mail/台北/日本語").value() == "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"");
  CHECK(imap::mailbox_argument("Entwürfe").value() == "\"Entw&APw-rfe\"");
  CHECK(imap::mailbox_argument("a\"b").value() == R"("a\"b")");
  CHECK_FALSE(imap::mailbox_argument(""));
  CHECK_FALSE(imap::mailbox_argument("INBOX\r\nA1 DELETE INBOX"));
  CHECK_FALSE(imap::mailbox_argument("bad \xff utf8"));
  CHECK_FALSE(imap::mailbox_argument("\xc3\xa4\xed\xa0\x80"));  // a surrogate
}

TEST_CASE("net imap: literals survive reads split at every place") {
  const std::string body = "Subject: x\r\n\r\n{5}\r\nline with a brace }\r\n* 1 FETCH (fake)\r\n";
  const std::string stream = "* OK [UIDVALIDITY 42] ok\r\n* 3 FETCH (UID 17 BODY[] {" +
                             std::to_string(body.size()) + "}\r\n" + body + " FLAGS (\\Seen))\r\n" +
                             "A1 OK done\r\n";
  for (std::size_t piece :
       {std::size_t(1), std::size_t(2), std::size_t(3), std::size_t(7), std::size_t(64), stream.size()}) {
    CAPTURE(piece);
    const auto responses = read_all(stream, piece);
    REQUIRE(responses.size() == 3);
    auto fetch = imap::parse_fetch(responses[1]);
    REQUIRE(fetch.has_value());
    REQUIRE(fetch->has_value());
    CHECK((*fetch)->sequence == 3);
    CHECK((*fetch)->uid == 17u);
    CHECK((*fetch)->body == body);
    REQUIRE((*fetch)->flags.has_value());
    CHECK((*fetch)->flags->at(0) == "\\Seen");
    CHECK(imap::response_tag(responses[2]) == "A1");
  }
}

TEST_CASE("net imap: binary literals, empty literals and bare LF line ends") {
  const std::string binary("a\0b\r\x01\xff\n", 7);
  const std::string stream =
      "* 1 FETCH (UID 1 BODY[] {7}\r\n" + binary + ")\n* 2 FETCH (UID 2 BODY[] {0}\r\n)\r\n";
  const auto responses = read_all(stream, 3);
  REQUIRE(responses.size() == 2);
  CHECK(imap::parse_fetch(responses[0]).value()->body == binary);
  CHECK(imap::parse_fetch(responses[1]).value()->body == "");
}

TEST_CASE("net imap: FETCH items in any order, unknown items skipped") {
  const auto response =
      one("* 12 FETCH (BODY[HEADER] {10}\r\nSubject: x FLAGS (\\Seen $Forwarded) "
          "BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 3 1) "
          "MODSEQ (12345) RFC822.SIZE 4711 INTERNALDATE \" 5-Mar-2026 10:30:00 +0100\" UID 99 "
          "X-GM-LABELS (\"a b\" c) BODY[HEADER.FIELDS (DATE FROM)] {2}\r\nxx)\r\n");
  auto parsed = imap::parse_fetch(response);
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->has_value());
  const imap::FetchData& data = **parsed;
  CHECK(data.sequence == 12);
  CHECK(data.uid == 99u);
  CHECK(data.size == 4711u);
  CHECK(data.internal_date == utc(2026, 3, 5, 9, 30, 0));
  CHECK(data.header == "Subject: x");
  CHECK_FALSE(data.body.has_value());
  REQUIRE(data.flags.has_value());
  CHECK(*data.flags == std::vector<std::string>{"\\Seen", "$Forwarded"});
}

TEST_CASE("net imap: lower-case names, NIL bodies, quoted bodies, partial bodies") {
  auto a = imap::parse_fetch(one("* 1 fetch (uid 5 rfc822.size 3 body[] \"a\\\"b\")\r\n"));
  REQUIRE(a.has_value());
  CHECK((*a)->uid == 5u);
  CHECK((*a)->body == "a\"b");
  auto b = imap::parse_fetch(one("* 2 FETCH (UID 6 BODY[] NIL)\r\n"));
  CHECK((*b)->body == "");
  auto c = imap::parse_fetch(one("* 3 FETCH (UID 7 BODY[]<0> {3}\r\nabc)\r\n"));
  CHECK((*c)->body == "abc");
}

TEST_CASE("net imap: malformed FETCH responses are errors, other responses are not FETCH") {
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID x)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID 0)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID 99999999999)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (INTERNALDATE \"yesterday\")\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID 3 BODY[] \"unterminated)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID 3 FLAGS (\\Seen)\r\n")).has_value());
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH UID 3\r\n")).has_value());
  // A "{n}" that is not at a line end is no literal.
  CHECK_FALSE(imap::parse_fetch(one("* 1 FETCH (UID 3 BODY[] {3} abc)\r\n")).has_value());
  std::string deep = "* 1 FETCH (X " + std::string(100, '(') + std::string(100, ')') + ")\r\n";
  CHECK_FALSE(imap::parse_fetch(one(deep)).has_value());

  CHECK(imap::parse_fetch(one("* 3 EXISTS\r\n")).value() == std::nullopt);
  CHECK(imap::parse_fetch(one("A1 OK FETCH completed\r\n")).value() == std::nullopt);
  CHECK(imap::parse_fetch(one("+ go ahead\r\n")).value() == std::nullopt);
  CHECK(imap::parse_fetch(one("\r\n")).value() == std::nullopt);
}

TEST_CASE("net imap: a last line without CRLF at EOF still counts") {
  imap::ResponseReader reader;
  reader.feed("* OK ready\r\n* BYE shutting down");
  auto first = reader.next();
  REQUIRE(first.has_value());
  REQUIRE(first->has_value());
  CHECK((*first)->data == "* OK ready");
  CHECK(reader.next().value() == std::nullopt);
  auto last = reader.finish();
  REQUIRE(last.has_value());
  REQUIRE(last->has_value());
  const auto status = imap::parse_status(**last);
  REQUIRE(status.has_value());
  CHECK(status->condition == "BYE");
  CHECK(status->text == "shutting down");
  CHECK(reader.finish().value() == std::nullopt);  // nothing twice

  imap::ResponseReader cut;
  cut.feed("* 1 FETCH (BODY[] {10}\r\nabc");
  CHECK(cut.next().value() == std::nullopt);
  CHECK_FALSE(cut.finish().has_value());  // closed inside a literal
}

TEST_CASE("net imap: oversized literals and lines are refused") {
  imap::Limits limits;
  limits.max_literal = 100;
  limits.max_line = 50;
  {
    imap::ResponseReader reader(limits);
    reader.feed("* 1 FETCH (BODY[] {101}\r\n");
    auto next = reader.next();
    REQUIRE_FALSE(next.has_value());
    CHECK(next.error().message.find("101") != std::string::npos);
  }
  {
    imap::ResponseReader reader(limits);
    reader.feed("* 1 FETCH (BODY[] {100}\r\n" + std::string(100, 'x') + ")\r\n");
    auto next = reader.next();
    REQUIRE(next.has_value());
    CHECK(next->has_value());
  }
  {
    imap::ResponseReader reader;
    reader.feed("* 1 FETCH (BODY[] {99999999999999999999999}\r\n");
    CHECK_FALSE(reader.next().has_value());
  }
  {
    imap::ResponseReader reader(limits);
    reader.feed(std::string(30, 'a'));
    CHECK(reader.next().value() == std::nullopt);
    reader.feed(std::string(30, 'a'));  // no line end yet, but already too long
    CHECK_FALSE(reader.next().has_value());
  }
}

TEST_CASE("net imap: status responses with codes") {
  auto s = imap::parse_status(one("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"));
  REQUIRE(s.has_value());
  CHECK(s->condition == "OK");
  CHECK(s->code == "UIDVALIDITY");
  CHECK(s->code_argument == "3857529045");
  CHECK(s->text == "UIDs valid");

  auto no = imap::parse_status(one("rb4 no [unavailable] Temporary failure\r\n"));
  REQUIRE(no.has_value());
  CHECK(no->condition == "NO");
  CHECK(no->code == "UNAVAILABLE");
  CHECK(no->text == "Temporary failure");

  auto bad = imap::parse_status(one("rb5 BAD\r\n"));
  REQUIRE(bad.has_value());
  CHECK(bad->condition == "BAD");
  CHECK(bad->text.empty());

  CHECK_FALSE(imap::parse_status(one("* 4 EXISTS\r\n")));
  CHECK_FALSE(imap::parse_status(one("+ Ready for literal data\r\n")));
  CHECK_FALSE(imap::parse_status(one("* SEARCH 1 2\r\n")));
}

TEST_CASE("net imap: EXAMINE responses") {
  MailboxStatus status;
  unsigned seen = 0;
  for (const char* line :
       {"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
        "* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n", "* 172 EXISTS\r\n", "* 1 RECENT\r\n",
        "* OK [UNSEEN 12] Message 12 is first unseen\r\n", "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n",
        "* OK [UIDNEXT 4392] Predicted next UID\r\n", "* OK [HIGHESTMODSEQ 715194045007] Highest\r\n",
        "* OK [UIDNEXT banana]\r\n"}) {
    seen |= imap::apply_select_response(one(line), status);
  }
  CHECK(seen == 7);
  CHECK(status.exists == 172);
  CHECK(status.uidvalidity == 3857529045u);
  CHECK(status.uidnext == 4392);
}

TEST_CASE("net imap: SEARCH and CAPABILITY responses") {
  auto found = imap::parse_search(one("* SEARCH 9 2 4 2\r\n"));
  REQUIRE(found.has_value());
  CHECK(**found == std::vector<std::uint32_t>{2, 4, 9});
  CHECK((*imap::parse_search(one("* SEARCH\r\n")))->empty());
  CHECK(**imap::parse_search(one("* SEARCH 5 7 (MODSEQ 917162500)\r\n")) == std::vector<std::uint32_t>{5, 7});
  CHECK_FALSE(imap::parse_search(one("* SEARCH 5 x\r\n")).has_value());
  CHECK(imap::parse_search(one("* 5 EXISTS\r\n")).value() == std::nullopt);

  auto caps = imap::parse_capabilities(one("* CAPABILITY IMAP4rev1 literal+ IDLE\r\n"));
  REQUIRE(caps.has_value());
  CHECK(*caps == std::vector<std::string>{"IMAP4REV1", "LITERAL+", "IDLE"});
  auto in_ok = imap::parse_capabilities(one("A1 OK [CAPABILITY IMAP4rev1 LITERAL-] Logged in\r\n"));
  REQUIRE(in_ok.has_value());
  CHECK(in_ok->back() == "LITERAL-");
  CHECK_FALSE(imap::parse_capabilities(one("A1 OK Logged in\r\n")));
}

TEST_CASE("net imap: printable responses hide literals and control bytes") {
  const auto response = one("* 1 FETCH (BODY[] {5}\r\nsecre\x01)\r\n");
  const std::string text = imap::printable(response);
  CHECK(text.find("secre") == std::string::npos);
  CHECK(text.find('\x01') == std::string::npos);
  CHECK(imap::printable(one(std::string(500, 'a') + "\r\n"), 10).size() == 13);
}

TEST_CASE("net redact replaces every occurrence of the secret") {
  CHECK(respbench::redact("user hunter2 pw hunter2!", "hunter2") == "user *** pw ***!");
  CHECK(respbench::redact("nothing", "") == "nothing");
  CHECK(respbench::redact("aaaa", "aa") == "******");
  CHECK(respbench::redact("x***y", "*") == "x*********y");
}

TEST_CASE("net password: from a command or from the environment") {
  CHECK(respbench::read_secret("printf 's3cret\\n'", "").value() == "s3cret");
  CHECK(respbench::read_secret("printf 's3cret\\n\\n'", "").value() == "s3cret\n");
  CHECK(respbench::read_secret("printf 'with space\\r\\n'", "").value() == "with space");
  CHECK(respbench::read_secret("printf 'no newline'", "").value() == "no newline");

  auto failed = respbench::read_secret("echo leaked-output; exit 3", "");
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message.find("exit 3") != std::string::npos);  // names the command
  CHECK(failed.error().message.find("status 3") != std::string::npos);
  // The command text itself contains the word; the output must not appear a second time.
  const std::string& message = failed.error().message;
  CHECK(message.find("leaked-output") == message.rfind("leaked-output"));
  CHECK_FALSE(respbench::read_secret("true", "").has_value());  // prints nothing

  ::setenv("RESPBENCH_TEST_SECRET", "from-env", 1);
  CHECK(respbench::read_secret("", "RESPBENCH_TEST_SECRET").value() == "from-env");
  ::setenv("RESPBENCH_TEST_SECRET", "", 1);
  auto empty = respbench::read_secret("", "RESPBENCH_TEST_SECRET");
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().message.find("RESPBENCH_TEST_SECRET") != std::string::npos);
  ::unsetenv("RESPBENCH_TEST_SECRET");
  auto missing = respbench::read_secret("", "RESPBENCH_TEST_SECRET");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message.find("RESPBENCH_TEST_SECRET") != std::string::npos);

  CHECK_FALSE(respbench::read_secret("", "").has_value());
  CHECK_FALSE(respbench::read_secret("echo x", "HOME").has_value());
}
