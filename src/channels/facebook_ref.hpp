#pragma once
// What the operator registers for a Facebook inquiry (`respbench sent --ref`): a Graph object id
// or a permalink, turned into the id the Graph API reads. Pure: no network, no ledger.
//
// Graph ids: a page's post is "<page-id>_<post-number>" ("19292868552_10158349356748553"), a
// comment "<post-number>_<comment-number>" ("10158371815748553_10158371930463553"), a newer
// object a bare number. Permalinks that carry these numbers:
//   https://www.facebook.com/<page>/posts/<post-number>
//   https://www.facebook.com/<page>/posts/<post-number>?comment_id=<n>[&reply_comment_id=<m>]
//   https://www.facebook.com/permalink.php?story_fbid=<post-number>&id=<page-id>[&comment_id=…]
// A post permalink with a page *name* needs the page's numeric id to become a Graph id; the
// result says so (needs_page_id) and graph_object_id() completes it.

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace respbench {

enum class FacebookObjectKind { post, comment, unknown };

struct FacebookRef {
  FacebookObjectKind kind = FacebookObjectKind::unknown;
  std::string object_id;    // the Graph id; empty when only the page's id is missing
  std::string page;         // the page's name or numeric id when the reference names it; else ""
  std::string post_number;  // a post's own number (without the page), when known
};

// Parses an id or permalink. Fails, saying what forms are expected, for anything else —
// including "pfbid…" permalinks, which the Graph API cannot read (the operator must take the
// numeric link from the post's time stamp instead).
Result<FacebookRef> parse_facebook_ref(std::string_view text);

// True when the reference still needs the page's numeric id (a post permalink by page name).
inline bool needs_page_id(const FacebookRef& ref) { return ref.object_id.empty(); }

// The Graph id of `ref`, completed with `page_id` when it needs one; nullopt when it needs one
// and `page_id` is empty or not numeric.
std::optional<std::string> graph_object_id(const FacebookRef& ref, std::string_view page_id);

// The page's numeric id that a post id starts with ("19292868552" of "19292868552_1015…");
// nullopt for other ids (a comment's prefix is its post's number, not a page).
std::optional<std::string> page_id_of_post(const FacebookRef& ref);

// True for a decimal number such as a Graph page id.
bool is_graph_number(std::string_view text);

}  // namespace respbench
