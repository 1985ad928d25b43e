// The Graph API client: requests with the token and appsecret_proof, transient failures
// repeated, usage headers watched, error bodies classified (notes/graph-api.md).

#include "net/graph_client.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>
#include <glib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "net/mail_transport.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

int json_int(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return 0;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return 0;
  if (it->value.IsInt()) return it->value.GetInt();
  if (it->value.IsDouble()) return static_cast<int>(it->value.GetDouble());
  if (it->value.IsString()) return std::atoi(it->value.GetString());
  return 0;
}

std::string json_string(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                           : std::string();
}

// The highest of call_count, total_time, total_cputime in {"call_count":28,…}.
int usage_percent(const rapidjson::Value& v) {
  return std::max({json_int(v, "call_count"), json_int(v, "total_time"), json_int(v, "total_cputime")});
}

int parse_usage_object(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  return d.HasParseError() ? 0 : usage_percent(d);
}

bool is_rate_limit(int code) {
  return code == 4 || code == 17 || code == 32 || code == 341 || code == 368 || code == 613 ||
         (code >= 80000 && code <= 80014);
}

std::string token_advice(int subcode, std::string_view token_env) {
  std::string_view why;
  switch (subcode) {
    case 458: why = "the app was removed from the account that issued the token"; break;
    case 459: why = "the account is checkpointed: log in on facebook.com and follow the instructions"; break;
    case 460: why = "the account's password was changed"; break;
    case 463: why = "the token has expired"; break;
    case 464: why = "the account is not confirmed"; break;
    case 467: why = "the token is no longer valid (logged out or revoked)"; break;
    case 492: why = "the session is invalid (the account's role on the page changed)"; break;
    default: why = "the token is invalid"; break;
  }
  return fmt::format("{}; get a new token and put it into the environment variable {} — Facebook polling is "
                     "paused until then, the other channels go on",
                     why, token_env.empty() ? "named by facebook.token_env" : token_env);
}

}  // namespace

GraphUsage parse_graph_usage(std::string_view app_usage, std::string_view page_usage, std::string_view business_usage) {
  GraphUsage usage;
  if (!app_usage.empty()) usage.app = parse_usage_object(app_usage);
  if (!page_usage.empty()) usage.page = parse_usage_object(page_usage);
  if (!business_usage.empty()) {
    rapidjson::Document d;
    d.Parse(business_usage.data(), business_usage.size());
    if (!d.HasParseError() && d.IsObject()) {
      int regain = 0;
      for (auto& member : d.GetObject()) {
        if (!member.value.IsArray()) continue;
        for (auto& entry : member.value.GetArray()) {
          usage.business = std::max(usage.business, usage_percent(entry));
          regain = std::max(regain, json_int(entry, "estimated_time_to_regain_access"));
        }
      }
      if (regain > 0) usage.regain = std::chrono::minutes(regain);
    }
  }
  return usage;
}

GraphFailureInfo classify_graph_error(long http_status, std::string_view body, const GraphUsage& usage,
                                      std::string_view token_env) {
  GraphFailureInfo info;
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  const bool has_error = !d.HasParseError() && d.IsObject() && d.HasMember("error") && d["error"].IsObject();
  if (!has_error) {
    // No error body: a proxy's page, an empty 5xx — the server had a problem, not our request.
    info.error.next = FacebookFailure::retry_later;
    info.error.message = fmt::format("Graph API answered HTTP {} without an error body", http_status);
    if (http_status < 500 && http_status != 429 && http_status != 408) info.error.next = FacebookFailure::bad_request;
    return info;
  }
  const rapidjson::Value& e = d["error"];
  info.code = json_int(e, "code");
  info.subcode = json_int(e, "error_subcode");
  const std::string message = json_string(e, "message");
  const std::string type = json_string(e, "type");
  const std::string trace = json_string(e, "fbtrace_id");
  const bool transient = e.HasMember("is_transient") && e["is_transient"].IsBool() && e["is_transient"].GetBool();
  std::string described = fmt::format("Graph API: {} (code {}{}, {}{}, HTTP {})", message, info.code,
                                      info.subcode ? fmt::format("/{}", info.subcode) : std::string(), type,
                                      trace.empty() ? std::string() : ", fbtrace_id " + trace, http_status);
  FacebookError& out = info.error;
  // Rate limits first: code 4 comes with is_transient, but repeating it at once makes it worse.
  if (is_rate_limit(info.code)) {
    out.next = FacebookFailure::back_off;
    if (usage.regain) out.wait = std::chrono::duration_cast<std::chrono::seconds>(*usage.regain);
    out.message = fmt::format("{}; rate limited (usage {} %{}), polling waits", described, usage.highest(),
                              usage.regain ? fmt::format(", access again in {} min", usage.regain->count()) : "");
  } else if (info.code == 1 || info.code == 2 || transient) {
    out.next = FacebookFailure::retry_later;
    info.soon = true;
    out.message = described;
  } else if (info.code == 190 || info.code == 102) {
    out.next = FacebookFailure::pause_channel;
    out.message = fmt::format("{}: {}", described, token_advice(info.subcode, token_env));
  } else if (info.code == 10 || (info.code >= 200 && info.code <= 299)) {
    out.next = FacebookFailure::permission;
    out.message = fmt::format(
        "{}; the token lacks a permission (reading another company's page needs the Page Public Content Access "
        "feature, or the page's own token)",
        described);
  } else if (info.code == 803 ||
             (info.code == 100 && (info.subcode == 33 || message.find("does not exist") != std::string::npos))) {
    out.next = FacebookFailure::bad_reference;
    out.message = fmt::format("{}; the registered post or comment id is wrong or no longer exists", described);
  } else if (info.code == 100) {
    out.next = FacebookFailure::bad_request;
    out.message = described;
  } else {
    out.next = http_status >= 500 ? FacebookFailure::retry_later : FacebookFailure::bad_request;
    out.message = described;
  }
  return info;
}

