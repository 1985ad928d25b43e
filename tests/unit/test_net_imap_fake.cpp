// The IMAP session against a scripted server on loopback: what Dovecot never does (no LITERAL+,
// odd untagged lines, BYE, silence, a connection cut inside a literal) must end in a clear
// NetError, never in a hang or a crash. No mail rig needed.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/mail_transport.hpp"
#include "support.hpp"

using respbench::MailServer;
using respbench::NetFailure;

namespace {

// What the handler wants sent back: bytes, or one of these actions.
const std::string k_close = "<close>";  // close the connection (after what precedes it)
const std::string k_stall = "<stall>";  // say nothing until the client goes away

// One connection's worth of IMAP server: logs any LOGIN in (libcurl's part), answers every
// other command with `handler(command)`, where a command's literal is inline after its "{n}".
class FakeImapServer {
 public:
  using Handler = std::function<std::string(const std::string& command)>;

  // With `refuse_literals`, a synchronising literal gets "NO [OVERQUOTA] mailbox full"
  // instead of "+".
  FakeImapServer(std::string capabilities, Handler handler, bool refuse_literals = false)
      : m_capabilities(std::move(capabilities)),
        m_handler(std::move(handler)),
        m_refuse_literals(refuse_literals) {
    m_listen = respbench::test::listen_on_loopback(1, m_port);
    m_thread = std::thread([this] { serve(); });
  }
  FakeImapServer(const FakeImapServer&) = delete;
  FakeImapServer& operator=(const FakeImapServer&) = delete;
  ~FakeImapServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
  }

  MailServer server() const {
    MailServer s;
    s.url = "imap://127.0.0.1:" + std::to_string(m_port);
    s.user = "user";
    s.password = "pw-Secret-123";
    s.require_tls = false;
    s.timeout = std::chrono::seconds(1);
    return s;
  }
  std::vector<std::string> commands() {
    std::lock_guard lock(m_mutex);
    return m_commands;
  }
  // True when a client sent a synchronising literal before the server's "+".
  bool literal_sent_early() const { return m_literal_early; }

 private:
  // Reads until `buffer` holds `n` bytes (or the peer is gone / the test is over).
  bool fill(int fd, std::string& buffer, std::size_t n) {
    while (buffer.size() < n) {
      pollfd p{fd, POLLIN, 0};
      if (m_stop) return false;
      if (::poll(&p, 1, 100) <= 0) continue;
      char chunk[4096];
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
    return true;
  }
  // One line (without CRLF) from `buffer`, reading more as needed.
  bool line(int fd, std::string& buffer, std::string& out) {
    for (;;) {
      const auto end = buffer.find("\r\n");
      if (end != std::string::npos) {
        out = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      if (!fill(fd, buffer, buffer.size() + 1)) return false;
    }
  }
  void send(int fd, const std::string& bytes) {
    if (!bytes.empty()) (void)!::write(fd, bytes.data(), bytes.size());
  }

  void serve() {
    pollfd p{m_listen, POLLIN, 0};
    while (!m_stop && ::poll(&p, 1, 100) <= 0) {
    }
    if (m_stop) return;
    const int fd = ::accept(m_listen, nullptr, nullptr);
    if (fd < 0) return;
    send(fd, "* OK fake server ready\r\n");
    std::string buffer, command;
    while (line(fd, buffer, command)) {
      const std::string tag = command.substr(0, command.find(' '));
      bool refused = false;
      // A literal: "{n}" waits for our "+", "{n+}" does not.
      while (!command.empty() && command.back() == '}') {
        const auto open = command.rfind('{');
        std::string number = command.substr(open + 1, command.size() - open - 2);
        const bool non_sync = !number.empty() && number.back() == '+';
        if (non_sync) number.pop_back();
        const std::size_t n = std::stoul(number);
        if (!non_sync && m_refuse_literals) {
          send(fd, tag + " NO [OVERQUOTA] mailbox full\r\n");
          refused = true;
          break;
        }
        if (!non_sync) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          pollfd q{fd, POLLIN, 0};
          if (!buffer.empty() || ::poll(&q, 1, 0) > 0) m_literal_early = true;
          send(fd, "+ go ahead\r\n");
        }
        if (!fill(fd, buffer, n)) break;
        command += buffer.substr(0, n);
        buffer.erase(0, n);
        std::string rest;
        if (!line(fd, buffer, rest)) break;
        command += rest;
      }
      if (refused) continue;
      const std::string verb =
          command.substr(tag.size() + 1, command.find(' ', tag.size() + 1) - tag.size() - 1);
      std::string reply;
      if (verb == "CAPABILITY") {
        reply = "* CAPABILITY IMAP4rev1 " + m_capabilities + "\r\n" + tag + " OK done\r\n";
      } else if (verb == "LOGIN") {
        reply = tag + " OK logged in\r\n";
      } else {
        {
          std::lock_guard lock(m_mutex);
          m_commands.push_back(command);
        }
        reply = m_handler(command);
        if (reply.ends_with(k_close)) {
          send(fd, reply.substr(0, reply.size() - k_close.size()));
          break;
        }
        if (reply == k_stall) {
          std::string ignored;
          fill(fd, ignored, std::string::npos);  // until the client hangs up
          break;
        }
        // "$TAG" stands for the command's tag.
        for (auto pos = reply.find("$TAG"); pos != std::string::npos; pos = reply.find("$TAG")) {
          reply.replace(pos, 4, tag);
        }
      }
      send(fd, reply);
    }
    ::close(fd);
  }

  std::string m_capabilities;
  Handler m_handler;
  bool m_refuse_literals = false;
  int m_listen = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_literal_early{false};
  std::mutex m_mutex;
  std::vector<std::string> m_commands;
  std::thread m_thread;
};

bool starts_with_verb(const std::string& command, std::string_view verb) {
  const auto space = command.find(' ');
  return space != std::string::npos && std::string_view(command).substr(space + 1).starts_with(verb);
}

const char* const k_examine_ok =
    "* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 9] ok\r\n$TAG OK [READ-ONLY] done\r\n";

std::unique_ptr<respbench::ImapSession> login(FakeImapServer& fake) {
  auto session = respbench::connect_imap(fake.server());
  if (!session) FAIL("login failed: " << session.error().message);
  return std::move(*session);
}

}  // namespace

