#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "diagnostics_support.hpp"
#include "study/config.hpp"
#include "study/config_keys.hpp"
#include "study/init_template.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using respbench::config_keys;
using respbench::Diagnostic;
using respbench::Diagnostics;
using respbench::HolidayRules;
using respbench::MinuteRange;
using respbench::parse_config;
using respbench::parse_persona;
using respbench::StudyConfig;
using respbench::test::describe;
using respbench::test::find_diagnostic;
using respbench::test::place;

namespace {

struct Parsed {
  std::optional<StudyConfig> config;
  Diagnostics diags;
};

Parsed parse(const std::string& text) {
  Parsed p;
  p.config = parse_config(text, "respbench.conf", p.diags);
  return p;
}

// A valid config with only the required keys; tests add lines to it.
const std::string k_minimal =
    "[study]\n"                                           // 1
    "name = Test\n"                                       // 2
    "start = 2026-03-02\n"                                // 3
    "\n"                                                  // 4
    "[personas]\n"                                        // 5
    "persona = Anna Berger <anna.berger@example.org>\n";  // 6

// Parses text that must give exactly one diagnostic, and returns it.
Diagnostic only_error(const std::string& text) {
  auto p = parse(text);
  INFO(describe(p.diags));
  CHECK_FALSE(p.config);
  REQUIRE(p.diags.size() == 1);
  CHECK(p.diags.items()[0].file == "respbench.conf");
  return p.diags.items()[0];
}

bool contains(const std::string& text, std::string_view fragment) { return text.find(fragment) != std::string::npos; }

date::local_days day(int y, unsigned m, unsigned d) {
  return date::local_days{date::year{y} / date::month{m} / date::day{d}};
}

}  // namespace

TEST_CASE("the sample respbench.conf parses into typed values") {
  auto p = parse(respbench::test::read_text(respbench::test::source_dir() / "respbench.conf"));
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.config);
  const StudyConfig& c = *p.config;
  CHECK(c.name == "Kundenservice-Benchmark 2026");
  CHECK(c.timezone == "Europe/Berlin");
  REQUIRE(c.zone != nullptr);
  CHECK(c.zone->name() == "Europe/Berlin");
  CHECK(c.start == date::year{2026} / date::month{3} / date::day{2});
  CHECK(c.answer_window == std::chrono::seconds{7 * 86400});
  CHECK(c.probes_per_channel == 5);
  CHECK(c.seed == 42);
  CHECK(c.language == "de");

  for (int weekday = 0; weekday < 5; ++weekday) CHECK(c.hours.days[weekday] == std::vector{MinuteRange{540, 1020}});
  CHECK(c.hours.days[5].empty());
  CHECK(c.hours.days[6].empty());
  CHECK(c.holidays == HolidayRules::germany);
  CHECK(c.extra_holidays == std::set{day(2026, 12, 24), day(2026, 12, 31)});

  CHECK(c.send_window == MinuteRange{540, 960});
  CHECK(c.min_spacing == std::chrono::seconds{86400});
  CHECK(c.business_days == 15);

  CHECK(c.email.smtp_url == "smtp://127.0.0.1:2525");
  CHECK(c.email.imap_url == "imap://127.0.0.1:1143");
  CHECK(c.email.user == "anna.berger@shopper.test");
  CHECK(c.email.password_command.empty());
  CHECK(c.email.password_env == "RESPBENCH_MAIL_PASSWORD");
  CHECK(c.email.sent_folder == "Sent");
  CHECK(c.email.ca_file.empty());
  CHECK(c.email.max_per_run == 20);
  CHECK(c.facebook.graph_url == "http://127.0.0.1:8089/v21.0");
  CHECK(c.facebook.token_env == "RESPBENCH_FB_TOKEN");

  REQUIRE(c.personas.size() == 3);
  CHECK(c.personas[0].name == "Anna Berger");
  CHECK(c.personas[0].email == "anna.berger@shopper.test");
  CHECK(c.personas[1].name == "Jonas Weber");
  CHECK(c.personas[2].name == "Leonie Hartmann");
  CHECK(c.personas[2].email == "leonie.hartmann@shopper.test");

  CHECK_FALSE(c.report.on_run);
  CHECK(c.report.lang == "de");
  CHECK(c.report.csv_dialect == "rfc4180");

  CHECK(c.key_lines.at("study.start") == 7);
  CHECK(c.key_lines.at("schedule.min_spacing") == 20);
  CHECK(c.key_lines.at("personas.persona") == 37);  // the first of the three
  CHECK_FALSE(c.key_lines.contains("email.ca_file"));
}

