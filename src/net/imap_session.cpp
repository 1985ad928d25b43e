// An IMAP client on libcurl's connection: libcurl connects, does TLS (imaps:// or STARTTLS) and
// logs in (CURLOPT_CONNECT_ONLY; libcurl 7.88 runs greeting, CAPABILITY, STARTTLS, CAPABILITY
// and AUTHENTICATE/LOGIN before curl_easy_perform returns), then this file speaks IMAP itself
// through curl_easy_send/curl_easy_recv. libcurl's own IMAP commands cannot fetch without
// setting \Seen, append with a date, or search by header, which the email channel needs.

#include <poll.h>

#include <cerrno>
#include <climits>
#include <cstdint>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include <fmt/format.h>

#include "net/curl_handle.hpp"
#include "net/imap_protocol.hpp"
#include "net/mail_transport.hpp"

namespace respbench {

namespace {

constexpr std::size_t k_size_chunk = 500;                // UIDs per "UID FETCH … (RFC822.SIZE)"
constexpr std::size_t k_body_chunk = 100;                // messages per body fetch
constexpr std::uint64_t k_body_chunk_bytes = 16u << 20;  // bytes per body fetch (roughly)
constexpr std::size_t k_header_chunk = 200;              // messages per header-only fetch
constexpr std::size_t k_non_sync_literal_minus = 4096;   // LITERAL- allows {n+} up to this
constexpr std::chrono::milliseconds k_logout_wait{1000};

using Untagged = std::function<NetResult<void>(const imap::Response&)>;

// Response codes that say "not now" rather than "never" (RFC 5530).
bool temporary_code(std::string_view code) {
  return code == "UNAVAILABLE" || code == "INUSE" || code == "LIMIT" || code == "OVERQUOTA" ||
         code == "EXPUNGEISSUE" || code == "SERVERBUG";
}

// The last line the server sent while libcurl talked to it (greeting, STARTTLS, login), for
// error messages; libcurl's own message only says "Login denied".
int capture_server_line(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN || user == nullptr) return 0;
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  auto& last = *static_cast<std::string*>(user);
  last.clear();
  for (char c : line.substr(0, 300)) {
    last += (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) ? c : '?';
  }
  return 0;
}

class CurlImapSession final : public ImapSession {
 public:
  explicit CurlImapSession(const MailServer& server)
      : m_password(server.password),
        m_where("IMAP server " + curl::server_address(server.url)),
        m_timeout(std::max<std::chrono::milliseconds>(server.timeout, std::chrono::seconds(1))) {}

  CurlImapSession(const CurlImapSession&) = delete;
  CurlImapSession& operator=(const CurlImapSession&) = delete;

  ~CurlImapSession() override {
    // libcurl does not log out of a CONNECT_ONLY connection; say goodbye so that the server
    // logs a clean logout, but never wait long for it.
    if (!m_easy || m_broken) return;
    m_timeout = k_logout_wait;
    try {
      (void)run("LOGOUT", "LOGOUT", {});
    } catch (...) {
      // Out of memory while formatting: the connection closes anyway.
    }
  }

  NetResult<void> open(const MailServer& server);

  NetResult<MailboxStatus> examine(std::string_view mailbox) override;
  NetResult<std::vector<std::uint32_t>> uid_search(std::string_view criteria) override;
  NetResult<std::vector<FetchedMessage>> fetch(const std::vector<std::uint32_t>& uids,
                                               std::uint64_t max_size) override;
  NetResult<void> append(std::string_view mailbox, std::string_view flags, std::optional<Instant> date,
                         std::string_view message) override;
  std::uint64_t bytes_transferred() const override { return m_bytes; }
  NetResult<MailboxStatus> select(std::string_view mailbox) override;
  NetResult<void> uid_delete(const std::vector<std::uint32_t>& uids) override;

 private:
  NetError error(NetFailure next, std::string what, int code = 0) const {
    return NetError{next, code, redact(m_where + ": " + what, m_password)};
  }
  // The connection's state is unknown after this (a timeout, a cut stream): no more commands.
  NetError break_connection(std::string what) {
    m_broken = true;
    return error(NetFailure::channel_down, std::move(what));
  }
  NetError status_error(std::string_view purpose, const imap::Status& status) const;

