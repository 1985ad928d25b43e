#include "channels/assisted_ref.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "util/csv.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::string_view k_canonical_host = "https://www.facebook.com";
constexpr std::string_view k_thread_prefix = "https://www.facebook.com/messages/t/";

constexpr std::string_view k_facebook_forms =
    "expected a Graph object id (123456_789012 or 123456) or a facebook.com permalink: "
    "/PAGE/posts/ID, /permalink.php?story_fbid=ID&id=PAGE-ID, either with ?comment_id=ID"
    "[&reply_comment_id=ID], /photo/?fbid=ID, or /messages/t/THREAD for a Messenger conversation";

bool all_of(std::string_view s, bool (*ok)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), ok); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_page_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }
bool is_thread_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; }
// Newer comment ids are base64 ("Y29tbWVudDox…"), possibly percent-encoded.
bool is_token_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '=' || c == '%'; }
bool is_digits(std::string_view s) { return all_of(s, is_digit); }

bool is_graph_id(std::string_view s) {
  const auto underscore = s.find('_');
  if (underscore == std::string_view::npos) return is_digits(s);
  return is_digits(s.substr(0, underscore)) && is_digits(s.substr(underscore + 1));
}

std::vector<std::string_view> split_view(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = s.find(separator);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

struct Query {
  std::vector<std::pair<std::string_view, std::string_view>> params;
  std::optional<std::string_view> get(std::string_view key) const {
    for (const auto& [k, v] : params) {
      if (k == key) return v;
    }
    return std::nullopt;
  }
};

Query parse_query(std::string_view query) {
  Query q;
  if (query.empty()) return q;
  for (auto part : split_view(query, '&')) {
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) q.params.emplace_back(part, "");
    else q.params.emplace_back(part.substr(0, eq), part.substr(eq + 1));
  }
  return q;
}

// "?comment_id=…[&reply_comment_id=…]" when the query names a comment; "" when it names none;
// nullopt when it is malformed.
std::optional<std::string> comment_suffix(const Query& q, char lead) {
  const auto comment = q.get("comment_id");
  const auto reply = q.get("reply_comment_id");
  if (!comment) return reply ? std::nullopt : std::optional<std::string>("");
  if (!all_of(*comment, is_token_char)) return std::nullopt;
  std::string out = fmt::format("{}comment_id={}", lead, *comment);
  if (reply) {
    if (!all_of(*reply, is_token_char)) return std::nullopt;
    out += fmt::format("&reply_comment_id={}", *reply);
  }
  return out;
}

// The canonical permalink for a facebook.com path and query, nullopt when it is not one of the
// forms named in k_facebook_forms.
std::optional<std::string> facebook_permalink(std::string_view path, std::string_view query) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const Query q = parse_query(query);
  const auto segments = split_view(path.substr(path.starts_with('/') ? 1 : 0), '/');
  if (segments.size() == 3 && segments[0] == "messages" && segments[1] == "t" && all_of(segments[2], is_thread_char)) {
    return fmt::format("{}{}", k_thread_prefix, segments[2]);
  }
  if (segments.size() == 3 && segments[1] == "posts" && all_of(segments[0], is_page_char)
      && all_of(segments[2], is_alnum)) {
    auto comment = comment_suffix(q, '?');
    if (!comment) return std::nullopt;
    return fmt::format("{}/{}/posts/{}{}", k_canonical_host, segments[0], segments[2], *comment);
  }
  if (segments.size() == 1 && segments[0] == "permalink.php") {
    const auto story = q.get("story_fbid");
    const auto page = q.get("id");
    if (!story || !page || !all_of(*story, is_alnum) || !is_digits(*page)) return std::nullopt;
    auto comment = comment_suffix(q, '&');
    if (!comment) return std::nullopt;
    return fmt::format("{}/permalink.php?story_fbid={}&id={}{}", k_canonical_host, *story, *page, *comment);
  }
  if (segments.size() == 1 && (segments[0] == "photo" || segments[0] == "photo.php")) {
    const auto fbid = q.get("fbid");
    if (!fbid || !is_digits(*fbid)) return std::nullopt;
    auto comment = comment_suffix(q, '&');
    if (!comment) return std::nullopt;
    return fmt::format("{}/photo/?fbid={}{}", k_canonical_host, *fbid, *comment);
  }
  return std::nullopt;
}

std::optional<std::string> normalize_facebook(std::string_view ref) {
  if (is_graph_id(ref)) return std::string(ref);
  // A bare "messages/t/THREAD": what the operator copies from the address bar's path.
  if (ref.starts_with("messages/t/")) return facebook_permalink(ref, "");
  std::string_view rest = ref;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (rest.size() >= scheme.size() && to_lower_ascii(rest.substr(0, scheme.size())) == scheme) {
      rest.remove_prefix(scheme.size());
      break;
    }
  }
  rest = rest.substr(0, rest.find('#'));
  const auto path_at = std::min(rest.find_first_of("/?"), rest.size());
  const std::string host = to_lower_ascii(rest.substr(0, path_at));
  rest.remove_prefix(path_at);
  const auto query_at = rest.find('?');
  const auto path = rest.substr(0, query_at);
  const auto query = query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
  static constexpr std::array<std::string_view, 4> k_facebook_hosts = {"facebook.com", "www.facebook.com",
                                                                        "m.facebook.com", "web.facebook.com"};
  if (std::find(k_facebook_hosts.begin(), k_facebook_hosts.end(), host) != k_facebook_hosts.end()) {
    return facebook_permalink(path.empty() ? "/" : path, query);
  }
  if (host == "messenger.com" || host == "www.messenger.com") {
    const auto segments = split_view(path.substr(path.starts_with('/') ? 1 : 0), '/');
    if (segments.size() >= 2 && segments[0] == "t" && all_of(segments[1], is_thread_char)
        && (segments.size() == 2 || (segments.size() == 3 && segments[2].empty()))) {
      return fmt::format("{}{}", k_thread_prefix, segments[1]);
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> normalize_assisted_ref(Channel channel, std::string_view ref) {
  const std::string_view trimmed = trim(ref);
  if (trimmed.empty()) return fail("the reference is empty; expected what was posted (a permalink or an id)");
  if (channel == Channel::facebook) {
    if (auto normal = normalize_facebook(trimmed)) return *normal;
    return fail(fmt::format("'{}' is not a Facebook reference: {}", trimmed, k_facebook_forms));
  }
  if (!is_valid_utf8(trimmed)) return fail("the reference is not valid UTF-8");
  if (display_width(trimmed) > k_max_ref_length) {
    return fail(fmt::format("the reference is longer than {} characters", k_max_ref_length));
  }
  return std::string(trimmed);
}

std::optional<std::string> messenger_thread_of(std::string_view stored_ref) {
  if (!stored_ref.starts_with(k_thread_prefix)) return std::nullopt;
  const auto thread = stored_ref.substr(k_thread_prefix.size());
  if (!all_of(thread, is_thread_char)) return std::nullopt;
  return std::string(thread);
}

}  // namespace respbench