TEST_CASE("keys that are left out get their defaults") {
  auto p = parse(k_minimal);
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.config);
  const StudyConfig& c = *p.config;
  CHECK(c.name == "Test");
  CHECK(c.timezone == "Europe/Berlin");
  CHECK(c.zone == date::locate_zone("Europe/Berlin"));
  CHECK(c.answer_window == std::chrono::seconds{7 * 86400});
  CHECK(c.probes_per_channel == 5);
  CHECK(c.seed == 42);
  CHECK(c.language == "de");
  CHECK(c.hours.days[0] == std::vector{MinuteRange{540, 1020}});
  CHECK(c.hours.days[4] == std::vector{MinuteRange{540, 1020}});
  CHECK(c.hours.days[5].empty());
  CHECK(c.holidays == HolidayRules::germany);
  CHECK(c.extra_holidays.empty());
  CHECK(c.send_window == MinuteRange{540, 960});
  CHECK(c.min_spacing == std::chrono::seconds{86400});
  CHECK(c.business_days == 15);
  CHECK(c.email.smtp_url.empty());
  CHECK(c.email.sent_folder == "Sent");
  CHECK(c.email.max_per_run == 20);
  CHECK(c.facebook.graph_url == "https://graph.facebook.com/v21.0");
  CHECK(c.facebook.token_env == "RESPBENCH_FB_TOKEN");
  REQUIRE(c.personas.size() == 1);
  CHECK(c.personas[0].name == "Anna Berger");
  CHECK_FALSE(c.report.on_run);
  CHECK(c.report.lang == "de");
  CHECK(c.report.csv_dialect == "rfc4180");
}

TEST_CASE("a seed takes any 64-bit value") {
  auto p = parse(k_minimal + "[study]\nseed = 18446744073709551615\n");
  INFO(describe(p.diags));
  REQUIRE(p.config);
  CHECK(p.config->seed == 18446744073709551615ULL);
}

TEST_CASE("values that differ from the defaults are read") {
  auto p = parse(k_minimal +
                 "[calendar]\n"
                 "hours = Mon-Thu 08:00-12:00 13:00-17:00, Fri 08:00-14:00\n"
                 "holidays = none\n"
                 "[study]\n"  // a section may come back
                 "timezone = Europe/Zurich\n"
                 "answer_window = 1d12h\n"
                 "seed = 7\n"
                 "language = en\n"
                 "[report]\n"
                 "on_run = yes   # a comment after the value\n"
                 "csv_dialect = excel-de\n");
  INFO(describe(p.diags));
  REQUIRE(p.config);
  const StudyConfig& c = *p.config;
  CHECK(c.zone->name() == "Europe/Zurich");
  CHECK(c.answer_window == 36h);
  CHECK(c.seed == 7);
  CHECK(c.language == "en");
  CHECK(c.holidays == HolidayRules::none);
  CHECK(c.hours.days[0] == std::vector{MinuteRange{480, 720}, MinuteRange{780, 1020}});
  CHECK(c.hours.days[4] == std::vector{MinuteRange{480, 840}});
  CHECK(c.report.on_run);
  CHECK(c.report.csv_dialect == "excel-de");
}

TEST_CASE("a file with a BOM, CRLF line endings and indentation is read like any other") {
  std::string text = "\xEF\xBB\xBF";
  for (char ch : k_minimal + "  [ schedule ]  \n  min_spacing = 2d\n") {
    if (ch == '\n') text += '\r';
    text += ch;
  }
  auto p = parse(text);
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.config);
  CHECK(p.config->name == "Test");
  CHECK(p.config->min_spacing == std::chrono::seconds{2 * 86400});
}

TEST_CASE("spaces inside a section's brackets and ';' comments do not lose keys") {
  // Boost.Program_options alone would file these keys under " calendar ." and drop them,
  // leaving the defaults in place without a word.
  auto p = parse(k_minimal +
                 "; an INI-style comment\n"
                 "[ calendar ]\n"
                 "holidays = none\n"
                 "[\tschedule\t]\n"
                 "business_days = 20\n");
  INFO(describe(p.diags));
  CHECK(p.diags.empty());
  REQUIRE(p.config);
  CHECK(p.config->holidays == HolidayRules::none);
  CHECK(p.config->business_days == 20);
  CHECK(p.config->key_lines.at("calendar.holidays") == 9);
}

