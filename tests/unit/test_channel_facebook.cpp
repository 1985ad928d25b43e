// `respbench run` reading the answers to registered Facebook inquiries from the Graph API
// emulator: answered at the comment's created_time, many pages of comments, rate limits and
// back-off across runs, an expired token next to a working email channel, 120 inquiries in
// batches, and comments without an author sent to review.
#include <doctest/doctest.h>

#include <cstdlib>

#include <fmt/format.h>

#include "graph_support.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "mail_rig.hpp"

using namespace respbench;
using namespace respbench::test;
using graph_emulator::Emulator;
using graph_emulator::Faults;
using graph_emulator::Person;

namespace {

const Person k_shopper{"100087654321", "Anna Berger"};
const Person k_stranger{"100011112222", "Max Mustermann"};

Person page_of(int index) { return {page_id_of(index), fmt::format("Company{:03} AG", index)}; }
int company_index(const InquiryRecord& i) { return std::stoi(i.company_id.substr(1)); }

// "2026-03-02T10:15:03+0000" plus `minutes`.
std::string graph_time(int minutes, int base_hour = 10) {
  return fmt::format("2026-03-02T{:02}:{:02}:03+0000", base_hour + minutes / 60, minutes % 60);
}

std::int64_t count(const FacebookStudy& study, const std::string& sql) {
  auto ledger = sqlite_ledger::open(study.dir / "respbench.db", LedgerOpen::existing, sqlite_ledger::migrations());
  REQUIRE(ledger.has_value());
  auto n = sqlite::query_int64((*ledger)->database(), sql, "count for a test");
  REQUIRE(n.has_value());
  return *n;
}

std::int64_t answered(const FacebookStudy& study) {
  return count(study, "SELECT count(*) FROM inquiries WHERE channel = 'facebook' AND state = 'answered'");
}

// For every Facebook inquiry: a post of its company's page, the shopper's question under it
// (registered as the inquiry, sent at 10:15:03 + i min) and the page's answer `answer_after`
// minutes later. Returns the answers' times by inquiry id.
std::map<std::int64_t, std::string> ask_and_answer(FacebookStudy& study, int answer_after = 47) {
  std::map<std::int64_t, std::string> times;
  int n = 0;
  for (const auto& inquiry : study.facebook_inquiries()) {
    const int c = company_index(inquiry);
    const auto post = study.graph.add_post(page_id_of(c), page_of(c), "Neuigkeiten", graph_time(0, 8));
    const auto question = study.graph.add_comment(post, k_shopper, "Meine Frage", graph_time(n));
    times[inquiry.id] = graph_time(n + answer_after);
    study.graph.add_comment(question, page_of(c), "Unsere Antwort", times[inquiry.id]);
    study.register_sent(inquiry.id, question, graph_time(n));
    ++n;
  }
  return times;
}

}  // namespace

