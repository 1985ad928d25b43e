#pragma once
// Reading what a bounce says: RFC 3464 delivery-status fields, and the status codes, addresses
// and Message-IDs that non-standard bounces write into their text. Pure string work.

#include <string>
#include <string_view>
#include <vector>

#include "mail/message.hpp"

namespace respbench {

// What a `message/delivery-status` body says.
struct DeliveryReport {
  std::vector<DeliveryStatus> recipients;  // one per per-recipient block
  std::string original_message_id;         // X-Original-Message-ID / Original-Message-ID, if any
};

// Reads the blocks of a delivery-status body (per-message fields, then one block per
// recipient). Blocks without Final-Recipient or Original-Recipient are not recipients.
DeliveryReport parse_delivery_status(std::string_view body);

// The first enhanced status code ("5.1.1", RFC 3463) in `text`, else the first SMTP reply
// code 4xx/5xx that stands on its own ("550"); empty when there is none.
std::string find_status_code(std::string_view text);

// The Message-ID that a bounce's text quotes from the failed message ("Message-ID: <…>"
// header line of an inline copy), without brackets; empty when there is none.
std::string find_quoted_message_id(std::string_view text);

// Every e-mail address in `text`, lower case, in order of appearance, each once.
std::vector<std::string> find_addresses(std::string_view text, std::size_t limit = 20);

}  // namespace respbench
