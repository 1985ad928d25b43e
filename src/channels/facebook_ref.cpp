#include "channels/facebook_ref.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::string_view k_canonical_host = "https://www.facebook.com";
constexpr std::string_view k_thread_prefix = "https://www.facebook.com/messages/t/";

// Only forms whose numbers the Graph API reads: every one of them ends as a Graph object id
// (or a Messenger thread, which is imported rather than polled). Anything else would be stored
// by `sent` and then never polled.
constexpr std::string_view k_expected =
    "expected a Graph object id (19292868552_10158349356748553 or 10158349356748553) or a facebook.com permalink "
    "with numbers: /PAGE/posts/NUMBER, /permalink.php?story_fbid=NUMBER&id=PAGE-ID or /photo/?fbid=NUMBER, "
    "each with or without comment_id=NUMBER[&reply_comment_id=NUMBER], or /messages/t/THREAD for a Messenger "
    "conversation";

bool all_of(std::string_view s, bool (*ok)(char)) { return !s.empty() && std::all_of(s.begin(), s.end(), ok); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_page_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }
bool is_thread_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; }

// "a_b" with both parts numbers, or one number.
bool is_graph_id(std::string_view text) {
  const auto underscore = text.find('_');
  if (underscore == std::string_view::npos) return is_graph_number(text);
  return is_graph_number(text.substr(0, underscore)) && is_graph_number(text.substr(underscore + 1));
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

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` with %XX decoded; nullopt when an escape is malformed.
std::optional<std::string> percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// Standard or URL-safe base64, padding optional; nullopt for anything else.
std::optional<std::string> base64_decoded(std::string_view text) {
  while (text.ends_with('=')) text.remove_suffix(1);
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (is_digit(c)) v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

// The Graph id of a comment named in a permalink under the object numbered `object_number`: a
// number is the comment's own number ("<object-number>_<n>"), "a_b" is already a Graph id, and
// the newer opaque ids ("Y29tbWVudDox…") are base64 of "comment:<a>_<b>", the Graph id itself.
// nullopt for anything else.
std::optional<std::string> comment_graph_id(std::string_view value, std::string_view object_number) {
  if (is_graph_number(value)) return fmt::format("{}_{}", object_number, value);
  if (is_graph_id(value)) return std::string(value);
  const auto unescaped = percent_decoded(value);
  if (!unescaped) return std::nullopt;
  const auto decoded = base64_decoded(*unescaped);
  constexpr std::string_view k_prefix = "comment:";
  if (!decoded || !decoded->starts_with(k_prefix)) return std::nullopt;
  const std::string_view id = std::string_view(*decoded).substr(k_prefix.size());
  if (id.find('_') == std::string_view::npos || !is_graph_id(id)) return std::nullopt;
  return std::string(id);
}

Result<FacebookRef> refuse(std::string_view text, std::string_view why = {}) {
  if (why.empty()) return fail(fmt::format("'{}' is not a Facebook reference: {}", text, k_expected));
  return fail(fmt::format("'{}' is not a Facebook reference the Graph API can read ({}): {}", text, why, k_expected));
}

constexpr std::string_view k_pfbid_why =
    "a pfbid link hides the post's number; take the link with the number, or the post's id, instead";

// Completes `ref` (an object numbered `object_number`, its normal form without comment) with the
// comment the query names, if any. `lead` joins the first comment parameter to `normal`.
Result<FacebookRef> with_comment(FacebookRef ref, std::string_view input, const Query& query, char lead) {
  const auto comment = query.get("comment_id");
  const auto reply = query.get("reply_comment_id");
  if (!comment && !reply) return ref;
  if (!comment) return refuse(input, "reply_comment_id= without comment_id=");
  const std::string_view object_number = ref.kind == FacebookObjectKind::photo ? ref.object_id : ref.post_number;
  const auto comment_id = comment_graph_id(*comment, object_number);
  if (!comment_id) return refuse(input, "comment_id= is not a comment's number");
  // The normal form keeps the numbers as given (a number stays short; an opaque id becomes the
  // Graph id it encodes), so the same comment registered twice looks the same.
  const auto number_of = [](std::string_view value, const std::string& graph_id) {
    return is_graph_number(value) ? std::string(value) : graph_id;
  };
  ref.normal += fmt::format("{}comment_id={}", lead, number_of(*comment, *comment_id));
  ref.object_id = *comment_id;
  if (reply) {
    // A reply is itself a comment object: the inquiry is the reply the operator wrote.
    const auto reply_id = comment_graph_id(*reply, object_number);
    if (!reply_id) return refuse(input, "reply_comment_id= is not a comment's number");
    ref.normal += fmt::format("&reply_comment_id={}", number_of(*reply, *reply_id));
    ref.object_id = *reply_id;
  }
  ref.kind = FacebookObjectKind::comment;
  return ref;
}

Result<FacebookRef> thread_ref(std::string_view thread) {
  FacebookRef ref;
  ref.kind = FacebookObjectKind::messenger_thread;
  ref.thread = std::string(thread);
  ref.normal = fmt::format("{}{}", k_thread_prefix, thread);
  return ref;
}

// The reference a facebook.com path and query name.
Result<FacebookRef> facebook_permalink(std::string_view input, std::string_view path, std::string_view query_text) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const Query query = parse_query(query_text);
  const auto segments = split_view(path.substr(path.starts_with('/') ? 1 : 0), '/');
  if (segments.size() == 3 && segments[0] == "messages" && segments[1] == "t" && all_of(segments[2], is_thread_char)) {
    return thread_ref(segments[2]);
  }
  FacebookRef ref;
  if (segments.size() == 3 && segments[1] == "posts" && all_of(segments[0], is_page_char)) {
    if (segments[2].starts_with("pfbid")) return refuse(input, k_pfbid_why);
    if (!is_graph_number(segments[2])) return refuse(input);
    ref.kind = FacebookObjectKind::post;
    ref.page = std::string(segments[0]);
    ref.post_number = std::string(segments[2]);
    ref.normal = fmt::format("{}/{}/posts/{}", k_canonical_host, ref.page, ref.post_number);
    if (is_graph_number(ref.page)) ref.object_id = fmt::format("{}_{}", ref.page, ref.post_number);
    return with_comment(std::move(ref), input, query, '?');
  }
  if (segments.size() == 1 && (segments[0] == "permalink.php" || segments[0] == "story.php")) {
    const auto story = query.get("story_fbid");
    const auto page = query.get("id");
    if (!story || !page) return refuse(input, "story_fbid= or id= is missing");
    if (story->starts_with("pfbid")) return refuse(input, k_pfbid_why);
    if (!is_graph_number(*story) || !is_graph_number(*page)) return refuse(input);
    ref.kind = FacebookObjectKind::post;
    ref.page = std::string(*page);
    ref.post_number = std::string(*story);
    ref.object_id = fmt::format("{}_{}", ref.page, ref.post_number);
    ref.normal = fmt::format("{}/permalink.php?story_fbid={}&id={}", k_canonical_host, ref.post_number, ref.page);
    return with_comment(std::move(ref), input, query, '&');
  }
  if (segments.size() == 1 && (segments[0] == "photo" || segments[0] == "photo.php")) {
    // A photo is a Graph object of its own (the Photo node, id = fbid) with a /comments edge,
    // read like a post's; so the poller reads what `sent` accepts here rather than `sent`
    // refusing a link the operator naturally copies from a photo.
    const auto fbid = query.get("fbid");
    if (!fbid || !is_graph_number(*fbid)) return refuse(input, "fbid= is not a number");
    ref.kind = FacebookObjectKind::photo;
    ref.object_id = std::string(*fbid);
    ref.normal = fmt::format("{}/photo/?fbid={}", k_canonical_host, *fbid);
    return with_comment(std::move(ref), input, query, '&');
  }
  return refuse(input);
}

}  // namespace

bool is_graph_number(std::string_view text) { return text.size() <= 24 && all_of(text, is_digit); }

Result<FacebookRef> parse_facebook_ref(std::string_view text) {
  const std::string_view input = trim(text);
  if (input.empty()) return fail(fmt::format("the reference is empty; {}", k_expected));
  if (is_graph_id(input)) {
    FacebookRef ref;
    ref.object_id = std::string(input);
    ref.normal = ref.object_id;
    return ref;
  }
  // A bare "messages/t/THREAD": what the operator copies from the address bar's path.
  if (input.starts_with("messages/t/")) return facebook_permalink(input, input, "");

  std::string_view rest = input;
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
    return facebook_permalink(input, path.empty() ? "/" : path, query);
  }
  if (host == "messenger.com" || host == "www.messenger.com") {
    const auto segments = split_view(path.substr(path.starts_with('/') ? 1 : 0), '/');
    if (segments.size() >= 2 && segments[0] == "t" && all_of(segments[1], is_thread_char)
        && (segments.size() == 2 || (segments.size() == 3 && segments[2].empty()))) {
      return thread_ref(segments[1]);
    }
  }
  // "hello" is no link at all; "example.test/…" is a link elsewhere.
  return refuse(input, host.find('.') == std::string::npos ? std::string_view() : "not a facebook.com or messenger.com link");
}

std::optional<std::string> graph_object_id(const FacebookRef& ref, std::string_view page_id) {
  if (ref.kind == FacebookObjectKind::messenger_thread) return std::nullopt;
  if (!ref.object_id.empty()) return ref.object_id;
  if (!is_graph_number(page_id) || ref.post_number.empty()) return std::nullopt;
  return fmt::format("{}_{}", page_id, ref.post_number);
}

std::optional<std::string> page_id_of_post(const FacebookRef& ref) {
  if (ref.kind != FacebookObjectKind::post || ref.object_id.empty()) return std::nullopt;
  return ref.object_id.substr(0, ref.object_id.find('_'));
}

std::optional<std::string> messenger_thread_of(std::string_view stored_ref) {
  if (!stored_ref.starts_with(k_thread_prefix)) return std::nullopt;
  const auto thread = stored_ref.substr(k_thread_prefix.size());
  if (!all_of(thread, is_thread_char)) return std::nullopt;
  return std::string(thread);
}

}  // namespace respbench
