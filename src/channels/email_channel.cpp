#include "channels/email_channel.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "channels/reply_matching.hpp"
#include "mail/compose.hpp"
#include "mail/match.hpp"
#include "study/placeholders.hpp"
#include "util/crash_point.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

// Replies are read in batches, each committed with the watermark: a crash loses at most one
// batch of work, never a reply.
constexpr std::size_t k_fetch_batch = 50;
// Larger messages are kept with their header only (DESIGN §5: bound sizes).
constexpr std::uint64_t k_max_message_size = 10 * 1024 * 1024;
constexpr std::chrono::minutes k_first_retry{15};

std::string source_of(const StudyConfig& config) { return "imap:" + config.email.inbox; }

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return std::string(at == std::string_view::npos ? address : address.substr(at + 1));
}

}  // namespace

EmailChannel::EmailChannel(const Study& study, Ledger& ledger, MailConnections connections)
    : m_study(study), m_ledger(ledger), m_connections(std::move(connections)) {}

bool EmailChannel::ledger_ok(const Result<void>& r) {
  if (r) return true;
  note(fmt::format("ledger: {}", r.error().message));
  m_result.channel_down = true;
  return false;
}

EmailRunResult EmailChannel::run(Instant now) {
  m_result = {};
  auto imap = m_connections.imap();
  if (!imap) {
    note(fmt::format("email skipped this run: {}", imap.error().message));
    m_result.channel_down = true;
    return m_result;
  }
  m_imap = std::move(*imap);
  m_smtp = m_connections.smtp();

  reconcile(now);
  if (!m_result.channel_down) send_due(now);
  // Reading replies needs only IMAP: it goes on when sending could not.
  if (m_imap) poll(now);
  // A reply may have proven a doubtful send delivered: file its copy now, not a run later.
  if (m_result.matched > 0 && !m_result.channel_down) reconcile(now);
  return m_result;
}

// Settles what earlier runs left open, before anything new is sent (DESIGN §6).
void EmailChannel::reconcile(Instant now) {
  auto unfinished = m_ledger.unfinished_sends();
  if (!unfinished) return (void)ledger_ok(std::unexpected(unfinished.error()));
  for (const UnfinishedSend& u : *unfinished) {
    const auto id = u.inquiry.id;
    if (u.inquiry.state == InquiryState::sending && !u.handover) {
      // Stopped before the end of the message went out: the server cannot have it.
      if (!ledger_ok(m_ledger.defer_send(id, now, "interrupted before the message was handed over", now))) return;
      ++m_result.resumed;
      continue;
    }
    // The server may have the message (or has it): look for our copy, or another client's
    // (some providers file sent mail themselves).
    auto found = find_in_sent(u.inquiry.message_id);
    if (!found) {
      note(fmt::format("inquiry {}: cannot search the Sent folder: {}", id, found.error().message));
      m_result.channel_down = true;
      return;
    }
    if (u.inquiry.state == InquiryState::sending) {
      if (*found) {
        if (!ledger_ok(m_ledger.mark_sent(id, **found)) || !ledger_ok(m_ledger.mark_copied(id))) return;
      } else {
        if (!ledger_ok(m_ledger.mark_attention(
                id,
                "a run ended while handing this inquiry to the SMTP server: it may or may not have "
                "been sent. Check the recipient or the server's log; it is never sent again by itself.",
                now)))
          return;
        ++m_result.attention;
      }
      ++m_result.resumed;
      continue;
    }
    // Sent, but its copy is missing.
    if (*found) {
      if (!ledger_ok(m_ledger.mark_copied(id))) return;
    } else {
      append_copy(u.inquiry, u.message, u.inquiry.sent_at.value_or(now));
    }
    ++m_result.resumed;
  }
}

NetResult<std::optional<Instant>> EmailChannel::find_in_sent(const std::string& message_id) {
  if (auto st = m_imap->examine(m_study.config.email.sent_folder); !st) return std::unexpected(st.error());
  auto uids = m_imap->uid_search(fmt::format("HEADER Message-ID \"<{}>\"", message_id));
  if (!uids) return std::unexpected(uids.error());
  if (uids->empty()) return std::optional<Instant>();
  auto copies = m_imap->fetch({uids->front()}, 0);
  if (!copies) return std::unexpected(copies.error());
  if (copies->empty()) return std::optional<Instant>();
  return std::optional<Instant>(copies->front().internal_date);
}