  NetResult<void> ensure_usable() const {
    if (m_broken) {
      return std::unexpected(error(NetFailure::channel_down, "connection unusable after an earlier error"));
    }
    return {};
  }
  NetResult<MailboxStatus> open_mailbox(std::string_view verb, std::string_view mailbox);
  NetResult<void> wait_for(short events, std::string_view doing);
  NetResult<void> send_bytes(std::string_view bytes);
  NetResult<imap::Response> read_response();
  // Sends "TAG command" (with `literal` appended as a literal when given), passes untagged
  // responses to `on_untagged`, and returns the tagged status. NO and BAD become errors; so
  // does the first error `on_untagged` returned (after the command completed, so the stream
  // stays in step).
  NetResult<imap::Status> run(std::string_view command, std::string_view purpose, const Untagged& on_untagged,
                              std::optional<std::string_view> literal = std::nullopt);
  NetResult<void> fetch_chunk(const std::vector<std::uint32_t>& uids, std::string_view items,
                              std::map<std::uint32_t, imap::FetchData>& out);

  std::string m_password;  // only to redact it from messages
  std::string m_where;     // "IMAP server host:port"
  std::chrono::milliseconds m_timeout;
  std::optional<curl::Easy> m_easy;
  std::string m_last_server_line;  // during the connect, for messages
  curl_socket_t m_socket = CURL_SOCKET_BAD;
  imap::ResponseReader m_reader;
  std::set<std::string> m_capabilities;
  std::optional<imap::Status> m_bye;
  unsigned m_next_tag = 1;
  std::uint64_t m_bytes = 0;
  bool m_broken = false;
  bool m_closed = false;  // the server closed the connection
  bool m_selected = false;
  bool m_writable = false;  // the open mailbox was opened by SELECT
};

NetResult<void> CurlImapSession::open(const MailServer& server) {
  const std::string scheme = curl::url_scheme(server.url);
  if (scheme != "imap" && scheme != "imaps") {
    return std::unexpected(error(NetFailure::channel_down, "the URL must start with imap:// or imaps://"));
  }
  auto easy = curl::Easy::create();
  if (!easy) return std::unexpected(error(NetFailure::channel_down, easy.error().message));
  m_easy.emplace(std::move(*easy));
  curl::Easy& e = *m_easy;

  const long timeout_ms = static_cast<long>(m_timeout.count());
  Result<void> ok;
  const auto set = [&](CURLoption option, auto value) {
    if (ok) ok = e.set(option, value);
  };
  ok = curl::set_mail_server(e, server, "imap,imaps");
  set(CURLOPT_CONNECT_ONLY, 1L);
  set(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  set(CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(std::max<long>(1, timeout_ms / 1000)));
  set(CURLOPT_TIMEOUT_MS, 2 * timeout_ms);  // the whole connect and login
  set(CURLOPT_VERBOSE, 1L);                 // feeds capture_server_line; nothing is printed
  set(CURLOPT_DEBUGFUNCTION, &capture_server_line);
  set(CURLOPT_DEBUGDATA, static_cast<void*>(&m_last_server_line));
  if (!ok) return std::unexpected(error(NetFailure::channel_down, ok.error().message));

  const CURLcode code = curl_easy_perform(e.get());
  if (code != CURLE_OK) {
    const std::string detail = e.error_text(code);
    const std::string reply =
        m_last_server_line.empty() ? std::string() : " (server: " + m_last_server_line + ")";
    m_broken = true;
    if (m_last_server_line.find("[UNAVAILABLE]") != std::string::npos) {
      return std::unexpected(error(NetFailure::retry_later, "login temporarily impossible" + reply));
    }
    if (code == CURLE_LOGIN_DENIED) {
      return std::unexpected(error(NetFailure::channel_down, "login failed" + reply));
    }
    if (curl::is_certificate_error(code)) {
      return std::unexpected(error(NetFailure::channel_down, "TLS certificate not accepted: " + detail));
    }
    if (code == CURLE_USE_SSL_FAILED) {
      return std::unexpected(error(NetFailure::channel_down,
                                   "the server does not offer STARTTLS, and TLS is required: " + detail));
    }
    return std::unexpected(error(NetFailure::channel_down, "cannot connect and log in: " + detail + reply));
  }
  // From here on this file does the talking; libcurl's debug output is no longer wanted.
  set(CURLOPT_VERBOSE, 0L);
  if (!ok) return std::unexpected(break_connection(ok.error().message));
  auto socket = e.info<curl_socket_t>(CURLINFO_ACTIVESOCKET);
  if (!socket || *socket == CURL_SOCKET_BAD) {
    return std::unexpected(break_connection("no connection after login"));
  }
  m_socket = *socket;

  // libcurl read the capabilities but does not tell them; LITERAL+ decides how APPEND goes.
  auto status = run("CAPABILITY", "CAPABILITY", [this](const imap::Response& response) -> NetResult<void> {
    if (auto names = imap::parse_capabilities(response)) m_capabilities.insert(names->begin(), names->end());
    return {};
  });
  if (!status) return std::unexpected(status.error());
  return {};
}

NetError CurlImapSession::status_error(std::string_view purpose, const imap::Status& status) const {
  std::string text = fmt::format("{} failed: {}", purpose, status.condition);
  if (!status.code.empty()) {
    text += " [" + status.code + (status.code_argument.empty() ? "" : " " + status.code_argument) + "]";
  }
  if (!status.text.empty()) text += " " + status.text;
  NetFailure next = NetFailure::channel_down;
  if (temporary_code(status.code)) next = NetFailure::retry_later;
  if (status.code == "TOOBIG") next = NetFailure::give_up_item;
  return error(next, text);
}

// Socket I/O -------------------------------------------------------------------------------------

NetResult<void> CurlImapSession::wait_for(short events, std::string_view doing) {
  pollfd fd{};
  fd.fd = m_socket;
  fd.events = events;
  for (;;) {
    const int ready = ::poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(m_timeout.count(), INT_MAX)));
    if (ready > 0) return {};
    if (ready == 0) {
      return std::unexpected(break_connection(
          fmt::format("no progress for {} s while {}", (m_timeout.count() + 999) / 1000, doing)));
    }
    if (errno != EINTR) return std::unexpected(break_connection(fmt::format("poll failed while {}", doing)));
  }
}

