// respbench import-messenger on the export fixture in tests/fixtures/messenger/ (written by its
// generate.py the way Facebook writes exports: double-encoded text, newest first, a thread split
// over two files): texts decoded, receipt times from timestamp_ms, threads matched by reference
// and by the page's name, instant and away replies told from answers, a second import adding
// nothing, a broken file reported at its line and column with nothing of its thread recorded.
#include <doctest/doctest.h>

#include "assisted_support.hpp"

using namespace respbench;
using respbench::test::run_cli;
using respbench::test::TempDir;

namespace fs = std::filesystem;

namespace {

const std::string k_run_now = "2026-03-24T10:00";     // every inquiry of the study is due
const std::string k_import_now = "2026-03-25T12:00";

std::vector<std::string> cli(const TempDir& tmp, std::vector<std::string> args, const std::string& now) {
  args.insert(args.end(), {"--study", tmp.path().string(), "--now", now});
  return args;
}

fs::path fixture() { return test::source_dir() / "tests" / "fixtures" / "messenger"; }

struct Registered {
  InquiryRecord weissbach;  // registered as the thread weissbachkabel_4kq9z2
  InquiryRecord stadtwerke;  // registered with another Messenger thread id: matched by the page's name
  InquiryRecord stadtwerke_post;  // a post, not a Messenger thread: gets nothing from the export
};

Registered register_inquiries(const TempDir& tmp) {
  test::make_assisted_study(tmp.path());
  auto run = run_cli(cli(tmp, {"run"}, k_run_now));
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  Registered r;
  r.weissbach = test::first_inquiry(tmp.path(), "weissbach-kabel", InquiryState::todo, "Leonie Hartmann");
  r.stadtwerke = test::first_inquiry(tmp.path(), "stadtwerke-auenbruch", InquiryState::todo, "Anna Berger");
  auto sent = [&](const InquiryRecord& i, const std::string& ref) {
    auto s = run_cli(cli(tmp, {"sent", std::to_string(i.id), "--ref", ref}, k_run_now));
    REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  };
  sent(r.weissbach, "messages/t/weissbachkabel_4kq9z2");
  sent(r.stadtwerke, "https://www.facebook.com/messages/t/100087654321");
  r.stadtwerke_post = test::first_inquiry(tmp.path(), "stadtwerke-auenbruch", InquiryState::todo, "Anna Berger");
  sent(r.stadtwerke_post, "https://www.facebook.com/StadtwerkeAuenbruch/posts/777");
  return r;
}

// "kind|received_at (UTC)|from|excerpt" of one source's replies, oldest first, one per line.
std::string replies_of(const TempDir& tmp, const std::string& source) {
  return test::text_sql(tmp.path(), fmt::format(R"(SELECT coalesce(group_concat(line, char(10)), '') FROM (
      SELECT kind || '|' || strftime('%Y-%m-%dT%H:%M:%SZ', received_at, 'unixepoch') || '|' || from_address || '|' ||
             excerpt || '|' || counts_as_answer || '|' || inquiry_id AS line
      FROM replies WHERE source = '{}' ORDER BY received_at))",
                                                source));
}

}  // namespace

