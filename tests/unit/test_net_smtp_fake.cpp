// The SMTP sender against a scripted server on loopback, for the replies Postfix in the mail rig
// does not give: temporary refusals, a refusal after the data, a server that stops answering.
// No TLS here (require_tls off); the mail-rig suite covers TLS and AUTH.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "net/mail_transport.hpp"
#include "support.hpp"

using respbench::MailServer;
using respbench::NetFailure;

namespace {

// Replies by command verb ("GREETING", "EHLO", "MAIL", "RCPT", "DATA", "END" for the end of the
// data); the default is a 250. "<stall>" answers nothing until the client hangs up.
class FakeSmtpServer {
 public:
  explicit FakeSmtpServer(std::map<std::string, std::string> replies) : m_replies(std::move(replies)) {
    m_listen = respbench::test::listen_on_loopback(4, m_port);
    m_thread = std::thread([this] { serve(); });
  }
  FakeSmtpServer(const FakeSmtpServer&) = delete;
  FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;
  ~FakeSmtpServer() {
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
  }

  MailServer server() const {
    MailServer s;
    s.url = "smtp://127.0.0.1:" + std::to_string(m_port);
    s.require_tls = false;
    s.timeout = std::chrono::seconds(1);
    return s;
  }
  int data_received() const { return m_data_received; }

 private:
  std::string reply(const std::string& verb) const {
    const auto it = m_replies.find(verb);
    return it == m_replies.end() ? std::string() : it->second;
  }

