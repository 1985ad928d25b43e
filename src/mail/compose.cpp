#include "mail/compose.hpp"

#include <array>
#include <random>

#include <fmt/format.h>
#include <gmime/gmime.h>

#include "mail/gmime_init.hpp"
#include "mail/gobject_ptr.hpp"

namespace respbench {

std::string rfc5322_date(Instant t, const date::time_zone* zone) {
  if (zone == nullptr) return date::format("%a, %d %b %Y %H:%M:%S +0000", t);
  date::zoned_seconds local{zone, t};
  return date::format("%a, %d %b %Y %H:%M:%S %z", local);
}

std::string new_message_id(std::string_view domain) {
  // Base 32 (RFC 4648 alphabet, lower case): safe in a Message-ID and in IMAP searches.
  constexpr std::string_view k_alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  std::random_device source;
  std::string id;
  for (int i = 0; i < 26; ++i) id += k_alphabet[source() % k_alphabet.size()];
  return fmt::format("{}@{}", id, domain);
}

std::string compose_mail(const OutgoingMail& mail) {
  ensure_gmime();
  GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
  auto* object = GMIME_OBJECT(message.get());
  // UTF-8 for every encoded word (GMime would pick ISO-8859-1 where that suffices).
  GObjectPtr<InternetAddress> from(internet_address_mailbox_new(mail.from.name.c_str(), mail.from.email.c_str()));
  internet_address_set_charset(from.get(), "utf-8");
  internet_address_list_add(g_mime_message_get_from(message.get()), from.get());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr, mail.to.c_str());
  if (!mail.reply_to.email.empty()) {
    GObjectPtr<InternetAddress> reply_to(
        internet_address_mailbox_new(mail.reply_to.name.c_str(), mail.reply_to.email.c_str()));
    internet_address_set_charset(reply_to.get(), "utf-8");
    internet_address_list_add(g_mime_message_get_reply_to(message.get()), reply_to.get());
  }
  g_mime_message_set_subject(message.get(), mail.subject.c_str(), "utf-8");
  g_mime_object_set_header(object, "Date", rfc5322_date(mail.date, mail.zone).c_str(), nullptr);
  g_mime_message_set_message_id(message.get(), mail.message_id.c_str());

  // The body's UTF-8 bytes as they are: g_mime_text_part_set_text would convert them to the
  // "best" charset (often ISO-8859-1).
  GObjectPtr<GMimeTextPart> text(g_mime_text_part_new_with_subtype("plain"));
  GObjectPtr<GMimeStream> content(g_mime_stream_mem_new_with_buffer(mail.body.data(), mail.body.size()));
  GObjectPtr<GMimeDataWrapper> wrapper(g_mime_data_wrapper_new_with_stream(content.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(GMIME_PART(text.get()), wrapper.get());
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(text.get()), "charset", "utf-8");
  // Quoted-printable keeps German text readable in the raw message and lines short.
  g_mime_part_set_content_encoding(GMIME_PART(text.get()), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(text.get()));
  g_mime_object_set_header(object, "MIME-Version", "1.0", nullptr);

  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  GString_ raw(g_mime_object_to_string(object, options));
  g_mime_format_options_free(options);
  return raw.get() == nullptr ? std::string() : std::string(raw.get());
}

}  // namespace respbench