TEST_CASE("an unknown key") {
  SUBCASE("in a known section") {
    auto d = only_error(k_minimal + "[study]\n  colour = blue\n");
    CHECK(place(d) == "8:3");  // the key, not its value
    CHECK(contains(d.message, "unknown key \"study.colour\""));
    CHECK(contains(d.message, "respbench help config"));
  }
  SUBCASE("in an unknown section") {
    auto d = only_error(k_minimal + "[studdy]\nseed = 4\n");
    CHECK(place(d) == "8:1");
    CHECK(contains(d.message, "unknown key \"studdy.seed\""));
  }
  SUBCASE("before any section") {
    auto d = only_error("verbose = yes\n" + k_minimal);
    CHECK(place(d) == "1:1");
    CHECK(contains(d.message, "unknown key \"verbose\""));
  }
}

TEST_CASE("a secret written into the file is refused without repeating it") {
  SUBCASE("password under [email]") {
    auto d = only_error(k_minimal + "[email]\npassword = hunter2\n");
    CHECK(place(d) == "8:1");
    CHECK(contains(d.message, "secrets never go into respbench.conf"));
    CHECK(contains(d.message, "password_command"));
    CHECK_FALSE(contains(d.message, "hunter2"));
  }
  SUBCASE("token under [facebook]") {
    auto d = only_error(k_minimal + "[facebook]\ngraph_url = https://graph.facebook.com/v21.0\ntoken = EAAB123secret\n");
    CHECK(place(d) == "9:1");
    CHECK(contains(d.message, "\"facebook.token\": secrets never go into respbench.conf"));
    CHECK(contains(d.message, "token_env = VARIABLE"));
    CHECK_FALSE(contains(d.message, "EAAB123secret"));
  }
  SUBCASE("a password in a server URL") {
    auto d = only_error(k_minimal + "[email]\nsmtp_url = smtps://anna:geheim@mail.example.org:465\n");
    CHECK(place(d) == "8:12");
    CHECK(contains(d.message, "email.smtp_url contains a password"));
    CHECK_FALSE(contains(d.message, "geheim"));
  }
  SUBCASE("a password in a URL that is wrong anyway is not repeated either") {
    auto d = only_error(k_minimal + "[email]\nimap_url = ftp://anna:geheim@mail.example.org\n");
    CHECK(place(d) == "8:12");
    CHECK(contains(d.message, "email.imap_url must be a URL starting with imap:// or imaps://"));
    CHECK_FALSE(contains(d.message, "geheim"));
  }
  SUBCASE("a user name alone in a URL is fine") {
    auto p = parse(k_minimal + "[email]\nsmtp_url = smtps://anna@mail.example.org:465\n");
    INFO(describe(p.diags));
    CHECK(p.diags.empty());
  }
  SUBCASE("an environment variable's value instead of its name") {
    auto d = only_error(k_minimal + "[facebook]\ntoken_env = EAAB-123:secret\n");
    CHECK(place(d) == "8:13");
    CHECK(contains(d.message, "must be the NAME of an environment variable"));
    CHECK_FALSE(contains(d.message, "EAAB-123:secret"));
  }
}

TEST_CASE("password_command and password_env together") {
  auto d = only_error(k_minimal +
                      "[email]\n"
                      "password_command = pass show respbench/anna\n"
                      "password_env = RESPBENCH_MAIL_PASSWORD\n");
  CHECK(place(d) == "9:16");
  CHECK(contains(d.message, "either email.password_command or email.password_env, not both"));
}

