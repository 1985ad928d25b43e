#pragma once
// The simulator's ground truth: what every simulated company really did with every inquiry
// (issue 7, "Truth file"). The demo's ground-truth check joins it with respbench's report, so
// the columns are fixed:
//     channel,company_id,sector,reference,event,at,detail
// and a second file `<stem>-profiles.csv` holds each sector × channel's expected answer rate:
//     sector,channel,companies,true_answer_rate

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "util/result.hpp"
#include "util/time.hpp"

namespace company_sim {

using respbench::Instant;

enum class TruthEvent {
  received,       // the company got the inquiry (email: delivery ≈ the step; facebook: post time)
  answer,         // a human answer within the answer window, at its receipt time on our side
  late_answer,    // a human answer after the window (respbench must count it unanswered)
  auto_ack,       // automatic acknowledgement
  ticket_ack,     // ticket confirmation
  out_of_office,  // out-of-office auto-reply
  bounce,         // missing mailbox: the DSN, at its (re-dated) INTERNALDATE
  ignored,        // the company will never answer this one; at = received time
};

// "received", "answer", … as written in the file.
const char* to_string(TruthEvent event);

struct TruthRow {
  std::string channel;     // "email", "facebook"
  std::string company_id;
  std::string sector;
  std::string reference;   // email: Message-ID without <>; facebook: the registered Graph object id
  TruthEvent event = TruthEvent::received;
  Instant at{};
  std::string detail;      // free text: "diligent", "ticket 48213", …
};

// One sector × channel line of the -profiles.csv.
struct TruthProfileRow {
  std::string sector;
  std::string channel;
  int companies = 0;
  double true_answer_rate = 0;  // expected per-inquiry answer probability within the window
};

// Collects rows from the email and Facebook actors (thread-safe: the Graph emulator may call
// back from its own threads) and writes both files atomically.
class TruthLog {
 public:
  void add(TruthRow row);
  void add_profile(TruthProfileRow row);

  // A copy of the rows so far, in the order added.
  std::vector<TruthRow> rows() const;

  // Writes `path` and `<stem>-profiles.csv` next to it (rows sorted by time, then as added);
  // fails with the path and the system's reason.
  respbench::Result<void> write(const std::filesystem::path& path) const;

  // `<stem>-profiles.csv` next to `truth_path`.
  static std::filesystem::path profiles_path(const std::filesystem::path& truth_path);

 private:
  mutable std::mutex m_mutex;
  std::vector<TruthRow> m_rows;
  std::vector<TruthProfileRow> m_profiles;
};

}  // namespace company_sim
