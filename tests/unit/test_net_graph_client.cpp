// The Graph API client against the emulator: paging, batches, retries, usage headers, error
// classes, appsecret_proof, and tokens kept out of every message.
#include <doctest/doctest.h>

#include <set>

#include <fmt/format.h>

#include "emulator.hpp"
#include "net/graph_client.hpp"

using namespace respbench;
using graph_emulator::Emulator;
using graph_emulator::Faults;
using graph_emulator::Person;
using graph_emulator::TokenKind;

namespace {

constexpr const char* k_token = "tok-SECRET-4711";
const Person k_page{"19292868552", "Nordlicht Bank AG"};
const Person k_shopper{"100087654321", "Anna Berger"};

std::string at_minute(int minute) {
  return fmt::format("2026-03-02T{:02}:{:02}:00+0000", 8 + minute / 60, minute % 60);
}

GraphSettings settings_for(const Emulator& e, const std::string& token = k_token) {
  GraphSettings s;
  s.base_url = e.base_url();
  s.token = token;
  s.token_env = "RESPBENCH_FB_TOKEN";
  s.retry_pause = std::chrono::milliseconds(0);
  s.timeout = std::chrono::milliseconds(3000);
  return s;
}

std::unique_ptr<FacebookSource> source_for(GraphSettings s) {
  auto source = make_graph_source(std::move(s));
  REQUIRE(source.has_value());
  return std::move(*source);
}

struct World {
  Emulator graph;
  std::string post;
  World() {
    graph.add_token(k_token, TokenKind::page);
    graph.add_page(k_page.id, k_page.name, "NordlichtBank");
    post = graph.add_post(k_page.id, k_page, "Neue Filiale", at_minute(0));
  }
  // `n` comments under `object`, every third one a reply to the one before.
  std::vector<std::string> comments(const std::string& object, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      const std::string on = i % 3 == 2 ? ids.back() : object;
      ids.push_back(graph.add_comment(on, i % 2 ? k_page : k_shopper, fmt::format("Kommentar {}", i), at_minute(i + 1)));
    }
    return ids;
  }
};

}  // namespace