void EmailChannel::append_copy(const InquiryRecord& inquiry, const std::string& message, Instant date) {
  crash_point("before-append");
  if (auto r = m_imap->append(m_study.config.email.sent_folder, "\\Seen", date, message); !r) {
    // The inquiry is sent; only its copy waits. The next run appends it.
    note(fmt::format("inquiry {}: sent, but its copy could not be filed in {}: {}", inquiry.id,
                     m_study.config.email.sent_folder, r.error().message));
    return;
  }
  crash_point("after-append");
  ledger_ok(m_ledger.mark_copied(inquiry.id));
}

std::string EmailChannel::compose_for(const InquiryRecord& inquiry, const std::string& message_id, Instant now,
                                      std::string& error) const {
  const Company* company = company_of(inquiry.company_id);
  auto probe = std::find_if(m_study.probes.begin(), m_study.probes.end(),
                            [&](const Probe& p) { return p.id == inquiry.probe_id; });
  auto persona = parse_persona(inquiry.persona);
  if (company == nullptr || !company->offers(Channel::email)) {
    error = fmt::format("inquiry {}: company {} is no longer in companies.csv with an email address", inquiry.id,
                        inquiry.company_id);
    return {};
  }
  if (probe == m_study.probes.end() || !persona) {
    error = fmt::format("inquiry {}: probe {} is no longer in probes/", inquiry.id, inquiry.probe_id);
    return {};
  }
  OutgoingMail mail;
  mail.from = *persona;
  mail.to = company->email;
  mail.subject = render_placeholders(probe->subject, *company, *persona);
  mail.body = render_placeholders(probe->body, *company, *persona);
  mail.message_id = message_id;
  // Replies to this address carry the inquiry's token even when they quote nothing of ours.
  if (m_study.config.email.reply_token) mail.reply_to = {persona->name, plus_address(persona->email, reply_token(message_id))};
  mail.date = now;
  mail.zone = m_study.config.zone;
  return compose_mail(mail);
}

void EmailChannel::send_due(Instant now) {
  const auto& settings = m_study.config.email;
  auto due = m_ledger.due_inquiries(Channel::email, now, static_cast<std::size_t>(settings.max_per_run));
  if (!due) return (void)ledger_ok(std::unexpected(due.error()));
  for (std::size_t i = 0; i < due->size() && !m_result.channel_down; ++i) {
    if (i > 0 && settings.pause_seconds > 0) std::this_thread::sleep_for(std::chrono::seconds(settings.pause_seconds));
    send_one((*due)[i], now);
  }
}

void EmailChannel::send_one(const InquiryRecord& inquiry, Instant now) {
  const auto& settings = m_study.config.email;
  const auto persona = parse_persona(inquiry.persona);
  const auto message_id = new_message_id(domain_of(persona ? persona->email : settings.user));
  std::string error;
  const std::string message = compose_for(inquiry, message_id, now, error);
  if (message.empty()) {
    note(error);
    return;
  }
  const std::string to = company_of(inquiry.company_id)->email;
  // The intent first: from here on, the inquiry is never picked as "due" again.
  if (!ledger_ok(m_ledger.begin_send(inquiry.id, message_id, message, now))) return;
  crash_point("after-intent");

  bool handed_over = false;
  auto handover = [&] {
    // Committed before the last bytes go out: a crash after this is "maybe sent".
    handed_over = ledger_ok(m_ledger.mark_handover(inquiry.id));
    crash_point("before-data-end");
  };
  auto sent = m_smtp->send(persona->email, to, message, handover);
  if (sent) {
    crash_point("after-smtp");
    if (!ledger_ok(m_ledger.mark_sent(inquiry.id, now))) return;
    ++m_result.sent;
    append_copy(inquiry, message, now);
    return;
  }

  const NetError& failure = sent.error();
  switch (failure.next) {
    case NetFailure::give_up_item:
      // Refused for good (e.g. 550 unknown user): the company is not reachable at this address.
      if (ledger_ok(m_ledger.mark_undeliverable(inquiry.id, failure.message, now))) ++m_result.undeliverable;
      return;
    case NetFailure::retry_later:
      if (handed_over) break;  // refused after the data went out: treated as "maybe sent" below
      if (inquiry.attempts + 1 >= settings.max_attempts) {
        auto reason = fmt::format("refused temporarily {} times, last: {}", inquiry.attempts + 1, failure.message);
        if (ledger_ok(m_ledger.mark_undeliverable(inquiry.id, reason, now))) ++m_result.undeliverable;
      } else {
        // Back off: 15 min, 30 min, 1 h, … between tries.
        const auto retry_at = now + k_first_retry * (1 << std::min(inquiry.attempts, 10));
        if (ledger_ok(m_ledger.defer_send(inquiry.id, retry_at, failure.message, now))) ++m_result.deferred;
      }
      return;
    case NetFailure::channel_down:
      note(fmt::format("email sending stopped this run: {}", failure.message));
      m_result.channel_down = true;
      if (!handed_over) {
        ledger_ok(m_ledger.defer_send(inquiry.id, now, failure.message, now));
        return;
      }
      break;
  }
  // The end of the message went out and no clear answer came back: it may have been accepted.
  // Never resend by itself; the next run's reconcile looks for it in the Sent folder first.
  note(fmt::format("inquiry {}: no clear answer after the message was handed over ({}); left for the next run "
                   "to settle",
                   inquiry.id, failure.message));
}