NetResult<void> CurlImapSession::send_bytes(std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t sent = 0;
    const CURLcode code = curl_easy_send(m_easy->get(), bytes.data(), bytes.size(), &sent);
    if (code == CURLE_AGAIN) {
      if (auto r = wait_for(POLLOUT, "sending"); !r) return r;
      continue;
    }
    if (code != CURLE_OK) {
      return std::unexpected(break_connection("cannot send: " + m_easy->error_text(code)));
    }
    m_bytes += sent;
    bytes.remove_prefix(sent);
  }
  return {};
}

NetResult<imap::Response> CurlImapSession::read_response() {
  char buffer[64 * 1024];
  for (;;) {
    auto next = m_reader.next();
    if (!next) return std::unexpected(break_connection(next.error().message));
    if (*next) return std::move(**next);

    if (m_closed) {
      // A last line without CRLF still counts (a BYE, typically).
      auto last = m_reader.finish();
      if (!last) return std::unexpected(break_connection(last.error().message));
      if (*last) return std::move(**last);
      if (m_bye) {
        const NetFailure next_step =
            temporary_code(m_bye->code) ? NetFailure::retry_later : NetFailure::channel_down;
        return std::unexpected(error(next_step, "the server closed the connection: BYE " + m_bye->text));
      }
      return std::unexpected(error(NetFailure::channel_down, "the server closed the connection"));
    }
    std::size_t received = 0;
    const CURLcode code = curl_easy_recv(m_easy->get(), buffer, sizeof buffer, &received);
    if (code == CURLE_AGAIN) {
      if (auto r = wait_for(POLLIN, "waiting for the server"); !r) return std::unexpected(r.error());
      continue;
    }
    if (code != CURLE_OK) {
      return std::unexpected(break_connection("cannot receive: " + m_easy->error_text(code)));
    }
    if (received == 0) {
      m_closed = true;
      m_broken = true;
      continue;
    }
    m_bytes += received;
    m_reader.feed(std::string_view(buffer, received));
  }
}

