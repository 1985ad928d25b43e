#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "diagnostics_support.hpp"
#include "study/companies.hpp"
#include "study/contact.hpp"
#include "study/study.hpp"
#include "support.hpp"

using respbench::Channel;
using respbench::Company;
using respbench::Diagnostic;
using respbench::Diagnostics;
using respbench::is_valid_domain;
using respbench::is_valid_email;
using respbench::normalize_facebook_page;
using respbench::parse_companies;
using respbench::test::describe;
using respbench::test::place;

namespace {

const std::string k_header = "id,name,sector,email,facebook\n";

struct Parsed {
  std::vector<Company> companies;
  Diagnostics diags;
};

Parsed parse(std::string_view text) {
  Parsed p;
  p.companies = parse_companies(text, "companies.csv", p.diags);
  return p;
}

// Parses text that must give exactly one diagnostic, and returns it.
Diagnostic only_error(std::string_view text) {
  auto p = parse(text);
  INFO(describe(p.diags));
  REQUIRE(p.diags.size() == 1);
  CHECK(p.diags.items()[0].file == "companies.csv");
  return p.diags.items()[0];
}

bool contains(const std::string& text, std::string_view fragment) { return text.find(fragment) != std::string::npos; }

const Company* find_company(const std::vector<Company>& companies, std::string_view id) {
  auto it = std::find_if(companies.begin(), companies.end(), [&](const Company& c) { return c.id == id; });
  return it == companies.end() ? nullptr : &*it;
}

std::string sample_text() { return respbench::test::read_text(respbench::test::source_dir() / "companies.csv"); }

// `text` with line `line_no` (1-based) replaced.
std::string with_line(const std::string& text, int line_no, const std::string& replacement) {
  std::string out;
  int n = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++n;
    out += n == line_no ? replacement : text.substr(pos, end - pos);
    out += '\n';
    pos = end + 1;
  }
  return out;
}

std::string line_of(const std::string& text, int line_no) {
  std::size_t pos = 0;
  for (int n = 1; n < line_no; ++n) pos = text.find('\n', pos) + 1;
  return text.substr(pos, text.find('\n', pos) - pos);
}

}  // namespace

TEST_CASE("the sample companies.csv has 48 companies and no problems") {
  auto p = parse(sample_text());
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.companies.size() == 48);
  CHECK(p.companies.front().id == "nordlicht-bank");
  CHECK(p.companies.front().line == 2);
  CHECK(p.companies.back().id == "matterblick-reisen");
  CHECK(p.companies.back().line == 50);  // one record spans two lines

  const Company* nord = find_company(p.companies, "nordlicht-bank");
  REQUIRE(nord);
  CHECK(nord->name == "Nordlicht Bank AG");
  CHECK(nord->sector == "banks");
  CHECK(nord->email == "service@nordlicht-bank.test");
  CHECK(nord->facebook == "NordlichtBank");  // the URL normalised to the page name
  CHECK(nord->reply_domains == std::vector<std::string>{"nordlicht-bank-service.test", "helpdesk.nordlicht.test"});
  CHECK(nord->website == "https://www.nordlicht-bank.test");
  CHECK(nord->country == "DE");
  CHECK(nord->offers(Channel::email));
  CHECK(nord->offers(Channel::facebook));

  const Company* volksbank = find_company(p.companies, "volksbank-brunnenfeld");
  REQUIRE(volksbank);
  CHECK(volksbank->facebook.empty());
  CHECK_FALSE(volksbank->offers(Channel::facebook));
  CHECK(volksbank->reply_domains.empty());

  const Company* blitznetz = find_company(p.companies, "blitznetz");
  REQUIRE(blitznetz);
  CHECK_FALSE(blitznetz->offers(Channel::email));
  CHECK(blitznetz->facebook == "Blitznetz.Kommunikation");
}