std::string appsecret_proof(std::string_view token, std::string_view app_secret) {
  gchar* hex = g_compute_hmac_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(app_secret.data()),
                                       app_secret.size(), reinterpret_cast<const guchar*>(token.data()), token.size());
  std::string out = hex != nullptr ? hex : "";
  g_free(hex);
  return out;
}

// GraphClient ---------------------------------------------------------------------------------

GraphClient::GraphClient(GraphSettings settings, HttpClient http)
    : m_settings(std::move(settings)), m_http(std::move(http)) {
  while (m_settings.base_url.ends_with('/')) m_settings.base_url.pop_back();
  if (!m_settings.app_secret.empty()) m_proof = appsecret_proof(m_settings.token, m_settings.app_secret);
}

Result<GraphClient> GraphClient::create(GraphSettings settings) {
  if (settings.base_url.empty()) return fail("facebook.graph_url is empty");
  if (settings.token.empty()) return fail("no Graph API token given");
  if (settings.batch_size == 0 || settings.batch_size > 50) settings.batch_size = 50;
  HttpOptions options;
  options.timeout = settings.timeout;
  options.connect_timeout = std::min(settings.timeout, std::chrono::milliseconds(10000));
  options.secrets = {settings.token, settings.app_secret};
  auto http = HttpClient::create(std::move(options));
  if (!http) return std::unexpected(http.error());
  return GraphClient(std::move(settings), std::move(*http));
}

void GraphClient::note_usage(const HttpFields& headers) {
  std::string_view app, page, business;
  for (const auto& [name, value] : headers) {
    const std::string lower = to_lower_ascii(name);
    if (lower == "x-app-usage") app = value;
    else if (lower == "x-page-usage") page = value;
    else if (lower == "x-business-use-case-usage") business = value;
  }
  const GraphUsage now = parse_graph_usage(app, page, business);
  m_usage.app = std::max(m_usage.app, now.app);
  m_usage.page = std::max(m_usage.page, now.page);
  m_usage.business = std::max(m_usage.business, now.business);
  if (now.regain && (!m_usage.regain || *now.regain > *m_usage.regain)) m_usage.regain = now.regain;
}

std::string GraphClient::relative_to_base(std::string_view next) const {
  std::string_view rest = next;
  if (rest.starts_with(m_settings.base_url)) {
    rest.remove_prefix(m_settings.base_url.size());
  } else if (auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    // Another host or version than configured: keep the path after the version segment.
    rest.remove_prefix(scheme + 3);
    rest.remove_prefix(std::min(rest.size(), rest.find('/')));
    if (rest.size() > 2 && rest[1] == 'v' && std::isdigit(static_cast<unsigned char>(rest[2]))) {
      rest.remove_prefix(std::min(rest.size(), rest.find('/', 1)));
    }
  }
  while (rest.starts_with('/')) rest.remove_prefix(1);
  // Our token and proof go with every request anyway; the sub-request must not carry them.
  const auto q = rest.find('?');
  if (q == std::string_view::npos) return std::string(rest);
  std::string out(rest.substr(0, q));
  char separator = '?';
  for (const auto& part : split_list(rest.substr(q + 1), '&')) {
    if (part.starts_with("access_token=") || part.starts_with("appsecret_proof=")) continue;
    out += separator;
    out += part;
    separator = '&';
  }
  return out;
}

