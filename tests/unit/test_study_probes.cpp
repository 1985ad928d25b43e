#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics_support.hpp"
#include "study/placeholders.hpp"
#include "study/probes.hpp"
#include "support.hpp"

using respbench::Channel;
using respbench::check_placeholders;
using respbench::Company;
using respbench::Diagnostic;
using respbench::Diagnostics;
using respbench::load_probes;
using respbench::parse_probe;
using respbench::Persona;
using respbench::Probe;
using respbench::render_placeholders;
using respbench::test::describe;
using respbench::test::place;
using respbench::test::TempDir;
using respbench::test::write_text;

namespace {

struct Parsed {
  std::optional<Probe> probe;
  Diagnostics diags;
};

Parsed parse(const std::string& text) {
  Parsed p;
  p.probe = parse_probe(text, "de/test", "probes/de/test.txt", p.diags);
  return p;
}

// Parses text that must give exactly one diagnostic, and returns it.
Diagnostic only_error(const std::string& text) {
  auto p = parse(text);
  INFO(describe(p.diags));
  CHECK_FALSE(p.probe);
  REQUIRE(p.diags.size() == 1);
  CHECK(p.diags.items()[0].file == "probes/de/test.txt");
  return p.diags.items()[0];
}

bool contains(const std::string& text, std::string_view fragment) { return text.find(fragment) != std::string::npos; }

const std::string k_headers = "Subject: Frage\nChannels: email\nLanguage: de\n\n";  // the body starts on line 5

std::vector<std::string> ids(const std::vector<Probe>& probes) {
  std::vector<std::string> out;
  for (const auto& p : probes) out.push_back(p.id);
  return out;
}

}  // namespace

TEST_CASE("a good probe: headers in any case, CRLF line endings") {
  auto p = parse(
      "subject: Frage zu {company.name}\r\n"  // 1
      "CHANNELS: email, Facebook\r\n"         // 2
      "Sectors: banks, insurers\r\n"          // 3
      "Language: DE\r\n"                      // 4
      "\r\n"                                  // 5
      "Guten Tag,\r\n"                        // 6
      "\r\n"
      "wie hoch sind die Gebühren?\r\n"
      "\r\n"
      "Viele Grüße\r\n"
      "{persona.name}\r\n"
      "\r\n");
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.probe);
  const Probe& probe = *p.probe;
  CHECK(probe.id == "de/test");
  CHECK(probe.file == "probes/de/test.txt");
  CHECK(probe.subject == "Frage zu {company.name}");
  CHECK(probe.channels == std::vector{Channel::email, Channel::facebook});
  CHECK(probe.sectors == std::vector<std::string>{"banks", "insurers"});
  CHECK(probe.language == "de");
  CHECK(probe.body == "Guten Tag,\n\nwie hoch sind die Gebühren?\n\nViele Grüße\n{persona.name}");
  CHECK(probe.body_line == 6);
  CHECK(probe.fits("banks", Channel::email));
  CHECK(probe.fits("insurers", Channel::facebook));
  CHECK_FALSE(probe.fits("telecoms", Channel::email));
}

TEST_CASE("`Sectors: *` fits every sector, and a missing Sectors: line does too") {
  auto star = parse("Subject: Frage\nChannels: facebook\nSectors: *\nLanguage: en\n\nHello\n");
  INFO(describe(star.diags));
  REQUIRE(star.probe);
  CHECK(star.probe->sectors.empty());
  CHECK(star.probe->fits("banks", Channel::facebook));
  CHECK(star.probe->fits("anything-else", Channel::facebook));
  CHECK_FALSE(star.probe->fits("banks", Channel::email));  // the channel still counts

  auto none = parse(k_headers + "Hallo\n");
  REQUIRE(none.probe);
  CHECK(none.probe->sectors.empty());
  CHECK(none.probe->body_line == 5);
}

