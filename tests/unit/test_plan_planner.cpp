// The planner's invariants on the sample study: completeness, the schedule's rules, balance
// across sectors, reproducibility and re-planning.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "plan/planner.hpp"
#include "support.hpp"

using namespace respbench;
using namespace std::chrono_literals;

namespace {

Study sample_study() {
  Diagnostics diags;
  auto study = load_study(test::source_dir(), diags);
  REQUIRE(diags.empty());
  REQUIRE(study);
  return std::move(*study);
}

Instant at(std::string_view text) { return *parse_instant(text, nullptr); }

std::vector<NewInquiry> plan_ok(const Study& study, const std::vector<InquiryRecord>& existing, Instant now) {
  auto planned = plan_inquiries(study, existing, now);
  REQUIRE_MESSAGE(planned.has_value(), (planned ? "" : planned.error().message));
  return *planned;
}

std::vector<InquiryRecord> as_records(const std::vector<NewInquiry>& planned) {
  std::vector<InquiryRecord> out;
  std::int64_t id = 0;
  for (const auto& p : planned) {
    InquiryRecord r;
    r.id = ++id;
    r.company_id = p.company_id;
    r.channel = p.channel;
    r.probe_id = p.probe_id;
    r.persona = p.persona;
    r.planned_at = p.planned_at;
    out.push_back(r);
  }
  return out;
}

const Company& company(const Study& study, const std::string& id) {
  return *std::find_if(study.companies.begin(), study.companies.end(), [&](const Company& c) { return c.id == id; });
}

// Checks every rule of the schedule for every company; returns the number of inquiries checked.
std::size_t check_schedule_rules(const Study& study, const std::vector<NewInquiry>& planned, Instant earliest) {
  const auto calendar = study.config.calendar();
  const auto window = study.config.send_window;
  std::map<std::string, std::vector<Instant>> by_company;
  for (const auto& p : planned) {
    auto day = calendar.local_day(p.planned_at);
    int minute = calendar.local_minute_of_day(p.planned_at);
    CHECK(calendar.is_business_day(day));
    CHECK(minute >= window.begin);
    CHECK(minute < window.end);
    CHECK(p.planned_at >= earliest);
    by_company[p.company_id].push_back(p.planned_at);
  }
  for (auto& [id, times] : by_company) {
    std::sort(times.begin(), times.end());
    std::set<date::local_days> days;
    for (std::size_t i = 0; i < times.size(); ++i) {
      days.insert(calendar.local_day(times[i]));
      if (i > 0) {
        INFO("company ", id, " inquiries ", i - 1, " and ", i);
        CHECK(times[i] - times[i - 1] >= study.config.min_spacing);
      }
    }
    CHECK_MESSAGE(days.size() == times.size(), "one inquiry per company and day: ", id);
    // Spread over at most business_days business days from the first.
    int business_days = 0;
    for (auto d = calendar.local_day(times.front()); d <= calendar.local_day(times.back()); d += date::days{1}) {
      business_days += calendar.is_business_day(d) ? 1 : 0;
    }
    CHECK(business_days <= study.config.business_days);
  }
  return planned.size();
}

}  // namespace

TEST_CASE("the sample study is planned completely: every company, channel and five probes") {
  const Study study = sample_study();
  const auto planned = plan_ok(study, {}, at("2026-03-01T17:00:00Z"));

  std::size_t expected = 0;
  for (const auto& c : study.companies) expected += 5 * study.channels_of(c).size();
  CHECK(expected == 380);
  CHECK(planned.size() == expected);

  std::set<std::tuple<std::string, Channel, std::string>> keys;
  std::map<std::pair<std::string, Channel>, std::set<std::string>> probes_of;
  for (const auto& p : planned) {
    CHECK(keys.emplace(p.company_id, p.channel, p.probe_id).second);  // never twice
    const Company& c = company(study, p.company_id);
    CHECK(c.offers(p.channel));
    probes_of[{c.sector, p.channel}].insert(p.probe_id);
  }
  // Every company of a sector gets the same five probes on a channel: comparable answers.
  for (const auto& [key, probes] : probes_of) {
    INFO("sector ", key.first, " channel ", to_string(key.second));
    CHECK(probes.size() == 5);
    for (const auto& id : probes) {
      auto probe = std::find_if(study.probes.begin(), study.probes.end(), [&](const Probe& p) { return p.id == id; });
      REQUIRE(probe != study.probes.end());
      CHECK(probe->language == "de");
      CHECK(probe->fits(key.first, key.second));
    }
  }
}

