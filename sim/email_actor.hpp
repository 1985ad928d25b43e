#pragma once
// The email side of the company simulator (issue 7). The companies' mailboxes are real (the mail
// rig); their behaviour is drawn (draws.hpp) from the sector's profile:
// - after a `respbench run` that sent mail, each company that got an inquiry reads its INBOX
//   with its own login and decides the inquiry's fate: a human answer after a delay in business
//   hours (in time or late), or none; an acknowledgement, ticket confirmation or out-of-office
//   reply 1–3 minutes after receipt;
// - before each run, every reply whose simulated time has come is appended to the study's INBOX
//   by IMAP with INTERNALDATE = that time (the receipt time respbench measures);
// - companies with a missing mailbox bounce for real (Postfix's DSN); the DSN is re-dated to the
//   simulated moment it arrived (see EmailActor::redate_bounces).

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "draws.hpp"
#include "ledger/ledger.hpp"
#include "mail/message.hpp"
#include "net/mail_transport.hpp"
#include "plan/calendar.hpp"
#include "profile.hpp"
#include "rig.hpp"
#include "study/study.hpp"
#include "truth.hpp"

namespace company_sim {

// The password a company's rig mailbox gets (rig-users prints it, the actor logs in with it).
std::string company_password(const respbench::Company& company);

// The traits of `company` on email in a campaign of `study` (the same draw for rig-users and
// for the campaign).
CompanyTraits email_traits(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed,
                           const respbench::Company& company);

struct EmailCounts {
  int received = 0;       // inquiries that reached a company mailbox
  int answers = 0;        // human answers delivered (in time and late)
  int auto_replies = 0;   // acknowledgements, ticket confirmations, out-of-office replies delivered
  int bounces = 0;        // DSNs re-dated
  int pending = 0;        // replies still to deliver
};

class EmailActor {
 public:
  // `study`, `profiles`, `truth` and `rig` must outlive the actor. `study_password`: the study
  // mailbox's (email.user) password on the rig.
  EmailActor(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed, TruthLog& truth,
             const Rig& rig, std::string study_password);
  ~EmailActor();

  // Appends every reply whose time is <= t to the study INBOX (INTERNALDATE = its time).
  respbench::Result<void> before_run(respbench::Instant t);
  // After respbench's run at t: when it sent email (new sent inquiries in the ledger), waits for
  // the rig's queue, lets the companies read their mail and decide, and re-dates DSNs.
  respbench::Result<void> after_run(respbench::Instant t);

  EmailCounts counts() const;
  const CompanyTraits* traits(const std::string& company_id) const;

 private:
  struct Pending {
    bool answer = false;  // a person's answer (else an automatic reply), for the counts
    std::string message;
  };
  struct Mailbox {
    const respbench::Company* company = nullptr;
    CompanyTraits traits;
    std::uint32_t last_uid = 0;  // read up to here
    int ordinal = 0;             // inquiries received so far
  };

  respbench::Result<void> read_company(Mailbox& box, const std::map<std::string, respbench::InquiryRecord>& sent);
  void decide(Mailbox& box, const respbench::ParsedMessage& inquiry, const respbench::InquiryRecord& record);
  respbench::Result<void> redate_bounces(respbench::Instant t,
                                         const std::map<std::string, respbench::InquiryRecord>& by_message_id);
  respbench::Result<respbench::ImapSession*> study_session();

  const respbench::Study& m_study;
  const Profiles& m_profiles;
  std::uint64_t m_seed;
  TruthLog& m_truth;
  const Rig& m_rig;
  std::string m_study_password;
  respbench::Calendar m_calendar;

  std::map<std::string, Mailbox> m_boxes;           // by company id (companies with email)
  std::map<std::string, std::string> m_by_address;  // lower-case address → company id
  std::unique_ptr<respbench::Ledger> m_ledger;      // read only: which inquiries were sent
  std::set<std::int64_t> m_seen;                    // inquiries already handed to a company
  std::set<std::string> m_awaiting_dsn;             // Message-IDs sent to missing mailboxes
  std::uint32_t m_inbox_watermark = 0;              // study INBOX UIDs up to here looked at for DSNs
  std::unique_ptr<respbench::ImapSession> m_session;  // the study mailbox, for APPEND
  std::multimap<respbench::Instant, Pending> m_pending;  // replies by delivery time
  EmailCounts m_counts;
};

}  // namespace company_sim
