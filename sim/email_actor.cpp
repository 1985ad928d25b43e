#include "email_actor.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "business_clock.hpp"
#include "mail_texts.hpp"
#include "util/strings.hpp"

namespace company_sim {

using respbench::Instant;
using respbench::Result;

namespace {

std::string domain_of(const std::string& address) {
  const auto at = address.find('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

template <class T>
Result<T> net(respbench::NetResult<T> r) {
  if (!r) return respbench::fail(r.error().message);
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*r);
  }
}

}  // namespace

std::string company_password(const respbench::Company& company) { return "sim-" + company.id; }

CompanyTraits email_traits(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed,
                           const respbench::Company& company) {
  // Out-of-office spells start somewhere in the sending weeks (business days * 7/5 calendar days).
  const auto first = date::local_days{study.config.start};
  const int days = std::max(1, study.config.business_days * 7 / 5);
  return draw_company(seed, company.id, respbench::Channel::email,
                      profiles.get(company.sector, respbench::Channel::email), first, days);
}

EmailActor::EmailActor(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed, TruthLog& truth,
                       const Rig& rig, std::string study_password)
    : m_study(study),
      m_profiles(profiles),
      m_seed(seed),
      m_truth(truth),
      m_rig(rig),
      m_study_password(std::move(study_password)),
      m_calendar(study.config.calendar()) {
  for (const auto& company : study.companies) {
    if (!company.offers(respbench::Channel::email)) continue;
    Mailbox box;
    box.company = &company;
    box.traits = email_traits(study, profiles, seed, company);
    m_boxes[company.id] = box;
    m_by_address[respbench::to_lower_ascii(company.email)] = company.id;
  }
}

EmailActor::~EmailActor() = default;

const CompanyTraits* EmailActor::traits(const std::string& company_id) const {
  auto it = m_boxes.find(company_id);
  return it == m_boxes.end() ? nullptr : &it->second.traits;
}

EmailCounts EmailActor::counts() const {
  EmailCounts c = m_counts;
  c.pending = static_cast<int>(m_pending.size());
  return c;
}

Result<respbench::ImapSession*> EmailActor::study_session() {
  if (!m_session) {
    auto session = respbench::connect_imap(m_rig.imap(m_study.config.email.user, m_study_password));
    if (!session) return respbench::fail("the study mailbox: " + session.error().message);
    m_session = std::move(*session);
  }
  return m_session.get();
}

Result<void> EmailActor::before_run(Instant t) {
  if (m_pending.empty() || m_pending.begin()->first > t) return {};
  auto session = study_session();
  if (!session) return std::unexpected(session.error());
  const std::string& inbox = m_study.config.email.inbox.empty() ? std::string("INBOX") : m_study.config.email.inbox;
  while (!m_pending.empty() && m_pending.begin()->first <= t) {
    auto node = m_pending.extract(m_pending.begin());
    // No flags: an unread reply, as it would arrive. INTERNALDATE = the simulated arrival.
    if (auto ok = (*session)->append(inbox, "", node.key(), node.mapped().message); !ok) {
      m_session.reset();  // reconnect next time; the reply stays due
      m_pending.insert(std::move(node));
      return respbench::fail("APPEND to the study mailbox: " + ok.error().message);
    }
    ++(node.mapped().answer ? m_counts.answers : m_counts.auto_replies);
  }
  return {};
}

Result<void> EmailActor::after_run(Instant t) {
  if (!m_ledger) {
    auto ledger = respbench::open_sqlite_ledger(m_study.ledger_path(), respbench::LedgerOpen::existing);
    if (!ledger) return std::unexpected(ledger.error());
    m_ledger = std::move(*ledger);
  }
  // The cheap and honest signal that the run sent mail: email inquiries with a send time that
  // no company has been shown yet.
  respbench::InquiryFilter filter;
  filter.channel = respbench::Channel::email;
  auto inquiries = m_ledger->inquiries(filter);
  if (!inquiries) return std::unexpected(inquiries.error());
  std::map<std::string, respbench::InquiryRecord> fresh;  // by Message-ID
  std::set<std::string> companies;
  for (auto& inquiry : *inquiries) {
    if (!inquiry.sent_at || inquiry.message_id.empty() || m_seen.contains(inquiry.id)) continue;
    m_seen.insert(inquiry.id);
    companies.insert(inquiry.company_id);
    fresh.emplace(inquiry.message_id, std::move(inquiry));
  }
  if (fresh.empty() && m_awaiting_dsn.empty()) return {};
  if (auto ok = m_rig.wait_queue(); !ok) return ok;

  for (const auto& id : companies) {
    auto box = m_boxes.find(id);
    if (box == m_boxes.end()) continue;
    if (box->second.traits.missing_mailbox) {
      for (const auto& [message_id, record] : fresh) {
        if (record.company_id == id) m_awaiting_dsn.insert(message_id);
      }
      continue;
    }
    if (auto ok = read_company(box->second, fresh); !ok) return ok;
  }
  if (!m_awaiting_dsn.empty()) {
    std::map<std::string, respbench::InquiryRecord> all;
    for (auto& inquiry : *inquiries) all.emplace(inquiry.message_id, inquiry);
    for (auto& [id, record] : fresh) all.emplace(id, record);
    if (auto ok = redate_bounces(t, all); !ok) return ok;
  }
  return {};
}

Result<void> EmailActor::read_company(Mailbox& box, const std::map<std::string, respbench::InquiryRecord>& sent) {
  const auto& company = *box.company;
  auto session = respbench::connect_imap(m_rig.imap(respbench::to_lower_ascii(company.email), company_password(company)));
  if (!session) return respbench::fail(fmt::format("{}'s mailbox: {}", company.id, session.error().message));
  auto status = net((*session)->examine("INBOX"));
  if (!status) return std::unexpected(status.error());
  if (status->uidnext <= box.last_uid + 1) return {};
  auto uids = net((*session)->uid_search(fmt::format("UID {}:*", box.last_uid + 1)));
  if (!uids) return std::unexpected(uids.error());
  std::erase_if(*uids, [&](std::uint32_t uid) { return uid <= box.last_uid; });
  if (uids->empty()) return {};
  auto messages = net((*session)->fetch(*uids, 1 << 20));
  if (!messages) return std::unexpected(messages.error());
  for (const auto& m : *messages) {
    box.last_uid = std::max(box.last_uid, m.uid);
    const auto parsed = respbench::parse_message(m.raw);
    auto record = sent.find(parsed.message_id);
    // Mail that is not one of this campaign's inquiries (another study on the rig) is not ours.
    if (record == sent.end()) continue;
    decide(box, parsed, record->second);
  }
  return {};
}

void EmailActor::decide(Mailbox& box, const respbench::ParsedMessage& parsed, const respbench::InquiryRecord& record) {
  const auto& company = *box.company;
  const auto& profile = m_profiles.get(company.sector, respbench::Channel::email);
  const InquiryFate fate = draw_inquiry(m_seed, company.id, respbench::Channel::email, ++box.ordinal, box.traits,
                                        profile);
  const Instant received = *record.sent_at;
  ++m_counts.received;
  auto truth = [&](TruthEvent event, Instant at, std::string detail) {
    m_truth.add({"email", company.id, company.sector, record.message_id, event, at, std::move(detail)});
  };
  truth(TruthEvent::received, received, to_string(box.traits.type));

  InquiryMail inquiry{parsed.message_id, parsed.subject, parsed.from_name, parsed.from_address, parsed.text, received};
  ReplyContext context{&company, respbench::to_lower_ascii(company.email), m_study.config.zone, fate.text_choice};

  // Automatic replies, 1–3 minutes after receipt: out of office during the spell, else the
  // company's acknowledgement or ticket system.
  Instant base = received;  // the answer's delay counts from here
  std::optional<Instant> auto_at;
  const auto day = m_calendar.local_day(received);
  const bool away = box.traits.ooo_first && day >= *box.traits.ooo_first && day < *box.traits.ooo_end;
  if (away) {
    auto_at = received + std::chrono::seconds(fate.auto_reply_seconds);
    m_pending.emplace(*auto_at, Pending{false, out_of_office_mail(context, inquiry, *auto_at, *box.traits.ooo_end)});
    truth(TruthEvent::out_of_office, *auto_at, "");
    base = std::max(received, m_calendar.to_instant(*box.traits.ooo_end, 0));
  } else if (box.traits.auto_reply != AutoReply::none) {
    auto_at = received + std::chrono::seconds(fate.auto_reply_seconds);
    if (box.traits.auto_reply == AutoReply::ack) {
      m_pending.emplace(*auto_at, Pending{false, ack_mail(context, inquiry, *auto_at)});
      truth(TruthEvent::auto_ack, *auto_at, "");
    } else {
      // Ticket systems write from a helpdesk address, on a reply domain when the company has one.
      ReplyContext helpdesk = context;
      helpdesk.company_address =
          "helpdesk@" + (company.reply_domains.empty() ? domain_of(context.company_address) : company.reply_domains[0]);
      const auto number = ticket_number(fate.text_choice);
      m_pending.emplace(*auto_at, Pending{false, ticket_mail(helpdesk, inquiry, *auto_at, number)});
      truth(TruthEvent::ticket_ack, *auto_at, "ticket " + number);
    }
  }

  if (!fate.answered) {
    truth(TruthEvent::ignored, received, to_string(box.traits.type));
    return;
  }
  const Instant window_end = received + m_study.config.answer_window;
  Instant at;
  if (fate.late) {
    at = window_end + std::chrono::seconds(fate.late_seconds);
  } else {
    at = add_business_time(m_calendar, base,
                           std::chrono::seconds(static_cast<std::int64_t>(fate.delay_business_hours * 3600.0)));
    // The lognormal's tail (and a spell) can pass the window; the profile's late_share alone
    // decides lateness, so such an answer comes at a drawn point before the window ends instead.
    if (at >= window_end && base < window_end) {
      const auto room = std::chrono::duration_cast<std::chrono::seconds>(window_end - base);
      at = base + std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(room.count()) *
                                                                 (0.5 + 0.45 * fate.unit_extra)));
    }
  }
  if (auto_at && at <= *auto_at) at = *auto_at + std::chrono::seconds(60);
  if (at <= received) at = received + std::chrono::seconds(60);
  const bool in_time = at < window_end;
  m_pending.emplace(at, Pending{true, answer_mail(context, inquiry, at, fate.quote)});
  truth(in_time ? TruthEvent::answer : TruthEvent::late_answer, at,
        fmt::format("{}{}", to_string(box.traits.type), fate.quote ? ", quotes the inquiry" : ""));
}

