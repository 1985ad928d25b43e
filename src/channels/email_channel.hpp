#pragma once
// The email channel's part of a run (DESIGN §3, §4, §6): finish what an earlier run left
// unfinished, send the due inquiries, read new mail, all recorded in the ledger so that a crash
// at any point never loses a reply and never sends an inquiry twice.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ledger/ledger.hpp"
#include "net/mail_transport.hpp"
#include "study/study.hpp"

namespace respbench {

// How the channel reaches its servers; tests and the run command supply the real ones.
struct MailConnections {
  std::function<std::unique_ptr<SmtpSender>()> smtp;
  std::function<NetResult<std::unique_ptr<ImapSession>>()> imap;
};

struct EmailRunResult {
  int resumed = 0;        // unfinished sends of earlier runs settled
  int sent = 0;
  int deferred = 0;       // temporary refusals, to be retried
  int undeliverable = 0;
  int attention = 0;      // left for the operator
  int fetched = 0;        // new messages stored
  int matched = 0;        // of those, matched to an inquiry
  std::vector<std::string> errors;  // for the user and the run log; free of secrets
  bool channel_down = false;        // the channel could not be used (fully) this run
};

class EmailChannel {
 public:
  EmailChannel(const Study& study, Ledger& ledger, MailConnections connections);

  // One run's work at clock time `now`.
  EmailRunResult run(Instant now);

 private:
  void reconcile(Instant now);
  void send_due(Instant now);
  void send_one(const InquiryRecord& inquiry, Instant now);
  void poll(Instant now);
  std::string compose_for(const InquiryRecord& inquiry, const std::string& message_id, Instant now,
                          std::string& error) const;
  // Is a message with this Message-ID in the Sent folder? Its INTERNALDATE when it is.
  NetResult<std::optional<Instant>> find_in_sent(const std::string& message_id);
  void append_copy(const InquiryRecord& inquiry, const std::string& message, Instant date);
  const Company* company_of(const std::string& id) const;
  void note(std::string error) { m_result.errors.push_back(std::move(error)); }
  // Records a ledger failure: the run cannot go on safely with this channel.
  bool ledger_ok(const Result<void>& r);

  const Study& m_study;
  Ledger& m_ledger;
  MailConnections m_connections;
  std::unique_ptr<SmtpSender> m_smtp;
  std::unique_ptr<ImapSession> m_imap;
  EmailRunResult m_result;
};

}  // namespace respbench
