#pragma once
// What the email channel needs from the network: hand a message to an SMTP server, and read
// and write mailboxes over IMAP. libcurl stays behind this header (src/net/*.cpp); the domain
// and its tests see only these interfaces.

#include <chrono>
#include <expected>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.hpp"

namespace respbench {

// Named by what the caller does next (STYLE.md, habit 6).
enum class NetFailure {
  retry_later,   // a temporary refusal (SMTP 4xx, IMAP NO [UNAVAILABLE]): try again in a later run
  give_up_item,  // this message or recipient is refused for good (SMTP 5xx for the recipient)
  channel_down,  // connection, TLS, login or protocol failure: skip the channel for this run
};

struct NetError {
  NetFailure next = NetFailure::channel_down;
  int code = 0;         // the SMTP reply code where there is one (450, 550 …)
  std::string message;  // for the user; never contains a password
};

template <class T>
using NetResult = std::expected<T, NetError>;

struct MailServer {
  std::string url;   // smtp://, smtps://, imap://, imaps:// with host and port
  std::string user;
  std::string password;  // kept in memory only; never printed
  std::string ca_file;   // extra CA certificates (self-signed test servers); empty: system CAs
  bool require_tls = true;  // smtp:// and imap:// must upgrade with STARTTLS
  std::chrono::seconds timeout{30};
};

class SmtpSender {
 public:
  virtual ~SmtpSender() = default;
  // Sends `message` (RFC 5322 text with CRLF line ends) from `from` to `to` (envelope
  // addresses). `before_handover` runs just before the end of the data goes out: until then
  // the server cannot have the message; after it, it may. Reuses one connection per sender.
  virtual NetResult<void> send(std::string_view from, std::string_view to, std::string_view message,
                               const std::function<void()>& before_handover) = 0;
  // Connections opened to the server so far (1 after any number of sends over one kept
  // connection); for tests and benchmarks.
  virtual std::uint64_t connections_opened() const { return 0; }
};

struct MailboxStatus {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;
  std::uint32_t exists = 0;
};

struct FetchedMessage {
  std::uint32_t uid = 0;
  Instant internal_date;   // when the server received it (IMAP INTERNALDATE)
  std::uint64_t size = 0;  // RFC822.SIZE
  std::string raw;         // the whole message, or only its header when larger than the limit
  bool header_only = false;
};

class ImapSession {
 public:
  virtual ~ImapSession() = default;
  // Opens `mailbox` read-only (EXAMINE).
  virtual NetResult<MailboxStatus> examine(std::string_view mailbox) = 0;
  // UIDs of the open mailbox matching an IMAP search `criteria` ("UID 101:*",
  // "HEADER Message-ID <abc@example.org>"), ascending.
  virtual NetResult<std::vector<std::uint32_t>> uid_search(std::string_view criteria) = 0;
  // The messages with these UIDs from the open mailbox, without setting \Seen. Messages larger
  // than `max_size` bytes come with their header only.
  virtual NetResult<std::vector<FetchedMessage>> fetch(const std::vector<std::uint32_t>& uids,
                                                       std::uint64_t max_size) = 0;
  // Appends `message` to `mailbox` with `flags` ("\\Seen") and, when given, that INTERNALDATE.
  virtual NetResult<void> append(std::string_view mailbox, std::string_view flags, std::optional<Instant> date,
                                 std::string_view message) = 0;
  // Bytes sent and received on this session so far (for benchmarks).
  virtual std::uint64_t bytes_transferred() const = 0;
  // Opens `mailbox` read-write (SELECT), for uid_delete.
  virtual NetResult<MailboxStatus> select(std::string_view mailbox) = 0;
  // Removes the messages with these UIDs from the mailbox opened by select(): UID STORE
  // +FLAGS.SILENT (\Deleted), then UID EXPUNGE of just these (UIDPLUS; fails without it, so
  // that nobody else's \Deleted messages go too).
  virtual NetResult<void> uid_delete(const std::vector<std::uint32_t>& uids) = 0;
};

std::unique_ptr<SmtpSender> make_smtp_sender(MailServer server);
// Connects and logs in; fails with channel_down when the server, TLS or login fails.
NetResult<std::unique_ptr<ImapSession>> connect_imap(const MailServer& server);

// `text` with every occurrence of `secret` replaced by "***" (for messages from libraries that
// may echo a URL or a login).
std::string redact(std::string text, std::string_view secret);

}  // namespace respbench
