#pragma once
// The Facebook side of the company simulator (issue 7): every company with a Facebook cell gets
// a page on the in-process Graph API emulator; a simulated operator works respbench's to-do list
// (`respbench todo --json`), posts each due inquiry on the company's page as the persona (a
// visitor post) and registers it (`respbench sent ID --ref POST_ID --at TIME`); the pages answer
// in simulated time by the sector's profile, as comments by the page under the post.
//
// The fate of an inquiry (answered after a drawn business-hours delay, answered too late, or
// ignored) is decided when it is posted, from draws keyed by the seed, the company and the
// inquiry's ordinal for that company: the same seed gives the same campaign.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulator.hpp"
#include "study/study.hpp"
#include "truth.hpp"
#include "util/time.hpp"

namespace company_sim {

// What one respbench command did: its exit code and output.
struct RespbenchResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};
// Runs respbench with `args` (without the program's name; the actor passes --study and --now
// itself): in-process (respbench::run_cli) or as a child process.
using RunRespbench = std::function<RespbenchResult(const std::vector<std::string>& args)>;

// How the pages of one sector behave: the company types and the delay of an answer.
struct FacebookBehaviour {
  double diligent_share = 0.25;   // share of companies whose page answers nearly everything
  double diligent_answer = 0.95;  // their per-inquiry answer probability
  double sporadic_share = 0.65;   // share of companies that answer now and then; the rest: silent
  double sporadic_answer = 0.45;
  double delay_median_hours = 2;  // lognormal delay of an answer, in business hours
  double delay_sigma = 1.0;
  double late_share = 0.03;       // share of answers that come after the answer window
};

class FacebookActor {
 public:
  // `behaviour` gives each sector's pages their profile (the campaign maps Profiles'
  // facebook entries onto it); `study` and `truth` must outlive the actor.
  FacebookActor(respbench::graph_emulator::Emulator& graph, const respbench::Study& study,
                std::function<FacebookBehaviour(const std::string& sector)> behaviour, std::uint64_t seed,
                TruthLog& truth);

  // Creates a page per company with a Facebook cell: the cell's number as the page id when it is
  // one, else a number hashed from the company id, with the cell as the page's username. Also
  // accepts the study's Graph token (the environment variable facebook.token_env) as a Page
  // token, so that respbench reads the comments with their authors.
  void setup();

  // The operator's round at `t`: every 30 simulated minutes on Mon–Fri 08:00–18:00 in the
  // study's zone (otherwise it does nothing), reads `respbench todo --json`, posts each due
  // Facebook inquiry a few drawn minutes before `t` (never before it was due) and registers it
  // with `respbench sent`. Throws std::runtime_error with respbench's output when a command
  // fails — a refused registration included.
  void operate(respbench::Instant t, const RunRespbench& run);

  // Publishes every page answer whose time is <= t as a comment by the page under its post,
  // with created_time = the answer's time.
  void before_run(respbench::Instant t);

  // Inquiries posted and registered so far.
  int posted() const { return static_cast<int>(m_registered.size()); }
  // Answers (in time or late) published on the emulator so far, and still to come.
  int answers_published() const { return m_published; }
  int answers_pending() const { return static_cast<int>(m_pending.size()); }

  // Adds the -profiles.csv rows of the Facebook channel to the truth: per sector with pages, its
  // companies and the profile's expected per-inquiry probability of an answer within the window
  // (company-type mixture × no late draw × lognormal delay within the window's business hours),
  // averaged over the inquiries posted. Sectors where nothing was posted get no row.
  void add_truth_profiles() const;

  // The kind of company a page belongs to ("diligent", "sporadic", "silent"), drawn once per
  // company from the seed; "" for a company without a page.
  std::string company_type(const std::string& company_id) const;

 private:
  struct Page {
    const respbench::Company* company = nullptr;
    std::string id;
    std::string type;  // diligent, sporadic, silent
    double answer_probability = 0;
    int ordinal = 0;  // inquiries posted on this page so far
  };
  struct PendingAnswer {
    respbench::Instant at;
    std::string post_id;
    std::string page_id;
    std::string page_name;
    std::string message;
  };

  void post_one(const Page& page, std::int64_t inquiry_id, const std::string& persona, const std::string& text,
                respbench::Instant due_since, respbench::Instant t, const RunRespbench& run);
  void decide(Page& page, const std::string& post_id, respbench::Instant posted, const std::string& persona);

  respbench::graph_emulator::Emulator& m_graph;
  const respbench::Study& m_study;
  respbench::Calendar m_calendar;
  std::function<FacebookBehaviour(const std::string&)> m_behaviour;
  std::uint64_t m_seed;
  TruthLog& m_truth;
  std::map<std::string, Page> m_pages;  // by company id
  std::set<std::int64_t> m_registered;
  std::optional<respbench::Instant> m_last_round;
  std::vector<PendingAnswer> m_pending;  // sorted by time
  struct Expected {
    double sum = 0;  // expected answers within the window
    int posted = 0;
  };
  std::map<std::string, Expected> m_expected;  // by sector
  int m_published = 0;
};

}  // namespace company_sim
