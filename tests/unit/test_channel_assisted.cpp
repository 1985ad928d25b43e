// The assisted channels' pure parts: the forms of a registered reference, Facebook's double
// encoding in Messenger exports, CSV cells that cannot run as formulas.
#include <doctest/doctest.h>

#include "channels/assisted_ref.hpp"
#include "channels/facebook_ref.hpp"
#include "channels/messenger_import.hpp"
#include "util/csv_write.hpp"
#include "util/strings.hpp"

using namespace respbench;

namespace {

std::string fb(std::string_view ref) {
  auto r = normalize_assisted_ref(Channel::facebook, ref);
  REQUIRE_MESSAGE(r.has_value(), ref << ": " << (r ? "" : r.error().message));
  return *r;
}

}  // namespace

TEST_CASE("Facebook references: Graph ids and permalinks in their variants, normalised") {
  CHECK(fb("19292868552_10158349356748553") == "19292868552_10158349356748553");
  CHECK(fb(" 10158371930463553 ") == "10158371930463553");
  CHECK(fb("https://www.facebook.com/NordlichtBank/posts/10158349356748553")
        == "https://www.facebook.com/NordlichtBank/posts/10158349356748553");
  CHECK(fb("http://m.facebook.com/NordlichtBank/posts/10158349356748553/?__cft__[0]=AZX&__tn__=R#top")
        == "https://www.facebook.com/NordlichtBank/posts/10158349356748553");
  CHECK(fb("facebook.com/NordlichtBank/posts/123?comment_id=456&reply_comment_id=789&ref=notif")
        == "https://www.facebook.com/NordlichtBank/posts/123?comment_id=456&reply_comment_id=789");
  CHECK(fb("https://www.facebook.com/permalink.php?id=1000123&story_fbid=555&comment_id=77")
        == "https://www.facebook.com/permalink.php?story_fbid=555&id=1000123&comment_id=77");
  CHECK(fb("https://WWW.Facebook.com/photo/?fbid=987654&set=a.1") == "https://www.facebook.com/photo/?fbid=987654");
  CHECK(fb("https://m.facebook.com/photo.php?fbid=987654") == "https://www.facebook.com/photo/?fbid=987654");
  CHECK(fb("https://www.facebook.com/messages/t/100087654321/") == "https://www.facebook.com/messages/t/100087654321");
  CHECK(fb("messages/t/weissbachkabel_4kq9z2") == "https://www.facebook.com/messages/t/weissbachkabel_4kq9z2");
  CHECK(fb("https://www.messenger.com/t/100087654321") == "https://www.facebook.com/messages/t/100087654321");
}

TEST_CASE("Facebook references of another form are refused with what was expected") {
  for (std::string_view bad :
       {"", "   ", "12_34_56", "abc", "https://example.com/NordlichtBank/posts/1", "https://www.facebook.com/NordlichtBank",
        "https://www.facebook.com/permalink.php?story_fbid=555", "https://www.facebook.com/photo/?fbid=abc",
        "https://www.facebook.com/NordlichtBank/posts/1?reply_comment_id=2", "https://www.facebook.com/messages/t/",
        "https://www.facebook.com/NordlichtBank/posts/1?comment_id=<script>",
        // The Graph API cannot read a pfbid link: refused, not stored to go unpolled.
        "http://m.facebook.com/NordlichtBank/posts/pfbid02Abc9/?__cft__[0]=AZX&__tn__=R#top"}) {
    auto r = normalize_assisted_ref(Channel::facebook, bad);
    CHECK_MESSAGE(!r.has_value(), bad);
    if (!r && !trim(bad).empty()) CHECK(r.error().message.find("expected a Graph object id") != std::string::npos);
  }
}

TEST_CASE("the Messenger thread of a stored reference") {
  CHECK(messenger_thread_of("https://www.facebook.com/messages/t/weissbachkabel_4kq9z2") == "weissbachkabel_4kq9z2");
  CHECK_FALSE(messenger_thread_of("https://www.facebook.com/NordlichtBank/posts/1").has_value());
  CHECK_FALSE(messenger_thread_of("123_456").has_value());
}

TEST_CASE("Facebook's double encoding is undone; text that is not double-encoded stays") {
  // What RapidJSON makes of "Gr\u00c3\u00bc\u00c3\u009fe \u00f0\u009f\u0098\u008a".
  CHECK(decode_facebook_text("Gr\xC3\x83\xC2\xBC\xC3\x83\xC2\x9F" "e \xC3\xB0\xC2\x9F\xC2\x98\xC2\x8A") == "Grüße 😊");
  CHECK(decode_facebook_text("M\xC3\x83\xC2\xBCller") == "Müller");
  CHECK(decode_facebook_text("plain ASCII") == "plain ASCII");
  CHECK(decode_facebook_text("Müller") == "Müller");            // U+00FC as a byte is no UTF-8: left alone
  CHECK(decode_facebook_text("Grüße 😊") == "Grüße 😊");        // beyond U+00FF: left alone
  CHECK(decode_facebook_text("\xC3\x83") == "\xC3\x83");       // U+00C3 alone: 0xC3 is no whole UTF-8
}

TEST_CASE("todo's CSV cells: quoted where needed, formulas neutralised") {
  // todo --csv writes with the report's CsvWriter (util/csv_write.hpp): one writer, one set of
  // rules; these are the cells an assisted channel's list holds.
  CHECK(csv_row({"plain"}) == "plain\r\n");
  CHECK(csv_row({"a,b"}) == "\"a,b\"\r\n");
  CHECK(csv_row({"say \"hi\"\nbye"}) == "\"say \"\"hi\"\"\nbye\"\r\n");
  CHECK(csv_row({"=HYPERLINK(\"x\")"}) == "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
  CHECK(csv_row({"+49 30 1234"}) == "'+49 30 1234\r\n");
  CHECK(csv_row({"-1"}) == "'-1\r\n");
  CHECK(csv_row({"@SUM(A1)"}) == "'@SUM(A1)\r\n");
  CHECK(csv_row({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
}

TEST_CASE("other assisted channels keep any note up to 500 characters") {
  // The rule for channels without a form of their own, shown through email: the only channel
  // besides Facebook today (`sent` itself refuses email inquiries).
  CHECK_FALSE(normalize_assisted_ref(Channel::email, "").has_value());
  CHECK(normalize_assisted_ref(Channel::email, " Ticket 4711 ").value() == "Ticket 4711");
  CHECK_FALSE(normalize_assisted_ref(Channel::email, std::string(501, 'x')).has_value());
  CHECK(normalize_assisted_ref(Channel::email, std::string(500, 'x')).has_value());
}
