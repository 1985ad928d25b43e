#include "campaign.hpp"

#include <cstdlib>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "email_actor.hpp"
#include "emulator.hpp"
#include "facebook_actor.hpp"
#include "ledger/ledger.hpp"
#include "profile.hpp"
#include "respbench_runner.hpp"
#include "rig.hpp"
#include "study/study.hpp"
#include "truth.hpp"

namespace company_sim {

using respbench::Channel;
using respbench::Instant;
namespace graph = respbench::graph_emulator;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The port and version of a Graph base URL "http://127.0.0.1:8089/v21.0".
std::optional<std::pair<int, std::string>> graph_endpoint(const std::string& url) {
  const auto host = url.find("://");
  if (host == std::string::npos) return std::nullopt;
  const auto colon = url.find(':', host + 3);
  if (colon == std::string::npos) return std::nullopt;
  const auto slash = url.find('/', colon);
  const int port = std::atoi(url.substr(colon + 1, slash - colon - 1).c_str());
  if (port <= 0) return std::nullopt;
  std::string version = slash == std::string::npos ? "v21.0" : url.substr(slash + 1);
  while (!version.empty() && version.back() == '/') version.pop_back();
  return std::pair{port, version.empty() ? std::string("v21.0") : version};
}

FacebookBehaviour facebook_behaviour(const ChannelProfile& p) {
  FacebookBehaviour b;
  b.diligent_share = p.diligent_share;
  b.diligent_answer = p.diligent_answer;
  b.sporadic_share = p.sporadic_share;
  b.sporadic_answer = p.sporadic_answer;
  b.delay_median_hours = p.delay_median_hours;
  b.delay_sigma = p.delay_sigma;
  b.late_share = p.late_share;
  return b;
}

// What the -profiles.csv says: per sector (in panel order) and channel, the companies that offer
// the channel and the profile's expected answer rate.
void record_profiles(const respbench::Study& study, const Profiles& profiles, TruthLog& truth) {
  std::vector<std::string> sectors;
  for (const auto& c : study.companies) {
    if (std::find(sectors.begin(), sectors.end(), c.sector) == sectors.end()) sectors.push_back(c.sector);
  }
  for (const auto& sector : sectors) {
    for (Channel channel : respbench::k_all_channels) {
      int companies = 0;
      for (const auto& c : study.companies) companies += c.sector == sector && c.offers(channel) ? 1 : 0;
      if (companies == 0) continue;
      truth.add_profile({sector, std::string(respbench::to_string(channel)), companies,
                         profiles.get(sector, channel).true_answer_rate()});
    }
  }
}

}  // namespace

