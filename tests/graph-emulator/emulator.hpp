#pragma once
// A Graph API emulator (DESIGN §9): pages, posts, comments and replies, Messenger
// conversations, served over HTTP on 127.0.0.1 with the real API's JSON shapes — cursor paging,
// field expansion, filter=stream, batch requests, error bodies, usage headers — and faults on
// demand. Used in-process by the unit tests (this library) and as a program (main.cpp) whose
// faults are set through POST /__control.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace respbench::graph_emulator {

struct Person {
  std::string id;
  std::string name;
};

// What a token may do: a Page token sees authors and ids; an app token (Page Public Content
// Access) gets comments without `from` and without `id` (notes/graph-api.md).
enum class TokenKind { page, app };

struct Faults {
  std::optional<std::uint64_t> rate_limit_after;  // calls answered before every call is refused
  int rate_limit_code = 4;                        // 4, 17, 32, 613 or 80001
  int regain_minutes = 0;                         // estimated_time_to_regain_access while limited
  bool token_expired = false;                     // every call: 190/463
  int server_errors = 0;                          // the next n HTTP requests answer 500 (code 2)
  int batch_nulls = 0;                            // the next n sub-requests of batches answer null
  std::chrono::milliseconds delay{0};             // every HTTP answer this late
};

struct Stats {
  std::uint64_t http_requests = 0;  // HTTP requests received (a batch is one)
  std::uint64_t batch_requests = 0;
  std::uint64_t calls = 0;          // API calls: single requests plus every sub-request of a batch
  std::vector<std::string> log;     // "GET /v21.0/…" and "BATCH n", without tokens
};

class Emulator {
 public:
  // Starts serving on 127.0.0.1 at a port the kernel picks (or `port`); throws
  // std::runtime_error when it cannot listen.
  explicit Emulator(int port = 0, std::string version = "v21.0");
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;
  ~Emulator();

  int port() const { return m_port; }
  // "http://127.0.0.1:PORT/v21.0": the client's facebook.graph_url.
  std::string base_url() const;

  // Content. Times are "2026-03-02T10:15:03+0000"; ids come back in the Graph API's forms.
  void add_page(const std::string& id, const std::string& name, const std::string& username);
  std::string add_post(const std::string& page_id, const Person& from, const std::string& message,
                       const std::string& created_time);
  // A comment on a post, or a reply to a comment.
  std::string add_comment(const std::string& object_id, const Person& from, const std::string& message,
                          const std::string& created_time);
  std::string add_conversation(const std::string& page_id, const Person& with);
  void add_message(const std::string& conversation_id, const Person& from, const std::string& message,
                   const std::string& created_time);

  // Access: tokens the emulator accepts; with an app secret, page tokens must carry a valid
  // appsecret_proof.
  void add_token(const std::string& token, TokenKind kind);
  void set_app_secret(const std::string& secret);

  void set_faults(const Faults& faults);
  Faults faults() const;
  // Objects that answer (#10) permission errors.
  void forbid(const std::string& object_id);
  // Calls allowed per "hour" before usage shows 100 % (the percentages in the usage headers).
  void set_call_allowance(std::uint64_t calls);

  Stats stats() const;
  void reset_stats();

  // Answers one API request as the server would (for the batch and for tests): status and body.
  struct Answer {
    int status = 200;
    std::string body;
    bool null = false;  // a batch sub-request that timed out
  };

 private:
  struct State;
  std::unique_ptr<State> m_state;
  int m_port = 0;
  std::string m_version;
  std::thread m_thread;
};

}  // namespace respbench::graph_emulator
