// Handing a message to an SMTP server with libcurl: implicit TLS (smtps://) or STARTTLS
// (smtp://), AUTH, certificate verification, and failures named by what the caller does next.

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "net/curl_handle.hpp"
#include "net/mail_transport.hpp"

namespace respbench {

namespace {

// What libcurl reads the message from; `before_handover` runs when libcurl asks for more after
// the last byte, i.e. just before it sends the terminating CRLF.CRLF.
struct Upload {
  std::string_view data;
  std::size_t offset = 0;
  const std::function<void()>* before_handover = nullptr;
  bool data_started = false;  // the server accepted DATA (354): the read callback was called
  bool handed_over = false;
  std::exception_ptr failure;  // thrown by before_handover; rethrown after libcurl returns
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& upload = *static_cast<Upload*>(user);
  upload.data_started = true;
  const std::size_t room = size * count;
  const std::size_t left = upload.data.size() - upload.offset;
  if (left > 0) {
    const std::size_t n = std::min(room, left);
    std::memcpy(buffer, upload.data.data() + upload.offset, n);
    upload.offset += n;
    return n;
  }
  if (!upload.handed_over) {
    upload.handed_over = true;
    try {
      if (upload.before_handover && *upload.before_handover) (*upload.before_handover)();
    } catch (...) {
      // An exception must not cross libcurl's C frames. Aborting here means the end of data
      // never goes out, so the server discards the message.
      upload.failure = std::current_exception();
      return CURL_READFUNC_ABORT;
    }
  }
  return 0;
}

// Server replies as libcurl sees them (CURLOPT_DEBUGFUNCTION with CURLINFO_HEADER_IN), for
// messages (libcurl's own says only "RCPT failed: 550"), and whether AUTH succeeded.
struct Replies {
  static constexpr std::size_t k_kept = 16;
  std::vector<std::string> lines;  // the last k_kept reply lines of this transfer
  bool authenticated = false;      // a 235 on this transfer

  // The last line with this reply code. After a failure libcurl sends QUIT, so the very last
  // line is usually "221 Bye", not the refusal.
  std::string with_code(int code) const {
    const std::string prefix = std::to_string(code);
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      if (it->starts_with(prefix)) return *it;
    }
    return {};
  }
};

int capture_reply(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN || user == nullptr) return 0;
  auto& replies = *static_cast<Replies*>(user);
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("235")) replies.authenticated = true;
  std::string kept;
  for (char c : line.substr(0, 300)) {
    kept += (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) ? c : '?';
  }
  if (replies.lines.size() == Replies::k_kept) replies.lines.erase(replies.lines.begin());
  replies.lines.push_back(std::move(kept));
  return 0;
}

// An envelope address must not smuggle SMTP syntax into MAIL FROM / RCPT TO.
bool plain_address(std::string_view address) {
  return address.find_first_of(std::string_view("\r\n\0<> ", 6)) == std::string_view::npos;
}

class CurlSmtpSender final : public SmtpSender {
 public:
  explicit CurlSmtpSender(MailServer server)
      : m_server(std::move(server)), m_where("SMTP server " + curl::server_address(m_server.url)) {}

  NetResult<void> send(std::string_view from, std::string_view to, std::string_view message,
                       const std::function<void()>& before_handover) override;
  std::uint64_t connections_opened() const override { return m_connections; }

 private:
  NetError error(NetFailure next, std::string what, int code = 0) const {
    return NetError{next, code, redact(m_where + ": " + what, m_server.password)};
  }
  // Creates the handle and sets what stays the same for every message; once.
  NetResult<void> prepare();
  NetError classify(CURLcode code, long reply, const Upload& upload, std::string_view to) const;

  MailServer m_server;
  std::string m_where;  // "SMTP server host:port", without credentials
  // One handle for the sender's lifetime: libcurl keeps the connection in the handle's cache
  // and reuses it for the next message.
  std::optional<curl::Easy> m_easy;
  curl::StringList m_recipients;
  Replies m_replies;
  bool m_connection_authenticated = false;
  std::uint64_t m_connections = 0;
};

NetResult<void> CurlSmtpSender::prepare() {
  if (m_easy) return {};
  const std::string scheme = curl::url_scheme(m_server.url);
  if (scheme != "smtp" && scheme != "smtps") {
    return std::unexpected(error(NetFailure::channel_down, "the URL must start with smtp:// or smtps://"));
  }
  auto easy = curl::Easy::create();
  if (!easy) return std::unexpected(error(NetFailure::channel_down, easy.error().message));
  curl::Easy& e = *easy;

  const auto timeout = std::max<std::chrono::seconds>(m_server.timeout, std::chrono::seconds(1));
  Result<void> ok;
  const auto set = [&](CURLoption option, auto value) {
    if (ok) ok = e.set(option, value);
  };
  ok = curl::set_mail_server(e, m_server, "smtp,smtps");
  set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
  // Each reply must come within the timeout, and the upload must not stall for longer: a hung
  // server cannot hold a cron run. (No overall limit: a large message may take its time.)
  set(CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(timeout.count()));
  set(CURLOPT_LOW_SPEED_LIMIT, 1L);
  set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(timeout.count()));
  set(CURLOPT_UPLOAD, 1L);
  set(CURLOPT_READFUNCTION, &read_message);
  set(CURLOPT_VERBOSE, 1L);  // feeds capture_reply; nothing is printed
  set(CURLOPT_DEBUGFUNCTION, &capture_reply);
  set(CURLOPT_DEBUGDATA, static_cast<void*>(&m_replies));
  if (!ok) return std::unexpected(error(NetFailure::channel_down, ok.error().message));
  m_easy.emplace(std::move(*easy));
  return {};
}

