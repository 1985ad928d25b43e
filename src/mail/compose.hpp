#pragma once
// Outgoing inquiries as proper mail: Date, From, To, Subject (RFC 2047 where needed),
// MIME-Version, UTF-8 text in quoted-printable, our own random Message-ID (DESIGN §4).

#include <string>
#include <string_view>

#include "study/model.hpp"
#include "util/time.hpp"

namespace respbench {

struct OutgoingMail {
  Persona from;
  std::string to;          // the company's address
  std::string subject;     // UTF-8
  std::string body;        // UTF-8, LF line ends
  std::string message_id;  // without angle brackets
  Persona reply_to;        // a Reply-To header when its address is not empty
  Instant date;
  const date::time_zone* zone = nullptr;  // the Date header's offset; UTC when null
};

// The message as RFC 5322 text with CRLF line ends, ready for SMTP and IMAP APPEND.
std::string compose_mail(const OutgoingMail& mail);

// A new random Message-ID (without angle brackets) on `domain`: 128 bits from the system's
// random source, so that no two inquiries share one, across studies and machines.
std::string new_message_id(std::string_view domain);

// "Mon, 02 Mar 2026 09:16:00 +0100": an RFC 5322 date of `t` in `zone` (UTC when null).
std::string rfc5322_date(Instant t, const date::time_zone* zone);

}  // namespace respbench