TEST_CASE("quoted names and notes in the sample are read right") {
  auto p = parse(sample_text());
  const Company* becker = find_company(p.companies, "becker-roth");
  REQUIRE(becker);
  CHECK(becker->name == "Becker, Roth & Partner Versicherungsmakler GmbH");
  CHECK(becker->sector == "insurers");
  CHECK(becker->line == 11);

  const Company* fernweh = find_company(p.companies, "reisebuero-fernweh");
  REQUIRE(fernweh);
  CHECK(fernweh->name == "Reisebüro \"Fernweh\" GmbH");
  CHECK(fernweh->line == 43);

  const Company* limmat = find_company(p.companies, "limmat-handelsbank");
  REQUIRE(limmat);
  CHECK(limmat->notes == "Antworten kommen meist aus der Zentrale.\nFragen bitte auf Hochdeutsch stellen.");
  CHECK(limmat->line == 9);
  CHECK(limmat->country == "CH");
}

TEST_CASE("optional columns: reply_domains split on spaces, in any column order") {
  auto p = parse(
      "name,id,reply_domains,sector,facebook,email\n"
      "Nord AG,nord,Help.Nord.test  mail.nord.test,banks,,info@nord.test\n"
      "Süd AG,sued,,banks,SuedBank,\n");
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.companies.size() == 2);
  CHECK(p.companies[0].id == "nord");
  CHECK(p.companies[0].name == "Nord AG");
  CHECK(p.companies[0].email == "info@nord.test");
  CHECK(p.companies[0].reply_domains == std::vector<std::string>{"help.nord.test", "mail.nord.test"});
  CHECK(p.companies[1].reply_domains.empty());
  CHECK(p.companies[1].email.empty());
  CHECK(p.companies[1].facebook == "SuedBank");
}

TEST_CASE("normalize_facebook_page") {
  CHECK(normalize_facebook_page("https://www.facebook.com/NordlichtBank") == "NordlichtBank");
  CHECK(normalize_facebook_page("http://facebook.com/NordlichtBank") == "NordlichtBank");
  CHECK(normalize_facebook_page("facebook.com/NordlichtBank/") == "NordlichtBank");
  CHECK(normalize_facebook_page("https://m.facebook.com/NordlichtBank?ref=bookmarks") == "NordlichtBank");
  CHECK(normalize_facebook_page("https://WWW.Facebook.com/NordlichtBank") == "NordlichtBank");
  CHECK(normalize_facebook_page("  NordlichtBank ") == "NordlichtBank");
  CHECK(normalize_facebook_page("Blitznetz.Kommunikation") == "Blitznetz.Kommunikation");
  CHECK(normalize_facebook_page("https://www.facebook.com/profile.php?id=100012345678") == "100012345678");
  CHECK(normalize_facebook_page("https://www.facebook.com/pages/Nordlicht-Bank/123456789") == "123456789");
  CHECK(normalize_facebook_page("123456789") == "123456789");

  CHECK_FALSE(normalize_facebook_page("https://twitter.com/NordlichtBank"));
  CHECK_FALSE(normalize_facebook_page("twitter.com/NordlichtBank"));
  CHECK_FALSE(normalize_facebook_page("Nord"));  // page names have at least 5 characters
  CHECK_FALSE(normalize_facebook_page("https://www.facebook.com/Nord"));
  CHECK_FALSE(normalize_facebook_page("bad page!"));
  CHECK_FALSE(normalize_facebook_page(".NordBank"));
  CHECK_FALSE(normalize_facebook_page("https://www.facebook.com/profile.php?id=abc"));
  CHECK_FALSE(normalize_facebook_page("https://www.facebook.com/pages/Nordlicht-Bank/"));
  CHECK_FALSE(normalize_facebook_page("https://www.facebook.com/"));
  CHECK_FALSE(normalize_facebook_page("https://www.facebook.com/NordBank/posts/1"));
}

