#include "study/init_template.hpp"

#include <fmt/format.h>

#include "study/config_keys.hpp"

namespace respbench {
namespace {

constexpr std::string_view k_companies =
    "id,name,sector,email,facebook,reply_domains,website,country,notes\n"
    "beispiel-bank,Beispielbank eG,banks,service@beispielbank.test,,,https://www.beispielbank.test,DE,\n"
    "muster-mobil,Muster Mobilfunk GmbH,telecoms,kundenservice@muster-mobil.test,"
    "https://www.facebook.com/MusterMobil,hilfe.muster-mobil.test,https://www.muster-mobil.test,DE,"
    "\"Replace these fictional rows with your panel, one row per company\"\n";

struct ProbeText {
  const char* file;
  const char* subject;
  const char* body;
};

// Five general questions that fit any sector, so that a new study is complete from the start.
constexpr ProbeText k_probes[] = {
    {"de/general-opening-hours.txt", "Frage zu Ihren Servicezeiten",
     "Guten Tag,\n\nzu welchen Zeiten ist Ihr Kundenservice erreichbar, und gibt es eine Möglichkeit,\n"
     "außerhalb dieser Zeiten ein Anliegen zu hinterlassen?\n\nVielen Dank und freundliche Grüße\n{persona.name}"},
    {"de/general-contract-documents.txt", "Unterlagen per Post oder online?",
     "Hallo {company.name},\n\nkann ich meine Vertragsunterlagen auch ausschließlich online erhalten, oder\n"
     "verschicken Sie grundsätzlich Papier? Ich möchte gern auf Papier verzichten.\n\nBeste Grüße\n{persona.name}"},
    {"de/general-address-change.txt", "Adressänderung nach Umzug",
     "Guten Tag,\n\nich bin vor kurzem umgezogen. Wie teile ich Ihnen meine neue Anschrift am einfachsten\n"
     "mit, und brauchen Sie dafür einen Nachweis?\n\nMit freundlichen Grüßen\n{persona.name}"},
    {"de/general-complaint-channel.txt", "Wohin mit einer Beschwerde?",
     "Hallo,\n\nan wen kann ich mich wenden, wenn ich mit einer Antwort Ihres Service nicht zufrieden bin?\n"
     "Gibt es eine eigene Beschwerdestelle?\n\nViele Grüße\n{persona.name}"},
    {"de/general-data-copy.txt", "Auskunft über gespeicherte Daten",
     "Guten Tag,\n\nwie kann ich eine Auskunft über die bei {company.name} zu meiner Person gespeicherten\n"
     "Daten erhalten, und wie lange dauert das ungefähr?\n\nFreundliche Grüße\n{persona.name}"},
};

}  // namespace

std::string config_template(date::year_month_day start) {
  std::string out =
      "# respbench study configuration. Every key, its default and what it means:\n"
      "# `respbench help config`. Secrets never go here: use password_command or password_env.\n";
  std::string section;
  for (const auto& key : config_keys()) {
    auto dot = key.name.find('.');
    auto key_section = std::string(key.name.substr(0, dot));
    auto name = key.name.substr(dot + 1);
    if (key_section != section) {
      section = key_section;
      out += fmt::format("\n[{}]\n", section);
    }
    std::string value(key.default_value);
    if (key.name == "study.name") value = "Kundenservice-Benchmark";
    if (key.name == "study.start") value = date::format("%F", start);
    if (key.name == "email.password_env") value = "RESPBENCH_MAIL_PASSWORD";
    if (key.name == "personas.persona") value = "Anna Berger <anna.berger@shopper.test>";
    out += fmt::format("# {}\n{} = {}\n", key.help, name, value);
  }
  return out;
}

std::vector<TemplateFile> study_template(date::year_month_day start) {
  std::vector<TemplateFile> files;
  files.push_back({"respbench.conf", config_template(start)});
  files.push_back({"companies.csv", std::string(k_companies)});
  for (const auto& p : k_probes) {
    files.push_back({fmt::format("probes/{}", p.file),
                     fmt::format("Subject: {}\nChannels: email, facebook\nSectors: *\nLanguage: de\n\n{}\n", p.subject,
                                 p.body)});
  }
  return files;
}

}  // namespace respbench
