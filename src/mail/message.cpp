#include "mail/message.hpp"

#include <algorithm>
#include <cctype>

#include <gmime/gmime.h>

#include "mail/gmime_init.hpp"
#include "mail/gobject_ptr.hpp"

namespace respbench {
namespace {

std::string strip_brackets(std::string_view id) {
  while (!id.empty() && (id.front() == '<' || id.front() == ' ')) id.remove_prefix(1);
  while (!id.empty() && (id.back() == '>' || id.back() == ' ')) id.remove_suffix(1);
  return std::string(id);
}

// Every <id> in a References or In-Reply-To header, in order.
void add_references(const char* header, std::vector<std::string>& out) {
  if (header == nullptr) return;
  GMimeReferences* refs = g_mime_references_parse(nullptr, header);
  if (refs == nullptr) return;
  for (int i = 0; i < g_mime_references_length(refs); ++i) {
    out.push_back(strip_brackets(g_mime_references_get_message_id(refs, i)));
  }
  g_mime_references_free(refs);
}

}  // namespace

const std::string* ParsedMessage::header(std::string_view name) const {
  auto same = [&](const std::string& h) {
    return h.size() == name.size() &&
           std::equal(h.begin(), h.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  };
  for (const auto& [n, v] : headers) {
    if (same(n)) return &v;
  }
  return nullptr;
}

// A first cut: headers, ids, sender and subject. The body, charsets and bounce parts come with
// the full parser (issue "Understanding replies").
ParsedMessage parse_message(std::string_view raw, const ParseLimits& limits) {
  (void)limits;
  ensure_gmime();
  ParsedMessage out;
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!message) {
    out.malformed = true;
    return out;
  }
  auto* object = GMIME_OBJECT(message.get());
  GMimeHeaderList* list = g_mime_object_get_header_list(object);
  for (int i = 0; i < g_mime_header_list_get_count(list); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* value = g_mime_header_get_value(h);
    out.headers.emplace_back(g_mime_header_get_name(h), value ? value : "");
  }
  if (const char* id = g_mime_message_get_message_id(message.get())) out.message_id = strip_brackets(id);
  add_references(g_mime_object_get_header(object, "In-Reply-To"), out.referenced_ids);
  add_references(g_mime_object_get_header(object, "References"), out.referenced_ids);
  if (const char* subject = g_mime_message_get_subject(message.get())) out.subject = subject;
  InternetAddressList* from = g_mime_message_get_from(message.get());
  if (from != nullptr && internet_address_list_length(from) > 0) {
    InternetAddress* first = internet_address_list_get_address(from, 0);
    if (INTERNET_ADDRESS_IS_MAILBOX(first)) {
      out.from_address = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(first));
    }
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  GString_ hex(g_compute_checksum_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(data.data()),
                                           data.size()));
  return hex.get();
}

}  // namespace respbench