TEST_CASE("planned inquiries keep the schedule's rules: business days, send window, spacing, span") {
  const Study study = sample_study();
  const auto now = at("2026-03-01T17:00:00Z");
  const auto planned = plan_ok(study, {}, now);
  CHECK(check_schedule_rules(study, planned, study.config.calendar().to_instant(date::local_days{study.config.start}, 0)) == 380);
  // The first inquiries go out on the start day.
  auto first = std::min_element(planned.begin(), planned.end(),
                                [](const auto& a, const auto& b) { return a.planned_at < b.planned_at; });
  CHECK(study.config.calendar().local_day(first->planned_at) == date::local_days{study.config.start});
}

TEST_CASE("weekdays and times of day are balanced within every sector") {
  const Study study = sample_study();
  const auto planned = plan_ok(study, {}, at("2026-03-01T17:00:00Z"));
  const auto calendar = study.config.calendar();
  const auto window = study.config.send_window;
  const int bands = (window.end - window.begin) / 60;

  std::map<std::string, std::map<unsigned, int>> weekday_count;
  std::map<std::string, std::map<int, int>> band_count;
  std::map<std::string, int> total;
  for (const auto& p : planned) {
    const auto& sector = company(study, p.company_id).sector;
    auto day = calendar.local_day(p.planned_at);
    weekday_count[sector][date::weekday(day).iso_encoding()]++;
    band_count[sector][(calendar.local_minute_of_day(p.planned_at) - window.begin) / 60]++;
    total[sector]++;
  }
  for (const auto& [sector, n] : total) {
    INFO("sector ", sector, " with ", n, " inquiries");
    // Each weekday and each hour of the send window gets its fair share to within two
    // inquiries: the rotation and the permuted blocks make it so; chance alone would spread
    // 60 inquiries over 5 weekdays with a typical max-min gap of 8.
    auto spread = [](const auto& counts, int keys, int first) {
      int lo = INT32_MAX, hi = 0;
      for (int k = first; k < first + keys; ++k) {
        auto it = counts.find(static_cast<std::remove_cvref_t<decltype(counts.begin()->first)>>(k));
        int v = it == counts.end() ? 0 : it->second;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      return hi - lo;
    };
    CHECK(spread(weekday_count[sector], 5, 1) <= 2);
    CHECK(spread(band_count[sector], bands, 0) <= 2);
  }
}

TEST_CASE("the plan is reproducible from the seed and changes with it") {
  Study study = sample_study();
  const auto now = at("2026-03-01T17:00:00Z");
  const auto a = plan_ok(study, {}, now);
  const auto b = plan_ok(study, {}, now);
  REQUIRE(a.size() == b.size());
  bool same = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    same = same && a[i].company_id == b[i].company_id && a[i].channel == b[i].channel &&
           a[i].probe_id == b[i].probe_id && a[i].planned_at == b[i].planned_at && a[i].persona == b[i].persona;
  }
  CHECK(same);

  study.config.seed = 43;
  const auto c = plan_ok(study, {}, now);
  REQUIRE(c.size() == a.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differing += a[i].planned_at != c[i].planned_at ? 1 : 0;
  CHECK(differing > a.size() / 2);
}

TEST_CASE("planning again keeps the plan and adds only what is new") {
  Study study = sample_study();
  const auto first_now = at("2026-03-01T17:00:00Z");
  const auto first = plan_ok(study, {}, first_now);
  const auto existing = as_records(first);

  SUBCASE("nothing new: nothing planned") { CHECK(plan_ok(study, existing, first_now).empty()); }

  SUBCASE("an added company is planned from now on, in its sector's probes") {
    Company added = company(study, "nordlicht-bank");
    added.id = "neue-bank";
    added.email = "service@neue-bank.test";
    added.facebook = "NeueBankTest";
    study.companies.push_back(added);
    const auto later = at("2026-03-10T12:00:00Z");
    const auto second = plan_ok(study, existing, later);
    REQUIRE(second.size() == 10);
    std::set<std::string> sector_probes;
    for (const auto& p : first) {
      if (company(study, p.company_id).sector == "banks") sector_probes.insert(p.probe_id);
    }
    for (const auto& p : second) {
      CHECK(p.company_id == "neue-bank");
      CHECK(p.planned_at > later);
      CHECK(sector_probes.contains(p.probe_id));
    }
    check_schedule_rules(study, second, later);
  }

  SUBCASE("a channel added to a company is planned around its existing inquiries") {
    auto& c = study.companies[static_cast<std::size_t>(
        std::find_if(study.companies.begin(), study.companies.end(), [](const Company& x) { return !x.offers(Channel::facebook); }) -
        study.companies.begin())];
    c.facebook = "NowOnFacebook";
    const auto second = plan_ok(study, existing, first_now);
    REQUIRE(second.size() == 5);
    std::vector<NewInquiry> all_of_company;
    for (const auto& p : first) {
      if (p.company_id == c.id) all_of_company.push_back(p);
    }
    for (const auto& p : second) {
      CHECK(p.company_id == c.id);
      CHECK(p.channel == Channel::facebook);
      all_of_company.push_back(p);
    }
    // Old and new together still keep the spacing.
    check_schedule_rules(study, all_of_company, first_now);
  }
}

TEST_CASE("nothing is planned before now when planning starts after the study's start") {
  const Study study = sample_study();
  const auto now = at("2026-03-04T13:30:00+01:00");  // a Wednesday, within the send window
  const auto planned = plan_ok(study, {}, now);
  CHECK(planned.size() == 380);
  for (const auto& p : planned) CHECK(p.planned_at > now);
  // The day that had begun already is skipped whole.
  const auto calendar = study.config.calendar();
  for (const auto& p : planned) CHECK(calendar.local_day(p.planned_at) > calendar.local_day(now));
}

TEST_CASE("the plan stays inside the send window across a DST change") {
  Study study = sample_study();
  study.config.start = date::year{2026} / 3 / 23;  // the clocks go forward on Sunday, 29 March
  study.config.calendar();
  const auto planned = plan_ok(study, {}, at("2026-03-20T12:00:00Z"));
  CHECK(check_schedule_rules(study, planned, at("2026-03-22T23:00:00Z")) == 380);
  std::size_t after_change = 0;
  for (const auto& p : planned) after_change += p.planned_at > at("2026-03-29T01:00:00Z") ? 1 : 0;
  CHECK(after_change > 100);
}

TEST_CASE("a longer spacing is kept, and a schedule too short is refused naming the company") {
  Study study = sample_study();
  const auto now = at("2026-03-01T17:00:00Z");
  SUBCASE("two days between inquiries, over five weeks") {
    study.config.min_spacing = 48h;
    study.config.business_days = 25;
    const auto planned = plan_ok(study, {}, now);
    CHECK(check_schedule_rules(study, planned, now) == 380);
  }
  SUBCASE("ten inquiries cannot fit into five business days") {
    study.config.business_days = 5;
    auto planned = plan_inquiries(study, {}, now);
    REQUIRE_FALSE(planned.has_value());
    CHECK(planned.error().message.find("schedule.business_days") != std::string::npos);
    CHECK(planned.error().message.find("needs 10 more inquiries") != std::string::npos);
  }
}

TEST_CASE("personas rotate over a company's inquiries") {
  const Study study = sample_study();
  const auto planned = plan_ok(study, {}, at("2026-03-01T17:00:00Z"));
  std::map<std::string, std::set<std::string>> personas_of;
  std::map<std::string, int> uses;
  for (const auto& p : planned) {
    personas_of[p.company_id].insert(p.persona);
    uses[p.persona]++;
  }
  for (const auto& [id, personas] : personas_of) CHECK(personas.size() == 3);
  CHECK(uses.size() == 3);
  for (const auto& [persona, n] : uses) CHECK(std::abs(n - 380 / 3.0) < 10);
}