TEST_SUITE("facebook channel") {
  TEST_CASE("register, poll: answered at the page's comment time; the next run stores nothing twice") {
    Emulator graph;
    FacebookStudy study(graph, 1, 1);
    const auto inquiry = study.facebook_inquiries().at(0);
    const auto post = graph.add_post(page_id_of(0), page_of(0), "Neue Filiale", graph_time(0, 8));
    const auto question = graph.add_comment(post, k_shopper, "Wie hoch sind die Gebühren?", graph_time(0));
    graph.add_comment(question, k_stranger, "Das frage ich mich auch", graph_time(5));
    graph.add_comment(question, page_of(0), "Hallo Anna, 4,90 € im Monat.", graph_time(47));
    graph.add_comment(post, k_stranger, "Unrelated comment under the post", graph_time(50));
    // Registered as `respbench sent` will: the comment's permalink.
    const std::string number = question.substr(question.find('_') + 1);
    const std::string post_number = post.substr(post.find('_') + 1);
    study.register_sent(inquiry.id,
                        fmt::format("https://www.facebook.com/Company000/posts/{}?comment_id={}", post_number, number),
                        graph_time(0));

    auto r = study.run("2026-03-03T09:00");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("facebook: read 1 registered inquiries in 1 Graph API requests, 2 new replies") != std::string::npos);
    auto after = study.ledger()->inquiries({})->at(0);
    CHECK(after.state == InquiryState::answered);
    REQUIRE(after.answered_at);
    CHECK(format_utc(*after.answered_at) == "2026-03-02T10:47:03Z");
    CHECK(*study.ledger()->reply_count(inquiry.id) == 2);
    CHECK(count(study, "SELECT count(*) FROM replies WHERE kind = 'other' AND counts_as_answer = 0") == 1);
    CHECK(count(study, "SELECT count(*) FROM replies WHERE kind = 'human' AND counts_as_answer = 1 AND "
                       "source = 'graph:" + question + "' AND from_address LIKE '%facebook:19292868552>'") == 1);

    auto again = study.run("2026-03-03T10:00");
    CHECK(again.exit_code == 0);
    CHECK(*study.ledger()->reply_count(std::nullopt) == 2);
  }

  TEST_CASE("more than 100 comments under a post: all read over several pages, none twice") {
    Emulator graph;
    FacebookStudy study(graph, 1, 1);
    const auto inquiry = study.facebook_inquiries().at(0);
    // The shopper's own post on the page; 180 comments, the page's answer among them.
    const auto post = graph.add_post(page_id_of(0), k_shopper, "Frage an die Bank", graph_time(0));
    std::string first_reply;
    for (int i = 0; i < 180; ++i) {
      const bool page = i == 130;
      graph.add_comment(post, page ? page_of(0) : k_stranger, fmt::format("Kommentar {}", i), graph_time(1 + i / 3));
    }
    study.register_sent(inquiry.id, post, graph_time(0));
    auto r = study.run("2026-03-04T09:00");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(*study.ledger()->reply_count(inquiry.id) == 180);
    auto after = study.ledger()->inquiries({})->at(0);
    CHECK(after.state == InquiryState::answered);
    CHECK(format_utc(*after.answered_at) == "2026-03-02T10:44:03Z");
    CHECK(graph.stats().http_requests == 2);  // 100 by field expansion + 80 by `next`
    study.run("2026-03-04T10:00");
    CHECK(*study.ledger()->reply_count(std::nullopt) == 180);
  }

  TEST_CASE("a rate limit: the run backs off, later runs wait, then resume with nothing lost") {
    Emulator graph;
    FacebookStudy study(graph, 12, 5);
    ask_and_answer(study);
    Faults f;
    f.rate_limit_after = 30;
    f.rate_limit_code = 613;
    graph.set_faults(f);

    auto first = study.run("2026-03-03T09:00");
    INFO(first.out, first.err);
    CHECK(first.exit_code == 0);  // waiting for a rate limit is no failure
    CHECK(first.out.find("facebook: rate limited; polling resumes at") != std::string::npos);
    CHECK(answered(study) == 30);
    auto status = run_cli({"status", "--study", study.path(), "--now", "2026-03-03T09:05"});
    CHECK(status.out.find("facebook is paused until") != std::string::npos);
    CHECK(status.out.find("(#613) Calls to this api have exceeded the rate limit.") != std::string::npos);
    auto pause = *study.ledger()->channel_pause(Channel::facebook);
    REQUIRE(pause);
    REQUIRE(pause->until);
    // rate_limit_wait (15 min) stretched by up to a quarter.
    const auto wait = *pause->until - *parse_instant("2026-03-03T08:00:00Z", nullptr);
    CHECK(wait >= std::chrono::minutes(15));
    CHECK(wait <= std::chrono::minutes(19));

    const auto requests = graph.stats().http_requests;
    auto waiting = study.run("2026-03-03T09:05");
    CHECK(waiting.exit_code == 0);
    CHECK(waiting.out.find("facebook: paused until") != std::string::npos);
    CHECK(graph.stats().http_requests == requests);  // no call while paused

    graph.set_faults({});
    auto resumed = study.run("2026-03-03T10:00");
    INFO(resumed.out, resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK(answered(study) == 60);
    CHECK(*study.ledger()->reply_count(std::nullopt) == 60);
    CHECK_FALSE(*study.ledger()->channel_pause(Channel::facebook));
    CHECK(run_cli({"status", "--study", study.path()}).out.find("paused") == std::string::npos);
  }

  TEST_CASE("estimated_time_to_regain_access sets the wait") {
    Emulator graph;
    FacebookStudy study(graph, 2, 1);
    ask_and_answer(study);
    Faults f;
    f.rate_limit_after = 1;
    f.rate_limit_code = 80001;
    f.regain_minutes = 42;
    graph.set_faults(f);
    auto r = study.run("2026-03-03T09:00");
    CHECK(r.exit_code == 0);
    auto pause = *study.ledger()->channel_pause(Channel::facebook);
    REQUIRE(pause);
    CHECK(format_utc(*pause->until) == "2026-03-03T08:42:00Z");
  }

  TEST_CASE("an expired token: a clear message, exit 1, status shows the pause; email goes on") {
    auto& rig = shared_mail_rig();
    const RigUser& analyst = rig_user("fbrun@acme.test");
    Emulator graph;
    FacebookStudy study(graph, 1, 1);
    // The same study with email too: one company with an address and a page.
    write_text(study.dir / "respbench.conf",
               fmt::format("[study]\nname = Facebook study\nstart = 2026-03-02\nprobes_per_channel = 1\n"
                           "[schedule]\nmin_spacing = 1h\nbusiness_days = 1\n"
                           "[email]\nsmtp_url = smtp://127.0.0.1:{}\nimap_url = imaps://127.0.0.1:{}\nuser = {}\n"
                           "password_env = RESPBENCH_TEST_FB_MAIL_PASSWORD\nca_file = {}\npause_seconds = 0\n"
                           "[facebook]\ngraph_url = {}\ntoken_env = {}\n"
                           "[personas]\npersona = Anna Berger <{}>\n",
                           rig.port("SMTP_PORT"), rig.port("IMAPS_PORT"), analyst.address, rig.ca_file(),
                           graph.base_url(), k_fb_token_env, analyst.address));
    write_text(study.dir / "companies.csv",
               fmt::format("id,name,sector,email,facebook\nc000,Company000 AG,retail,{},{}\n", analyst.address,
                           page_id_of(0)));
    write_text(study.dir / "probes/q0.txt",
               "Subject: Frage\nChannels: email, facebook\nSectors: *\nLanguage: de\n\nHallo {company.name}?\n");
    ::setenv("RESPBENCH_TEST_FB_MAIL_PASSWORD", analyst.password.c_str(), 1);
    REQUIRE(run_cli({"plan", "--study", study.path(), "--now", "2026-03-01T12:00", "--quiet"}).exit_code == 0);
    ask_and_answer(study);
    Faults f;
    f.token_expired = true;
    graph.set_faults(f);

    auto r = study.run("2026-03-02T17:00");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("respbench: error: facebook: paused: Graph API: Error validating access token: Session has "
                     "expired") != std::string::npos);
    CHECK(r.err.find("get a new token and put it into the environment variable RESPBENCH_TEST_FB_TOKEN") !=
          std::string::npos);
    CHECK(r.err.find(k_fb_page_token) == std::string::npos);
    CHECK(r.out.find("email: sent 1") != std::string::npos);
    InquiryFilter email;
    email.channel = Channel::email;
    CHECK(study.ledger()->inquiries(email)->at(0).state == InquiryState::sent);
    CHECK(answered(study) == 0);

    auto status = run_cli({"status", "--study", study.path(), "--json"});
    CHECK(status.out.find(R"("paused":[{"channel":"facebook")") != std::string::npos);
    CHECK(status.out.find(R"("until":null)") != std::string::npos);
    CHECK(run_cli({"status", "--study", study.path()}).out.find("facebook is paused since") != std::string::npos);

    // A new token: the next run reads the answer and lifts the pause.
    graph.set_faults({});
    auto fixed = study.run("2026-03-02T17:30");
    CHECK(fixed.out.find("polling resumed") != std::string::npos);
    CHECK(answered(study) == 1);
    CHECK_FALSE(*study.ledger()->channel_pause(Channel::facebook));
  }

  TEST_CASE("120 open inquiries are read in batches of 50") {
    SUBCASE("pages given by numeric id: 3 requests") {
      Emulator graph;
      FacebookStudy study(graph, 24, 5);
      auto times = ask_and_answer(study);
      REQUIRE(times.size() == 120);
      auto r = study.run("2026-03-03T09:00");
      INFO(r.out, r.err);
      CHECK(r.exit_code == 0);
      CHECK(answered(study) == 120);
      MESSAGE("Graph requests for 120 open inquiries (numeric page ids): ", graph.stats().http_requests);
      CHECK(graph.stats().http_requests == 3);
      CHECK(graph.stats().calls == 120);
      const auto all = *study.ledger()->inquiries({});
      for (const auto& i : all) {
        CHECK(format_utc(*i.answered_at) == format_utc(*parse_instant(times[i.id], nullptr)));
      }
    }
    SUBCASE("pages given by name: one more request to learn their ids") {
      Emulator graph;
      FacebookStudy study(graph, 24, 5, false);
      ask_and_answer(study);
      auto r = study.run("2026-03-03T09:00");
      INFO(r.out, r.err);
      CHECK(answered(study) == 120);
      MESSAGE("Graph requests for 120 open inquiries (page names): ", graph.stats().http_requests);
      CHECK(graph.stats().http_requests == 4);
      CHECK(graph.stats().calls == 144);
    }
  }

  TEST_CASE("an app token gives no authors: the comments go to review and answer nothing") {
    Emulator graph;
    FacebookStudy study(graph, 1, 1);
    ask_and_answer(study);
    ::setenv(k_fb_token_env, k_fb_app_token, 1);
    auto r = study.run("2026-03-03T09:00");
    ::setenv(k_fb_token_env, k_fb_page_token, 1);
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(answered(study) == 0);
    CHECK(count(study, "SELECT count(*) FROM replies WHERE review LIKE '%gave no author%' AND counts_as_answer = 0 "
                       "AND source_key LIKE 'https://www.facebook.com/%reply_comment_id=%'") == 1);
  }

  TEST_CASE("a wrong reference is left for the operator; the others are read") {
    Emulator graph;
    FacebookStudy study(graph, 3, 1);
    ask_and_answer(study);
    auto inquiries = study.facebook_inquiries();
    study.register_sent(inquiries[0].id, "19292868552_999", graph_time(0));
    study.register_sent(inquiries[1].id, "https://www.facebook.com/Company001/posts/pfbid0abc", graph_time(0));
    auto r = study.run("2026-03-03T09:00");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(answered(study) == 1);
    InquiryFilter attention;
    attention.state = InquiryState::attention;
    auto marked = *study.ledger()->inquiries(attention);
    REQUIRE(marked.size() == 2);
    CHECK(study.ledger()->last_error(inquiries[0].id)->find("does not exist") != std::string::npos);
    CHECK(study.ledger()->last_error(inquiries[1].id)->find("pfbid") != std::string::npos);
  }

  TEST_CASE("a Messenger thread is no post to read: polling leaves it to import-messenger") {
    Emulator graph;
    FacebookStudy study(graph, 2, 1);
    ask_and_answer(study);
    auto inquiries = study.facebook_inquiries();
    // As `respbench sent --ref messages/t/…` stores it.
    study.register_sent(inquiries[0].id, "https://www.facebook.com/messages/t/company001", graph_time(0));
    auto r = study.run("2026-03-03T09:00");
    INFO(r.out, r.err);
    CHECK(r.exit_code == 0);
    const auto after = study.ledger()->inquiry_by_id(inquiries[0].id);
    REQUIRE(after.has_value());
    REQUIRE(after->has_value());
    CHECK((*after)->state == InquiryState::sent);
    CHECK(study.ledger()->last_error(inquiries[0].id)->empty());
  }
}
