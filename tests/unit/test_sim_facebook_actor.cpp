// The company simulator's Facebook side (sim/facebook_actor): pages on the in-process Graph API
// emulator, an operator who works `respbench todo --json` and registers posts with `respbench
// sent`, and page answers in simulated time — checked against what respbench's ledger recorded
// after a small campaign of `run --now T` steps.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "assisted_support.hpp"
#include "business_clock.hpp"
#include "emulator.hpp"
#include "facebook_actor.hpp"
#include "graph_support.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "study/study.hpp"
#include "support.hpp"
#include "truth.hpp"

using namespace respbench;
using company_sim::FacebookActor;
using company_sim::FacebookBehaviour;
using company_sim::TruthEvent;
using company_sim::TruthRow;
using respbench::test::TempDir;

namespace {

Instant at(const char* text) { return parse_instant(text, nullptr).value(); }

// Banks (finance) answer slowly, retail fast and sometimes too late, telecoms never.
FacebookBehaviour behaviour_of(const std::string& sector) {
  FacebookBehaviour b;
  b.diligent_share = 1.0;
  b.sporadic_share = 0.0;
  b.diligent_answer = 0.75;
  b.delay_sigma = 0.3;
  b.late_share = 0.0;
  if (sector == "banks") {
    b.delay_median_hours = 6.0;
  } else if (sector == "retail") {
    b.delay_median_hours = 0.75;
    b.late_share = 0.3;
  } else {
    b.diligent_share = 0.0;  // silent
  }
  return b;
}

// A study of three companies with a Facebook page each, four Facebook probes, a two-day answer
// window, planned on Sunday 2026-03-01.
Study make_study(const TempDir& dir, const graph_emulator::Emulator& graph) {
  test::write_text(dir / "respbench.conf",
                   fmt::format("[study]\nname = FB actor\nstart = 2026-03-02\nprobes_per_channel = 4\n"
                               "answer_window = 2d\n[schedule]\nmin_spacing = 1h\nbusiness_days = 4\n"
                               "[facebook]\ngraph_url = {}\ntoken_env = {}\ntimeout = 5s\n"
                               "[personas]\npersona = Anna Berger <anna.berger@shopper.test>\n"
                               "persona = Jonas Weber <jonas.weber@shopper.test>\n",
                               graph.base_url(), test::k_fb_token_env));
  test::write_text(dir / "companies.csv",
                   "id,name,sector,email,facebook\n"
                   "nordlicht-bank,Nordlicht Bank AG,banks,,NordlichtBank\n"
                   "kaufhaus-lindenhof,Kaufhaus Lindenhof GmbH,retail,,https://www.facebook.com/KaufhausLindenhof\n"
                   "funkwerk-mobil,Funkwerk Mobil GmbH,telecoms,,FunkwerkMobil\n");
  for (int p = 0; p < 4; ++p) {
    test::write_text(dir / fmt::format("probes/q{}.txt", p),
                     fmt::format("Subject: Frage {0}\nChannels: facebook\nSectors: *\nLanguage: de\n\n"
                                 "Hallo {{company.name}}, kurze Frage {0}: geht das auch online?\n",
                                 p));
  }
  ::setenv(test::k_fb_token_env, test::k_fb_page_token, 1);
  auto planned = test::run_cli({"plan", "--study", dir.path().string(), "--now", "2026-03-01T12:00", "--quiet"});
  REQUIRE_MESSAGE(planned.exit_code == 0, planned.err);
  Diagnostics diags;
  auto study = load_study(dir.path(), diags);
  REQUIRE(study.has_value());
  return std::move(*study);
}

company_sim::RespbenchResult run_in_process(const std::vector<std::string>& args) {
  auto r = test::run_cli(args);
  return {r.exit_code, r.out, r.err};
}

std::vector<InquiryRecord> facebook_inquiries(const TempDir& dir) {
  auto ledger = open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing);
  REQUIRE(ledger.has_value());
  InquiryFilter filter;
  filter.channel = Channel::facebook;
  auto list = (*ledger)->inquiries(filter);
  REQUIRE(list.has_value());
  return *list;
}

}  // namespace