TEST_CASE("is_valid_email and is_valid_domain") {
  CHECK(is_valid_email("service@nordlicht-bank.test"));
  CHECK(is_valid_email("anna.berger+studie@mail.example.org"));
  CHECK(is_valid_email("o'neil@example.org"));
  CHECK_FALSE(is_valid_email("service.nordlicht-bank.test"));  // no @
  CHECK_FALSE(is_valid_email("@nordlicht-bank.test"));
  CHECK_FALSE(is_valid_email("anna..berger@example.org"));      // two dots in the local part
  CHECK_FALSE(is_valid_email("anna@example..org"));             // two dots in the domain
  CHECK_FALSE(is_valid_email(".anna@example.org"));
  CHECK_FALSE(is_valid_email("anna.@example.org"));
  CHECK_FALSE(is_valid_email("service@nordlicht-bank"));       // no top-level domain
  CHECK_FALSE(is_valid_email("service@nordlicht-bank.test."));  // trailing dot
  CHECK_FALSE(is_valid_email("anna berger@example.org"));      // space
  CHECK_FALSE(is_valid_email("anna@exa mple.org"));
  CHECK_FALSE(is_valid_email("anna@-example.org"));
  CHECK_FALSE(is_valid_email("anna@example.123"));  // a numeric top-level domain
  CHECK_FALSE(is_valid_email(""));

  CHECK(is_valid_domain("helpdesk.example.test"));
  CHECK(is_valid_domain("a-b.example.test"));
  CHECK_FALSE(is_valid_domain("localhost"));
  CHECK_FALSE(is_valid_domain("example-.test"));
  CHECK_FALSE(is_valid_domain("exa_mple.test"));
  CHECK_FALSE(is_valid_domain(std::string(64, 'a') + ".test"));
}

TEST_CASE("a duplicate id is reported where it repeats, naming the first line") {
  auto d = only_error(k_header +
                      "nord,Nord AG,banks,info@nord.test,\n"     // 2
                      "sued,Süd AG,banks,info@sued.test,\n"      // 3
                      "nord,Nord Zwei AG,banks,,NordZwei\n");    // 4
  CHECK(place(d) == "4:1");
  CHECK(contains(d.message, "duplicate id \"nord\" (first on line 2)"));
}

TEST_CASE("empty and malformed cells are reported at the cell") {
  SUBCASE("empty id") {
    auto d = only_error(k_header + "  ,Nord AG,banks,info@nord.test,\n");
    CHECK(place(d) == "2:1");
    CHECK(contains(d.message, "empty id"));
  }
  SUBCASE("id with other characters") {
    auto d = only_error(k_header + "nord bank,Nord AG,banks,info@nord.test,\n");
    CHECK(place(d) == "2:1");
    CHECK(contains(d.message, "id \"nord bank\" has characters other than"));
  }
  SUBCASE("empty name") {
    auto d = only_error(k_header + "nord,,banks,info@nord.test,\n");
    CHECK(place(d) == "2:6");
    CHECK(contains(d.message, "empty name"));
  }
  SUBCASE("empty sector") {
    auto d = only_error(k_header + "nord,Nörd AG,,info@nord.test,\n");
    CHECK(place(d) == "2:14");  // columns count characters: ö is one
    CHECK(contains(d.message, "empty sector"));
  }
  SUBCASE("bad email") {
    auto d = only_error(k_header + "nord,Nord AG,banks,info(at)nord.test,\n");
    CHECK(place(d) == "2:20");
    CHECK(contains(d.message, "\"info(at)nord.test\" is not an email address"));
  }
  SUBCASE("bad email in a quoted cell on a later line of its record") {
    auto d = only_error(k_header + "nord,\"Nord\nAG\",banks,info@nord,\n");
    CHECK(place(d) == "3:11");
  }
  SUBCASE("bad facebook") {
    auto d = only_error(k_header + "nord,Nord AG,banks,info@nord.test,https://twitter.com/NordAG\n");
    CHECK(place(d) == "2:35");
    CHECK(contains(d.message, "\"https://twitter.com/NordAG\" is not a Facebook page"));
  }
  SUBCASE("bad reply domain") {
    auto d = only_error("id,name,sector,email,facebook,reply_domains\n"
                        "nord,Nord AG,banks,info@nord.test,,help.nord.test nord\n");
    CHECK(place(d) == "2:36");
    CHECK(contains(d.message, "\"nord\" is not a domain name"));
  }
}