TEST_SUITE("graph client") {
  TEST_CASE("usage headers: the highest percentage and the time to regain access") {
    auto u = parse_graph_usage(R"({"call_count":28,"total_time":25,"total_cputime":31})", "",
                               R"({"19292868552":[{"type":"pages","call_count":97,"total_cputime":23,"total_time":23,)"
                               R"("estimated_time_to_regain_access":0}]})");
    CHECK(u.app == 31);
    CHECK(u.business == 97);
    CHECK(u.highest() == 97);
    CHECK_FALSE(u.limited());
    auto limited = parse_graph_usage("", R"({"call_count":100})",
                                     R"({"1":[{"type":"pages","call_count":12,"estimated_time_to_regain_access":9}]})");
    CHECK(limited.page == 100);
    CHECK(limited.regain == std::chrono::minutes(9));
    CHECK(limited.limited());
    CHECK(parse_graph_usage("not json", "{", "[]").highest() == 0);
  }

  TEST_CASE("error bodies become what to do next") {
    auto body = [](int code, int subcode = 0, const char* type = "OAuthException", bool transient = false) {
      return fmt::format(R"({{"error":{{"message":"m","type":"{}","code":{}{}{},"fbtrace_id":"T"}}}})", type, code,
                         subcode ? fmt::format(R"(,"error_subcode":{})", subcode) : "",
                         transient ? R"(,"is_transient":true)" : "");
    };
    const GraphUsage none;
    auto soon = classify_graph_error(500, body(2, 0, "OAuthException", true), none, "ENV");
    CHECK(soon.soon);
    CHECK(soon.error.next == FacebookFailure::retry_later);
    CHECK(classify_graph_error(400, body(1), none, "ENV").soon);
    for (int code : {4, 17, 32, 613, 80001}) {
      CAPTURE(code);
      GraphUsage usage;
      usage.regain = std::chrono::minutes(7);
      // Code 4 comes with is_transient; it must still back off rather than repeat at once.
      auto r = classify_graph_error(400, body(code, 0, "OAuthException", true), usage, "ENV");
      CHECK(r.error.next == FacebookFailure::back_off);
      CHECK_FALSE(r.soon);
      CHECK(r.error.wait == std::chrono::seconds(420));
    }
    for (int subcode : {458, 459, 460, 463, 464, 467, 492}) {
      CAPTURE(subcode);
      auto r = classify_graph_error(400, body(190, subcode), none, "RESPBENCH_FB_TOKEN");
      CHECK(r.error.next == FacebookFailure::pause_channel);
      CHECK(r.error.message.find("RESPBENCH_FB_TOKEN") != std::string::npos);
      CHECK(r.error.message.find(fmt::format("190/{}", subcode)) != std::string::npos);
    }
    CHECK(classify_graph_error(400, body(190, 463), none, "X").error.message.find("expired") != std::string::npos);
    for (int code : {10, 200, 230, 299}) {
      CHECK(classify_graph_error(403, body(code), none, "X").error.next == FacebookFailure::permission);
    }
    CHECK(classify_graph_error(400, body(100, 33, "GraphMethodException"), none, "X").error.next ==
          FacebookFailure::bad_reference);
    CHECK(classify_graph_error(400, body(100), none, "X").error.next == FacebookFailure::bad_request);
    CHECK(classify_graph_error(502, "<html>Bad gateway</html>", none, "X").error.next == FacebookFailure::retry_later);
    auto trace = classify_graph_error(400, body(100), none, "X");
    CHECK(trace.error.message.find("fbtrace_id T") != std::string::npos);
  }

  TEST_CASE("appsecret_proof is HMAC-SHA256 in hex (RFC 4231, test case 2)") {
    CHECK(appsecret_proof("what do ya want for nothing?", "Jefe") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  TEST_CASE("more than 100 comments: every page read, none twice, in time order") {
    World w;
    auto ids = w.comments(w.post, 250);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under({w.post});
    REQUIRE(read.size() == 1);
    CHECK_FALSE(read[0].error);
    REQUIRE(read[0].comments.size() == 250);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < read[0].comments.size(); ++i) {
      const auto& c = read[0].comments[i];
      CHECK(seen.insert(c.id).second);
      if (i > 0) CHECK(read[0].comments[i - 1].created_time <= c.created_time);
    }
    CHECK(std::set<std::string>(ids.begin(), ids.end()) == seen);
    // Replies to comments come flattened, with their parent.
    CHECK(read[0].comments[2].parent_id == ids[1]);
    CHECK(read[0].comments[2].from_id == k_shopper.id);
    CHECK(read[0].comments[1].from_name == k_page.name);
    // 100 + 100 + 50: the first page by field expansion, two more by `next`.
    CHECK(w.graph.stats().http_requests == 3);
    CHECK(source->requests_made() == 3);
  }

  TEST_CASE("a full last page has a `next` that leads to an empty page") {
    World w;
    w.comments(w.post, 100);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under({w.post});
    CHECK_FALSE(read[0].error);
    CHECK(read[0].comments.size() == 100);
    CHECK(w.graph.stats().http_requests == 2);
  }

  TEST_CASE("batches hold at most 50; sub-requests that time out (null) are asked again") {
    World w;
    std::vector<std::string> posts;
    for (int i = 0; i < 120; ++i) {
      posts.push_back(w.graph.add_post(k_page.id, k_shopper, fmt::format("Frage {}", i), at_minute(i)));
      w.graph.add_comment(posts.back(), k_page, "Antwort", at_minute(i + 30));
    }
    Faults f;
    f.batch_nulls = 3;
    w.graph.set_faults(f);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under(posts);
    REQUIRE(read.size() == 120);
    for (const auto& r : read) {
      CHECK_FALSE(r.error);
      CHECK(r.comments.size() == 1);
    }
    // 50 + 50 + (20 + 3 asked again).
    CHECK(w.graph.stats().batch_requests == 3);
    CHECK(w.graph.stats().calls == 123);
  }

  TEST_CASE("a rate limit stops all calls; the objects not read carry the back-off") {
    World w;
    std::vector<std::string> posts;
    for (int i = 0; i < 120; ++i) {
      posts.push_back(w.graph.add_post(k_page.id, k_shopper, "Frage", at_minute(i)));
      w.graph.add_comment(posts.back(), k_page, "Antwort", at_minute(i + 30));
    }
    Faults f;
    f.rate_limit_after = 60;
    f.rate_limit_code = 80001;
    f.regain_minutes = 12;
    w.graph.set_faults(f);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under(posts);
    int ok = 0;
    for (const auto& r : read) {
      if (!r.error) {
        ++ok;
        continue;
      }
      INFO(r.error->message);
      CHECK(r.error->next == FacebookFailure::back_off);
      CHECK(r.error->wait == std::chrono::seconds(12 * 60));
    }
    CHECK(ok == 60);
    // The second batch hit the limit; no third was sent.
    CHECK(w.graph.stats().batch_requests == 2);
  }

  TEST_CASE("an expired token pauses the channel; the token is in no message") {
    World w;
    Faults f;
    f.token_expired = true;
    w.graph.set_faults(f);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under({w.post});
    REQUIRE(read[0].error);
    CHECK(read[0].error->next == FacebookFailure::pause_channel);
    CHECK(read[0].error->message.find("expired") != std::string::npos);
    CHECK(read[0].error->message.find("RESPBENCH_FB_TOKEN") != std::string::npos);
    CHECK(read[0].error->message.find(k_token) == std::string::npos);
    CHECK(w.graph.stats().http_requests == 1);
  }

  TEST_CASE("a server error (code 2) is repeated at once; a slow server is a time-out for later") {
    World w;
    w.comments(w.post, 3);
    Faults f;
    f.server_errors = 1;
    w.graph.set_faults(f);
    auto source = source_for(settings_for(w.graph));
    auto read = source->comments_under({w.post});
    CHECK_FALSE(read[0].error);
    CHECK(read[0].comments.size() == 3);
    CHECK(w.graph.stats().http_requests == 2);

    f = {};
    f.delay = std::chrono::milliseconds(1500);
    w.graph.set_faults(f);
    auto s = settings_for(w.graph);
    s.timeout = std::chrono::milliseconds(300);
    auto slow = source_for(s)->comments_under({w.post});
    REQUIRE(slow[0].error);
    CHECK(slow[0].error->next == FacebookFailure::retry_later);
    CHECK(slow[0].error->message.find("timed out") != std::string::npos);
    CHECK(slow[0].error->message.find(k_token) == std::string::npos);
  }

  TEST_CASE("an unreachable server: retry later, and the token is not in the message") {
    GraphSettings s;
    s.base_url = "http://127.0.0.1:1/v21.0";
    s.token = k_token;
    auto read = source_for(s)->comments_under({"1_2"});
    REQUIRE(read[0].error);
    CHECK(read[0].error->next == FacebookFailure::retry_later);
    CHECK(read[0].error->message.find(k_token) == std::string::npos);
  }

  TEST_CASE("appsecret_proof goes with every request when a secret is given") {
    World w;
    w.comments(w.post, 2);
    w.graph.set_app_secret("app-secret-55");
    auto without = source_for(settings_for(w.graph))->comments_under({w.post});
    REQUIRE(without[0].error);
    CHECK(without[0].error->next == FacebookFailure::bad_request);
    CHECK(without[0].error->message.find("app secret proof") != std::string::npos);
    auto s = settings_for(w.graph);
    s.app_secret = "app-secret-55";
    auto with = source_for(s)->comments_under({w.post});
    CHECK_FALSE(with[0].error);
    CHECK(with[0].comments.size() == 2);
  }

  TEST_CASE("an unknown object is a bad reference, a forbidden one a permission problem; the others are read") {
    World w;
    w.comments(w.post, 1);
    auto secret = w.graph.add_post(k_page.id, k_shopper, "x", at_minute(1));
    w.graph.forbid(secret);
    auto read = source_for(settings_for(w.graph))->comments_under({"1_2", w.post, secret});
    REQUIRE(read[0].error);
    CHECK(read[0].error->next == FacebookFailure::bad_reference);
    CHECK_FALSE(read[1].error);
    CHECK(read[1].comments.size() == 1);
    REQUIRE(read[2].error);
    CHECK(read[2].error->next == FacebookFailure::permission);
  }

  TEST_CASE("an app token reads comments without id and author; the permalink stays") {
    World w;
    w.graph.add_token("app-token", TokenKind::app);
    auto ids = w.comments(w.post, 3);
    auto read = source_for(settings_for(w.graph, "app-token"))->comments_under({w.post});
    REQUIRE(read[0].comments.size() == 3);
    for (const auto& c : read[0].comments) {
      CHECK(c.id.empty());
      CHECK_FALSE(c.from_id);
      CHECK(c.permalink.find("comment_id=") != std::string::npos);
    }
    CHECK(read[0].comments[2].permalink.find("reply_comment_id=") != std::string::npos);
  }

  TEST_CASE("page names resolve to ids") {
    World w;
    auto found = source_for(settings_for(w.graph))->page_ids({"NordlichtBank", "NoSuchPage"});
    REQUIRE(found.size() == 2);
    CHECK(found[0].id == k_page.id);
    CHECK(found[1].id.empty());
    REQUIRE(found[1].error);
    CHECK(found[1].error->next == FacebookFailure::bad_reference);
  }
}

TEST_CASE("graph emulator: Messenger conversations with a Page token; only the 20 newest messages in detail") {
  World w;
  const auto thread = w.graph.add_conversation(k_page.id, k_shopper);
  for (int i = 0; i < 25; ++i) {
    w.graph.add_message(thread, i % 2 ? k_page : k_shopper, fmt::format("Nachricht {}", i), at_minute(i));
  }
  auto client = GraphClient::create(settings_for(w.graph));
  REQUIRE(client.has_value());
  auto list = client->get(k_page.id + "/conversations?platform=messenger");
  REQUIRE(list.has_value());
  CHECK(list->find(thread) != std::string::npos);
  auto messages = client->get(thread + "?fields=" + url_encode("messages{message,from,created_time}"));
  REQUIRE(messages.has_value());
  CHECK(messages->find("Nachricht 24") != std::string::npos);  // newest first, in detail
  CHECK(messages->find("Nachricht 5\"") != std::string::npos);
  CHECK(messages->find("Nachricht 4\"") == std::string::npos);  // older than the 20 newest: id only
}
