#pragma once
// The one parser of what the operator registers for a Facebook inquiry (`respbench sent --ref`):
// `sent` stores its normal form, the Graph poller reads the Graph object id from that form, so
// that nothing is registered that the poller cannot read. Pure: no network, no ledger.
//
// Graph ids: a page's post is "<page-id>_<post-number>" ("19292868552_10158349356748553"), a
// comment "<post-number>_<comment-number>" ("10158371815748553_10158371930463553"), a newer
// object (a photo, say) a bare number. Permalinks that carry these numbers:
//   https://www.facebook.com/<page>/posts/<post-number>
//   https://www.facebook.com/permalink.php?story_fbid=<post-number>&id=<page-id>  (or story.php)
//   https://www.facebook.com/photo/?fbid=<photo-id>                               (or photo.php)
// each also with ?comment_id=<n>[&reply_comment_id=<m>] naming a comment under the object; and
//   https://www.facebook.com/messages/t/<thread>  (or messenger.com/t/<thread>)
// for a Messenger conversation, which has no comments to poll (its answers are imported).
// A post permalink with a page *name* needs the page's numeric id to become a Graph id; the
// result says so (needs_page_id) and graph_object_id() completes it.

#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace respbench {

enum class FacebookObjectKind { post, comment, photo, messenger_thread, unknown };

struct FacebookRef {
  FacebookObjectKind kind = FacebookObjectKind::unknown;  // unknown: a bare Graph id
  std::string normal;       // what to store: the id as given, or "https://www.facebook.com/…"
                            // with only the query parameters that name the object
  std::string object_id;    // the Graph id; empty when only the page's id is missing, or for a thread
  std::string page;         // the page's name or numeric id when the reference names it; else ""
  std::string post_number;  // a post's own number (without the page), when known
  std::string thread;       // the Messenger thread, for kind messenger_thread
};

// Parses an id or permalink (surrounding blanks ignored). Fails, saying which forms work, for
// anything else — including "pfbid…" permalinks, which hide the post's number from the Graph API.
Result<FacebookRef> parse_facebook_ref(std::string_view text);

// True when the reference still needs the page's numeric id (a post permalink by page name).
inline bool needs_page_id(const FacebookRef& ref) {
  return ref.object_id.empty() && ref.kind != FacebookObjectKind::messenger_thread;
}

// The Graph id of `ref`, completed with `page_id` when it needs one; nullopt when it needs one
// and `page_id` is empty or not numeric, and for a Messenger thread.
std::optional<std::string> graph_object_id(const FacebookRef& ref, std::string_view page_id);

// The page's numeric id that a post id starts with ("19292868552" of "19292868552_1015…");
// nullopt for other ids (a comment's prefix is its post's number, not a page).
std::optional<std::string> page_id_of_post(const FacebookRef& ref);

// True for a decimal number such as a Graph page id.
bool is_graph_number(std::string_view text);

// The Messenger thread a stored reference names ("https://www.facebook.com/messages/t/THREAD"),
// nullopt for any other reference.
std::optional<std::string> messenger_thread_of(std::string_view stored_ref);

}  // namespace respbench
