#include "mail_texts.hpp"

#include <array>
#include <vector>

#include <fmt/format.h>

#include "mail/compose.hpp"

namespace company_sim {

using respbench::Instant;

namespace {

// A few staff names to sign with; picked by the draw.
constexpr std::array k_staff = {"Julia Neumann", "Markus Schäfer", "Sabine Krüger", "Thomas Wolf",
                                "Katharina Braun", "Stefan Zimmermann", "Lena Hoffmann", "Murat Yilmaz"};

// The middle sentence of an answer: what this sector's service desks typically say.
std::string sector_line(const std::string& sector, std::uint64_t pick) {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> lines = {
      {"banks",
       {"Die gewünschte Information finden Sie auch in unserem Preis- und Leistungsverzeichnis; gern erläutern wir "
        "Ihnen die Einzelheiten in einem persönlichen Gespräch in Ihrer Filiale.",
        "Für Ihr Anliegen benötigen wir keine weiteren Unterlagen. Die Änderung können Sie bequem im Online-Banking "
        "vornehmen."}},
      {"insurers",
       {"Nach Prüfung Ihres Vertrags können wir Ihnen mitteilen, dass der gewünschte Schutz bereits enthalten ist.",
        "Gern senden wir Ihnen die Unterlagen zu Ihrem Tarif per Post zu; bitte bestätigen Sie uns kurz Ihre "
        "Anschrift."}},
      {"telecoms",
       {"Ihr Anschluss ist für den gewünschten Tarif geeignet; den Wechsel können Sie jederzeit zum Monatsende "
        "beauftragen.",
        "Die Störung in Ihrem Gebiet ist inzwischen behoben. Sollte es weiterhin Probleme geben, starten Sie bitte "
        "Ihren Router einmal neu."}},
      {"energy",
       {"Ihren Abschlag können Sie im Kundenportal selbst anpassen; die Änderung gilt ab der nächsten Fälligkeit.",
        "Der Zählerstand wurde korrekt übernommen. Ihre Jahresabrechnung erhalten Sie wie gewohnt im Frühjahr."}},
      {"retail",
       {"Ihre Bestellung ist bereits unterwegs und sollte in zwei bis drei Werktagen bei Ihnen sein.",
        "Eine Rücksendung ist innerhalb von 30 Tagen kostenlos möglich; das Etikett liegt Ihrer Lieferung bei."}},
      {"travel",
       {"Eine Umbuchung ist bis 14 Tage vor Reiseantritt kostenfrei möglich; wir haben Ihnen die Optionen "
        "zusammengestellt.",
        "Gepäck bis 23 kg ist in Ihrem Tarif enthalten; Sportgepäck melden Sie bitte bis 48 Stunden vor Abflug an."}},
  };
  for (const auto& [name, options] : lines) {
    if (name == sector) return options[pick % options.size()];
  }
  return "Gern helfen wir Ihnen weiter; die Einzelheiten haben wir unten für Sie zusammengefasst.";
}

std::string greeting(const InquiryMail& inquiry, std::uint64_t pick) {
  const auto space = inquiry.from_name.rfind(' ');
  const std::string surname = space == std::string::npos ? inquiry.from_name : inquiry.from_name.substr(space + 1);
  switch (pick % 3) {
    case 0: return "Guten Tag,";
    case 1: return surname.empty() ? "Hallo," : fmt::format("Hallo {},", inquiry.from_name);
    default: return "Sehr geehrte Damen und Herren,";
  }
}

std::string quoted(const InquiryMail& inquiry, const date::time_zone* zone) {
  std::string out = fmt::format("\n\nAm {} schrieb {} <{}>:\n", respbench::format_local(inquiry.received, zone),
                                inquiry.from_name, inquiry.from_address);
  std::size_t pos = 0;
  while (pos < inquiry.text.size()) {
    auto end = inquiry.text.find('\n', pos);
    if (end == std::string::npos) end = inquiry.text.size();
    out += "> " + inquiry.text.substr(pos, end - pos) + "\n";
    pos = end + 1;
  }
  return out;
}

// A reply composed by respbench's own composer (RFC 2047 subject, quoted-printable UTF-8), with
// the threading and automatic-reply headers added to its header.
std::string compose(const ReplyContext& c, const std::string& from_name, const InquiryMail& inquiry,
                    const std::string& subject, const std::string& body, Instant at, const std::string& extra_headers) {
  respbench::OutgoingMail mail;
  mail.from = {from_name, c.company_address};
  mail.to = inquiry.from_address;
  mail.subject = subject;
  mail.body = body;
  const auto at_pos = c.company_address.find('@');
  mail.message_id = respbench::new_message_id(at_pos == std::string::npos ? "company.test"
                                                                           : c.company_address.substr(at_pos + 1));
  mail.date = at;
  mail.zone = c.zone;
  std::string text = respbench::compose_mail(mail);
  const auto header_end = text.find("\r\n\r\n");
  const std::string threading = fmt::format("In-Reply-To: <{}>\r\nReferences: <{}>\r\n", inquiry.message_id,
                                            inquiry.message_id);
  text.insert(header_end + 2, threading + extra_headers);
  return text;
}

std::string signature(const ReplyContext& c, std::uint64_t pick) {
  return fmt::format("\n\nMit freundlichen Grüßen\n\n{}\nKundenservice\n{}", k_staff[pick % k_staff.size()],
                     c.company->name);
}

}  // namespace

std::string ticket_number(std::uint64_t choice) { return std::to_string(10000 + (choice >> 20) % 90000); }

std::string answer_mail(const ReplyContext& c, const InquiryMail& inquiry, Instant at, bool quote) {
  const std::uint64_t pick = c.choice;
  static constexpr std::array openings = {
      "vielen Dank für Ihre Nachricht und Ihr Interesse an {}.",
      "danke für Ihre Anfrage, die wir gern beantworten.",
      "herzlichen Dank für Ihre E-Mail an {}. Zu Ihrer Frage:",
  };
  const std::string opening = fmt::format(fmt::runtime(openings[(pick >> 8) % openings.size()]), c.company->name);
  std::string body = fmt::format("{}\n\n{}\n\n{}\n\nBei weiteren Fragen sind wir gern für Sie da.{}",
                                 greeting(inquiry, pick >> 4), opening, sector_line(c.company->sector, pick >> 12),
                                 signature(c, pick >> 16));
  if (quote) body += quoted(inquiry, c.zone);
  return compose(c, fmt::format("{} Kundenservice", c.company->name), inquiry, "AW: " + inquiry.subject, body, at,
                 "");
}

std::string ack_mail(const ReplyContext& c, const InquiryMail& inquiry, Instant at) {
  const std::string body = fmt::format(
      "Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir haben Ihre Anfrage erhalten und melden uns so bald wie "
      "möglich bei Ihnen.\n\nBitte antworten Sie nicht auf diese automatisch erzeugte E-Mail.\n\nIhr Kundenservice\n{}",
      c.company->name);
  return compose(c, c.company->name, inquiry, "Eingangsbestätigung: " + inquiry.subject, body, at,
                 "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n");
}

std::string ticket_mail(const ReplyContext& c, const InquiryMail& inquiry, Instant at, const std::string& ticket) {
  const std::string body = fmt::format(
      "Guten Tag,\n\nIhre Anfrage wurde unter der Nummer {} erfasst. Bitte geben Sie diese Nummer bei Rückfragen "
      "an.\n\nWir bearbeiten Ihr Anliegen schnellstmöglich.\n\nIhr Serviceteam\n{}",
      ticket, c.company->name);
  return compose(c, fmt::format("{} Service", c.company->name), inquiry,
                 fmt::format("[Ticket#{}] Ticket erstellt: {}", ticket, inquiry.subject), body, at,
                 "Auto-Submitted: auto-replied\r\nX-Ticket-ID: " + ticket + "\r\n");
}

std::string out_of_office_mail(const ReplyContext& c, const InquiryMail& inquiry, Instant at, date::local_days back) {
  const auto until = date::year_month_day{back - date::days{1}};
  const std::string body = fmt::format(
      "Guten Tag,\n\nich bin bis einschließlich {:02}.{:02}.{} nicht im Büro und lese meine E-Mails in dieser Zeit "
      "nicht. Nach meiner Rückkehr melde ich mich bei Ihnen.\n\n{}\n{}",
      static_cast<unsigned>(until.day()), static_cast<unsigned>(until.month()), static_cast<int>(until.year()),
      k_staff[(c.choice >> 24) % k_staff.size()], c.company->name);
  return compose(c, k_staff[(c.choice >> 24) % k_staff.size()], inquiry, "Abwesenheitsnotiz: " + inquiry.subject,
                 body, at, "Auto-Submitted: auto-replied\r\n");
}

}  // namespace company_sim
