#pragma once
// The Facebook channel's part of a run (DESIGN §4): read the comments under every registered
// Facebook inquiry (the post or comment the operator wrote, `inquiries.external_ref`) and
// record them as replies. The page's own comment is its answer (received at `created_time`);
// other people's comments are kept but do not count; a comment without an author (app tokens)
// goes to review. Each object's replies are one transaction, so a run cut short loses nothing
// and the next one stores nothing twice. A rate limit or a bad token pauses the channel (kept
// in the ledger) without touching the other channels.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "channels/facebook_source.hpp"
#include "ledger/ledger.hpp"
#include "study/study.hpp"

namespace respbench {

struct FacebookRunResult {
  int polled = 0;      // inquiries whose replies were read completely
  int fetched = 0;     // new replies stored
  int attention = 0;   // inquiries whose reference is wrong, left for the operator
  int waiting = 0;     // inquiries not read this run (paused, rate limited, failed)
  std::uint64_t requests = 0;       // HTTP requests made to the Graph API
  std::optional<ChannelPause> pause;  // the channel's pause after this run, if any
  std::vector<std::string> notes;   // for the user: nothing wrong, e.g. waiting for a rate limit
  std::vector<std::string> errors;  // for the user and the run's exit code; free of secrets
};

class FacebookChannel {
 public:
  // Makes the Graph API source when there is something to read (fails: no token, say).
  using SourceFactory = std::function<Result<std::unique_ptr<FacebookSource>>()>;

  FacebookChannel(const Study& study, Ledger& ledger, SourceFactory make_source);

  // One run's polling at clock time `now`.
  FacebookRunResult run(Instant now);

 private:
  struct Target;
  std::vector<Target> targets(Instant now);
  void resolve_pages(std::vector<Target>& targets, FacebookSource& source);
  void record(const Target& target, const ObjectComments& read, Instant now);
  void handle_stop(const FacebookError& error, Instant now, const std::optional<ChannelPause>& before);
  bool ledger_ok(const Result<void>& r);

  const Study& m_study;
  Ledger& m_ledger;
  SourceFactory m_make_source;
  FacebookRunResult m_result;
};

// The back-off after `strikes` rate limits in a row: `first` doubled per strike, at most a
// day, stretched by `jitter` (0…1) by up to a quarter.
std::chrono::seconds rate_limit_backoff(std::chrono::seconds first, int strikes, double jitter);

}  // namespace respbench
