#include "mail/message.hpp"

#include <algorithm>
#include <cctype>

#include <gmime/gmime.h>

#include "mail/bounce.hpp"
#include "mail/charset.hpp"
#include "mail/gmime_init.hpp"
#include "mail/gobject_ptr.hpp"
#include "mail/html_text.hpp"
#include "mail/quoted_text.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::size_t k_max_header_size = 256 * 1024;  // read of a too-large message at most

// Parser options for mail as it comes: lenient everywhere, undeclared 8-bit header text read
// as UTF-8 when valid, else Windows-1252.
class ParserOptions {
 public:
  ParserOptions() : m_options(g_mime_parser_options_new()) {
    const char* fallback[] = {"utf-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(m_options, fallback);
    g_mime_parser_options_set_rfc2047_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(m_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(m_options, TRUE);
  }
  ParserOptions(const ParserOptions&) = delete;
  ParserOptions& operator=(const ParserOptions&) = delete;
  ~ParserOptions() { g_mime_parser_options_free(m_options); }
  GMimeParserOptions* get() const { return m_options; }

 private:
  GMimeParserOptions* m_options;
};

const ParserOptions& parser_options() {
  ensure_gmime();
  static const ParserOptions k_options;
  return k_options;
}

std::string strip_brackets(std::string_view id) {
  id = trim(id);
  if (id.starts_with("<")) id.remove_prefix(1);
  if (id.ends_with(">")) id.remove_suffix(1);
  return std::string(trim(id));
}

// A header value as UTF-8 on one line.
std::string clean_header_value(const char* value) {
  if (value == nullptr) return {};
  std::string_view v(value);
  std::string text = is_valid_utf8(v) ? std::string(v) : windows_1252_to_utf8(v);
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
      space = !out.empty();
    } else if (c != '\0') {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// Every <id> in a References or In-Reply-To header, in order.
void add_references(const char* header, std::vector<std::string>& out) {
  if (header == nullptr) return;
  GMimeReferences* refs = g_mime_references_parse(parser_options().get(), header);
  if (refs == nullptr) return;
  for (int i = 0; i < g_mime_references_length(refs) && out.size() < 200; ++i) {
    std::string id = strip_brackets(g_mime_references_get_message_id(refs, i));
    if (!id.empty()) out.push_back(std::move(id));
  }
  g_mime_references_free(refs);
}

// Every mailbox in `list` (group members included), lower case; names into `names` if given.
void add_mailboxes(InternetAddressList* list, std::vector<std::string>& addresses,
                   std::vector<std::string>* names = nullptr, int depth = 0) {
  if (list == nullptr || depth > 2) return;
  for (int i = 0; i < internet_address_list_length(list) && addresses.size() < 500; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
      addresses.push_back(to_lower_ascii(clean_header_value(addr)));
      if (names != nullptr) names->push_back(clean_header_value(internet_address_get_name(address)));
    } else if (INTERNET_ADDRESS_IS_GROUP(address)) {
      add_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), addresses, names,
                    depth + 1);
    }
  }
}

// The decoded (transfer encoding removed) bytes of a leaf part.
std::string part_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GObjectPtr<GMimeStream> memory(g_mime_stream_mem_new());
  if (g_mime_data_wrapper_write_to_stream(content, memory.get()) < 0) return {};
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string lower_or_empty(const char* s) { return s == nullptr ? std::string() : to_lower_ascii(s); }

AttachedMessage attached_from(GMimeMessage* message) {
  AttachedMessage out;
  if (const char* id = g_mime_message_get_message_id(message)) out.message_id = strip_brackets(clean_header_value(id));
  out.subject = clean_header_value(g_mime_message_get_subject(message));
  std::vector<std::string> from;
  add_mailboxes(g_mime_message_get_from(message), from);
  if (!from.empty()) out.from_address = from.front();
  add_mailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), out.to_addresses);
  return out;
}

GObjectPtr<GMimeMessage> construct_message(std::string_view raw) {
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  return GObjectPtr<GMimeMessage>(g_mime_parser_construct_message(parser.get(), parser_options().get()));
}

// Walks the MIME tree for the text, the delivery report and the attached message.
class BodyReader {
 public:
  BodyReader(ParsedMessage& out, const ParseLimits& limits) : m_out(out), m_limits(limits) {}