NetResult<imap::Status> CurlImapSession::run(std::string_view command, std::string_view purpose,
                                             const Untagged& on_untagged,
                                             std::optional<std::string_view> literal) {
  if (auto r = ensure_usable(); !r) return std::unexpected(r.error());
  const std::string tag = fmt::format("rb{}", m_next_tag++);
  std::string line = fmt::format("{} {}", tag, command);
  bool waiting_for_continuation = false;
  if (literal) {
    const bool non_sync =
        m_capabilities.contains("LITERAL+") ||
        (m_capabilities.contains("LITERAL-") && literal->size() <= k_non_sync_literal_minus);
    if (non_sync) {
      line += fmt::format(" {{{}+}}\r\n", literal->size());
      if (auto r = send_bytes(line); !r) return std::unexpected(r.error());
      if (auto r = send_bytes(*literal); !r) return std::unexpected(r.error());
      line = "\r\n";
    } else {
      line += fmt::format(" {{{}}}\r\n", literal->size());
      waiting_for_continuation = true;
    }
  } else {
    line += "\r\n";
  }
  if (auto r = send_bytes(line); !r) return std::unexpected(r.error());

  std::optional<NetError> untagged_error;
  for (;;) {
    auto response = read_response();
    if (!response) return std::unexpected(response.error());
    const std::string_view response_tag = imap::response_tag(*response);
    if (response_tag == "+") {
      if (!waiting_for_continuation) {
        return std::unexpected(
            break_connection("unexpected continuation request: " + imap::printable(*response)));
      }
      waiting_for_continuation = false;
      if (auto r = send_bytes(*literal); !r) return std::unexpected(r.error());
      if (auto r = send_bytes("\r\n"); !r) return std::unexpected(r.error());
      continue;
    }
    if (response_tag == "*") {
      if (auto status = imap::parse_status(*response); status && status->condition == "BYE") {
        m_bye = *status;  // the connection ends; the error comes when it closes
        continue;
      }
      if (on_untagged && !untagged_error) {
        if (auto r = on_untagged(*response); !r) untagged_error = r.error();
      }
      continue;
    }
    if (response_tag != tag) continue;  // not ours (a server bug); nothing waits for it
    auto status = imap::parse_status(*response);
    if (!status) {
      return std::unexpected(break_connection("malformed response: " + imap::printable(*response)));
    }
    if (status->condition != "OK") return std::unexpected(status_error(purpose, *status));
    if (untagged_error) return std::unexpected(*untagged_error);
    return std::move(*status);
  }
}

// Commands ---------------------------------------------------------------------------------------

NetResult<MailboxStatus> CurlImapSession::examine(std::string_view mailbox) {
  return open_mailbox("EXAMINE", mailbox);
}

NetResult<MailboxStatus> CurlImapSession::select(std::string_view mailbox) {
  auto status = open_mailbox("SELECT", mailbox);
  m_writable = status.has_value();
  return status;
}

NetResult<MailboxStatus> CurlImapSession::open_mailbox(std::string_view verb, std::string_view mailbox) {
  m_writable = false;
  auto argument = imap::mailbox_argument(mailbox);
  if (!argument) return std::unexpected(error(NetFailure::channel_down, argument.error().message));
  // A failed EXAMINE leaves no mailbox selected (RFC 3501, 6.3.1).
  m_selected = false;
  MailboxStatus status;
  unsigned seen = 0;
  auto done = run(fmt::format("{} {}", verb, *argument), fmt::format("{} \"{}\"", verb, mailbox),
                  [&](const imap::Response& response) {
                    seen |= imap::apply_select_response(response, status);
                    return NetResult<void>();
                  });
  if (!done) return std::unexpected(done.error());
  m_selected = true;
  if ((seen & 1) == 0) return std::unexpected(error(NetFailure::channel_down, fmt::format("{} gave no UIDVALIDITY", verb)));
  if ((seen & 2) == 0) {
    // Old servers may omit UIDNEXT: the highest UID plus one is a safe stand-in (an empty
    // mailbox reads as 1, which at worst makes the next poll look at more than it must).
    status.uidnext = 1;
    if (status.exists > 0) {
      auto uids = uid_search("UID *");
      if (!uids) return std::unexpected(uids.error());
      if (!uids->empty()) status.uidnext = uids->back() + 1;
    }
  }
  return status;
}

