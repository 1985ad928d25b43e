#include "facebook_actor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "business_clock.hpp"
#include "draws.hpp"
#include "channels/facebook_ref.hpp"
#include "study/config.hpp"
#include "util/random.hpp"

namespace company_sim {

using respbench::Instant;
using respbench::Random;
namespace graph = respbench::graph_emulator;

namespace {

constexpr std::chrono::minutes k_round_every{30};
constexpr int k_operator_from = 8 * 60;  // Mon–Fri 08:00–18:00 local: the operator's desk hours
constexpr int k_operator_to = 18 * 60;
// A post is made this long before the round that registers it (the operator works through the
// list, then registers): drawn in whole seconds so that times are not round.
constexpr std::chrono::seconds k_post_lead_min{45};
constexpr std::chrono::seconds k_post_lead_max{14 * 60};

// "2026-03-02T10:15:03+0000", the Graph API's form.
std::string graph_time(Instant t) {
  return date::format("%Y-%m-%dT%H:%M:%S+0000", t);
}

// A Graph-like page number (11 digits, as older pages have) from a stable hash of the company.
std::string hashed_page_id(const std::string& company_id) {
  return std::to_string(100000000000ULL + respbench::stable_hash("page:" + company_id) % 900000000000ULL);
}

// A visitor's numeric id: the persona is a person with a Facebook account.
std::string person_id(const std::string& persona) {
  return std::to_string(100000000000000ULL + respbench::stable_hash("person:" + persona) % 900000000000000ULL);
}

std::string first_name(const std::string& persona) {
  auto parsed = respbench::parse_persona(persona);
  const std::string name = parsed ? parsed->name : persona;
  return name.substr(0, name.find(' '));
}

// A short answer as a page's community team writes it: greeting, a sector's line, signature.
std::string answer_text(const respbench::Company& company, const std::string& persona, Random& r) {
  static const std::map<std::string, std::vector<std::string>> k_lines = {
      {"banks",
       {"Bitte schick uns keine Konto- oder Kartendaten hier öffentlich. Die Antwort auf deine Frage: Das geht ganz "
        "einfach im Online-Banking unter Service > Einstellungen.",
        "Dafür fällt keine Gebühr an. Details stehen im Preis- und Leistungsverzeichnis auf unserer Website.",
        "Am besten klären wir das mit deiner Beraterin in der Filiale – ein Termin lässt sich online buchen."}},
      {"insurers",
       {"Das ist in deinem Tarif mitversichert. Die genauen Bedingungen findest du in den Versicherungsbedingungen, "
        "Abschnitt 4.",
        "Eine Schadenmeldung geht am schnellsten über unser Online-Formular; die Unterlagen kannst du dort hochladen.",
        "Eine Kündigung ist zum Ende des Versicherungsjahres mit drei Monaten Frist möglich."}},
      {"telecoms",
       {"Schick uns bitte deine Kundennummer per Direktnachricht, dann schauen wir uns den Anschluss an.",
        "Die Option kannst du jederzeit im Kundenportal zubuchen; sie gilt ab dem nächsten Abrechnungsmonat.",
        "An deiner Adresse ist der Ausbau für das zweite Quartal geplant."}},
      {"energy",
       {"Den Zählerstand kannst du ganz einfach im Kundenportal eintragen, die Abschlagsänderung gilt dann ab "
        "nächstem Monat.",
        "Bei einem Umzug nehmen wir deinen Vertrag gern mit – gib uns einfach die neue Adresse und das Datum durch.",
        "Unser Ökostromtarif kommt zu 100 % aus Wasserkraft."}},
      {"retail",
       {"Die Rücksendung ist innerhalb von 30 Tagen kostenlos, das Etikett findest du in deinem Kundenkonto.",
        "Der Artikel ist ab nächster Woche wieder lieferbar.",
        "Du kannst die Bestellung bis zum Versand noch ändern."}},
      {"travel",
       {"Eine Umbuchung ist bis 24 Stunden vor Abfahrt kostenlos möglich.",
        "Das Gepäck ist im Tarif enthalten, Sondergepäck bitte vorher anmelden.",
        "Die Erstattung läuft automatisch, das dauert etwa zwei Wochen."}},
  };
  static const std::vector<std::string> k_generic = {
      "Danke für den Hinweis, das geben wir gern an die Fachabteilung weiter. Melde dich, wenn du noch Fragen hast.",
      "Die Antwort findest du auch in unseren FAQ auf der Website; kurz gesagt: ja, das geht."};
  static const std::vector<std::string> k_greetings = {"Hallo {}!", "Hi {},", "Liebe/r {},", "Hallo {}, danke für deine Nachricht!"};
  static const std::vector<std::string> k_signers = {"Sandra", "Tim", "Jana", "Murat", "Lea", "Kai"};
  auto pick = [&r](const std::vector<std::string>& list) -> const std::string& {
    return list[static_cast<std::size_t>(r.below(list.size()))];
  };
  auto found = k_lines.find(company.sector);
  const auto& lines = found == k_lines.end() ? k_generic : found->second;
  return fmt::format("{} {} Viele Grüße, {} vom {}-Team", fmt::format(fmt::runtime(pick(k_greetings)), first_name(persona)),
                     pick(lines), pick(k_signers), company.name);
}

// Mon–Fri inside the desk hours, in the study's zone.
bool operator_at_desk(const respbench::Calendar& calendar, Instant t) {
  const auto day = calendar.local_day(t);
  const unsigned weekday = date::weekday{day}.iso_encoding();  // 1 = Monday
  const int minute = calendar.local_minute_of_day(t);
  return weekday <= 5 && minute >= k_operator_from && minute < k_operator_to;
}

std::string member(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::string show(const std::vector<std::string>& args, const RespbenchResult& r) {
  std::string line = "respbench";
  for (const auto& a : args) line += " " + a;
  return fmt::format("{} exited with {}:\n{}{}", line, r.exit_code, r.err, r.out);
}

}  // namespace

FacebookActor::FacebookActor(graph::Emulator& graph, const respbench::Study& study,
                             std::function<FacebookBehaviour(const std::string&)> behaviour, std::uint64_t seed,
                             TruthLog& truth)
    : m_graph(graph), m_study(study), m_calendar(study.config.calendar()), m_behaviour(std::move(behaviour)), m_seed(seed), m_truth(truth) {}

void FacebookActor::setup() {
  for (const auto& company : m_study.companies) {
    if (company.facebook.empty()) continue;
    Page page;
    page.company = &company;
    // respbench takes a numeric cell for the page's id (FacebookChannel::resolve_pages): the
    // page's answers must come from that id then.
    const bool numeric = respbench::is_graph_number(company.facebook);
    page.id = numeric ? company.facebook : hashed_page_id(company.id);
    m_graph.add_page(page.id, company.name, numeric ? std::string() : company.facebook);

    const FacebookBehaviour b = m_behaviour(company.sector);
    Random r = Random::derive(m_seed, "facebook-company", company.id);
    const double u = r.unit();
    if (u < b.diligent_share) {
      page.type = "diligent";
      page.answer_probability = b.diligent_answer;
    } else if (u < b.diligent_share + b.sporadic_share) {
      page.type = "sporadic";
      page.answer_probability = b.sporadic_answer;
    } else {
      page.type = "silent";
    }
    m_pages[company.id] = page;
  }
  if (const char* token = std::getenv(m_study.config.facebook.token_env.c_str()); token != nullptr && *token != 0) {
    m_graph.add_token(token, graph::TokenKind::page);
  }
}

std::string FacebookActor::company_type(const std::string& company_id) const {
  auto it = m_pages.find(company_id);
  return it == m_pages.end() ? std::string() : it->second.type;
}

void FacebookActor::operate(Instant t, const RunRespbench& run) {
  if (!operator_at_desk(m_calendar, t)) return;
  if (m_last_round && t - *m_last_round < k_round_every) return;
  m_last_round = t;

  const std::string now = respbench::format_utc(t);
  const std::vector<std::string> todo_args = {"--study", m_study.dir.string(), "--now", now, "todo", "--json"};
  const auto todo = run(todo_args);
  if (todo.exit_code != 0) throw std::runtime_error(show(todo_args, todo));
  rapidjson::Document doc;
  doc.Parse(todo.out.c_str(), todo.out.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("todo") || !doc["todo"].IsArray()) {
    throw std::runtime_error("respbench todo --json printed no to-do list: " + todo.out);
  }
  for (const auto& item : doc["todo"].GetArray()) {
    if (member(item, "channel") != "facebook" || !item.HasMember("id") || !item["id"].IsInt64()) continue;
    const std::int64_t id = item["id"].GetInt64();
    if (m_registered.contains(id)) {
      throw std::runtime_error(fmt::format("inquiry {} is on the to-do list again after it was registered", id));
    }
    auto page = m_pages.find(member(item, "company"));
    if (page == m_pages.end()) continue;  // no page on the emulator: nothing an operator could do
    if (!member(item, "problem").empty()) continue;
    auto due = respbench::parse_instant(member(item, "due_since"), nullptr);
    if (!due) throw std::runtime_error(fmt::format("inquiry {}: due_since: {}", id, due.error().message));
    post_one(page->second, id, member(item, "persona"), member(item, "text"), *due, t, run);
  }
}

void FacebookActor::post_one(const Page& page, std::int64_t inquiry_id, const std::string& persona,
                             const std::string& text, Instant due_since, Instant t, const RunRespbench& run) {
  Random r = Random::derive(m_seed, "facebook-post", std::to_string(inquiry_id));
  const auto span = (k_post_lead_max - k_post_lead_min).count();
  const auto lead = k_post_lead_min + std::chrono::seconds(static_cast<std::int64_t>(r.below(span + 1)));
  const Instant posted = std::clamp(t - lead, std::min(due_since, t), t);

  auto parsed = respbench::parse_persona(persona);
  const graph::Person visitor{person_id(persona), parsed ? parsed->name : persona};
  const std::string post_id = m_graph.add_post(page.id, visitor, text, graph_time(posted));

  const std::vector<std::string> args = {"--study", m_study.dir.string(), "--now", respbench::format_utc(t),
                                         "--quiet", "sent", std::to_string(inquiry_id), "--ref", post_id,
                                         "--at", respbench::format_utc(posted)};
  const auto sent = run(args);
  if (sent.exit_code != 0) throw std::runtime_error(show(args, sent));
  m_registered.insert(inquiry_id);

  m_truth.add({"facebook", page.company->id, page.company->sector, post_id, TruthEvent::received, posted,
               fmt::format("inquiry {}", inquiry_id)});
  decide(m_pages.at(page.company->id), post_id, posted, persona);
}

void FacebookActor::decide(Page& page, const std::string& post_id, Instant posted, const std::string& persona) {
  const auto& company = *page.company;
  Random r = Random::derive(m_seed, "facebook-answer", fmt::format("{}#{}", company.id, page.ordinal++));
  const FacebookBehaviour b = m_behaviour(company.sector);
  const bool answers = r.unit() < page.answer_probability;
  {
    // What the profile expects of this inquiry, whatever this company's drawn type.
    const double window_hours =
        static_cast<double>(m_calendar.business_time_between(posted, posted + m_study.config.answer_window).count()) /
        3600.0;
    const double z_window = std::log(window_hours / b.delay_median_hours);  // -inf when the window has no hours
    const double in_window = b.delay_sigma > 0 ? 0.5 * std::erfc(-(z_window / b.delay_sigma) / std::numbers::sqrt2)
                                               : (z_window >= 0 ? 1.0 : 0.0);
    auto& expected = m_expected[company.sector];
    expected.sum += (b.diligent_share * b.diligent_answer + b.sporadic_share * b.sporadic_answer) *
                    (1.0 - b.late_share) * in_window;
    ++expected.posted;
  }
  // Drawn whether or not the page answers, so that one inquiry's fate does not shift the draws
  // of the next (each inquiry has its own stream anyway; this keeps the order of use fixed).
  const double z = standard_normal(r);
  const bool late_by_draw = r.unit() < b.late_share;
  // A late answer comes 5–50 minutes after the window (as the email side has it), so that a
  // campaign running one hour past the last window publishes it and respbench must ignore it.
  const auto extra = std::chrono::seconds(300 + static_cast<std::int64_t>(r.below(2701)));
  if (!answers) {
    m_truth.add({"facebook", company.id, company.sector, post_id, TruthEvent::ignored, posted, page.type});
    return;
  }
  const double hours = b.delay_median_hours * std::exp(b.delay_sigma * z);
  // At least a minute: nobody answers the same second; seconds are kept so that respbench's
  // response times are checked to the second.
  const auto business = std::max(std::chrono::seconds(60), std::chrono::seconds(std::llround(hours * 3600.0)));
  const Instant window_end = posted + m_study.config.answer_window;
  Instant at = late_by_draw ? window_end + extra : add_business_time(m_calendar, posted, business);
  // The window includes its last second (respbench counts a reply at sent_at + window).
  const bool late = at > window_end;
  m_truth.add({"facebook", company.id, company.sector, post_id, late ? TruthEvent::late_answer : TruthEvent::answer,
               at,
               late_by_draw ? page.type + ", late"
                            : fmt::format("{}, {:.2f} business hours", page.type, static_cast<double>(business.count()) / 3600.0)});
  PendingAnswer pending{at, post_id, page.id, company.name, answer_text(company, persona, r)};
  auto where = std::upper_bound(m_pending.begin(), m_pending.end(), pending,
                                [](const PendingAnswer& a, const PendingAnswer& b) { return a.at < b.at; });
  m_pending.insert(where, std::move(pending));
}

void FacebookActor::add_truth_profiles() const {
  std::map<std::string, int> companies;
  for (const auto& [id, page] : m_pages) ++companies[page.company->sector];
  for (const auto& [sector, expected] : m_expected) {
    if (expected.posted == 0) continue;
    m_truth.add_profile({sector, "facebook", companies[sector], expected.sum / expected.posted});
  }
}

void FacebookActor::before_run(Instant t) {
  auto due_end = m_pending.begin();
  for (; due_end != m_pending.end() && due_end->at <= t; ++due_end) {
    m_graph.add_comment(due_end->post_id, {due_end->page_id, due_end->page_name}, due_end->message,
                        graph_time(due_end->at));
    ++m_published;
  }
  m_pending.erase(m_pending.begin(), due_end);
}

}  // namespace company_sim