TEST_CASE("net imap fake: APPEND waits for the continuation without LITERAL+, not with it") {
  const std::string message = "Subject: hi\r\n\r\nline one\r\n{3}\r\n";
  for (const bool literal_plus : {false, true}) {
    CAPTURE(literal_plus);
    FakeImapServer fake(literal_plus ? "LITERAL+" : "IDLE",
                        [](const std::string&) { return "$TAG OK appended\r\n"; });
    {
      auto session = login(fake);
      auto appended = session->append("Sent", "\\Seen", std::nullopt, message);
      REQUIRE_MESSAGE(appended.has_value(), appended.error().message);
    }
    const auto commands = fake.commands();
    REQUIRE(commands.size() >= 1);
    const std::string marker = "{" + std::to_string(message.size()) + (literal_plus ? "+}" : "}");
    CHECK(commands[0].ends_with("APPEND \"Sent\" (\\Seen) " + marker + message));
    CHECK_FALSE(fake.literal_sent_early());
  }
}

TEST_CASE("net imap fake: a NO instead of the continuation is an error and the session goes on") {
  FakeImapServer fake(
      "", [](const std::string&) -> std::string { return k_examine_ok; }, /*refuse_literals=*/true);
  auto session = login(fake);
  auto appended = session->append("Sent", "", std::nullopt, "Subject: x\r\n\r\nnever sent\r\n");
  REQUIRE_FALSE(appended.has_value());
  CHECK(appended.error().next == NetFailure::retry_later);
  CHECK(appended.error().message.find("mailbox full") != std::string::npos);
  auto status = session->examine("INBOX");
  REQUIRE_MESSAGE(status.has_value(), status.error().message);
  CHECK(status->uidvalidity == 7);
  for (const auto& command : fake.commands()) CHECK(command.find("never sent") == std::string::npos);
}

