#include "channels/facebook_ref.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::string_view k_expected =
    "expected a Graph id (19292868552_10158349356748553) or a permalink "
    "(https://www.facebook.com/PAGE/posts/NUMBER, …?comment_id=NUMBER, "
    "permalink.php?story_fbid=NUMBER&id=PAGE-ID)";

// "a_b" with both parts numbers, or one number.
bool is_graph_id(std::string_view text) {
  auto underscore = text.find('_');
  if (underscore == std::string_view::npos) return is_graph_number(text);
  return is_graph_number(text.substr(0, underscore)) && is_graph_number(text.substr(underscore + 1));
}

std::map<std::string, std::string, std::less<>> query_of(std::string_view query) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& pair : split_list(query, '&')) {
    auto eq = pair.find('=');
    if (eq == std::string::npos) out[pair] = "";
    else out[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return out;
}

// The comment's Graph id from a permalink's comment_id/reply_comment_id (a reply is itself a
// comment object: the inquiry is the reply the operator wrote).
std::optional<std::string> comment_id_from(const std::map<std::string, std::string, std::less<>>& query,
                                           std::string_view post_number) {
  for (std::string_view key : {"reply_comment_id", "comment_id"}) {
    auto it = query.find(key);
    if (it == query.end() || it->second.empty()) continue;
    if (it->second.find('_') != std::string::npos) {
      return is_graph_id(it->second) ? std::optional<std::string>(it->second) : std::nullopt;
    }
    if (!is_graph_number(it->second)) return std::nullopt;
    return fmt::format("{}_{}", post_number, it->second);
  }
  return std::string();  // no comment named
}

Result<FacebookRef> refuse(std::string_view text, std::string_view why = {}) {
  if (why.empty()) return fail(fmt::format("\"{}\" is not a Facebook reference; {}", text, k_expected));
  return fail(fmt::format("\"{}\" is not a Facebook reference the Graph API can read: {}; {}", text, why, k_expected));
}

}  // namespace

bool is_graph_number(std::string_view text) {
  return !text.empty() && text.size() <= 24 &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

Result<FacebookRef> parse_facebook_ref(std::string_view text) {
  const std::string_view input = trim(text);
  if (input.empty()) return refuse(input);
  if (is_graph_id(input)) {
    FacebookRef ref;
    ref.object_id = std::string(input);
    return ref;
  }

  std::string_view rest = input;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (to_lower_ascii(rest.substr(0, scheme.size())) == scheme) rest.remove_prefix(scheme.size());
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return refuse(input);
  const std::string host = to_lower_ascii(rest.substr(0, slash));
  if (host != "facebook.com" && !host.ends_with(".facebook.com")) return refuse(input, "not a facebook.com link");
  rest.remove_prefix(slash + 1);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string_view path = rest;
  std::string_view query_text;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    path = rest.substr(0, q);
    query_text = rest.substr(q + 1);
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  const auto query = query_of(query_text);

  FacebookRef ref;
  std::string_view post_number;
  if (path == "permalink.php" || path == "story.php") {
    auto story = query.find("story_fbid");
    auto page = query.find("id");
    if (story == query.end() || page == query.end()) return refuse(input, "story_fbid= or id= is missing");
    if (story->second.starts_with("pfbid")) return refuse(input, "a pfbid link hides the post's number");
    if (!is_graph_number(story->second) || !is_graph_number(page->second)) return refuse(input);
    ref.page = page->second;
    post_number = story->second;
  } else {
    // PAGE/posts/NUMBER
    auto parts = split_list(path, '/');
    if (parts.size() != 3 || parts[1] != "posts") return refuse(input);
    if (parts[2].starts_with("pfbid")) return refuse(input, "a pfbid link hides the post's number");
    if (!is_graph_number(parts[2])) return refuse(input);
    ref.page = parts[0];
    post_number = path.substr(path.rfind('/') + 1);
  }
  ref.post_number = std::string(post_number);

  auto comment = comment_id_from(query, post_number);
  if (!comment) return refuse(input, "comment_id= is not a number");
  if (!comment->empty()) {
    ref.kind = FacebookObjectKind::comment;
    ref.object_id = *comment;
    return ref;
  }
  ref.kind = FacebookObjectKind::post;
  if (is_graph_number(ref.page)) ref.object_id = fmt::format("{}_{}", ref.page, post_number);
  return ref;
}

std::optional<std::string> graph_object_id(const FacebookRef& ref, std::string_view page_id) {
  if (!ref.object_id.empty()) return ref.object_id;
  if (!is_graph_number(page_id) || ref.post_number.empty()) return std::nullopt;
  return fmt::format("{}_{}", page_id, ref.post_number);
}

std::optional<std::string> page_id_of_post(const FacebookRef& ref) {
  if (ref.kind != FacebookObjectKind::post || ref.object_id.empty()) return std::nullopt;
  return ref.object_id.substr(0, ref.object_id.find('_'));
}

}  // namespace respbench
