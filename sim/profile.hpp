#pragma once
// How the simulated companies of a sector behave on a channel (issue 7, "Profiles"): the mixture
// of diligent, sporadic and silent companies, the delay of an answer in business hours, the
// share of answers that come too late, and on email the automatic replies (acknowledgements,
// ticket confirmations, out-of-office spells) and missing mailboxes.
//
// Defaults live in code, shaped like the classic German study (DESIGN §1): by email close to
// 4 of 5 answered and about 40 % of companies answering all five; on Facebook fewer than 3 of 5,
// about a fifth answering all five, most answers within a few hours; finance slower there. An
// optional file overrides single keys:
//
//     # comment
//     [banks.facebook]          sector.channel; "*" as sector: every sector of that channel
//     diligent_share = 0.10
//     delay_median = 6h         a duration (respbench's syntax: 90m, 6h, 1d12h)

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "study/model.hpp"
#include "util/diagnostics.hpp"
#include "util/result.hpp"

namespace company_sim {

struct ChannelProfile {
  // Company types: per-inquiry answer probabilities; the companies left over are silent.
  double diligent_share = 0.45;
  double diligent_answer = 0.97;
  double sporadic_share = 0.50;
  double sporadic_answer = 0.72;
  // Delay of a human answer in business hours: lognormal with this median and sigma (of ln).
  double delay_median_hours = 4;
  double delay_sigma = 1.0;
  // Share of the answers that come after the answer window (respbench must count them unanswered).
  double late_share = 0.01;
  // Email only, shares of companies:
  double ack_share = 0.0;          // an auto-acknowledgement 1–3 min after each inquiry
  double ticket_share = 0.0;       // a ticket confirmation with a number instead
  double ooo_share = 0.0;          // one out-of-office spell of 3–7 days during the campaign
  double missing_mailbox_share = 0.0;  // the listed address does not exist: a real bounce

  // The expected per-inquiry answer probability within the window, over delivered inquiries
  // (missing mailboxes are drawn independently of the type, so they do not change it).
  double true_answer_rate() const {
    return (diligent_share * diligent_answer + sporadic_share * sporadic_answer) * (1.0 - late_share);
  }
};

class Profiles {
 public:
  // The built-in profiles (see the file comment).
  static Profiles defaults();

  // `defaults()` with the keys of `text` (the file shown as `file`) applied in order. Every
  // problem goes to `diags` as file:line:column with what was expected.
  static Profiles parse(const std::string& text, const std::string& file, respbench::Diagnostics& diags);
  // Reads and parses `path`; fails with every problem, one per line.
  static respbench::Result<Profiles> load(const std::string& path);

  // The profile of `sector` on `channel` (the channel's default for a sector not named).
  const ChannelProfile& get(std::string_view sector, respbench::Channel channel) const;

 private:
  ChannelProfile& entry(const std::string& sector, respbench::Channel channel);

  std::map<respbench::Channel, ChannelProfile> m_default;  // per channel, for unnamed sectors
  std::map<std::pair<std::string, respbench::Channel>, ChannelProfile, std::less<>> m_sectors;
};

// The names of the keys a profile file may set (for messages and the README).
const std::vector<std::string>& profile_keys();

}  // namespace company_sim