TEST_CASE("add_business_time skips nights, weekends and holidays, and keeps the seconds") {
  const auto* zone = date::locate_zone("Europe/Berlin");
  Calendar calendar(zone, parse_weekly_hours("Mon-Fri 09:00-17:00").value(), HolidayRules::germany, {});
  using std::chrono::seconds;
  // Friday 16:30 CET + 1 h → Monday 09:30.
  CHECK(company_sim::add_business_time(calendar, at("2026-03-06T15:30:00Z"), seconds(3600)) ==
        at("2026-03-09T08:30:00Z"));
  // Saturday + 90 s → Monday 09:01:30.
  CHECK(company_sim::add_business_time(calendar, at("2026-03-07T10:00:00Z"), seconds(90)) ==
        at("2026-03-09T08:01:30Z"));
  // Maundy Thursday 2026-04-02 16:00 CEST + 2 h: Good Friday and Easter Monday are holidays.
  CHECK(company_sim::add_business_time(calendar, at("2026-04-02T14:00:00Z"), seconds(7200)) ==
        at("2026-04-07T08:00:00Z"));
  CHECK(company_sim::add_business_time(calendar, at("2026-03-07T10:00:07Z"), seconds(0)) ==
        at("2026-03-07T10:00:07Z"));
}

TEST_CASE("the Facebook actor's answers are in respbench's ledger at exactly their created_time") {
  TempDir dir;
  graph_emulator::Emulator graph;
  const Study study = make_study(dir, graph);
  company_sim::TruthLog truth;
  // Seed 17 draws, for the bank and the shop: five answers in time, one late, two ignored.
  FacebookActor actor(graph, study, behaviour_of, 17, truth);
  actor.setup();
  CHECK(actor.company_type("nordlicht-bank") == "diligent");
  CHECK(actor.company_type("funkwerk-mobil") == "silent");

  // The campaign loop of company-sim, every 30 simulated minutes until every window and every
  // late answer is over.
  const auto planned = facebook_inquiries(dir);
  REQUIRE(planned.size() == 12);
  Instant last_planned{};
  for (const auto& i : planned) last_planned = std::max(last_planned, i.planned_at);
  const Instant until = last_planned + study.config.answer_window + std::chrono::days(5);
  for (Instant t = at("2026-03-02T06:00:00Z"); t <= until; t += std::chrono::minutes(30)) {
    actor.before_run(t);
    actor.operate(t, run_in_process);
    auto run = test::run_cli({"--study", dir.path().string(), "--now", format_utc(t), "--quiet", "run"});
    REQUIRE_MESSAGE(run.exit_code == 0, format_utc(t) << ": " << run.err << run.out);
  }
  CHECK(actor.posted() == 12);
  CHECK(actor.answers_pending() == 0);

  std::map<std::string, std::vector<TruthRow>> rows_of;  // by reference
  for (const auto& row : truth.rows()) {
    CHECK(row.channel == "facebook");
    rows_of[row.reference].push_back(row);
  }
  REQUIRE(rows_of.size() == 12);

  std::map<std::string, int> events;
  std::map<std::string, std::vector<std::int64_t>> response_seconds;  // by sector
  for (const auto& inquiry : facebook_inquiries(dir)) {
    CAPTURE(inquiry.id);
    CAPTURE(inquiry.company_id);
    REQUIRE(inquiry.sent_at.has_value());
    // The poller learns the page from the post id "PAGEID_N".
    CHECK(inquiry.external_ref.find('_') != std::string::npos);
    REQUIRE(rows_of.contains(inquiry.external_ref));
    const auto& rows = rows_of[inquiry.external_ref];
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].event == TruthEvent::received);
    CHECK(rows[0].company_id == inquiry.company_id);
    CHECK(rows[0].at == *inquiry.sent_at);
    CHECK(*inquiry.sent_at >= inquiry.planned_at);
    const TruthRow& fate = rows[1];
    ++events[company_sim::to_string(fate.event)];
    switch (fate.event) {
      case TruthEvent::answer:
        CHECK(inquiry.state == InquiryState::answered);
        REQUIRE(inquiry.answered_at.has_value());
        CHECK(format_utc(*inquiry.answered_at) == format_utc(fate.at));  // to the second
        CHECK(fate.at <= *inquiry.sent_at + study.config.answer_window);
        response_seconds[fate.sector].push_back((fate.at - *inquiry.sent_at).count());
        break;
      case TruthEvent::late_answer:
        CHECK(fate.at > *inquiry.sent_at + study.config.answer_window);
        CHECK(inquiry.state == InquiryState::unanswered);
        CHECK(!inquiry.answered_at.has_value());
        // The late comment was published and read, and still does not count.
        CHECK(test::count_sql(dir.path(), fmt::format("SELECT COUNT(*) FROM replies WHERE inquiry_id = {} AND "
                                                      "received_at = {}",
                                                      inquiry.id, fate.at.time_since_epoch().count())) == 1);
        break;
      case TruthEvent::ignored:
        CHECK(fate.at == *inquiry.sent_at);
        CHECK(inquiry.state == InquiryState::unanswered);
        CHECK(!inquiry.answered_at.has_value());
        break;
      default:
        FAIL("unexpected event " << company_sim::to_string(fate.event));
    }
    if (inquiry.company_id == "funkwerk-mobil") CHECK(fate.event == TruthEvent::ignored);
  }
  std::string counts;
  for (const auto& [event, n] : events) counts += fmt::format("{} {}, ", event, n);
  CAPTURE(counts);
  CHECK(events["answer"] == 5);
  CHECK(events["late_answer"] == 1);
  CHECK(events["ignored"] == 6);  // the silent page's four and two of the others
  // The profile's expected answer rates: the bank's 0.75 nearly all within the window (6 h
  // median, 16 business hours in two days), the shop's 0.75 less its late share, none by the
  // silent page.
  actor.add_truth_profiles();
  REQUIRE(truth.write(dir / "truth.csv").has_value());
  const std::string profiles = test::read_text(company_sim::TruthLog::profiles_path(dir / "truth.csv"));
  CAPTURE(profiles);
  CHECK(profiles.find("banks,facebook,1,0.7") != std::string::npos);
  CHECK(profiles.find("retail,facebook,1,0.52") != std::string::npos);
  CHECK(profiles.find("telecoms,facebook,1,0.0000") != std::string::npos);

  // Finance answers slower: every bank answer takes longer than every retail answer here.
  REQUIRE(!response_seconds["banks"].empty());
  REQUIRE(!response_seconds["retail"].empty());
  CHECK(*std::min_element(response_seconds["banks"].begin(), response_seconds["banks"].end()) >
        *std::max_element(response_seconds["retail"].begin(), response_seconds["retail"].end()));
}

