// SMTP and IMAP against real servers: the mail rig (tests/mail-rig, Postfix + Dovecot on
// loopback). Select with `respbench_tests -ts=mail-rig`; needs root (the rig's daemons switch
// users) and installs Postfix and Dovecot when they are missing.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "mail_rig.hpp"
#include "net/mail_transport.hpp"

using respbench::FetchedMessage;
using respbench::Instant;
using respbench::MailServer;
using respbench::NetFailure;
using respbench::test::rig_user;
using respbench::test::shared_mail_rig;

namespace {

const char* const k_analyst = "analyst@shopper.test";

// A Message-ID no other test (or run) uses.
std::string unique_message_id(std::string_view what) {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return "<" + std::string(what) + "." + std::to_string(now) + "." + std::to_string(++counter) +
         "@shopper.test>";
}

// An RFC 5322 message with CRLF line ends, with lines that need SMTP dot-stuffing and 8-bit text.
std::string make_message(std::string_view from, std::string_view to, std::string_view message_id,
                         std::string_view body = "") {
  std::string m;
  m += "From: Mystery Shopper <" + std::string(from) + ">\r\n";
  m += "To: <" + std::string(to) + ">\r\n";
  m += "Subject: Anfrage zu Ihrem Angebot\r\n";
  m += "Date: Sun, 15 Mar 2026 10:30:00 +0100\r\n";
  m += "Message-ID: " + std::string(message_id) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "\r\n";
  m += "Guten Tag,\r\n.\r\n..zwei Punkte\r\n.ein Punkt\r\nGrüße aus Köln\r\n";
  m += body;
  return m;
}

std::string header_of(const std::string& message) {
  return message.substr(0, message.find("\r\n\r\n") + 4);
}

Instant utc(int y, unsigned m, unsigned d, int hour, int minute, int second) {
  return date::sys_days(date::year{y} / date::month{m} / date::day{d}) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

// A loopback port nobody listens on (bound once by us, then released).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::unique_ptr<respbench::ImapSession> imap_login(const MailServer& server) {
  auto session = respbench::connect_imap(server);
  if (!session) FAIL("IMAP login failed: " << session.error().message);
  return std::move(*session);
}

// The message with `message_id` in `user`'s INBOX, found through IMAP as the tool would.
FetchedMessage delivered(const std::string& user, const std::string& message_id,
                         std::string_view scheme = "imaps") {
  auto session = imap_login(shared_mail_rig().server(scheme, rig_user(user)));
  auto status = session->examine("INBOX");
  REQUIRE_MESSAGE(status.has_value(), status.error().message);
  auto uids = session->uid_search("HEADER Message-ID " + message_id);
  REQUIRE_MESSAGE(uids.has_value(), uids.error().message);
  REQUIRE(uids->size() == 1);
  auto fetched = session->fetch(*uids, 1 << 20);
  REQUIRE_MESSAGE(fetched.has_value(), fetched.error().message);
  REQUIRE(fetched->size() == 1);
  CHECK(session->bytes_transferred() > 0);
  return fetched->front();
}

void send_and_check_delivery(std::string_view smtp_scheme, std::string_view imap_scheme,
                             const std::string& to) {
  auto& rig = shared_mail_rig();
  auto sender = respbench::make_smtp_sender(rig.server(smtp_scheme, rig_user(k_analyst)));
  const std::string id = unique_message_id("delivery");
  const std::string message = make_message(k_analyst, to, id);
  int handovers = 0;
  auto sent = sender->send(k_analyst, to, message, [&] { ++handovers; });
  REQUIRE_MESSAGE(sent.has_value(), sent.error().message);
  CHECK(handovers == 1);
  rig.wait_queue();

  const FetchedMessage got = delivered(to, id, imap_scheme);
  // Postfix and Dovecot add Return-Path, Delivered-To and Received at the top; the rest is
  // byte for byte what was sent (dot-stuffing undone, 8-bit text intact).
  CHECK(got.raw.size() > message.size());
  CHECK(got.raw.ends_with(message));
  CHECK(got.raw.starts_with("Return-Path: <analyst@shopper.test>\r\n"));
  CHECK_FALSE(got.header_only);
  CHECK(got.size == got.raw.size());
  const auto age = std::chrono::system_clock::now() - got.internal_date;
  CHECK(age < std::chrono::minutes(2));
  CHECK(age > -std::chrono::minutes(2));
}

}  // namespace

