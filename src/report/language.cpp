#include "report/language.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "report/text.hpp"

namespace respbench {
namespace {

struct LabelRow {
  L label;
  std::string_view de;
  std::string_view en;
};

// Placeholders ({}) are filled with fmt::format by the writer; their count is the same in
// both languages.
constexpr LabelRow k_labels[] = {
    {L::report_title, "Antwortverhalten von Unternehmen", "How companies answer their customers"},
    {L::report_subtitle, "Ergebnisse der Studie", "Results of the study"},
    {L::contents, "Inhalt", "Contents"},
    {L::generated, "Erstellt", "Generated"},
    {L::period, "Versandzeitraum", "Sending period"},
    {L::companies, "Unternehmen", "Companies"},
    {L::inquiries, "Anfragen", "Inquiries"},
    {L::overview, "Überblick", "Overview"},
    {L::overview_intro,
     "Je Branche und Kanal: wie viele Unternehmen erreichbar waren, welcher Anteil der zugestellten "
     "Anfragen beantwortet wurde, wie viele der {} Fragen ein Unternehmen im Mittel beantwortete und "
     "wie schnell. Unter jedem Anteil sein 95-%-Konfidenzintervall.",
     "Per sector and channel: how many companies could be reached, what share of the delivered "
     "inquiries was answered, how many of the {} questions a company answered on average, and how "
     "fast. Below each share its 95 % confidence interval."},
    {L::sector, "Branche", "Sector"},
    {L::channel, "Kanal", "Channel"},
    {L::all_sectors, "Alle Branchen", "All sectors"},
    {L::reachability, "Erreichbarkeit", "Reachability"},
    {L::answer_rate, "Antwortquote", "Answer rate"},
    {L::mean_answered, "Ø beantwortet", "Mean answered"},
    {L::all_answered, "Alle beantwortet", "All answered"},
    {L::median, "Median", "Median"},
    {L::median_not_reached, "nicht erreicht", "not reached"},
    {L::interval_95, "95-%-Intervall", "95 % interval"},
    {L::of_n, "von {}", "of {}"},
    {L::no_data, "–", "–"},
    {L::charts, "Antwortquote und Erreichbarkeit", "Answer rate and reachability"},
    {L::answer_rate_chart, "Antwortquote je Branche und Kanal", "Answer rate per sector and channel"},
    {L::reachability_chart, "Erreichbarkeit je Branche und Kanal", "Reachability per sector and channel"},
    {L::chart_interval_note, "Die Striche zeigen das 95-%-Konfidenzintervall (Wilson).",
     "The whiskers show the 95 % confidence interval (Wilson)."},
    {L::curves, "Antwortzeiten", "Response times"},
    {L::curves_intro,
     "Anteil der zugestellten Anfragen, die nach einer gegebenen Zeit beantwortet waren "
     "(Kaplan-Meier-Schätzung; noch offene Anfragen zählen bis heute als unbeantwortet, nicht "
     "darüber hinaus). Zeitachse logarithmisch.",
     "Share of the delivered inquiries answered by a given time (Kaplan–Meier estimate; inquiries "
     "still open count as unanswered up to now, not beyond). Time axis logarithmic."},
    {L::curves_by_channel, "Je Kanal", "Per channel"},
    {L::curves_by_sector, "Je Branche: {}", "Per sector: {}"},
    {L::calendar_hours, "Kalenderstunden", "Calendar hours"},
    {L::business_hours, "Geschäftsstunden", "Business hours"},
    {L::share_answered, "beantwortet", "answered"},
    {L::hours_axis, "Zeit seit dem Versand", "Time since sending"},
    {L::curve_band_note, "Die Fläche zeigt das 95-%-Konfidenzband (Greenwood, log-log).",
     "The shaded band is the 95 % confidence band (Greenwood, log-log)."},
    {L::league, "Rangliste der Unternehmen", "Company league table"},
    {L::league_intro,
     "Nach dem Anteil beantworteter Anfragen über alle Kanäle, bei Gleichstand nach der mittleren "
     "Antwortzeit (Median).",
     "By the share of answered inquiries over all channels; ties by the median response time."},
    {L::rank, "Rang", "Rank"},
    {L::company, "Unternehmen", "Company"},
    {L::answered_k_n, "beantwortet", "answered"},
    {L::answered_share, "Anteil", "Share"},
    {L::median_response, "Median Antwortzeit", "Median response time"},
    {L::league_cut, "… {} weitere Unternehmen; die vollständige Liste steht in companies.csv.",
     "… {} more companies; the full list is in companies.csv."},
    {L::comparison, "E-Mail und Facebook im Vergleich", "Email versus Facebook"},
    {L::comparison_intro, "Unternehmen, die beide Kanäle anbieten: beantwortete Anfragen je Kanal.",
     "Companies offering both channels: answered inquiries per channel."},
    {L::comparison_summary,
     "{} Unternehmen antworteten per E-Mail häufiger, {} auf Facebook häufiger, {} gleich oft.",
     "{} companies answered more often by email, {} more often on Facebook, {} equally often."},
    {L::email_better, "E-Mail häufiger", "more by email"},
    {L::facebook_better, "Facebook häufiger", "more on Facebook"},
    {L::equal, "gleich", "equal"},
    {L::comparison_cut, "… {} weitere Unternehmen; alle Werte stehen in companies.csv.",
     "… {} more companies; every figure is in companies.csv."},
    {L::quoted_replies, "Antworten im Wortlaut", "Replies quoted"},
    {L::quoted_intro, "Auszüge aus Antworten, wie die Unternehmen sie geschrieben haben.",
     "Excerpts of replies as the companies wrote them."},
    {L::received, "Eingang", "Received"},
    {L::kind, "Art", "Kind"},
    {L::subject, "Betreff", "Subject"},
    {L::no_quotes, "Noch keine Antworten.", "No replies yet."},
    {L::method, "Methode", "Methodology"},
    {L::method_outcomes, "Jede Anfrage endet in genau einem Zustand:", "Every inquiry ends in exactly one state:"},
    {L::method_answered,
     "beantwortet – die erste Antwort eines Menschen kam innerhalb des Antwortfensters; "
     "automatische Eingangsbestätigungen, Ticketnummern und Abwesenheitsnotizen zählen nicht als "
     "Antwort.",
     "answered – a person's first answer arrived within the answer window; automatic "
     "acknowledgements, ticket numbers and out-of-office notes do not count as answers."},
    {L::method_unanswered, "unbeantwortet – das Antwortfenster ist ohne Antwort abgelaufen.",
     "unanswered – the answer window ended without an answer."},
    {L::method_open,
     "offen – das Antwortfenster läuft noch. Offene Anfragen werden nie als unbeantwortet gezählt: "
     "sie fehlen in der Antwortquote und gehen in die Antwortzeiten nur mit der Zeit ein, die sie "
     "bisher offen sind (zensiert).",
     "open – the answer window is still running. Open inquiries are never counted as unanswered: "
     "they are left out of the answer rate and enter the response times only with the time they "
     "have been open so far (censored)."},
    {L::method_undeliverable,
     "unzustellbar – die Nachricht kam zurück oder wurde abgewiesen; sie zählt nicht zu den "
     "zugestellten Anfragen.",
     "undeliverable – the message bounced or was rejected; it does not count as delivered."},
    {L::method_reachability,
     "Erreichbarkeit: Anteil der Unternehmen, die den Kanal anbieten und bei denen mindestens eine "
     "Anfrage zugestellt wurde.",
     "Reachability: the share of companies that offer the channel and received at least one "
     "inquiry."},
    {L::method_answer_rate,
     "Antwortquote: beantwortete unter den zugestellten, abgeschlossenen Anfragen. Alle Anteile mit "
     "95-%-Konfidenzintervall nach Wilson.",
     "Answer rate: answered among the delivered, closed inquiries. Every share with its 95 % Wilson "
     "confidence interval."},
    {L::method_k_of_n,
     "k von n: je Unternehmen und Kanal, wie viele seiner n abgeschlossenen Anfragen beantwortet "
     "wurden; daraus der Mittelwert und der Anteil der Unternehmen, die alle beantworteten.",
     "k of n: per company and channel, how many of its n closed inquiries were answered; from that "
     "the mean and the share of companies answering all of them."},
    {L::method_times,
     "Antwortzeiten: Kaplan-Meier-Schätzung der Wahrscheinlichkeit, bis zur Zeit t beantwortet zu "
     "sein, über alle zugestellten Anfragen; offene Anfragen zensiert, unbeantwortete am Ende des "
     "Fensters. Intervalle nach Greenwood (log-log). Der Median fehlt, wo die Kurve 50 % nicht "
     "erreicht. Geschäftsstunden zählen nur die Öffnungszeiten des Kalenders der Studie.",
     "Response times: Kaplan–Meier estimate of the probability of being answered by time t, over "
     "all delivered inquiries; open inquiries censored, unanswered ones at the end of the window. "
     "Intervals by Greenwood (log-log). The median is missing where the curve does not reach 50 %. "
     "Business hours count only the opening hours of the study's calendar."},
    {L::method_ack,
     "Eingangsbestätigungen (automatisch oder mit Ticketnummer) werden getrennt gezählt: "
     "Bestätigungsquote und Zeit bis zur ersten Bestätigung.",
     "Acknowledgements (automatic or with a ticket number) are counted separately: the "
     "acknowledgement rate and the time to the first acknowledgement."},
    {L::method_parameters, "Parameter der Studie", "The study's parameters"},
    {L::study_name, "Studie", "Study"},
    {L::timezone, "Zeitzone", "Time zone"},
    {L::calendar, "Geschäftszeiten", "Business hours"},
    {L::answer_window, "Antwortfenster", "Answer window"},
    {L::probes_per_channel, "Fragen je Kanal und Unternehmen", "Questions per channel and company"},
    {L::thresholds, "Schwellen", "Thresholds"},
    {L::first_send, "Erster Versand", "First send"},
    {L::last_send, "Letzter Versand", "Last send"},
    {L::generated_by, "Erstellt mit respbench {}", "Generated by respbench {}"},
    {L::acknowledged, "bestätigt", "acknowledged"},
    {L::ack_rate, "Bestätigungsquote", "Acknowledgement rate"},
    {L::delivered, "zugestellt", "delivered"},
    {L::answered, "beantwortet", "answered"},
    {L::unanswered, "unbeantwortet", "unanswered"},
    {L::open, "offen", "open"},
    {L::undeliverable, "unzustellbar", "undeliverable"},
    {L::not_sent, "nicht versandt", "not sent"},
    {L::files_written, "{} Dateien des Berichts geschrieben nach {}", "{} report files written to {}"},
};

constexpr bool labels_in_order() {
  if (std::size(k_labels) != static_cast<std::size_t>(L::count)) return false;
  for (std::size_t i = 0; i < std::size(k_labels); ++i) {
    if (static_cast<std::size_t>(k_labels[i].label) != i) return false;
  }
  return true;
}
static_assert(labels_in_order(), "k_labels must have one row per L, in the enum's order");

// A no-break space: "43 %" and "3,5 h" must not break apart.
constexpr std::string_view k_nbsp = "\u00A0";

}  // namespace

std::string_view to_string(Lang lang) { return lang == Lang::de ? "de" : "en"; }

std::optional<Lang> parse_lang(std::string_view name) {
  if (name == "de") return Lang::de;
  if (name == "en") return Lang::en;
  return std::nullopt;
}

std::string_view text(L label, Lang lang) {
  const auto& row = k_labels[static_cast<std::size_t>(label)];
  return lang == Lang::de ? row.de : row.en;
}

std::string format_count(std::int64_t n, Lang lang) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  if (digits.size() > 4) {
    const char group = lang == Lang::de ? '.' : ',';
    for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
      digits.insert(static_cast<std::size_t>(at), 1, group);
    }
  }
  return n < 0 ? "-" + digits : digits;
}