  void read(GMimeObject* object, std::size_t depth) {
    if (object == nullptr) return;
    if (++m_parts > m_limits.max_parts) {
      note_once(m_noted_parts, "more than " + std::to_string(m_limits.max_parts) + " MIME parts: the rest not read");
      return;
    }
    if (depth > m_limits.max_depth) {
      note_once(m_noted_depth, "MIME parts nested too deep: the inner ones not read");
      return;
    }
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
        read(g_mime_multipart_get_part(multipart, i), depth + 1);
      }
      return;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
      // The failed message of a bounce, or a forwarded one: its headers, never its text.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner != nullptr && !m_out.attached) m_out.attached = attached_from(inner);
      return;
    }
    if (!GMIME_IS_PART(object)) return;
    read_leaf(GMIME_PART(object));
  }

  // The text: plain preferred; HTML made text when there is no plain text.
  void finish() {
    if (!trim(m_plain).empty()) {
      m_out.text = std::move(m_plain);
    } else if (!m_html.empty()) {
      m_out.text = html_to_text(m_html);
      m_out.html_only = true;
    }
    m_out.new_text = strip_quoted_history(m_out.text);
  }

 private:
  void note_once(bool& noted, std::string text) {
    if (!noted) m_out.notes.push_back(std::move(text));
    noted = true;
  }

  std::string text_of(GMimePart* part) {
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const char* charset = type != nullptr ? g_mime_content_type_get_parameter(type, "charset") : nullptr;
    DecodedText decoded = decode_charset(part_bytes(part), charset != nullptr ? charset : "");
    if (!decoded.note.empty()) m_out.notes.push_back(std::move(decoded.note));
    // CRLF line ends made LF, NULs dropped: the text is for reading.
    std::string text;
    text.reserve(decoded.text.size());
    for (char c : decoded.text) {
      if (c != '\r' && c != '\0') text += c;
    }
    return text;
  }

  void read_leaf(GMimePart* part) {
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const std::string media = lower_or_empty(type ? g_mime_content_type_get_media_type(type) : nullptr);
    const std::string sub = lower_or_empty(type ? g_mime_content_type_get_media_subtype(type) : nullptr);
    const bool attachment = g_mime_part_is_attachment(part) != 0;

    if (media == "message" && (sub == "delivery-status" || sub == "global-delivery-status")) {
      DeliveryReport report = parse_delivery_status(part_bytes(part));
      for (auto& r : report.recipients) {
        if (m_out.delivery_status.size() < 100) m_out.delivery_status.push_back(std::move(r));
      }
      if (m_out.report_message_id.empty()) m_out.report_message_id = report.original_message_id;
      return;
    }
    if ((media == "text" && sub == "rfc822-headers") || (media == "message" && sub == "rfc822-headers")) {
      if (!m_out.attached) {
        const std::string headers = part_bytes(part);
        GObjectPtr<GMimeMessage> inner = construct_message(headers);
        if (inner) m_out.attached = attached_from(inner.get());
      }
      return;
    }
    if (media == "message" && (sub == "rfc822" || sub == "global")) {
      // GMime leaves it a plain part when it could not read it as a message.
      if (!m_out.attached) {
        GObjectPtr<GMimeMessage> inner = construct_message(part_bytes(part));
        if (inner) m_out.attached = attached_from(inner.get());
      }
      return;
    }
    if (attachment) return;
    const bool untyped = media.empty();
    if ((media == "text" && sub == "plain") || untyped) {
      if (trim(m_plain).empty()) m_plain = text_of(part);
    } else if (media == "text" && sub == "html") {
      if (m_html.empty()) m_html = text_of(part);
    }
  }

  ParsedMessage& m_out;
  const ParseLimits& m_limits;
  std::string m_plain;
  std::string m_html;
  std::size_t m_parts = 0;
  bool m_noted_parts = false;
  bool m_noted_depth = false;
};

// The header section of `raw`: everything before the first empty line.
std::string_view header_section(std::string_view raw) {
  std::size_t end = raw.size();
  if (const auto lf = raw.find("\n\n"); lf != std::string_view::npos) end = std::min(end, lf + 1);
  if (const auto crlf = raw.find("\r\n\r\n"); crlf != std::string_view::npos) end = std::min(end, crlf + 2);
  return raw.substr(0, end);
}

