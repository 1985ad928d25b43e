#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "diagnostics_support.hpp"
#include "study/study.hpp"
#include "support.hpp"

using respbench::Channel;
using respbench::Diagnostics;
using respbench::load_study;
using respbench::Probe;
using respbench::Study;
using respbench::test::copy_sample_study;
using respbench::test::describe;
using respbench::test::place;
using respbench::test::read_text;
using respbench::test::TempDir;
using respbench::test::write_text;

namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, std::string_view fragment) { return text.find(fragment) != std::string::npos; }

// Replaces the one occurrence of `from` in the file at `path`.
void edit_file(const fs::path& path, const std::string& from, const std::string& to) {
  auto text = read_text(path);
  auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "\"" << from << "\" not in " << path);
  CHECK(text.find(from, at + 1) == std::string::npos);
  text.replace(at, from.size(), to);
  write_text(path, text);
}

std::vector<std::string> ids(const std::vector<const Probe*>& probes) {
  std::vector<std::string> out;
  for (const auto* p : probes) out.push_back(p->id);
  return out;
}

const respbench::Company& company(const Study& study, std::string_view id) {
  auto it = std::find_if(study.companies.begin(), study.companies.end(), [&](const auto& c) { return c.id == id; });
  REQUIRE(it != study.companies.end());
  return *it;
}

}  // namespace

TEST_CASE("the sample study loads without a problem") {
  Diagnostics diags;
  auto study = load_study(respbench::test::source_dir(), diags);
  INFO(describe(diags));
  CHECK(diags.empty());
  REQUIRE(study);
  CHECK(study->dir == respbench::test::source_dir());
  CHECK(study->ledger_path() == respbench::test::source_dir() / "respbench.db");
  CHECK(study->config.name == "Kundenservice-Benchmark 2026");
  CHECK(study->companies.size() == 48);
  CHECK(study->probes.size() == 86);  // both languages

  // Five banks probes for email plus the general one, German only, sorted by id.
  CHECK(ids(study->probes_for("banks", Channel::email)) ==
        std::vector<std::string>{"de/banks-account-fees", "de/banks-card-replacement", "de/banks-joint-account",
                                 "de/banks-overdraft-interest", "de/banks-standing-order-abroad",
                                 "de/general-contact-hours"});
  CHECK(study->probes_for("travel", Channel::facebook).size() == 6);
  CHECK(study->probes_for("unknown-sector", Channel::email).size() == 1);  // only the general one

  CHECK(study->channels_of(company(*study, "nordlicht-bank")) == std::vector{Channel::email, Channel::facebook});
  CHECK(study->channels_of(company(*study, "volksbank-brunnenfeld")) == std::vector{Channel::email});
  CHECK(study->channels_of(company(*study, "blitznetz")) == std::vector{Channel::facebook});
}

TEST_CASE("a sector with too few probes for a channel is refused at its first company") {
  TempDir dir;
  copy_sample_study(dir.path());
  // Two email probes of banks go: 4 remain for email (3 banks probes and the general one), fewer
  // than study.probes_per_channel = 5; Facebook keeps its 6.
  fs::remove(dir / "probes/de/banks-overdraft-interest.txt");
  fs::remove(dir / "probes/de/banks-standing-order-abroad.txt");
  SUBCASE("5 are needed: 4 are too few") {
    Diagnostics diags;
    auto study = load_study(dir.path(), diags);
    INFO(describe(diags));
    CHECK_FALSE(study);
    REQUIRE(diags.size() == 1);
    const auto& d = diags.items()[0];
    CHECK(d.file == "companies.csv");
    CHECK(place(d) == "2:0");  // nordlicht-bank, the first company in banks
    CHECK(contains(d.message, "sector \"banks\" has 4 probes for email in language \"de\""));
    CHECK(contains(d.message, "expected at least 5 (study.probes_per_channel)"));
  }
  SUBCASE("4 are needed: 4 are enough") {
    edit_file(dir / "respbench.conf", "probes_per_channel = 5", "probes_per_channel = 4");
    Diagnostics diags;
    CHECK(load_study(dir.path(), diags));
    INFO(describe(diags));
    CHECK(diags.empty());
  }
  SUBCASE("one more gone: the count in the message follows") {
    fs::remove(dir / "probes/de/banks-joint-account.txt");
    Diagnostics diags;
    CHECK_FALSE(load_study(dir.path(), diags));
    INFO(describe(diags));
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags.items()[0].message, "sector \"banks\" has 3 probes for email"));
  }
}