TEST_CASE("header problems") {
  SUBCASE("an unknown column") {
    auto p = parse("id,name,sector,email,facebook,telefon\nnord,Nord AG,banks,info@nord.test,,0800\n");
    INFO(describe(p.diags));
    REQUIRE(p.diags.size() == 1);
    CHECK(place(p.diags.items()[0]) == "1:31");
    CHECK(contains(p.diags.items()[0].message, "unknown column \"telefon\""));
  }
  SUBCASE("a missing required column") {
    auto p = parse("id,name,sector,email\nnord,Nord AG,banks,info@nord.test\n");
    INFO(describe(p.diags));
    REQUIRE(p.diags.size() == 1);
    CHECK(place(p.diags.items()[0]) == "1:0");
    CHECK(contains(p.diags.items()[0].message, "the header has no \"facebook\" column"));
    CHECK(p.companies.empty());
  }
  SUBCASE("a column twice") {
    auto d = only_error("id,name,sector,email,facebook,Email\n");
    CHECK(place(d) == "1:31");
    CHECK(contains(d.message, "column \"email\" appears twice"));
  }
  SUBCASE("an empty file") {
    auto d = only_error("");
    CHECK(d.line == 1);
    CHECK(contains(d.message, "no header row"));
  }
}

TEST_CASE("a record with the wrong number of fields") {
  auto p = parse(k_header +
                 "nord,Nord AG,banks,info@nord.test,\n"        // 2
                 "becker,Becker, Roth & Partner,insurers,,\n"  // 3: the comma needs quotes
                 "sued,Süd AG,banks\n");                       // 4
  INFO(describe(p.diags));
  REQUIRE(p.diags.size() == 2);
  CHECK(place(p.diags.items()[0]) == "3:0");
  CHECK(contains(p.diags.items()[0].message, "6 fields; expected 5 as in the header"));
  CHECK(place(p.diags.items()[1]) == "4:0");
  CHECK(contains(p.diags.items()[1].message, "3 fields; expected 5"));
  REQUIRE(p.companies.size() == 1);
  CHECK(p.companies[0].id == "nord");
}

TEST_CASE("a companies.csv with a duplicate id, a bad address and an unterminated quote is refused with all three") {
  std::string text = sample_text();
  REQUIRE(line_of(text, 4).starts_with("kreissparkasse-hollerbeck,Kreissparkasse Hollerbeck,"));
  REQUIRE(line_of(text, 20).starts_with("glasfaser-nordheide,"));
  REQUIRE(line_of(text, 30).starts_with("rheinauen-energie,Rheinauen Energieversorgung AG,energy,"));
  // Line 4: the name opens a quote that is never closed (later lines hold quoted fields too).
  text = with_line(text, 4,
                   "kreissparkasse-hollerbeck,\"Kreissparkasse Hollerbeck,banks,kundenservice@ksk-hollerbeck.test,"
                   "KreissparkasseHollerbeck,,https://www.ksk-hollerbeck.test,DE,");
  // Line 20: the id of line 2 again.
  text = with_line(text, 20, "nordlicht-bank" + line_of(text, 20).substr(std::string("glasfaser-nordheide").size()));
  // Line 30: an address without a top-level domain.
  auto line30 = line_of(text, 30);
  line30.replace(line30.find("service@rheinauen-energie.test"), 30, "service@rheinauen-energie");
  text = with_line(text, 30, line30);

  auto check_the_three = [](const Diagnostics& diags) {
    INFO(describe(diags));
    auto sorted = diags.sorted();
    REQUIRE(sorted.size() == 3);
    CHECK(sorted[0].file == "companies.csv");
    CHECK(place(sorted[0]) == "4:27");
    CHECK(contains(sorted[0].message, "unterminated quoted field"));
    CHECK(place(sorted[1]) == "20:1");
    CHECK(contains(sorted[1].message, "duplicate id \"nordlicht-bank\" (first on line 2)"));
    CHECK(place(sorted[2]) == "30:57");
    CHECK(contains(sorted[2].message, "\"service@rheinauen-energie\" is not an email address"));
  };

  SUBCASE("parse_companies") {
    auto p = parse(text);
    check_the_three(p.diags);
    CHECK(p.companies.size() == 47);  // the broken record is dropped; every other one is read
    CHECK_FALSE(find_company(p.companies, "kreissparkasse-hollerbeck"));
    CHECK(find_company(p.companies, "luehrs-privatbank"));
    CHECK(find_company(p.companies, "limmat-handelsbank"));
  }
  SUBCASE("load_study refuses the study") {
    respbench::test::TempDir dir;
    respbench::test::copy_sample_study(dir.path());
    respbench::test::write_text(dir / "companies.csv", text);
    Diagnostics diags;
    CHECK_FALSE(respbench::load_study(dir.path(), diags));
    check_the_three(diags);
  }
}
