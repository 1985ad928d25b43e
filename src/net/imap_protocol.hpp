#pragma once
// IMAP4rev1 syntax without a network (RFC 3501): reading server responses with their literals
// out of a byte stream, parsing the responses the client needs (status, EXAMINE data, SEARCH,
// FETCH), and writing dates, UID sets, quoted strings and mailbox names. The session in
// imap_session.cpp does the talking; these pieces are pure so that tests can feed them odd
// server output.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/mail_transport.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench::imap {

// Bounds on what a server may send, so that a broken or hostile server cannot make the client
// allocate without end.
struct Limits {
  std::size_t max_line = 8u << 20;      // text of one response, literals not counted
  std::size_t max_literal = 64u << 20;  // one literal ({n})
};

// One server response: a line, with any literals it announced ("{n}" at a line end) placed
// inline right after their "{n}" marker (the CRLF after the marker dropped).
struct Response {
  std::string data;
  std::vector<std::pair<std::size_t, std::size_t>> literals;  // (offset in data, size)
};

// Cuts the byte stream from the server into responses.
class ResponseReader {
 public:
  explicit ResponseReader(Limits limits = {}) : m_limits(limits) {}

  // Appends bytes as received (any split: inside a line, a CRLF, a literal marker, a literal).
  void feed(std::string_view bytes);
  // The next complete response; nullopt when more bytes are needed. Fails when the server
  // exceeds a limit; the stream is unusable then.
  Result<std::optional<Response>> next();
  // After the server closed the connection: the last response when it lacked its CRLF,
  // nullopt when nothing was pending; fails when the connection closed inside a literal.
  Result<std::optional<Response>> finish();

 private:
  Limits m_limits;
  std::string m_buffer;       // received, not yet consumed
  std::size_t m_start = 0;    // consumed prefix of m_buffer
  std::size_t m_scanned = 0;  // bytes after m_start already searched for a line end
  Response m_current;         // the response being assembled
  std::size_t m_text_size = 0;
  std::size_t m_literal_left = 0;
  bool m_in_literal = false;
};

// "*" for untagged responses, "+" for continuation requests, else the command's tag.
std::string_view response_tag(const Response& response);

struct Status {
  std::string condition;      // OK, NO, BAD, BYE, PREAUTH (upper case)
  std::string code;           // the response code's name, upper case: UIDVALIDITY, UNAVAILABLE; ""
  std::string code_argument;  // what follows the name inside the brackets ("3857529045")
  std::string text;           // the rest, for people
};
// The status of "TAG OK …", "* NO […] …", "* BYE …"; nullopt for other responses.
std::optional<Status> parse_status(const Response& response);

// The response printable for a message: control characters and 8-bit bytes replaced, literals
// shown as "{n}", at most `max` characters.
std::string printable(const Response& response, std::size_t max = 300);

// Updates `status` from one untagged response to EXAMINE/SELECT ("* 12 EXISTS",
// "* OK [UIDVALIDITY 3857529045]", "* OK [UIDNEXT 4392]"). Returns which of
// UIDVALIDITY (1), UIDNEXT (2) and EXISTS (4) it set.
unsigned apply_select_response(const Response& response, MailboxStatus& status);

// The capability names of "* CAPABILITY …" or of an OK response's "[CAPABILITY …]" code,
// upper case; nullopt when the response carries none.
std::optional<std::vector<std::string>> parse_capabilities(const Response& response);

// The numbers of "* SEARCH 4 7 9" (a trailing "(MODSEQ n)" ignored), ascending; nullopt for
// other responses; fails when a number is malformed.
Result<std::optional<std::vector<std::uint32_t>>> parse_search(const Response& response);

// What one "* n FETCH (…)" response carries; items the client did not ask for are skipped.
struct FetchData {
  std::uint32_t sequence = 0;
  std::optional<std::uint32_t> uid;
  std::optional<Instant> internal_date;
  std::optional<std::uint64_t> size;
  std::optional<std::string> body;    // BODY[] (also RFC822)
  std::optional<std::string> header;  // BODY[HEADER] (also RFC822.HEADER)
  std::optional<std::vector<std::string>> flags;
};
// nullopt for responses other than FETCH; fails when the FETCH is malformed.
Result<std::optional<FetchData>> parse_fetch(const Response& response);

// "15-Mar-2026 10:30:00 +0100" (also " 5-Mar-2026 …", the day padded with a space) as UTC;
// nullopt when malformed or not a real date and time.
std::optional<Instant> parse_internal_date(std::string_view text);
// "15-Mar-2026 09:30:00 +0000"
std::string format_internal_date(Instant t);

// UIDs as an IMAP sequence set: sorted, duplicates and 0 dropped, runs as ranges —
// {12, 5, 6, 7, 8, 9} → "5:9,12". Empty for no UIDs.
std::string compress_uid_set(std::vector<std::uint32_t> uids);

// `text` as a quoted string with `\` and `"` escaped; fails on CR, LF and NUL, which a quoted
// string cannot carry.
Result<std::string> quote(std::string_view text);

// A mailbox name (UTF-8) for a command: encoded in modified UTF-7 (RFC 3501, 5.1.3) and quoted.
// Fails on an empty name, CR or LF, or malformed UTF-8.
Result<std::string> mailbox_argument(std::string_view name);

}  // namespace respbench::imap