NetResult<std::vector<std::uint32_t>> CurlImapSession::uid_search(std::string_view criteria) {
  if (!m_selected) {
    return std::unexpected(error(NetFailure::channel_down, "UID SEARCH without an open mailbox"));
  }
  const bool bad_char = criteria.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  const auto last = criteria.find_last_not_of(' ');
  if (bad_char || last == std::string_view::npos || criteria[last] == '}') {
    // A literal would need a continuation; criteria are single lines.
    return std::unexpected(
        error(NetFailure::channel_down, "search criteria must be one line without literals"));
  }
  std::vector<std::uint32_t> uids;
  auto done = run(fmt::format("UID SEARCH {}", criteria), "UID SEARCH", [&](const imap::Response& response) {
    auto found = imap::parse_search(response);
    if (!found) {
      return NetResult<void>(std::unexpected(error(NetFailure::channel_down, found.error().message)));
    }
    if (*found) uids.insert(uids.end(), (*found)->begin(), (*found)->end());
    return NetResult<void>();
  });
  if (!done) return std::unexpected(done.error());
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

NetResult<void> CurlImapSession::fetch_chunk(const std::vector<std::uint32_t>& uids, std::string_view items,
                                             std::map<std::uint32_t, imap::FetchData>& out) {
  const std::set<std::uint32_t> wanted(uids.begin(), uids.end());
  auto done = run(fmt::format("UID FETCH {} ({})", imap::compress_uid_set(uids), items), "UID FETCH",
                  [&](const imap::Response& response) {
                    auto parsed = imap::parse_fetch(response);
                    if (!parsed) {
                      return NetResult<void>(std::unexpected(error(
                          NetFailure::channel_down, "malformed FETCH response: " + parsed.error().message)));
                    }
                    // Unsolicited FETCHes (flag changes by another client) carry no UID or
                    // another one; a server may also split one message's items over several.
                    if (!*parsed || !(*parsed)->uid || !wanted.contains(*(*parsed)->uid)) {
                      return NetResult<void>();
                    }
                    imap::FetchData& into = out[*(*parsed)->uid];
                    imap::FetchData& from = **parsed;
                    into.uid = from.uid;
                    if (from.internal_date) into.internal_date = from.internal_date;
                    if (from.size) into.size = from.size;
                    if (from.body) into.body = std::move(from.body);
                    if (from.header) into.header = std::move(from.header);
                    if (from.flags) into.flags = std::move(from.flags);
                    return NetResult<void>();
                  });
  if (!done) return std::unexpected(done.error());
  return {};
}

NetResult<std::vector<FetchedMessage>> CurlImapSession::fetch(const std::vector<std::uint32_t>& uids,
                                                              std::uint64_t max_size) {
  if (!m_selected) {
    return std::unexpected(error(NetFailure::channel_down, "UID FETCH without an open mailbox"));
  }
  std::vector<std::uint32_t> wanted(uids);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  wanted.erase(std::remove(wanted.begin(), wanted.end(), 0u), wanted.end());

  // Sizes first, so that no message larger than the limit is ever downloaded whole.
  std::map<std::uint32_t, imap::FetchData> sizes;
  for (std::size_t i = 0; i < wanted.size(); i += k_size_chunk) {
    const std::vector<std::uint32_t> chunk(
        wanted.begin() + static_cast<std::ptrdiff_t>(i),
        wanted.begin() + static_cast<std::ptrdiff_t>(std::min(i + k_size_chunk, wanted.size())));
    if (auto r = fetch_chunk(chunk, "UID RFC822.SIZE", sizes); !r) return std::unexpected(r.error());
  }
  const std::uint64_t limit = std::min<std::uint64_t>(max_size, imap::Limits{}.max_literal);
  std::vector<std::uint32_t> whole, header_only;
  for (const auto& [uid, data] : sizes) {
    if (!data.size) {
      return std::unexpected(error(NetFailure::channel_down, fmt::format("no RFC822.SIZE for UID {}", uid)));
    }
    (*data.size <= limit ? whole : header_only).push_back(uid);
  }

  std::map<std::uint32_t, imap::FetchData> bodies;
  // BODY.PEEK, never BODY: fetching must not mark a reply \Seen for the person reading the box.
  for (std::size_t i = 0; i < whole.size();) {
    std::vector<std::uint32_t> chunk;
    std::uint64_t bytes = 0;
    for (; i < whole.size() && chunk.size() < k_body_chunk; ++i) {
      const std::uint64_t size = *sizes[whole[i]].size;
      if (!chunk.empty() && bytes + size > k_body_chunk_bytes) break;
      chunk.push_back(whole[i]);
      bytes += size;
    }
    if (auto r = fetch_chunk(chunk, "UID INTERNALDATE RFC822.SIZE BODY.PEEK[]", bodies); !r) {
      return std::unexpected(r.error());
    }
  }
  for (std::size_t i = 0; i < header_only.size(); i += k_header_chunk) {
    const std::vector<std::uint32_t> chunk(
        header_only.begin() + static_cast<std::ptrdiff_t>(i),
        header_only.begin() + static_cast<std::ptrdiff_t>(std::min(i + k_header_chunk, header_only.size())));
    if (auto r = fetch_chunk(chunk, "UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER]", bodies); !r) {
      return std::unexpected(r.error());
    }
  }

  std::vector<FetchedMessage> messages;
  const std::set<std::uint32_t> headers_wanted(header_only.begin(), header_only.end());
  for (auto& [uid, data] : bodies) {
    const bool header = headers_wanted.contains(uid);
    std::optional<std::string>& raw = header ? data.header : data.body;
    if (!data.internal_date || !raw) {
      return std::unexpected(
          error(NetFailure::channel_down, fmt::format("the server left out INTERNALDATE or the {} of UID {}",
                                                      header ? "header" : "body", uid)));
    }
    FetchedMessage message;
    message.uid = uid;
    message.internal_date = *data.internal_date;
    message.size = data.size.value_or(*sizes[uid].size);
    message.raw = std::move(*raw);
    message.header_only = header;
    messages.push_back(std::move(message));
  }
  // A message expunged between the two steps is simply gone; `bodies` is ordered by UID.
  return messages;
}

NetResult<void> CurlImapSession::append(std::string_view mailbox, std::string_view flags,
                                        std::optional<Instant> date, std::string_view message) {
  auto argument = imap::mailbox_argument(mailbox);
  if (!argument) return std::unexpected(error(NetFailure::channel_down, argument.error().message));
  if (flags.find_first_of(std::string_view("\r\n\0()\"{", 7)) != std::string_view::npos) {
    return std::unexpected(
        error(NetFailure::channel_down, fmt::format("malformed flags for APPEND: {}", flags)));
  }
  std::string command = "APPEND " + *argument;
  if (!flags.empty()) command += fmt::format(" ({})", flags);
  if (date) command += fmt::format(" \"{}\"", imap::format_internal_date(*date));
  auto done = run(command, fmt::format("APPEND to \"{}\"", mailbox), {}, message);
  if (!done) return std::unexpected(done.error());
  return {};
}

NetResult<void> CurlImapSession::uid_delete(const std::vector<std::uint32_t>& uids) {
  if (!m_selected || !m_writable) {
    return std::unexpected(error(NetFailure::channel_down, "UID STORE without a mailbox opened by SELECT"));
  }
  if (uids.empty()) return {};
  // UID EXPUNGE needs UIDPLUS; a server without it answers BAD, which fails here. (No check of
  // m_capabilities: the greeting's list may predate the login's.)
  std::string set;
  for (auto uid : uids) set += (set.empty() ? "" : ",") + std::to_string(uid);
  auto stored = run(fmt::format("UID STORE {} +FLAGS.SILENT (\\Deleted)", set), "UID STORE", {});
  if (!stored) return std::unexpected(stored.error());
  auto expunged = run(fmt::format("UID EXPUNGE {}", set), "UID EXPUNGE", {});
  if (!expunged) return std::unexpected(expunged.error());
  return {};
}

}  // namespace

NetResult<std::unique_ptr<ImapSession>> connect_imap(const MailServer& server) {
  auto session = std::make_unique<CurlImapSession>(server);
  if (auto r = session->open(server); !r) return std::unexpected(r.error());
  return std::unique_ptr<ImapSession>(std::move(session));
}

}  // namespace respbench
