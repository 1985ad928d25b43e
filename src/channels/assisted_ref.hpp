#pragma once
// What the operator registers after posting an inquiry by hand (`respbench sent --ref`): the
// reference's form is checked per channel and normalised, so that the same post registered as
// a mobile link, a www link or an id looks the same in the ledger.

#include <optional>
#include <string>
#include <string_view>

#include "study/model.hpp"
#include "util/result.hpp"

namespace respbench {

// The longest reference kept for a channel without a form of its own.
inline constexpr std::size_t k_max_ref_length = 500;

// The reference to store for `ref` on `channel`. Facebook: a Graph object id ("123_456",
// "123"), kept as it is, or a facebook.com permalink — /PAGE/posts/ID,
// /permalink.php?story_fbid=…&id=…, either with ?comment_id=…[&reply_comment_id=…],
// /photo/?fbid=…, /messages/t/THREAD (also messenger.com/t/THREAD, or "messages/t/THREAD"
// alone) — as "https://www.facebook.com/…" with only the query parameters that name the object.
// Other channels: any text of 1 to k_max_ref_length characters, trimmed. Fails with what was
// expected.
Result<std::string> normalize_assisted_ref(Channel channel, std::string_view ref);

// The Messenger thread a stored reference names ("https://www.facebook.com/messages/t/THREAD"),
// nullopt for any other reference.
std::optional<std::string> messenger_thread_of(std::string_view stored_ref);

}  // namespace respbench