TEST_CASE("a Messenger export is imported: texts decoded, times right, threads matched, once") {
  TempDir tmp;
  const auto r = register_inquiries(tmp);
  auto import = run_cli(cli(tmp, {"import-messenger", fixture().string()}, k_import_now));
  REQUIRE_MESSAGE(import.exit_code == 0, import.err);
  CHECK(import.out.find("imported 6 new replies from 3 thread(s)") != std::string::npos);
  CHECK(import.out.find("kundenserviceirgendwo_q1w2e3 (Kundenservice Irgendwo, Anna Berger): matches no Facebook "
                        "inquiry")
        != std::string::npos);
  CHECK(import.out.find("1 before any inquiry, left out") != std::string::npos);

  const auto w = std::to_string(r.weissbach.id);
  CHECK(replies_of(tmp, "messenger:weissbachkabel_4kq9z2")
        == "auto_ack|2026-03-24T09:00:36Z|Weißbach Kabel|Danke für deine Nachricht! Wir melden uns so schnell wie "
           "möglich.|0|" + w + "\n"
           "human|2026-03-24T10:15:12Z|Weißbach Kabel|Hallo Leonie, der Wechsel geht jederzeit, die Laufzeit bleibt. "
           "Grüße 😊 – dein Weißbach-Team|1|" + w + "\n"
           "human|2026-03-24T10:20:00Z|Weißbach Kabel|Gern geschehen – schönen Tag noch! 👍|1|" + w);
  const auto s = std::to_string(r.stadtwerke.id);
  CHECK(replies_of(tmp, "messenger:stadtwerkeauenbruch_x7p2m1")
        == "out_of_office|2026-03-24T09:01:04Z|Stadtwerke Auenbruch|Wir sind gerade nicht erreichbar. Montag bis "
           "Freitag ab 8 Uhr sind wir wieder für Sie da.|0|" + s + "\n"
           "human|2026-03-25T07:30:00Z|Stadtwerke Auenbruch|Guten Morgen Frau Berger, Zählerstände können Sie online im "
           "Kundenportal übermitteln. Schöne Grüße aus Auenbruch|1|" + s + "\n"
           "human|2026-03-25T07:31:00Z|Stadtwerke Auenbruch|(photos)|1|" + s);
  CHECK(replies_of(tmp, "messenger:kundenserviceirgendwo_q1w2e3").empty());

  const auto weissbach = test::inquiry_by_id(tmp.path(), r.weissbach.id);
  CHECK(weissbach.state == InquiryState::answered);
  CHECK(format_utc(*weissbach.answered_at) == "2026-03-24T10:15:12Z");  // the answer, not the instant reply
  const auto stadtwerke = test::inquiry_by_id(tmp.path(), r.stadtwerke.id);
  CHECK(stadtwerke.state == InquiryState::answered);
  CHECK(format_utc(*stadtwerke.answered_at) == "2026-03-25T07:30:00Z");
  CHECK(test::inquiry_by_id(tmp.path(), r.stadtwerke_post.id).state == InquiryState::sent);

  // The same export again adds nothing.
  auto again = run_cli(cli(tmp, {"import-messenger", fixture().string()}, k_import_now));
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("imported 0 new replies from 3 thread(s) (6 known already)") != std::string::npos);
  CHECK(test::count_sql(tmp.path(), "SELECT count(*) FROM replies") == 6);
  CHECK(format_utc(*test::inquiry_by_id(tmp.path(), r.weissbach.id).answered_at) == "2026-03-24T10:15:12Z");
}

TEST_CASE("a broken file of a Messenger export is reported at its line and column; nothing of its thread is recorded") {
  TempDir tmp;
  const auto r = register_inquiries(tmp);
  const auto copy = tmp / "export";
  fs::create_directories(copy);
  fs::copy(fixture() / "messages", copy / "messages", fs::copy_options::recursive);
  const auto broken = copy / "messages" / "inbox" / "weissbachkabel_4kq9z2" / "message_1.json";
  test::write_text(broken, "{\n  \"participants\": [\n    {\"name\": \"Wei\\u00c3\\u009fbach Kabel\"}\n    \"messages\": []\n}\n");

  auto import = run_cli(cli(tmp, {"import-messenger", (copy / "messages" / "inbox").string()}, k_import_now));
  CHECK(import.exit_code == k_exit_failure);
  CHECK_MESSAGE(import.err.find(broken.string() + ":4:5: not valid JSON") != std::string::npos, import.err);
  CHECK(replies_of(tmp, "messenger:weissbachkabel_4kq9z2").empty());
  CHECK(test::inquiry_by_id(tmp.path(), r.weissbach.id).state == InquiryState::sent);
  CHECK(test::count_sql(tmp.path(), "SELECT count(*) FROM replies WHERE source = 'messenger:stadtwerkeauenbruch_x7p2m1'")
        == 3);

  auto not_export = run_cli(cli(tmp, {"import-messenger", tmp.path().string()}, k_import_now));
  CHECK(not_export.exit_code == k_exit_invalid);
  CHECK(not_export.err.find("expected a folder with messages/inbox/") != std::string::npos);
}