std::string format_decimal(double value, int digits, Lang lang) {
  return format_fixed(value, digits, lang == Lang::de ? ',' : '.');
}

std::string format_percent(double share, Lang lang) {
  const std::string number = format_fixed(share * 100.0, 0);
  return lang == Lang::de ? fmt::format("{}{}%", number, k_nbsp) : number + "%";
}

std::string format_percent_range(double low, double high, Lang lang) {
  const std::string range = fmt::format("{}–{}", format_fixed(low * 100.0, 0), format_fixed(high * 100.0, 0));
  return lang == Lang::de ? fmt::format("{}{}%", range, k_nbsp) : range + "%";
}

std::string format_hours(double hours, Lang lang) {
  if (!std::isfinite(hours)) return std::string(text(L::no_data, lang));
  if (hours < 1.0) return fmt::format("{}{}min", format_fixed(std::max(hours * 60.0, 0.0), 0), k_nbsp);
  // "4 h", not "4,0 h": the thresholds are whole hours.
  const int digits = hours < 10.0 && std::round(hours * 10.0) != std::round(hours) * 10.0 ? 1 : 0;
  return fmt::format("{}{}h", format_decimal(hours, digits, lang), k_nbsp);
}

std::string format_proportion(const Proportion& p, Lang lang) {
  if (!p.estimate) return std::string(text(L::no_data, lang));
  return fmt::format("{} ({})", format_percent(*p.estimate, lang), format_percent_range(p.low, p.high, lang));
}