int run_campaign(const CampaignOptions& o, const std::atomic<bool>& stop) {
  const auto started = Clock::now();
  auto failed = [](const std::string& what) {
    std::cerr << "company-sim: error: " << what << "\n";
    return 1;
  };
  respbench::Diagnostics diags;
  const auto study = respbench::load_study(o.study, diags);
  if (!study) {
    for (const auto& d : diags.sorted()) std::cerr << respbench::format_diagnostic(d) << "\n";
    return failed("the study in " + o.study.string() + " is invalid");
  }
  Profiles profiles = Profiles::defaults();
  if (!o.profiles.empty()) {
    auto loaded = Profiles::load(o.profiles);
    if (!loaded) return failed(loaded.error().message);
    profiles = std::move(*loaded);
  }
  const std::uint64_t seed = o.seed.value_or(study->config.seed);
  auto rig = Rig::load(o.rig);
  if (!rig) return failed(rig.error().message);

  // The children (respbench run) read the study mailbox's password from email.password_env.
  std::string password = "demo-mailbox";
  const auto& env_name = study->config.email.password_env;
  if (!env_name.empty()) {
    if (const char* value = std::getenv(env_name.c_str()); value && *value) {
      password = value;
    } else {
      setenv(env_name.c_str(), password.c_str(), 1);
    }
  }

  // The span of the campaign from the plan.
  Instant first_planned = Instant::max(), last_planned = Instant::min();
  {
    auto ledger = respbench::open_sqlite_ledger(study->ledger_path(), respbench::LedgerOpen::existing);
    if (!ledger) return failed(ledger.error().message + " (run `respbench plan` first)");
    auto all = (*ledger)->inquiries({});
    if (!all) return failed(all.error().message);
    for (const auto& i : *all) {
      first_planned = std::min(first_planned, i.planned_at);
      last_planned = std::max(last_planned, i.planned_at);
    }
    if (all->empty()) return failed("the ledger has no planned inquiries");
  }
  const auto step = o.step;
  const Instant from = o.from.value_or(Instant(first_planned.time_since_epoch() / step * step));
  const Instant until = o.until.value_or(last_planned + study->config.answer_window + std::chrono::hours(1));

  // The Graph API emulator, in-process, where the study's facebook.graph_url points.
  std::optional<graph::Emulator> emulator;
  const auto endpoint = graph_endpoint(study->config.facebook.graph_url);
  if (!endpoint) return failed("facebook.graph_url must be http://127.0.0.1:PORT/VERSION for the simulation");
  try {
    emulator.emplace(endpoint->first, endpoint->second);
  } catch (const std::exception& e) {
    return failed(fmt::format("the Graph API emulator on port {}: {}", endpoint->first, e.what()));
  }

  TruthLog truth;
  record_profiles(*study, profiles, truth);
  EmailActor email(*study, profiles, seed, truth, *rig, password);
  FacebookActor facebook(
      *emulator, *study, [&](const std::string& sector) { return facebook_behaviour(profiles.get(sector, Channel::facebook)); },
      seed, truth);
  facebook.setup();

  double run_seconds = 0;
  int runs = 0;
  const RunRespbench run = [&](const std::vector<std::string>& args) {
    const auto t0 = Clock::now();
    auto r = o.respbench.empty() ? run_respbench_in_process(args) : spawn_respbench(o.respbench, args);
    run_seconds += seconds_since(t0);
    ++runs;
    return r;
  };

  // One progress line per simulated day (local), for the day just finished.
  const auto calendar = study->config.calendar();
  auto day_of = [&](Instant t) { return date::year_month_day{calendar.local_day(t)}; };
  struct Totals {
    int sent = 0, answers = 0, auto_replies = 0, bounces = 0, posted = 0, fb_answers = 0;
  };
  auto totals = [&] {
    const auto e = email.counts();
    return Totals{e.received + e.bounces, e.answers, e.auto_replies, e.bounces, facebook.posted(),
                  facebook.answers_published()};
  };
  Totals day_start{};
  std::optional<date::year_month_day> current_day;
  auto print_day = [&](const date::year_month_day& day) {
    const Totals now = totals();
    std::cerr << fmt::format("{}  sent {}  answers {}  auto-replies {}  bounces {}  facebook posted {}  answers {}\n",
                             date::format("%F", day), now.sent - day_start.sent + now.posted - day_start.posted,
                             now.answers - day_start.answers + now.fb_answers - day_start.fb_answers,
                             now.auto_replies - day_start.auto_replies, now.bounces - day_start.bounces,
                             now.posted - day_start.posted, now.fb_answers - day_start.fb_answers);
    day_start = now;
  };

  int steps = 0;
  int exit_code = 0;
  std::string error;
  try {
    for (Instant t = from; t <= until; t += step) {
      if (stop) {
        exit_code = 130;
        break;
      }
      const auto day = day_of(t);
      if (current_day && *current_day != day) print_day(*current_day);
      current_day = day;

      if (auto ok = email.before_run(t); !ok) throw std::runtime_error(ok.error().message);
      facebook.before_run(t);
      facebook.operate(t, run);
      const std::vector<std::string> args = {"--study", study->dir.string(), "--now", respbench::format_utc(t),
                                             "--quiet", "run"};
      const auto result = run(args);
      if (stop) {
        exit_code = 130;
        break;
      }
      if (result.exit_code != 0) {
        throw std::runtime_error(fmt::format("respbench run --now {} exited with {}{}:\n{}{}", respbench::format_utc(t),
                                             result.exit_code, result.exit_code == 75 ? " (the study is locked)" : "",
                                             result.out, result.err));
      }
      if (o.verbose && !(result.out.empty() && result.err.empty())) std::cerr << result.out << result.err;
      if (auto ok = email.after_run(t); !ok) throw std::runtime_error(ok.error().message);
      ++steps;
    }
    if (current_day && exit_code == 0) print_day(*current_day);
  } catch (const std::exception& e) {
    error = e.what();
    exit_code = 1;
  }

  if (auto ok = truth.write(o.truth); !ok) {
    std::cerr << "company-sim: error: writing the truth: " << ok.error().message << "\n";
    if (exit_code == 0) exit_code = 1;
  }
  if (!error.empty()) std::cerr << "company-sim: error: " << error << "\n";
  const auto e = email.counts();
  std::cerr << fmt::format(
      "company-sim: {} steps of {} in {:.1f} s ({} respbench commands, {:.1f} ms each): email {} inquiries received, "
      "{} answers, {} auto-replies, {} bounces; facebook {} posts, {} answers{}; truth in {}\n",
      steps, respbench::format_duration(step), seconds_since(started), runs,
      runs ? run_seconds * 1000.0 / runs : 0.0, e.received, e.answers, e.auto_replies, e.bounces, facebook.posted(),
      facebook.answers_published(), exit_code == 130 ? " (interrupted)" : "", o.truth.string());
  return exit_code;
}

}  // namespace company_sim