TEST_SUITE("mail-rig") {
  TEST_CASE("net smtp: STARTTLS with AUTH delivers the exact message to the company's INBOX") {
    send_and_check_delivery("smtp", "imaps", "info@acme.test");
  }

  TEST_CASE("net smtp: smtps with certificate verification; read back over IMAP STARTTLS") {
    send_and_check_delivery("smtps", "imap", "smtps@acme.test");
  }

  TEST_CASE("net smtp: two sends on one sender share one connection, one handover each") {
    auto& rig = shared_mail_rig();
    auto sender = respbench::make_smtp_sender(rig.server("smtp", rig_user(k_analyst)));
    std::vector<std::string> ids;
    int handovers = 0;
    for (int i = 0; i < 2; ++i) {
      ids.push_back(unique_message_id("reuse"));
      const int before = handovers;
      // The second message has no line that needs dot-stuffing: libcurl must still ask for the
      // end of the data, so that before_handover runs.
      const std::string message = i == 0
                                      ? make_message(k_analyst, "reuse@acme.test", ids.back())
                                      : "Subject: plain\r\nMessage-ID: " + ids.back() + "\r\n\r\nno dots\r\n";
      auto sent = sender->send(k_analyst, "reuse@acme.test", message, [&] { ++handovers; });
      REQUIRE_MESSAGE(sent.has_value(), sent.error().message);
      CHECK(handovers == before + 1);
      CHECK(sender->connections_opened() == 1);  // CURLINFO_NUM_CONNECTS was 0 on the second send
    }
    rig.wait_queue();
    for (const auto& id : ids) CHECK(delivered("reuse@acme.test", id).raw.find(id) != std::string::npos);
  }

  TEST_CASE("net smtp: a failing before_handover keeps the message from the server") {
    auto& rig = shared_mail_rig();
    auto sender = respbench::make_smtp_sender(rig.server("smtp", rig_user(k_analyst)));
    const std::string id = unique_message_id("aborted");
    CHECK_THROWS_AS(sender->send(k_analyst, "info@acme.test", make_message(k_analyst, "info@acme.test", id),
                                 [] { throw std::runtime_error("journal full"); }),
                    std::runtime_error);
    // The sender still works afterwards, and only that second message arrives.
    const std::string next = unique_message_id("after-abort");
    auto sent =
        sender->send(k_analyst, "info@acme.test", make_message(k_analyst, "info@acme.test", next), [] {});
    REQUIRE_MESSAGE(sent.has_value(), sent.error().message);
    rig.wait_queue();
    auto session = imap_login(rig.server("imaps", rig_user("info@acme.test")));
    REQUIRE(session->examine("INBOX").has_value());
    CHECK(session->uid_search("HEADER Message-ID " + id).value().empty());
    CHECK(session->uid_search("HEADER Message-ID " + next).value().size() == 1);
  }

  TEST_CASE("net smtp: a wrong password is channel_down and the message hides it") {
    auto& rig = shared_mail_rig();
    MailServer server = rig.server("smtp", rig_user(k_analyst));
    server.password = "Wr0ng-Pa55word";
    auto sender = respbench::make_smtp_sender(server);
    int handovers = 0;
    auto sent = sender->send(k_analyst, "info@acme.test",
                             make_message(k_analyst, "info@acme.test", unique_message_id("wrong-pw")),
                             [&] { ++handovers; });
    REQUIRE_FALSE(sent.has_value());
    INFO(sent.error().message);
    CHECK(sent.error().next == NetFailure::channel_down);
    CHECK(sent.error().code == 535);
    CHECK(sent.error().message.find("Wr0ng-Pa55word") == std::string::npos);
    CHECK(sent.error().message.find("127.0.0.1:" + rig.value("SMTP_PORT")) != std::string::npos);
    CHECK(sent.error().message.find("login failed") != std::string::npos);
    CHECK(handovers == 0);
  }

  TEST_CASE("net smtp: a recipient refused at RCPT is give_up_item with 550") {
    auto& rig = shared_mail_rig();
    auto sender = respbench::make_smtp_sender(rig.server("smtps", rig_user(k_analyst)));
    int handovers = 0;
    auto sent = sender->send(k_analyst, "nobody@acme.test",
                             make_message(k_analyst, "nobody@acme.test", unique_message_id("unknown")),
                             [&] { ++handovers; });
    REQUIRE_FALSE(sent.has_value());
    INFO(sent.error().message);
    CHECK(sent.error().next == NetFailure::give_up_item);
    CHECK(sent.error().code == 550);
    CHECK(sent.error().message.find("nobody@acme.test") != std::string::npos);
    CHECK(sent.error().message.find("550 5.1.1") != std::string::npos);  // Postfix's own words
    CHECK(handovers == 0);
    // The sender recovers for the next recipient.
    auto next =
        sender->send(k_analyst, "info@acme.test",
                     make_message(k_analyst, "info@acme.test", unique_message_id("after-550")), [] {});
    CHECK_MESSAGE(next.has_value(), (next ? std::string() : next.error().message));
  }

  TEST_CASE("net smtp: a server that is down is channel_down, quickly") {
    MailServer server = shared_mail_rig().server("smtp", rig_user(k_analyst));
    const int port = closed_port();
    server.url = "smtp://127.0.0.1:" + std::to_string(port);
    auto sender = respbench::make_smtp_sender(server);
    const auto start = std::chrono::steady_clock::now();
    auto sent = sender->send(k_analyst, "info@acme.test", "Subject: x\r\n\r\nx\r\n", [] {});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    REQUIRE_FALSE(sent.has_value());
    INFO(sent.error().message);
    CHECK(sent.error().next == NetFailure::channel_down);
    CHECK(sent.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  }

  TEST_CASE("net smtp and imap: a certificate that does not verify is channel_down") {
    auto& rig = shared_mail_rig();
    for (const char* scheme : {"smtp", "smtps"}) {
      CAPTURE(scheme);
      MailServer server = rig.server(scheme, rig_user(k_analyst));
      server.ca_file.clear();  // the system's CAs do not know the rig's self-signed certificate
      int handovers = 0;
      auto sent = respbench::make_smtp_sender(server)->send(k_analyst, "info@acme.test",
                                                            "Subject: x\r\n\r\nx\r\n", [&] { ++handovers; });
      CHECK(handovers == 0);
      REQUIRE_FALSE(sent.has_value());
      INFO(sent.error().message);
      CHECK(sent.error().next == NetFailure::channel_down);
      CHECK(sent.error().message.find("certificate") != std::string::npos);
    }
    for (const char* scheme : {"imap", "imaps"}) {
      CAPTURE(scheme);
      MailServer server = rig.server(scheme, rig_user(k_analyst));
      server.ca_file.clear();
      auto session = respbench::connect_imap(server);
      REQUIRE_FALSE(session.has_value());
      INFO(session.error().message);
      CHECK(session.error().next == NetFailure::channel_down);
      CHECK(session.error().message.find("certificate") != std::string::npos);
    }
  }

  TEST_CASE("net imap: a wrong password or a closed port is channel_down without the password") {
    auto& rig = shared_mail_rig();
    MailServer server = rig.server("imaps", rig_user(k_analyst));
    server.password = "Wr0ng-Pa55word";
    auto session = respbench::connect_imap(server);
    REQUIRE_FALSE(session.has_value());
    INFO(session.error().message);
    CHECK(session.error().next == NetFailure::channel_down);
    CHECK(session.error().message.find("Wr0ng-Pa55word") == std::string::npos);
    CHECK(session.error().message.find("login failed") != std::string::npos);
    CHECK(session.error().message.find("127.0.0.1:" + rig.value("IMAPS_PORT")) != std::string::npos);

    server = rig.server("imap", rig_user(k_analyst));
    server.url = "imap://127.0.0.1:" + std::to_string(closed_port());
    const auto start = std::chrono::steady_clock::now();
    auto down = respbench::connect_imap(server);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    REQUIRE_FALSE(down.has_value());
    CHECK(down.error().next == NetFailure::channel_down);
  }

  TEST_CASE("net imap: EXAMINE reports UIDVALIDITY, UIDNEXT and EXISTS as the server has them") {
    auto& rig = shared_mail_rig();
    const auto& user = rig_user("examine@acme.test");
    auto session = imap_login(rig.server("imaps", user));
    for (int i = 0; i < 3; ++i) {
      auto appended = session->append("INBOX", "", std::nullopt,
                                      make_message(k_analyst, user.address, unique_message_id("examine")));
      REQUIRE_MESSAGE(appended.has_value(), appended.error().message);
    }
    auto status = session->examine("INBOX");
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    // doveadm reads the same mailbox without IMAP: "INBOX messages=3 uidnext=4 uidvalidity=…".
    const std::string truth =
        rig.doveadm("mailbox status -u " + user.address + " 'messages uidnext uidvalidity' INBOX");
    INFO(truth);
    CHECK(truth.find("messages=" + std::to_string(status->exists) + " ") != std::string::npos);
    CHECK(truth.find("uidnext=" + std::to_string(status->uidnext) + " ") != std::string::npos);
    CHECK(truth.find("uidvalidity=" + std::to_string(status->uidvalidity)) != std::string::npos);
    CHECK(status->exists == 3);
    CHECK(status->uidnext == 4);
    CHECK(status->uidvalidity != 0);

    auto all = session->uid_search("ALL");
    REQUIRE(all.has_value());
    CHECK(*all == std::vector<std::uint32_t>{1, 2, 3});
    auto later = session->uid_search("UID 2:*");
    REQUIRE(later.has_value());
    CHECK(*later == std::vector<std::uint32_t>{2, 3});

    auto missing = session->examine("No Such Box");
    REQUIRE_FALSE(missing.has_value());
    INFO(missing.error().message);
    CHECK(missing.error().next == NetFailure::channel_down);
    // The server's own words: Dovecot 2.3 says "NO Mailbox doesn't exist: No Such Box".
    CHECK(missing.error().message.find("EXAMINE \"No Such Box\" failed: NO Mailbox doesn't exist") !=
          std::string::npos);
    // The session stays usable after a NO.
    CHECK(session->examine("INBOX").has_value());
  }

  TEST_CASE("net imap: APPEND with a date (LITERAL+), FETCH of several messages, one header only") {
    auto& rig = shared_mail_rig();
    const auto& user = rig_user("fetch@acme.test");
    auto session = imap_login(rig.server("imaps", user));
    const std::string small_a = make_message("a@globex.test", user.address, unique_message_id("small-a"));
    std::string big_body;
    for (int i = 0; i < 8000; ++i) {
      big_body += "Zeile " + std::to_string(i) + " mit etwas Text, damit es groß wird\r\n";
    }
    const std::string big = make_message("b@globex.test", user.address, unique_message_id("big"), big_body);
    const std::string small_c = make_message("c@globex.test", user.address, unique_message_id("small-c"));
    const std::vector<std::pair<std::string, Instant>> appended = {
        {small_a, utc(2026, 3, 15, 9, 30, 0)},
        {big, utc(2026, 3, 16, 23, 59, 59)},
        {small_c, utc(2025, 12, 31, 23, 0, 1)},
    };
    for (const auto& [text, when] : appended) {
      auto r = session->append("INBOX", "\\Seen", when, text);
      REQUIRE_MESSAGE(r.has_value(), r.error().message);
    }
    auto status = session->examine("INBOX");
    REQUIRE(status.has_value());
    REQUIRE(status->exists == 3);

    const std::uint64_t max_size = 100000;
    REQUIRE(big.size() > max_size);
    auto fetched =
        session->fetch({3, 1, 2, 2, 99}, max_size);  // unsorted, a duplicate, one that does not exist
    REQUIRE_MESSAGE(fetched.has_value(), fetched.error().message);
    REQUIRE(fetched->size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(i);
      const FetchedMessage& m = (*fetched)[i];
      CHECK(m.uid == i + 1);
      CHECK(m.internal_date == appended[i].second);
      CHECK(m.size == appended[i].first.size());
    }
    CHECK((*fetched)[0].raw == small_a);
    CHECK_FALSE((*fetched)[0].header_only);
    CHECK((*fetched)[1].header_only);
    CHECK((*fetched)[1].raw == header_of(big));
    CHECK((*fetched)[2].raw == small_c);

    // With a higher limit the big one comes whole.
    auto whole = session->fetch({2}, 1 << 20);
    REQUIRE(whole.has_value());
    REQUIRE(whole->size() == 1);
    CHECK(whole->front().raw == big);
    CHECK_FALSE(whole->front().header_only);
    CHECK(session->fetch({}, max_size).value().empty());
  }

  TEST_CASE("net imap: fetching does not set \\Seen") {
    auto& rig = shared_mail_rig();
    const auto& user = rig_user("seen@acme.test");
    auto sender = respbench::make_smtp_sender(rig.server("smtp", rig_user(k_analyst)));
    const std::string id = unique_message_id("seen");
    REQUIRE(
        sender->send(k_analyst, user.address, make_message(k_analyst, user.address, id), [] {}).has_value());
    rig.wait_queue();
    {
      auto session = imap_login(rig.server("imaps", user));
      REQUIRE(session->examine("INBOX").has_value());
      auto uids = session->uid_search("ALL");
      REQUIRE(uids.has_value());
      REQUIRE(uids->size() == 1);
      REQUIRE(session->fetch(*uids, 1 << 20).value().size() == 1);
      REQUIRE(session->fetch(*uids, 10).value().front().header_only);
    }
    auto second = imap_login(rig.server("imap", user));
    REQUIRE(second->examine("INBOX").has_value());
    CHECK(second->uid_search("UNSEEN").value().size() == 1);
    CHECK(second->uid_search("SEEN").value().empty());
    // The flags as Dovecot stores them, without IMAP.
    const std::string flags = rig.doveadm("fetch -u " + user.address + " flags mailbox INBOX all");
    INFO(flags);
    CHECK(flags.find("\\Seen") == std::string::npos);
  }

  TEST_CASE("net imap: uid_search by Message-ID finds exactly the one message") {
    auto& rig = shared_mail_rig();
    const auto& user = rig_user("search@acme.test");
    auto session = imap_login(rig.server("imaps", user));
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
      ids.push_back(unique_message_id("search"));
      REQUIRE(
          session->append("Sent", "\\Seen", std::nullopt, make_message(k_analyst, user.address, ids.back()))
              .has_value());
    }
    REQUIRE(session->examine("Sent").has_value());
    for (std::uint32_t i = 0; i < ids.size(); ++i) {
      auto uids = session->uid_search("HEADER Message-ID " + ids[i]);
      REQUIRE(uids.has_value());
      CHECK(*uids == std::vector<std::uint32_t>{i + 1});
    }
    CHECK(session->uid_search("HEADER Message-ID <not-there@shopper.test>").value().empty());
    auto bad = session->uid_search("NONSENSE-KEY 1");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().next == NetFailure::channel_down);
    CHECK_FALSE(session->uid_search("ALL\r\nrb9 LOGOUT").has_value());
    CHECK(session->uid_search("ALL").has_value());  // still usable
  }

  TEST_CASE("net imap: mailbox names are quoted and encoded; CR/LF refused") {
    auto& rig = shared_mail_rig();
    const auto& user = rig_user("append@acme.test");
    rig.doveadm("mailbox create -u " + user.address + " 'Entwürfe \"alt\"'");
    auto session = imap_login(rig.server("imaps", user));
    REQUIRE_MESSAGE(
        session->append("Entwürfe \"alt\"", "\\Seen \\Draft", std::nullopt, "Subject: x\r\n\r\ny\r\n")
            .has_value(),
        "append");
    auto status = session->examine("Entwürfe \"alt\"");
    REQUIRE(status.has_value());
    CHECK(status->exists == 1);
    CHECK_FALSE(session->append("INBOX\r\nrb1 LOGOUT", "", std::nullopt, "x").has_value());
    CHECK_FALSE(session->append("INBOX", "\\Seen) (x", std::nullopt, "x").has_value());
    auto missing = session->append("Nowhere", "", std::nullopt, "Subject: x\r\n\r\ny\r\n");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message.find("TRYCREATE") != std::string::npos);
  }
}