TEST_CASE("malformed values are reported at the value") {
  struct Case {
    std::string lines;  // appended to k_minimal, so the first is line 7
    std::string place;
    std::string fragment;
  };
  const Case cases[] = {
      {"[study]\nanswer_window = 7x\n", "8:17", "study.answer_window must be a duration such as 7d, 36h or 90m, found \"7x\""},
      {"[study]\nanswer_window = 0d\n", "8:17", "must be a duration"},
      {"[schedule]\nmin_spacing = one day\n", "8:15", "schedule.min_spacing must be a duration"},
      {"[study]\nprobes_per_channel = five\n", "8:22", "study.probes_per_channel must be a whole number >= 0, found \"five\""},
      {"[study]\nprobes_per_channel = -3\n", "8:22", "must be a whole number >= 0"},
      {"[study]\nprobes_per_channel = 0\n", "8:22", "study.probes_per_channel must be at least 1"},
      {"[email]\nmax_per_run = 2.5\n", "8:15", "email.max_per_run must be a whole number"},
      {"[email]\nmax_per_run = 3000000000\n", "8:15", "email.max_per_run is too large: at most 2147483647"},
      {"[study]\nseed = 18446744073709551616\n", "8:8", "study.seed is too large: at most 18446744073709551615"},
      {"[calendar]\nholidays = BY\n", "8:12", "calendar.holidays must be one of DE, none, found \"BY\""},
      {"[report]\nlang = fr\n", "8:8", "report.lang must be one of de, en, found \"fr\""},
      {"[calendar]\nextra_holidays = 2026-12-24, 2026-12-32\n", "8:18", "\"2026-12-32\" is not a date"},
      {"[email]\nsmtp_url = http://mail.example.org\n", "8:12", "email.smtp_url must be a URL starting with smtp:// or smtps://"},
      {"[email]\nimap_url = imaps:///nohost\n", "8:12", "email.imap_url must be a URL"},
      {"[facebook]\ngraph_url = graph.facebook.com\n", "8:13", "facebook.graph_url must be a URL starting with https:// or http://"},
      {"[study]\ntimezone = Europe/Berlinn\n", "8:12", "unknown time zone \"Europe/Berlinn\""},
      {"[study]\nlanguage = Deutsch\n", "8:12", "study.language must be a language code"},
      {"[calendar]\nhours = whenever\n", "8:9", "calendar.hours: "},
      {"[calendar]\nhours = Mon-Fri 17:00-09:00\n", "8:9", "calendar.hours: "},
      {"[schedule]\nsend_window = 9-16\n", "8:15", "schedule.send_window: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lines);
    auto d = only_error(k_minimal + c.lines);
    CHECK(place(d) == c.place);
    CHECK(contains(d.message, c.fragment));
  }
  auto d = only_error("[study]\nname = Test\nstart = 2026-02-30\n[personas]\npersona = A B <a@example.org>\n");
  CHECK(place(d) == "3:9");
  CHECK(contains(d.message, "study.start must be a date YYYY-MM-DD, found \"2026-02-30\""));
}

TEST_CASE("a malformed persona") {
  auto p = parse(
      "[study]\nname = Test\nstart = 2026-03-02\n[personas]\n"
      "persona = Anna Berger <anna.berger@example.org>\n"  // 5
      "persona = Jonas Weber jonas.weber@example.org\n"    // 6
      "persona = Leonie <leonie@localhost>\n");            // 7: no dot in the domain
  INFO(describe(p.diags));
  REQUIRE(p.diags.size() == 2);
  auto sorted = p.diags.sorted();
  CHECK(place(sorted[0]) == "6:11");
  CHECK(contains(sorted[0].message, "personas.persona must look like \"Anna Berger <anna.berger@example.org>\""));
  CHECK(contains(sorted[0].message, "found \"Jonas Weber jonas.weber@example.org\""));
  CHECK(place(sorted[1]) == "7:11");
}

TEST_CASE("parse_persona") {
  auto p = parse_persona("  Anna Berger <anna.berger@example.org> ");
  REQUIRE(p);
  CHECK(p->name == "Anna Berger");
  CHECK(p->email == "anna.berger@example.org");
  auto quoted = parse_persona("\"Berger, Anna\" <anna@example.org>");
  REQUIRE(quoted);
  CHECK(quoted->name == "Berger, Anna");
  CHECK_FALSE(parse_persona("anna.berger@example.org"));
  CHECK_FALSE(parse_persona("<anna.berger@example.org>"));
  CHECK_FALSE(parse_persona("Anna <not an address>"));
  CHECK_FALSE(parse_persona("Anna <anna@example.org"));
}

TEST_CASE("a key given twice") {
  auto d = only_error(
      "[study]\n"
      "name = Test\n"
      "start = 2026-03-02\n"
      "name = Test 2\n"
      "[personas]\n"
      "persona = A B <a@example.org>\n");
  CHECK(place(d) == "4:1");
  CHECK(contains(d.message, "\"study.name\" is given again (first on line 2)"));
}

TEST_CASE("lines that are neither a key nor a section") {
  SUBCASE("no '='") {
    auto d = only_error(k_minimal + "[study]\n   seed 42\n");
    CHECK(place(d) == "8:4");
    CHECK(contains(d.message, "expected \"key = value\" or \"[section]\", found \"seed 42\""));
  }
  SUBCASE("no key before '='") {
    auto d = only_error(k_minimal + " = 42\n");
    CHECK(place(d) == "7:2");
    CHECK(contains(d.message, "expected \"key = value\""));
  }
  SUBCASE("a section header without ']'") {
    auto d = only_error(k_minimal + "[schedule\nmin_spacing = 2d\n");
    CHECK(place(d) == "7:1");
    CHECK(contains(d.message, "malformed section header; expected [name]"));
  }
  SUBCASE("an empty section header") {
    auto d = only_error(k_minimal + "[]\n");
    CHECK(place(d) == "7:1");
    CHECK(contains(d.message, "malformed section header"));
  }
}

TEST_CASE("required keys") {
  SUBCASE("study.start missing") {
    auto d = only_error("[study]\nname = Test\n[personas]\npersona = A B <a@example.org>\n");
    CHECK(d.line == 0);
    CHECK(contains(d.message, "\"study.start\" is missing"));
  }
  SUBCASE("study.name missing") {
    auto d = only_error("[study]\nstart = 2026-03-02\n[personas]\npersona = A B <a@example.org>\n");
    CHECK(d.line == 0);
    CHECK(contains(d.message, "\"study.name\" is missing"));
  }
  SUBCASE("study.name given but empty") {
    auto d = only_error("[study]\nname =\nstart = 2026-03-02\n[personas]\npersona = A B <a@example.org>\n");
    CHECK(place(d) == "2:7");
    CHECK(contains(d.message, "\"study.name\" is empty"));
  }
  SUBCASE("no persona") {
    auto d = only_error("[study]\nname = Test\nstart = 2026-03-02\n");
    CHECK(d.line == 0);
    CHECK(contains(d.message, "\"personas.persona\" is missing"));
  }
  SUBCASE("an empty file lacks all three") {
    auto p = parse("");
    CHECK_FALSE(p.config);
    CHECK(p.diags.size() == 3);
    CHECK(find_diagnostic(p.diags, "\"study.name\" is missing"));
    CHECK(find_diagnostic(p.diags, "\"study.start\" is missing"));
    CHECK(find_diagnostic(p.diags, "\"personas.persona\" is missing"));
  }
}

TEST_CASE("several errors in one file are all reported in one pass") {
  auto p = parse(
      "[study]\n"                                    // 1
      "name = Test\n"                                // 2
      "timezone = Mars/Olympus\n"                    // 3
      "answer_window = a week\n"                     // 4
      "colour = blue\n"                              // 5
      "this line is broken\n"                        // 6
      "[calendar]\n"                                 // 7
      "holidays = BY\n"                              // 8
      "[email]\n"                                    // 9
      "password = hunter2\n"                         // 10
      "smtp_url = smtps://mail.example.org:465\n"    // 11
      "smtp_url = smtps://other.example.org:465\n"   // 12
      "[personas]\n"                                 // 13
      "persona = nobody\n");                         // 14
  INFO(describe(p.diags));
  CHECK_FALSE(p.config);
  auto sorted = p.diags.sorted();
  REQUIRE(sorted.size() == 9);
  CHECK(sorted[0].line == 0);
  CHECK(contains(sorted[0].message, "\"study.start\" is missing"));
  CHECK(place(sorted[1]) == "3:12");
  CHECK(contains(sorted[1].message, "unknown time zone"));
  CHECK(place(sorted[2]) == "4:17");
  CHECK(contains(sorted[2].message, "must be a duration"));
  CHECK(place(sorted[3]) == "5:1");
  CHECK(contains(sorted[3].message, "unknown key \"study.colour\""));
  CHECK(place(sorted[4]) == "6:1");
  CHECK(contains(sorted[4].message, "expected \"key = value\""));
  CHECK(place(sorted[5]) == "8:12");
  CHECK(contains(sorted[5].message, "calendar.holidays must be one of"));
  CHECK(place(sorted[6]) == "10:1");
  CHECK(contains(sorted[6].message, "secrets never go into respbench.conf"));
  CHECK(place(sorted[7]) == "12:1");
  CHECK(contains(sorted[7].message, "given again (first on line 11)"));
  CHECK(place(sorted[8]) == "14:11");
  CHECK(contains(sorted[8].message, "personas.persona must look like"));
}

TEST_CASE("`respbench help config` lists every key of the table") {
  auto r = respbench::test::run_cli({"help", "config"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(config_keys().size() >= 25);
  for (const auto& key : config_keys()) {
    CAPTURE(std::string(key.name));
    CHECK(contains(r.out, key.name));
    CHECK(contains(r.out, key.help));
  }
}

TEST_CASE("the template `respbench init` writes parses without errors") {
  const auto start = date::year{2026} / date::month{4} / date::day{13};
  const std::string text = respbench::config_template(start);
  auto p = parse(text);
  INFO(describe(p.diags));
  INFO(text);
  CHECK(p.diags.empty());
  REQUIRE(p.config);
  CHECK(p.config->start == start);
  CHECK_FALSE(p.config->name.empty());
  CHECK(p.config->personas.size() == 1);
  // Every key of the table is written, so the user sees them all.
  for (const auto& key : config_keys()) {
    CAPTURE(std::string(key.name));
    CHECK(contains(text, "\n" + std::string(key.name.substr(key.name.find('.') + 1)) + " ="));
  }
}
