// HTTP over libcurl for web APIs: one kept connection, time-outs, headers and status returned,
// every CURLcode checked, secrets redacted from messages.

#include "net/http_client.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "net/curl_handle.hpp"
#include "net/mail_transport.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

struct Transfer {
  HttpResponse response;
  std::size_t max_body = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t.response.body.size() + n > t.max_body) {
    t.too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  t.response.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  std::string_view line(data, n);
  // A new status line starts a new set of headers (after a 100 Continue, say).
  if (line.starts_with("HTTP/")) {
    t.response.headers.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  t.response.headers.emplace_back(to_lower_ascii(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  return n;
}

HttpFailure failure_of(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return HttpFailure::timed_out;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR: return HttpFailure::unreachable;
    default: return curl::is_certificate_error(code) ? HttpFailure::unreachable : HttpFailure::failed;
  }
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const {
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return {};
}

struct HttpClient::Impl {
  curl::Easy easy;
  HttpOptions options;
  std::uint64_t requests = 0;

  std::string clean(std::string text) const {
    for (const auto& secret : options.secrets) {
      if (!secret.empty()) {
        text = redact(std::move(text), secret);
        // Secrets travel percent-encoded in URLs and forms too.
        text = redact(std::move(text), url_encode(secret));
      }
    }
    return text;
  }

  HttpError error(HttpFailure kind, std::string_view url, std::string_view what) const {
    return HttpError{kind, clean(fmt::format("{}: {}", curl::server_address(url), what))};
  }

  HttpResult<HttpResponse> perform(const std::string& url, const std::string* form) {
    ++requests;
    Transfer transfer;
    transfer.max_body = options.max_body;
    Result<void> ok;
    const auto set = [&](CURLoption option, auto value) {
      if (ok) ok = easy.set(option, value);
    };
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    set(CURLOPT_SSL_VERIFYPEER, 1L);
    set(CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.ca_file.empty()) set(CURLOPT_CAINFO, options.ca_file.c_str());
    set(CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    set(CURLOPT_WRITEFUNCTION, on_body);
    set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
    set(CURLOPT_HEADERFUNCTION, on_header);
    set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
    if (form != nullptr) {
      set(CURLOPT_POST, 1L);
      set(CURLOPT_POSTFIELDS, form->c_str());
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form->size()));
    } else {
      set(CURLOPT_HTTPGET, 1L);
    }
    if (!ok) return std::unexpected(error(HttpFailure::failed, url, ok.error().message));

    easy.clear_error();
    const CURLcode code = curl_easy_perform(easy.get());
    // POSTFIELDS points into `form`: never leave it set for a later request.
    if (form != nullptr) {
      if (auto r = easy.set(CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr)); !r) {
        return std::unexpected(error(HttpFailure::failed, url, r.error().message));
      }
    }
    if (code != CURLE_OK) {
      if (transfer.too_large) {
        return std::unexpected(
            error(HttpFailure::failed, url, fmt::format("the answer is larger than {} bytes", options.max_body)));
      }
      return std::unexpected(error(failure_of(code), url, easy.error_text(code)));
    }
    auto status = easy.info<long>(CURLINFO_RESPONSE_CODE);
    if (!status) return std::unexpected(error(HttpFailure::failed, url, status.error().message));
    transfer.response.status = *status;
    return std::move(transfer.response);
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;
HttpClient::~HttpClient() = default;

Result<HttpClient> HttpClient::create(HttpOptions options) {
  auto easy = curl::Easy::create();
  if (!easy) return std::unexpected(easy.error());
  return HttpClient(std::make_unique<Impl>(Impl{std::move(*easy), std::move(options), 0}));
}

HttpResult<HttpResponse> HttpClient::get(const std::string& url) { return m_impl->perform(url, nullptr); }

HttpResult<HttpResponse> HttpClient::post_form(const std::string& url, const HttpFields& fields) {
  const std::string form = form_encode(fields);
  return m_impl->perform(url, &form);
}

std::uint64_t HttpClient::requests_made() const { return m_impl->requests; }

std::string url_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string form_encode(const HttpFields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += url_encode(name);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

}  // namespace respbench