TEST_CASE("header problems") {
  SUBCASE("an unknown header") {
    auto d = only_error("Subject: Frage\nPriority: high\nChannels: email\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "2:1");
    CHECK(contains(d.message, "unknown header \"Priority\""));
  }
  SUBCASE("a line that is no header") {
    auto d = only_error("Subject: Frage\nChannels: email\nLanguage: de\nHallo ohne Leerzeile\n\nText\n");
    CHECK(place(d) == "4:1");
    CHECK(contains(d.message, "expected a header line"));
  }
  SUBCASE("Subject: missing") {
    auto d = only_error("Channels: email\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "1:0");
    CHECK(contains(d.message, "Subject: is missing"));
  }
  SUBCASE("Subject: empty") {
    auto d = only_error("Subject:   \nChannels: email\nLanguage: de\n\nHallo\n");
    CHECK(contains(d.message, "Subject: is missing or empty"));
  }
  SUBCASE("Channels: missing") {
    auto d = only_error("Subject: Frage\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "1:0");
    CHECK(contains(d.message, "Channels: is missing"));
  }
  SUBCASE("Language: missing") {
    auto d = only_error("Subject: Frage\nChannels: email\n\nHallo\n");
    CHECK(place(d) == "1:0");
    CHECK(contains(d.message, "Language: is missing"));
  }
  SUBCASE("an unknown channel") {
    auto d = only_error("Subject: Frage\nChannels: email, fax\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "2:11");
    CHECK(contains(d.message, "unknown channel \"fax\"; expected email or facebook"));
  }
  SUBCASE("no channel at all") {
    auto d = only_error("Subject: Frage\nChannels: ,\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "2:11");
    CHECK(contains(d.message, "Channels: is empty"));
  }
  SUBCASE("an empty Sectors: line") {
    auto d = only_error("Subject: Frage\nChannels: email\nSectors:\nLanguage: de\n\nHallo\n");
    CHECK(d.line == 3);
    CHECK(contains(d.message, "Sectors: is empty"));
  }
  SUBCASE("all three missing at once") {
    auto p = parse("\nHallo\n");
    CHECK_FALSE(p.probe);
    CHECK(p.diags.size() == 3);
  }
}

TEST_CASE("the body") {
  SUBCASE("no blank line after the headers") {
    auto d = only_error("Subject: Frage\nChannels: email\nLanguage: de\n");
    CHECK(place(d) == "3:0");
    CHECK(contains(d.message, "no blank line after the headers"));
  }
  SUBCASE("an empty body") {
    auto d = only_error(k_headers + "  \n\n\n");
    CHECK(place(d) == "5:0");
    CHECK(contains(d.message, "the body is empty"));
  }
  SUBCASE("trailing blank lines are dropped, inner ones kept") {
    auto p = parse(k_headers + "Hallo\n\nTschüss\n\n\n");
    REQUIRE(p.probe);
    CHECK(p.probe->body == "Hallo\n\nTschüss");
  }
}

TEST_CASE("placeholders are checked with their exact place") {
  SUBCASE("an unknown placeholder in the body") {
    auto d = only_error(k_headers +
                        "Guten Tag,\n"                       // 5
                        "Grüße an {firma} von {persona.name}\n");  // 6
    CHECK(place(d) == "6:10");  // columns count characters: "Grüße an " is 9
    CHECK(contains(d.message, "unknown placeholder {firma}"));
    CHECK(contains(d.message, "{company.name}"));  // the list of known ones
  }
  SUBCASE("an unknown placeholder in the subject") {
    auto d = only_error("Channels: email\nSubject: Über {company.nme}\nLanguage: de\n\nHallo\n");
    CHECK(place(d) == "2:15");
    CHECK(contains(d.message, "unknown placeholder {company.nme}"));
  }
  SUBCASE("a lone closing brace") {
    auto d = only_error(k_headers + "Hallo\nein } hier\n");
    CHECK(place(d) == "6:5");
    CHECK(contains(d.message, "a lone \"}\""));
  }
  SUBCASE("an opening brace without its closing one") {
    auto d = only_error(k_headers + "Hallo {company.name\n{persona.name}\n");
    CHECK(place(d) == "5:7");
    CHECK(contains(d.message, "a \"{\" without its \"}\""));
  }
  SUBCASE("doubled braces are literal braces") {
    auto p = parse("Subject: Klammern {{ und }}\nChannels: email\nLanguage: de\n\nSo: {{company.name}} und }}\n");
    INFO(describe(p.diags));
    CHECK(p.diags.empty());
    CHECK(p.probe);
  }
  SUBCASE("every error of a file is reported") {
    auto p = parse("Subject: {x}\nChannels: email\nLanguage: de\n\n{y} und {z\n");
    INFO(describe(p.diags));
    auto sorted = p.diags.sorted();
    REQUIRE(sorted.size() == 3);
    CHECK(place(sorted[0]) == "1:10");
    CHECK(place(sorted[1]) == "5:1");
    CHECK(place(sorted[2]) == "5:9");
  }
}

TEST_CASE("check_placeholders reports byte offsets") {
  std::vector<std::size_t> offsets;
  auto report = [&](std::size_t offset, const std::string&) { offsets.push_back(offset); };
  CHECK(check_placeholders("Hallo {company.name}, {persona.first_name} {{}}", report));
  CHECK(offsets.empty());
  CHECK_FALSE(check_placeholders("ü {bad} }", report));
  CHECK(offsets == std::vector<std::size_t>{3, 9});
}

TEST_CASE("render_placeholders") {
  Company company;
  company.id = "nordlicht-bank";
  company.name = "Nordlicht Bank AG";
  company.sector = "banks";
  company.website = "https://www.nordlicht-bank.test";
  const Persona persona{"Anna Maria Berger", "anna.berger@example.org"};
  CHECK(render_placeholders("Hallo {company.name} ({company.id}, {company.sector})", company, persona) ==
        "Hallo Nordlicht Bank AG (nordlicht-bank, banks)");
  CHECK(render_placeholders("{persona.first_name} {persona.last_name} <{persona.email}>", company, persona) ==
        "Anna Berger <anna.berger@example.org>");
  CHECK(render_placeholders("{persona.name}", company, persona) == "Anna Maria Berger");
  CHECK(render_placeholders("{{company.name}} }} {{", company, persona) == "{company.name} } {");
  CHECK(render_placeholders("{company.website}", company, persona) == "https://www.nordlicht-bank.test");
  // Malformed text is copied as it is.
  CHECK(render_placeholders("a } b {unknown} c {open", company, persona) == "a } b {unknown} c {open");
  const Persona single{"Cher", "cher@example.org"};
  CHECK(render_placeholders("{persona.first_name}/{persona.last_name}", company, single) == "Cher/Cher");
}

TEST_CASE("a probe that is not UTF-8") {
  auto d = only_error("Subject: M\xFCller\nChannels: email\nLanguage: de\n\nHallo\n");
  CHECK(place(d) == "1:11");
  CHECK(contains(d.message, "not UTF-8"));
  auto body = only_error(k_headers + "Hallo\nGr\xFC\xDF" "e\n");
  CHECK(place(body) == "6:3");
}

TEST_CASE("load_probes reads the sample study's 86 probes, sorted by id") {
  Diagnostics diags;
  auto probes = load_probes(respbench::test::source_dir(), diags);
  INFO(describe(diags));
  CHECK(diags.empty());
  REQUIRE(probes.size() == 86);
  auto all = ids(probes);
  CHECK(std::is_sorted(all.begin(), all.end()));
  CHECK(all.front() == "de/banks-account-fees");
  CHECK(all.back() == "en/travel-rebooking");
  CHECK(probes.front().file == "probes/de/banks-account-fees.txt");
  CHECK(probes.front().subject == "Frage zu den Kontoführungsgebühren");
  CHECK(probes.front().body_line == 6);
  auto german = std::count_if(probes.begin(), probes.end(), [](const Probe& p) { return p.language == "de"; });
  CHECK(german == 43);
  auto general = std::find_if(probes.begin(), probes.end(), [](const Probe& p) { return p.id == "en/general-contact-hours"; });
  REQUIRE(general != probes.end());
  CHECK(general->sectors.empty());
  CHECK(general->language == "en");
}

TEST_CASE("load_probes takes *.txt files only, skips hidden ones, and sorts by id") {
  TempDir dir;
  const std::string good = "Subject: Frage\nChannels: email\nLanguage: de\n\nHallo\n";
  write_text(dir / "probes/fees.txt", good);
  write_text(dir / "probes/fees-extra.txt", good);  // sorts after "fees" as an id
  write_text(dir / "probes/sub/deep.txt", good);
  write_text(dir / "probes/README.md", "not a probe");
  write_text(dir / "probes/fees.txt~", "an editor's backup");
  write_text(dir / "probes/.draft.txt", "Subject: half done");
  write_text(dir / "probes/.old/fees.txt", "Subject: an old copy, hidden with its folder");
  write_text(dir / "probes/broken.txt", "Subject: Frage\nLanguage: de\n\nHallo\n");
  Diagnostics diags;
  auto probes = load_probes(dir.path(), diags);
  INFO(describe(diags));
  CHECK(ids(probes) == std::vector<std::string>{"fees", "fees-extra", "sub/deep"});
  CHECK(probes.back().file == "probes/sub/deep.txt");
  REQUIRE(diags.size() == 1);
  CHECK(diags.items()[0].file == "probes/broken.txt");
  CHECK(contains(diags.items()[0].message, "Channels: is missing"));
}

TEST_CASE("load_probes without probes") {
  SUBCASE("no probes folder") {
    TempDir dir;
    Diagnostics diags;
    CHECK(load_probes(dir.path(), diags).empty());
    REQUIRE(diags.size() == 1);
    CHECK(diags.items()[0].file == "probes/");
    CHECK(diags.items()[0].line == 0);
    CHECK(contains(diags.items()[0].message, "the probes folder is missing"));
  }
  SUBCASE("a folder without .txt files") {
    TempDir dir;
    write_text(dir / "probes/README.md", "later");
    Diagnostics diags;
    CHECK(load_probes(dir.path(), diags).empty());
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags.items()[0].message, "no probe files (*.txt) found"));
  }
}
