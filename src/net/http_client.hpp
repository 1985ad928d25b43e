#pragma once
// A small HTTP client (GET, POST of a form) over libcurl, for web APIs such as the Graph API.
// libcurl stays behind this header. Failures are values; secrets given in HttpOptions never
// appear in an error message (STYLE.md, habit 11).

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace respbench {

using HttpFields = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  long status = 0;      // 200, 400, 500 …
  HttpFields headers;   // names in lower case, in the order received
  std::string body;

  // The value of the last header `name` (lower case), "" when absent.
  std::string_view header(std::string_view name) const;
};

// Named by what the caller does next: all of these mean "no answer from the server, try later".
enum class HttpFailure {
  timed_out,    // no complete answer within the time-out
  unreachable,  // no connection (refused, name not resolved, TLS failure)
  failed,       // anything else: the transfer broke off, the answer was too large, …
};

struct HttpError {
  HttpFailure kind = HttpFailure::failed;
  std::string message;  // never contains a secret
};

template <class T>
using HttpResult = std::expected<T, HttpError>;

struct HttpOptions {
  std::chrono::milliseconds timeout{30000};  // for the whole transfer
  std::chrono::milliseconds connect_timeout{10000};
  std::vector<std::string> secrets;  // redacted from every message (tokens in URLs, say)
  std::string ca_file;               // extra CA certificates; empty: the system's
  std::size_t max_body = 32 * 1024 * 1024;  // larger answers fail (DESIGN §5: bound sizes)
};

class HttpClient {
 public:
  // A client with one connection that is kept between requests; fails when libcurl cannot be
  // initialised.
  static Result<HttpClient> create(HttpOptions options);

  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  // GET `url` (http:// or https:// only). Any HTTP status is a response; only a missing
  // answer is an error.
  HttpResult<HttpResponse> get(const std::string& url);
  // POST `fields` as application/x-www-form-urlencoded to `url`.
  HttpResult<HttpResponse> post_form(const std::string& url, const HttpFields& fields);

  // Requests made so far (for tests and benchmarks).
  std::uint64_t requests_made() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// `text` percent-encoded for a URL's query or a form value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view text);
// "a=1&b=x%20y" from the fields, each value encoded.
std::string form_encode(const HttpFields& fields);

}  // namespace respbench