TEST_CASE(
    "net imap fake: odd untagged lines are skipped; FETCH asks for BODY.PEEK and reads any item order") {
  FakeImapServer fake("", [](const std::string& command) -> std::string {
    if (starts_with_verb(command, "EXAMINE")) {
      return std::string("* garbage (((\r\n* XYZZY\r\n* 7 EXPUNGE\r\n") + k_examine_ok;
    }
    if (command.find("BODY.PEEK[]") != std::string::npos) {
      return "* 1 FETCH (RFC822.SIZE 3 BODY[] {3}\r\nabc INTERNALDATE \"15-Mar-2026 10:30:00 +0100\" UID "
             "5)\r\n"
             "* 2 FETCH (FLAGS (\\Deleted))\r\n$TAG OK done\r\n";
    }
    if (command.find("RFC822.SIZE") != std::string::npos) {
      return "* 1 FETCH (UID 5 RFC822.SIZE 3)\r\n* 9 FETCH (UID 77 RFC822.SIZE 1)\r\n$TAG OK done\r\n";
    }
    return "$TAG BAD what?\r\n";
  });
  auto session = login(fake);
  auto status = session->examine("INBOX");
  REQUIRE_MESSAGE(status.has_value(), status.error().message);
  CHECK(status->exists == 3);
  CHECK(status->uidvalidity == 7);
  CHECK(status->uidnext == 9);
  auto fetched = session->fetch({5}, 1000);
  REQUIRE_MESSAGE(fetched.has_value(), fetched.error().message);
  REQUIRE(fetched->size() == 1);  // UID 77 was not asked for
  CHECK(fetched->front().uid == 5);
  CHECK(fetched->front().raw == "abc");
  CHECK(fetched->front().internal_date ==
        date::sys_days(date::year{2026} / 3 / 15) + std::chrono::hours(9) + std::chrono::minutes(30));
  for (const auto& command : fake.commands()) CHECK(command.find("BODY[") == std::string::npos);

  auto bad = session->uid_search("ALL");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().next == NetFailure::channel_down);
  CHECK(bad.error().message.find("BAD what?") != std::string::npos);
  CHECK(session->examine("INBOX").has_value());  // a BAD leaves the connection usable
}

TEST_CASE("net imap fake: NO [UNAVAILABLE] is retry_later; so is BYE [UNAVAILABLE], which ends the session") {
  FakeImapServer fake("", [](const std::string& command) -> std::string {
    if (starts_with_verb(command, "UID SEARCH")) return "$TAG NO [UNAVAILABLE] backend down\r\n";
    if (starts_with_verb(command, "EXAMINE \"INBOX\"")) return k_examine_ok;
    return "* BYE [UNAVAILABLE] shutting down" + k_close;  // the last line without CRLF
  });
  auto session = login(fake);
  REQUIRE(session->examine("INBOX").has_value());
  auto search = session->uid_search("ALL");
  REQUIRE_FALSE(search.has_value());
  CHECK(search.error().next == NetFailure::retry_later);
  CHECK(search.error().message.find("backend down") != std::string::npos);

  auto gone = session->examine("Other");
  REQUIRE_FALSE(gone.has_value());
  INFO(gone.error().message);
  CHECK(gone.error().next == NetFailure::retry_later);
  CHECK(gone.error().message.find("shutting down") != std::string::npos);
  auto after = session->examine("INBOX");
  REQUIRE_FALSE(after.has_value());
  CHECK(after.error().message.find("unusable") != std::string::npos);
}

TEST_CASE("net imap fake: a connection closed without a word is channel_down") {
  FakeImapServer fake("", [](const std::string&) -> std::string { return k_close; });
  auto session = respbench::connect_imap(fake.server());
  REQUIRE(session.has_value());
  auto status = (*session)->examine("INBOX");
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().next == NetFailure::channel_down);
  CHECK(status.error().message.find("closed the connection") != std::string::npos);
  CHECK(status.error().message.find("pw-Secret-123") == std::string::npos);
}

TEST_CASE("net imap fake: a silent server times out; a cut or oversized literal is refused") {
  const std::vector<std::string> answers = {
      k_stall,
      "* 1 FETCH (UID 5 BODY[] {100}\r\nabc" + k_close,
      "* 1 FETCH (UID 5 BODY[] {99999999999}\r\n",
  };
  for (const std::string& answer : answers) {
    CAPTURE(answer);
    FakeImapServer fake("", [&](const std::string& command) -> std::string {
      if (starts_with_verb(command, "EXAMINE")) return k_examine_ok;
      return answer;
    });
    auto session = login(fake);
    REQUIRE(session->examine("INBOX").has_value());
    const auto start = std::chrono::steady_clock::now();
    auto fetched = session->fetch({5}, 1000);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
    REQUIRE_FALSE(fetched.has_value());
    INFO(fetched.error().message);
    CHECK(fetched.error().next == NetFailure::channel_down);
    CHECK_FALSE(session->examine("INBOX").has_value());  // unusable now
  }
}