std::string GraphClient::url_for(const std::string& relative_url) const {
  std::string url = relative_url.find("://") != std::string::npos
                        ? m_settings.base_url + "/" + relative_to_base(relative_url)
                        : m_settings.base_url + "/" + relative_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "access_token=" + url_encode(m_settings.token);
  if (!m_proof.empty()) url += "&appsecret_proof=" + m_proof;
  return url;
}

void GraphClient::pause_before_retry() const {
  if (m_settings.retry_pause.count() > 0) std::this_thread::sleep_for(m_settings.retry_pause);
}

namespace {

GraphFailureInfo transport_failure(const HttpError& e) {
  GraphFailureInfo info;
  info.error.next = FacebookFailure::retry_later;
  info.error.message = fmt::format("Graph API {}: {}", e.kind == HttpFailure::timed_out ? "timed out" : "unreachable",
                                   e.message);
  return info;
}

}  // namespace

std::expected<std::string, GraphFailureInfo> GraphClient::get(const std::string& relative_url) {
  GraphFailureInfo last;
  for (int attempt = 0; attempt <= m_settings.retries; ++attempt) {
    if (attempt > 0) pause_before_retry();
    auto answer = m_http.get(url_for(relative_url));
    if (!answer) return std::unexpected(transport_failure(answer.error()));
    note_usage(answer->headers);
    if (answer->status == 200) return std::move(answer->body);
    last = classify_graph_error(answer->status, answer->body, m_usage, m_settings.token_env);
    if (!last.soon) break;
  }
  return std::unexpected(last);
}

std::expected<std::vector<std::optional<GraphAnswer>>, GraphFailureInfo> GraphClient::batch(
    const std::vector<std::string>& relative_urls) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const auto& url : relative_urls) {
    w.StartObject();
    w.Key("method");
    w.String("GET");
    w.Key("relative_url");
    w.String(url.c_str(), static_cast<rapidjson::SizeType>(url.size()));
    w.EndObject();
  }
  w.EndArray();
  HttpFields form = {{"access_token", m_settings.token}, {"batch", buffer.GetString()}, {"include_headers", "true"}};
  if (!m_proof.empty()) form.emplace_back("appsecret_proof", m_proof);

  GraphFailureInfo last;
  for (int attempt = 0; attempt <= m_settings.retries; ++attempt) {
    if (attempt > 0) pause_before_retry();
    auto answer = m_http.post_form(m_settings.base_url + "/", form);
    if (!answer) return std::unexpected(transport_failure(answer.error()));
    note_usage(answer->headers);
    if (answer->status != 200) {
      last = classify_graph_error(answer->status, answer->body, m_usage, m_settings.token_env);
      if (last.soon) continue;
      return std::unexpected(last);
    }
    rapidjson::Document d;
    d.Parse(answer->body.data(), answer->body.size());
    if (d.HasParseError() || !d.IsArray()) {
      last.error = {FacebookFailure::retry_later, "Graph API: the batch answer is not a JSON array", {}};
      return std::unexpected(last);
    }
    std::vector<std::optional<GraphAnswer>> out;
    for (auto& item : d.GetArray()) {
      if (!item.IsObject()) {
        out.emplace_back();  // null: this sub-request timed out
        continue;
      }
      GraphAnswer a;
      a.code = json_int(item, "code");
      a.body = json_string(item, "body");
      if (item.HasMember("headers") && item["headers"].IsArray()) {
        for (auto& h : item["headers"].GetArray()) a.headers.emplace_back(json_string(h, "name"), json_string(h, "value"));
      }
      note_usage(a.headers);
      out.emplace_back(std::move(a));
    }
    if (out.size() != relative_urls.size()) {
      last.error = {FacebookFailure::retry_later,
                    fmt::format("Graph API: the batch answer has {} entries for {} requests", out.size(),
                                relative_urls.size()),
                    {}};
      return std::unexpected(last);
    }
    return out;
  }
  return std::unexpected(last);
}

}  // namespace respbench