// How many lines start a "Content-Type" header: an upper bound for the parts (and the
// nesting) GMime would build, counted before GMime recurses into them.
std::size_t count_content_types(std::string_view raw) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < raw.size();) {
    if (raw.size() - at >= 13) {
      const std::string_view name = raw.substr(at, 12);
      if ((name[0] == 'C' || name[0] == 'c') && to_lower_ascii(name) == "content-type") ++count;
    }
    const std::size_t eol = raw.find('\n', at);
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  return count;
}

void read_headers(GMimeMessage* message, ParsedMessage& out) {
  GMimeObject* object = GMIME_OBJECT(message);
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  const int count = g_mime_header_list_get_count(list);
  for (int i = 0; i < count && out.headers.size() < 1000; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    out.headers.emplace_back(clean_header_value(g_mime_header_get_name(h)),
                             clean_header_value(g_mime_header_get_value(h)));
  }
  if (const char* id = g_mime_message_get_message_id(message)) out.message_id = strip_brackets(clean_header_value(id));
  add_references(g_mime_object_get_header(object, "In-Reply-To"), out.referenced_ids);
  add_references(g_mime_object_get_header(object, "References"), out.referenced_ids);
  out.subject = clean_header_value(g_mime_message_get_subject(message));

  std::vector<std::string> from;
  std::vector<std::string> names;
  add_mailboxes(g_mime_message_get_from(message), from, &names);
  if (!from.empty()) {
    out.from_address = from.front();
    out.from_name = names.front();
  }
  add_mailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_TO), out.to_addresses);
  add_mailboxes(g_mime_message_get_addresses(message, GMIME_ADDRESS_TYPE_CC), out.to_addresses);

  if (GDateTime* date = g_mime_message_get_date(message)) {
    out.date = std::chrono::sys_seconds(std::chrono::seconds(g_date_time_to_unix(date)));
  }
  GMimeObject* body = g_mime_message_get_mime_part(message);
  if (GMimeContentType* type = body != nullptr ? g_mime_object_get_content_type(body) : nullptr) {
    out.content_type = lower_or_empty(g_mime_content_type_get_media_type(type)) + "/" +
                       lower_or_empty(g_mime_content_type_get_media_subtype(type));
    out.report_type = lower_or_empty(g_mime_content_type_get_parameter(type, "report-type"));
  }
}

}  // namespace

const std::string* ParsedMessage::header(std::string_view name) const {
  auto same = [&](const std::string& h) {
    return h.size() == name.size() && std::equal(h.begin(), h.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (const auto& [n, v] : headers) {
    if (same(n)) return &v;
  }
  return nullptr;
}

ParsedMessage parse_message(std::string_view raw, const ParseLimits& limits) {
  ParsedMessage out;
  std::string_view input = raw;
  bool headers_only = false;
  if (raw.size() > limits.max_size) {
    out.too_large = true;
    headers_only = true;
    out.notes.push_back("message of " + std::to_string(raw.size()) + " bytes is larger than " +
                        std::to_string(limits.max_size) + ": only its headers were read");
  } else if (count_content_types(raw) > limits.max_parts) {
    out.malformed = true;
    headers_only = true;
    out.notes.push_back("more than " + std::to_string(limits.max_parts) + " MIME parts: only the headers were read");
  }
  if (headers_only) {
    // The headers are read even when they alone exceed max_size, up to a bound of their own.
    input = header_section(raw);
    input = input.substr(0, std::max(limits.max_size, k_max_header_size));
  }

  GObjectPtr<GMimeMessage> message = construct_message(input);
  if (!message) {
    out.malformed = true;
    out.notes.push_back("not readable as a mail message");
    if (headers_only) return out;
    const std::string_view head = input.substr(0, std::min<std::size_t>(input.size(), 64 * 1024));
    out.text = is_valid_utf8(head) ? std::string(head) : windows_1252_to_utf8(head);
    out.new_text = out.text;
    return out;
  }
  read_headers(message.get(), out);
  if (out.headers.empty()) {
    out.malformed = true;
    out.notes.push_back("no message headers: not a mail message");
  }
  if (!headers_only) {
    BodyReader body(out, limits);
    body.read(g_mime_message_get_mime_part(message.get()), 0);
    body.finish();
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  GString_ hex(g_compute_checksum_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(data.data()),
                                           data.size()));
  return hex.get();
}

}  // namespace respbench