TEST_CASE("study.language = en selects the English probes") {
  TempDir dir;
  copy_sample_study(dir.path());
  edit_file(dir / "respbench.conf", "language = de", "language = en");
  Diagnostics diags;
  auto study = load_study(dir.path(), diags);
  INFO(describe(diags));
  REQUIRE(study);
  CHECK(study->config.language == "en");
  auto banks = ids(study->probes_for("banks", Channel::email));
  CHECK(banks.size() == 6);
  CHECK(std::all_of(banks.begin(), banks.end(), [](const std::string& id) { return id.starts_with("en/"); }));
  CHECK(banks.back() == "en/general-contact-hours");
}

TEST_CASE("a language without probes leaves every sector short") {
  TempDir dir;
  copy_sample_study(dir.path());
  edit_file(dir / "respbench.conf", "language = de", "language = fr");
  Diagnostics diags;
  CHECK_FALSE(load_study(dir.path(), diags));
  INFO(describe(diags));
  // Six sectors, each with companies on both channels.
  CHECK(diags.size() == 12);
  auto first = diags.sorted().front();
  CHECK(place(first) == "2:0");
  CHECK(contains(first.message, "sector \"banks\" has 0 probes for email in language \"fr\""));
}

TEST_CASE("missing study files are reported") {
  TempDir dir;
  copy_sample_study(dir.path());
  SUBCASE("respbench.conf") {
    fs::remove(dir / "respbench.conf");
    Diagnostics diags;
    CHECK_FALSE(load_study(dir.path(), diags));
    INFO(describe(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags.items()[0].file == "respbench.conf");
    CHECK(diags.items()[0].line == 0);
    CHECK(contains(diags.items()[0].message, "missing or unreadable"));
    CHECK(contains(diags.items()[0].message, "respbench init"));
  }
  SUBCASE("companies.csv") {
    fs::remove(dir / "companies.csv");
    Diagnostics diags;
    CHECK_FALSE(load_study(dir.path(), diags));
    INFO(describe(diags));
    REQUIRE(diags.size() == 1);
    CHECK(diags.items()[0].file == "companies.csv");
    CHECK(contains(diags.items()[0].message, "missing or unreadable"));
  }
  SUBCASE("companies.csv with a header only") {
    write_text(dir / "companies.csv", "id,name,sector,email,facebook\n");
    Diagnostics diags;
    CHECK_FALSE(load_study(dir.path(), diags));
    INFO(describe(diags));
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags.items()[0].message, "no companies"));
  }
  SUBCASE("probes/") {
    fs::remove_all(dir / "probes");
    Diagnostics diags;
    CHECK_FALSE(load_study(dir.path(), diags));
    INFO(describe(diags));
    CHECK(diags.sorted().back().file == "probes/");
    CHECK(contains(diags.sorted().back().message, "the probes folder is missing"));
  }
  SUBCASE("the folder itself") {
    Diagnostics diags;
    CHECK_FALSE(load_study(dir / "nowhere", diags));
    REQUIRE(diags.size() == 1);
    CHECK(contains(diags.items()[0].message, "no such study folder"));
  }
}

TEST_CASE("errors in all three study files are reported together in one pass") {
  TempDir dir;
  copy_sample_study(dir.path());
  edit_file(dir / "respbench.conf", "answer_window = 7d", "answer_window = a week");  // line 8
  edit_file(dir / "companies.csv", "info@vb-brunnenfeld.test", "info(at)vb-brunnenfeld.test");  // line 3
  edit_file(dir / "probes/de/travel-rebooking.txt", "{persona.name}", "{persona.nmae}");
  // The placeholder stands alone on line 15, the signature.
  REQUIRE(read_text(dir / "probes/de/travel-rebooking.txt").find("\n{persona.nmae}") != std::string::npos);

  Diagnostics diags;
  CHECK_FALSE(load_study(dir.path(), diags));
  INFO(describe(diags));
  auto sorted = diags.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].file == "companies.csv");
  CHECK(place(sorted[0]) == "3:63");
  CHECK(contains(sorted[0].message, "\"info(at)vb-brunnenfeld.test\" is not an email address"));
  CHECK(sorted[1].file == "probes/de/travel-rebooking.txt");
  CHECK(place(sorted[1]) == "15:1");
  CHECK(contains(sorted[1].message, "unknown placeholder {persona.nmae}"));
  CHECK(sorted[2].file == "respbench.conf");
  CHECK(place(sorted[2]) == "8:17");
  CHECK(contains(sorted[2].message, "study.answer_window must be a duration"));
}
