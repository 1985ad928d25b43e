#pragma once
// The company simulator in real time (for tests): plays the companies of the mail rig — reads a
// company's INBOX and answers some of the inquiries there at once by SMTP, as a helpdesk would,
// quoting the inquiry's Message-ID in In-Reply-To and References. It returns what it did (its
// ground truth), which the tests compare with what respbench recorded. The campaign's actor
// (email_actor.hpp) answers in simulated time instead.

#include <cstdint>
#include <string>
#include <vector>

#include "net/mail_transport.hpp"

namespace company_sim {

using respbench::MailServer;

struct SimAnswer {
  std::string inquiry_message_id;  // the inquiry answered (without brackets)
  std::string reply_message_id;
  std::string company_address;
};

struct SimCompany {
  std::string address;   // the company's mailbox on the rig
  std::string password;
  double answer_share = 1.0;  // share of inquiries answered (decided by a hash of the Message-ID)
};

// Answers the unanswered inquiries in each company's INBOX (once: the simulator remembers what
// it answered in `answered`). `smtp` and `imap` are the rig's servers without user/password.
// Only inquiries whose Message-ID is in `ours` are considered: several studies share a rig.
std::vector<SimAnswer> answer_inquiries(const std::vector<SimCompany>& companies, const MailServer& smtp,
                                        const MailServer& imap, const std::vector<std::string>& ours,
                                        std::vector<std::string>& answered);

}  // namespace company_sim