TEST_CASE("the Facebook actor stops when respbench refuses a registration") {
  TempDir dir;
  graph_emulator::Emulator graph;
  const Study study = make_study(dir, graph);
  company_sim::TruthLog truth;
  FacebookActor actor(graph, study, behaviour_of, 7, truth);
  actor.setup();
  const Instant t = at("2026-03-04T14:00:00Z");  // Wednesday 15:00 in Berlin
  REQUIRE(test::run_cli({"--study", dir.path().string(), "--now", format_utc(t), "--quiet", "run"}).exit_code == 0);
  auto refuse_sent = [](const std::vector<std::string>& args) -> company_sim::RespbenchResult {
    if (std::find(args.begin(), args.end(), "sent") != args.end()) return {2, "", "respbench: error: refused"};
    return run_in_process(args);
  };
  CHECK_THROWS_WITH_AS(actor.operate(t, refuse_sent), doctest::Contains("refused"), std::runtime_error);
  // Outside the operator's desk hours nothing is run at all.
  int calls = 0;
  auto count = [&calls](const std::vector<std::string>&) -> company_sim::RespbenchResult {
    ++calls;
    return {};
  };
  actor.operate(at("2026-03-07T10:00:00Z"), count);  // Saturday
  actor.operate(at("2026-03-04T19:00:00Z"), count);  // Wednesday 20:00
  CHECK(calls == 0);
}
