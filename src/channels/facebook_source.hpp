#pragma once
// What the Facebook channel needs from the Graph API, in the domain's words: "the comments under
// these objects" and "the ids of these pages". The Graph client (src/net/graph_client.hpp)
// implements it over HTTP; tests of the channel can implement it without a network.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/time.hpp"

namespace respbench {

struct FacebookComment {
  std::string id;                      // the comment's Graph id; "" when the API gives none
  std::optional<std::string> from_id;  // the author's id; nullopt when the API gives no author
  std::string from_name;
  std::string message;
  Instant created_time;
  std::string parent_id;  // the comment it replies to; "" for a comment on the object itself
  std::string permalink;  // "" when the API gives none
};

// Named by what the caller does next (STYLE.md, habit 6).
enum class FacebookFailure {
  retry_later,    // time-out, server error, a sub-request that timed out: read it in a later run
  back_off,       // rate limited (codes 4, 17, 32, 613, 80001 or usage at 100 %): stop calling
                  // until `wait` has passed (or a back-off of the caller's choice when absent)
  pause_channel,  // the token is invalid or expired (190): nothing works until it is replaced
  permission,     // (10, 200–299) the token may not read this object
  bad_request,    // (100, not about the object) our request is wrong — a configuration matter
  bad_reference,  // (100 for an unknown object) the inquiry's registered reference is wrong
};

struct FacebookError {
  FacebookFailure next = FacebookFailure::retry_later;
  std::string message;  // for the operator; never contains a token
  std::optional<std::chrono::seconds> wait;  // back_off: how long the API asks us to wait
};

// Whether the failure ends the channel's work for this run (no more calls).
constexpr bool stops_channel(FacebookFailure f) {
  return f == FacebookFailure::back_off || f == FacebookFailure::pause_channel || f == FacebookFailure::bad_request;
}

struct ObjectComments {
  std::string object_id;
  std::vector<FacebookComment> comments;  // what was read, oldest first (all, unless error)
  std::optional<FacebookError> error;     // set when not all could be read
};

struct PageLookup {
  std::string name;
  std::string id;                       // "" when not found
  std::optional<FacebookError> error;
};

class FacebookSource {
 public:
  virtual ~FacebookSource() = default;
  // The comments under each object — replies to comments included, oldest first — one entry per
  // id, in order. Once a failure that stops_channel() occurs, no more calls are made and every
  // object not yet read completely carries that failure.
  virtual std::vector<ObjectComments> comments_under(const std::vector<std::string>& object_ids) = 0;
  // The numeric ids of pages given by name, one entry per name, in order (same stopping rule).
  virtual std::vector<PageLookup> page_ids(const std::vector<std::string>& names) = 0;
  // HTTP requests made so far (a batch counts once).
  virtual std::uint64_t requests_made() const = 0;
};

}  // namespace respbench