// Postfix delivers its DSN for a missing mailbox in real time, so its INTERNALDATE would be
// today's date, not the simulated moment the bounce came back; respbench measures by
// INTERNALDATE. So the DSN is appended again, byte for byte, with INTERNALDATE = t (the step at
// which it arrived), and the original removed — before the next run can read either.
Result<void> EmailActor::redate_bounces(Instant t, const std::map<std::string, respbench::InquiryRecord>& by_message_id) {
  auto session = study_session();
  if (!session) return std::unexpected(session.error());
  auto* s = *session;
  const std::string inbox = m_study.config.email.inbox.empty() ? std::string("INBOX") : m_study.config.email.inbox;
  auto status = net(s->select(inbox));
  if (!status) {
    m_session.reset();
    return std::unexpected(status.error());
  }
  if (status->uidnext <= m_inbox_watermark + 1) return {};
  auto uids = net(s->uid_search(fmt::format("UID {}:* FROM \"MAILER-DAEMON\"", m_inbox_watermark + 1)));
  if (!uids) return std::unexpected(uids.error());
  std::erase_if(*uids, [&](std::uint32_t uid) { return uid <= m_inbox_watermark; });
  auto messages = net(s->fetch(*uids, 1 << 22));
  if (!messages) return std::unexpected(messages.error());
  std::vector<std::uint32_t> done;
  for (const auto& m : *messages) {
    const auto parsed = respbench::parse_message(m.raw);
    std::string original = parsed.attached ? parsed.attached->message_id : std::string();
    if (original.empty()) original = parsed.report_message_id;
    if (!m_awaiting_dsn.contains(original)) continue;  // not one this simulator expects
    if (auto ok = net(s->append(inbox, "", t, m.raw)); !ok) return ok;
    done.push_back(m.uid);
    m_awaiting_dsn.erase(original);
    ++m_counts.bounces;
    auto record = by_message_id.find(original);
    const auto* company = record == by_message_id.end() ? nullptr : m_boxes.at(record->second.company_id).company;
    m_truth.add({"email", company ? company->id : "", company ? company->sector : "", original, TruthEvent::bounce, t,
                 "missing mailbox"});
  }
  if (auto ok = net(s->uid_delete(done)); !ok) return ok;
  // Everything up to here has been looked at, the re-dated copies included.
  auto after = net(s->select(inbox));
  if (!after) return std::unexpected(after.error());
  m_inbox_watermark = after->uidnext - 1;
  return {};
}

}  // namespace company_sim
