#pragma once
// What the operator registers after posting an inquiry by hand (`respbench sent --ref`): the
// reference's form is checked per channel and normalised, so that the same post registered as
// a mobile link, a www link or an id looks the same in the ledger.

#include <string>
#include <string_view>

#include "study/model.hpp"
#include "util/result.hpp"

namespace respbench {

// The longest reference kept for a channel without a form of its own.
inline constexpr std::size_t k_max_ref_length = 500;

// The reference to store for `ref` on `channel`. Facebook: the normal form of a reference the
// Graph poller can read (parse_facebook_ref in channels/facebook_ref.hpp, the one parser of
// those forms). Other channels: any text of 1 to k_max_ref_length characters, trimmed. Fails
// with what was expected.
Result<std::string> normalize_assisted_ref(Channel channel, std::string_view ref);

}  // namespace respbench