std::string_view outcome_label(Outcome o, Lang lang) {
  switch (o) {
    case Outcome::answered: return text(L::answered, lang);
    case Outcome::unanswered: return text(L::unanswered, lang);
    case Outcome::open: return text(L::open, lang);
    case Outcome::undeliverable: return text(L::undeliverable, lang);
    case Outcome::not_sent: return text(L::not_sent, lang);
  }
  return "?";
}

std::string_view channel_label(Channel c, Lang lang) {
  switch (c) {
    case Channel::email: return lang == Lang::de ? "E-Mail" : "Email";
    case Channel::facebook: return "Facebook";
  }
  return "?";
}

std::string_view reply_kind_label(ReplyKind k, Lang lang) {
  const bool de = lang == Lang::de;
  switch (k) {
    case ReplyKind::human: return de ? "Antwort" : "answer";
    case ReplyKind::auto_ack: return de ? "automatische Bestätigung" : "automatic acknowledgement";
    case ReplyKind::ticket_ack: return de ? "Ticketbestätigung" : "ticket confirmation";
    case ReplyKind::out_of_office: return de ? "Abwesenheitsnotiz" : "out of office";
    case ReplyKind::bounce: return de ? "Unzustellbarkeitsnachricht" : "bounce";
    case ReplyKind::other: return de ? "sonstige" : "other";
    case ReplyKind::unclassified: return de ? "nicht eingeordnet" : "unclassified";
  }
  return "?";
}

}  // namespace respbench