// Reads what is new in the inbox since the watermark; a changed UIDVALIDITY means the UIDs
// were renumbered, so everything is read again and known messages are recognised by content.
void EmailChannel::poll(Instant now) {
  const auto& config = m_study.config;
  const std::string source = source_of(config);
  auto status = m_imap->examine(config.email.inbox);
  if (!status) {
    note(fmt::format("cannot open {}: {}", config.email.inbox, status.error().message));
    m_result.channel_down = true;
    return;
  }
  auto mark = m_ledger.watermark(source);
  if (!mark) return (void)ledger_ok(std::unexpected(mark.error()));
  const bool same_validity = *mark && (*mark)->uidvalidity == status->uidvalidity;
  const std::uint32_t last_uid = same_validity ? (*mark)->last_uid : 0;
  if (same_validity && last_uid + 1 >= status->uidnext) return;  // nothing new

  auto found = m_imap->uid_search(fmt::format("UID {}:*", last_uid + 1));
  if (!found) {
    note(fmt::format("cannot search {}: {}", config.email.inbox, found.error().message));
    m_result.channel_down = true;
    return;
  }
  std::vector<std::uint32_t> uids;
  // "n:*" always matches the highest UID, even when it is below n.
  std::copy_if(found->begin(), found->end(), std::back_inserter(uids), [&](std::uint32_t u) { return u > last_uid; });

  auto companies = m_ledger.companies();
  if (!companies) return (void)ledger_ok(std::unexpected(companies.error()));
  LedgerMatchLookup lookup(m_ledger, std::move(*companies), m_study.probes);
  for (std::size_t begin = 0; begin < uids.size(); begin += k_fetch_batch) {
    std::vector<std::uint32_t> batch(uids.begin() + static_cast<std::ptrdiff_t>(begin),
                                     uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), begin + k_fetch_batch)));
    auto messages = m_imap->fetch(batch, k_max_message_size);
    if (!messages) {
      note(fmt::format("cannot fetch from {}: {}", config.email.inbox, messages.error().message));
      m_result.channel_down = true;
      return;
    }
    crash_point("after-fetch");
    std::vector<NewReply> replies;
    int matched = 0;
    for (const FetchedMessage& m : *messages) {
      auto judged = judge_reply(m.raw, m.internal_date, m.size, source, lookup);
      if (!judged) return (void)ledger_ok(std::unexpected(judged.error()));
      matched += judged->reply.inquiry_id ? 1 : 0;
      replies.push_back(std::move(judged->reply));
    }
    const Watermark next{status->uidvalidity, batch.back()};
    auto stored = m_ledger.record_replies(replies, source, next, config.answer_window, now);
    if (!stored) return (void)ledger_ok(std::unexpected(stored.error()));
    crash_point("after-watermark");
    m_result.fetched += *stored;
    m_result.matched += matched;
  }
  // An empty rescan after a UIDVALIDITY change still records the new UIDVALIDITY.
  if (uids.empty() && !same_validity) {
    auto r = m_ledger.record_replies({}, source, Watermark{status->uidvalidity, 0}, config.answer_window, now);
    if (!r) ledger_ok(std::unexpected(r.error()));
  }
}

const Company* EmailChannel::company_of(const std::string& id) const {
  auto it = std::find_if(m_study.companies.begin(), m_study.companies.end(), [&](const Company& c) { return c.id == id; });
  return it == m_study.companies.end() ? nullptr : &*it;
}

}  // namespace respbench
