#pragma once
// The Graph API over HTTP (libcurl + RapidJSON): a configurable base URL with its version, the
// token with appsecret_proof, single and batch requests, cursor paging, the usage headers, and
// error bodies turned into what the caller does next (notes/graph-api.md). The token never
// appears in a message.

#include <chrono>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/facebook_source.hpp"
#include "net/http_client.hpp"
#include "util/result.hpp"

namespace respbench {

struct GraphSettings {
  std::string base_url;    // "https://graph.facebook.com/v21.0"
  std::string token;       // an app token or a Page token; kept in memory only
  std::string app_secret;  // for appsecret_proof; empty: none is sent
  std::string token_env;   // the variable the token came from, named in messages
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds retry_pause{1000};  // before repeating a transient failure (1, 2, null)
  int retries = 2;                              // repeats of a transient failure within one call
  std::size_t batch_size = 50;                  // the Graph API's maximum
};

// The usage headers of one answer, in percent of the allowance (100: throttled).
struct GraphUsage {
  int app = 0;       // x-app-usage
  int page = 0;      // x-page-usage
  int business = 0;  // x-business-use-case-usage (the highest of its entries)
  std::optional<std::chrono::minutes> regain;  // estimated_time_to_regain_access, when > 0

  int highest() const { return std::max({app, page, business}); }
  bool limited() const { return highest() >= 100 || regain.has_value(); }
};

// Reads the usage headers (absent or unreadable ones count as 0).
GraphUsage parse_graph_usage(std::string_view app_usage, std::string_view page_usage, std::string_view business_usage);

// A failed answer's meaning: from the error body ({"error":{"message","type","code",
// "error_subcode","fbtrace_id"}}) and the HTTP status. `soon` is set for the transient codes 1
// and 2 (and is_transient), which are worth repeating within the same run.
struct GraphFailureInfo {
  FacebookError error;
  bool soon = false;
  int code = 0;
  int subcode = 0;
};
GraphFailureInfo classify_graph_error(long http_status, std::string_view body, const GraphUsage& usage,
                                      std::string_view token_env);

// HMAC-SHA256 of `token` keyed with `app_secret`, in lower-case hex (the appsecret_proof).
std::string appsecret_proof(std::string_view token, std::string_view app_secret);

// One answer inside a batch: its HTTP code, headers and JSON body; nullopt in a batch result
// means the sub-request timed out (the Graph API answers null for it).
struct GraphAnswer {
  long code = 0;
  HttpFields headers;
  std::string body;
};

class GraphClient {
 public:
  static Result<GraphClient> create(GraphSettings settings);

  // GET `relative_url` ("12_34/comments?fields=id"), or an absolute URL under the base (a
  // paging `next`); repeats transient failures. The body of a 200 answer, else what to do.
  std::expected<std::string, GraphFailureInfo> get(const std::string& relative_url);
  // POST / with batch=[…] of GET sub-requests (at most batch_size). One entry per request, in
  // order; nullopt for a sub-request that timed out. Fails as a whole when the POST fails.
  std::expected<std::vector<std::optional<GraphAnswer>>, GraphFailureInfo> batch(
      const std::vector<std::string>& relative_urls);

  // The highest usage any answer reported so far, and the estimated time to regain access.
  const GraphUsage& usage() const { return m_usage; }
  void note_usage(const HttpFields& headers);
  std::uint64_t requests_made() const { return m_http.requests_made(); }
  const GraphSettings& settings() const { return m_settings; }

  // `next` (an absolute paging URL) as a URL relative to the API's version, without our token:
  // what a batch sub-request wants.
  std::string relative_to_base(std::string_view next) const;

 private:
  GraphClient(GraphSettings settings, HttpClient http);
  std::string url_for(const std::string& relative_url) const;
  void pause_before_retry() const;

  GraphSettings m_settings;
  HttpClient m_http;
  std::string m_proof;
  GraphUsage m_usage;
};

// The FacebookSource of the channel, over the Graph API; fails when the client cannot be made.
Result<std::unique_ptr<FacebookSource>> make_graph_source(GraphSettings settings);

}  // namespace respbench