  // Reads one line; false when the peer is gone or the test is over.
  bool line(int fd, std::string& buffer, std::string& out) {
    for (;;) {
      const auto end = buffer.find("\r\n");
      if (end != std::string::npos) {
        out = buffer.substr(0, end);
        buffer.erase(0, end + 2);
        return true;
      }
      pollfd p{fd, POLLIN, 0};
      if (m_stop) return false;
      if (::poll(&p, 1, 100) <= 0) continue;
      char chunk[4096];
      const ssize_t got = ::read(fd, chunk, sizeof chunk);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
  }
  // Sends `text` (or the default) with CRLF; false when the script says to stall.
  bool answer(int fd, const std::string& text, const char* fallback) {
    if (text == "<stall>") {
      std::string ignored, buffer;
      while (line(fd, buffer, ignored)) {
      }
      return false;
    }
    const std::string out = (text.empty() ? std::string(fallback) : text) + "\r\n";
    (void)!::write(fd, out.data(), out.size());
    return true;
  }

  void serve() {
    while (!m_stop) {
      pollfd p{m_listen, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const int fd = ::accept(m_listen, nullptr, nullptr);
      if (fd < 0) continue;
      session(fd);
      ::close(fd);
    }
  }

  void session(int fd) {
    if (!answer(fd, reply("GREETING"), "220 fake ESMTP")) return;
    std::string buffer, command;
    bool in_data = false;
    while (line(fd, buffer, command)) {
      if (in_data) {
        if (command != ".") continue;
        in_data = false;
        ++m_data_received;
        if (!answer(fd, reply("END"), "250 2.0.0 queued")) return;
        continue;
      }
      const std::string verb = command.substr(0, command.find_first_of(" :"));
      if (verb == "EHLO") {
        if (!answer(fd, reply("EHLO"), "250-fake\r\n250 SIZE 1000000")) return;
      } else if (verb == "DATA") {
        const std::string text = reply("DATA");
        if (!answer(fd, text, "354 go ahead")) return;
        in_data = text.empty() || text.starts_with("354");
      } else if (verb == "QUIT") {
        answer(fd, "221 bye", "");
        return;
      } else {
        if (!answer(fd, reply(verb), "250 2.1.0 ok")) return;
      }
    }
  }

  std::map<std::string, std::string> m_replies;
  int m_listen = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_data_received{0};
  std::thread m_thread;
};

struct Outcome {
  respbench::NetResult<void> result;
  int handovers = 0;
  std::chrono::steady_clock::duration took{};
};

Outcome send_once(FakeSmtpServer& fake) {
  auto sender = respbench::make_smtp_sender(fake.server());
  Outcome out;
  const auto start = std::chrono::steady_clock::now();
  out.result =
      sender->send("a@shopper.test", "b@acme.test", "Subject: x\r\n\r\nbody\r\n", [&] { ++out.handovers; });
  out.took = std::chrono::steady_clock::now() - start;
  return out;
}

}  // namespace

TEST_CASE("net smtp fake: a plain server without TLS works when TLS is not required") {
  FakeSmtpServer fake(std::map<std::string, std::string>{});
  const Outcome out = send_once(fake);
  REQUIRE_MESSAGE(out.result.has_value(), out.result.error().message);
  CHECK(out.handovers == 1);
  CHECK(fake.data_received() == 1);
}

TEST_CASE("net smtp fake: TLS required but not offered is channel_down") {
  FakeSmtpServer fake(std::map<std::string, std::string>{});
  MailServer server = fake.server();
  server.require_tls = true;
  auto sent = respbench::make_smtp_sender(server)->send("a@shopper.test", "b@acme.test", "x\r\n", [] {});
  REQUIRE_FALSE(sent.has_value());
  CHECK(sent.error().next == NetFailure::channel_down);
  CHECK(sent.error().message.find("STARTTLS") != std::string::npos);
  CHECK(fake.data_received() == 0);
}

TEST_CASE("net smtp fake: 4xx anywhere is retry_later with the server's words") {
  for (const char* verb : {"GREETING", "MAIL", "RCPT", "DATA", "END"}) {
    CAPTURE(verb);
    FakeSmtpServer fake(std::map<std::string, std::string>{{verb, "451 4.3.0 try again later, please"}});
    const Outcome out = send_once(fake);
    REQUIRE_FALSE(out.result.has_value());
    INFO(out.result.error().message);
    CHECK(out.result.error().next == NetFailure::retry_later);
    CHECK(out.result.error().code == 451);
    CHECK(out.result.error().message.find("try again later, please") != std::string::npos);
    CHECK(out.handovers == (std::string(verb) == "END" ? 1 : 0));
  }
}

TEST_CASE("net smtp fake: 5xx for the recipient or the message is give_up_item; elsewhere channel_down") {
  struct Case {
    const char* verb;
    const char* reply;
    NetFailure next;
  };
  for (const Case& c : {Case{"RCPT", "550 5.1.1 no such user", NetFailure::give_up_item},
                        Case{"RCPT", "553 5.1.3 bad address syntax", NetFailure::give_up_item},
                        Case{"END", "554 5.7.1 message rejected as spam", NetFailure::give_up_item},
                        Case{"MAIL", "552 5.3.4 message too big", NetFailure::give_up_item},
                        Case{"MAIL", "553 5.7.1 sender not allowed", NetFailure::channel_down},
                        Case{"GREETING", "554 5.3.2 no service for you", NetFailure::channel_down}}) {
    CAPTURE(c.verb);
    CAPTURE(c.reply);
    FakeSmtpServer fake(std::map<std::string, std::string>{{c.verb, c.reply}});
    const Outcome out = send_once(fake);
    REQUIRE_FALSE(out.result.has_value());
    INFO(out.result.error().message);
    CHECK(out.result.error().next == c.next);
    CHECK(out.result.error().code == std::stoi(c.reply));
    CHECK(out.result.error().message.find(std::string(c.reply).substr(10)) != std::string::npos);
  }
}

TEST_CASE("net smtp fake: a server that stops answering cannot hang the sender") {
  for (const char* verb : {"GREETING", "RCPT", "END"}) {
    CAPTURE(verb);
    FakeSmtpServer fake(std::map<std::string, std::string>{{verb, "<stall>"}});
    const Outcome out = send_once(fake);
    REQUIRE_FALSE(out.result.has_value());
    INFO(out.result.error().message);
    CHECK(out.result.error().next == NetFailure::channel_down);
    CHECK(out.took < std::chrono::seconds(4));  // the timeout is 1 s
  }
}