NetResult<void> CurlSmtpSender::send(std::string_view from, std::string_view to, std::string_view message,
                                     const std::function<void()>& before_handover) {
  if (!plain_address(from) || !plain_address(to) || to.empty()) {
    return std::unexpected(error(NetFailure::give_up_item,
                                 fmt::format("malformed envelope address: from <{}> to <{}>", from, to)));
  }
  if (auto r = prepare(); !r) return r;
  curl::Easy& e = *m_easy;

  Upload upload;
  upload.data = message;
  upload.before_handover = &before_handover;
  m_recipients.clear();
  Result<void> ok = m_recipients.append(fmt::format("<{}>", to));
  const auto set = [&](CURLoption option, auto value) {
    if (ok) ok = e.set(option, value);
  };
  const std::string mail_from = fmt::format("<{}>", from);
  set(CURLOPT_MAIL_FROM, mail_from.c_str());
  set(CURLOPT_MAIL_RCPT, m_recipients.get());
  set(CURLOPT_READDATA, static_cast<void*>(&upload));
  // No CURLOPT_INFILESIZE: with a known size libcurl ends the upload after that many bytes
  // without asking the read callback for the end, and before_handover would never run (unless
  // dot-stuffing happened to make the counts differ). The price: no SIZE= in MAIL FROM.
  if (!ok) return std::unexpected(error(NetFailure::channel_down, ok.error().message));

  e.clear_error();
  m_replies = Replies{};
  const CURLcode code = curl_easy_perform(e.get());
  if (upload.failure) std::rethrow_exception(upload.failure);

  auto connects = e.info<long>(CURLINFO_NUM_CONNECTS);
  if (!connects) return std::unexpected(error(NetFailure::channel_down, connects.error().message));
  if (*connects > 0) {
    m_connections += static_cast<std::uint64_t>(*connects);
    m_connection_authenticated = m_replies.authenticated;
  }
  if (code == CURLE_OK) return {};

  auto reply = e.info<long>(CURLINFO_RESPONSE_CODE);
  return std::unexpected(classify(code, reply ? *reply : 0, upload, to));
}

NetError CurlSmtpSender::classify(CURLcode code, long reply, const Upload& upload,
                                  std::string_view to) const {
  const std::string detail = m_easy->error_text(code);
  const int smtp_code = (reply >= 200 && reply <= 599) ? static_cast<int>(reply) : 0;
  const std::string reply_line = smtp_code ? m_replies.with_code(smtp_code) : std::string();
  const std::string server = reply_line.empty() ? detail : reply_line;

  if (curl::is_certificate_error(code)) {
    return error(NetFailure::channel_down, "TLS certificate not accepted: " + detail);
  }
  if (smtp_code >= 400 && smtp_code < 500) {
    return error(NetFailure::retry_later, "temporarily refused: " + server, smtp_code);
  }
  if (code == CURLE_LOGIN_DENIED || smtp_code == 530 || smtp_code == 534 || smtp_code == 535 ||
      smtp_code == 538) {
    return error(NetFailure::channel_down, "login failed: " + server, smtp_code);
  }
  if (code == CURLE_USE_SSL_FAILED) {
    return error(NetFailure::channel_down,
                 "the server does not offer STARTTLS, and TLS is required: " + detail);
  }
  if (smtp_code >= 500) {
    if (upload.data_started) {
      return error(NetFailure::give_up_item, "message refused: " + server, smtp_code);
    }
    if (detail.starts_with("RCPT")) {
      // Without a login, "relay access denied" says nothing about the recipient.
      if (!m_server.user.empty() && !m_connection_authenticated) {
        return error(NetFailure::channel_down,
                     fmt::format("recipient <{}> refused, and the server did not let us log in (no AUTH "
                                 "offered?): {}",
                                 to, server),
                     smtp_code);
      }
      return error(NetFailure::give_up_item, fmt::format("recipient <{}> refused: {}", to, server),
                   smtp_code);
    }
    if (detail.starts_with("MAIL") && smtp_code == 552) {
      return error(NetFailure::give_up_item, "message too large for the server: " + server, smtp_code);
    }
    return error(NetFailure::channel_down, "refused: " + server, smtp_code);
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return error(NetFailure::channel_down, "timed out: " + detail, smtp_code);
  }
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST) {
    return error(NetFailure::channel_down, "cannot connect: " + detail, smtp_code);
  }
  return error(NetFailure::channel_down, detail, smtp_code);
}

}  // namespace

std::unique_ptr<SmtpSender> make_smtp_sender(MailServer server) {
  return std::make_unique<CurlSmtpSender>(std::move(server));
}

}  // namespace respbench
