#pragma once
// A fetched message as respbench reads it: decoded headers, its text, and the parts a bounce
// carries. GMime does the MIME work behind this header; nothing GMime-shaped leaks out, so the
// classifier and matcher are tested with plain values (STYLE habit 3).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <chrono>

namespace respbench {

// One per-recipient block of a delivery report (RFC 3464 `message/delivery-status`), or what
// a non-standard bounce says about one recipient.
struct DeliveryStatus {
  std::string recipient;   // Final-Recipient (or Original-Recipient) without "rfc822;"
  std::string action;      // "failed", "delayed", "delivered", … (lower case)
  std::string status;      // "5.1.1"
  std::string diagnostic;  // Diagnostic-Code, e.g. "smtp; 550 5.1.1 <x@y>: User unknown"
};

// The headers of a message attached to another one (`message/rfc822` or
// `text/rfc822-headers`): in a bounce, the message that failed.
struct AttachedMessage {
  std::string message_id;  // without angle brackets
  std::string subject;
  std::string from_address;
  std::vector<std::string> to_addresses;
};

struct ParsedMessage {
  // Every header of the top-level message in order, names as written, values unfolded and
  // decoded (RFC 2047) to UTF-8.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string message_id;                   // without angle brackets
  std::vector<std::string> referenced_ids;  // In-Reply-To, then References; without brackets
  std::string from_address;                 // lower case
  std::string from_name;
  std::vector<std::string> to_addresses;    // To and Cc, lower case
  std::string subject;                      // decoded
  // The Date header, when readable. (Instant, spelled out: the fuzz target is built by a clang
  // whose libstdc++ has no std::expected, which util/time.hpp brings in.)
  std::optional<std::chrono::sys_seconds> date;
  std::string content_type;                 // "multipart/report", lower case
  std::string report_type;                  // its report-type parameter, e.g. "delivery-status"

  std::string text;      // the message's text, UTF-8: text/plain preferred, else HTML made text
  std::string new_text;  // `text` without quoted history (and a signature) where recognisable
  bool html_only = false;

  std::vector<DeliveryStatus> delivery_status;  // from message/delivery-status parts
  std::optional<AttachedMessage> attached;      // the first attached message's headers
  std::string report_message_id;  // the failed message's id as a delivery report names it
                                  // (X-Original-Message-ID), without brackets

  bool too_large = false;  // the body was not read: only the headers are used
  bool malformed = false;  // GMime could not read it as a message
  std::vector<std::string> notes;  // what the parser noticed (a charset it guessed, …)

  // The first header called `name` (ASCII case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct ParseLimits {
  std::size_t max_size = 4 * 1024 * 1024;  // bigger messages: headers only, `too_large`
  std::size_t max_parts = 500;   // more MIME parts than this: headers only, `malformed`
  std::size_t max_depth = 20;    // parts nested deeper are not read
};

// Parses `raw` (a whole message, or only its header). Never throws, never fails: what cannot
// be read stays empty and is noted; malformed input never crashes or hangs.
ParsedMessage parse_message(std::string_view raw, const ParseLimits& limits = {});

// SHA-256 of `data` in lower-case hex: the key that recognises a message again, whatever its
// UID (DESIGN §6, a changed UIDVALIDITY).
std::string sha256_hex(std::string_view data);

}  // namespace respbench
