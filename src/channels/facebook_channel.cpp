#include "channels/facebook_channel.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "channels/facebook_ref.hpp"
#include "util/random.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

// Closed inquiries are still read this long after their window: a reply that arrived in time
// but was not read then (a paused channel) still answers them (Ledger::record_replies).
constexpr std::chrono::hours k_grace{24 * 7};
constexpr std::chrono::hours k_longest_backoff{24};

std::string source_of(const std::string& object_id) { return "graph:" + object_id; }

// A key that stays the same across polls: the comment's id, else its permalink (which carries
// comment_id/reply_comment_id), else its time with a hash of author and text.
std::string key_of(const FacebookComment& c) {
  if (!c.id.empty()) return c.id;
  if (!c.permalink.empty()) return c.permalink;
  return fmt::format("{}:{:016x}", format_utc(c.created_time),
                     stable_hash(c.from_id.value_or("") + "\n" + c.from_name + "\n" + c.message));
}

// What the ledger keeps as the reply's raw form: the fields as read.
std::string raw_of(const FacebookComment& c) {
  return fmt::format("id: {}\nfrom: {} {}\ncreated_time: {}\nparent: {}\npermalink: {}\n\n{}", c.id,
                     c.from_id.value_or("(none)"), c.from_name, format_utc(c.created_time), c.parent_id, c.permalink,
                     c.message);
}

}  // namespace

std::chrono::seconds rate_limit_backoff(std::chrono::seconds first, int strikes, double jitter) {
  const auto cap = std::chrono::duration_cast<std::chrono::seconds>(k_longest_backoff);
  auto wait = std::max(first, std::chrono::seconds(1));
  for (int i = 1; i < strikes && wait < cap; ++i) wait *= 2;
  wait = std::min(wait, cap);
  return wait + std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(wait.count()) * 0.25 *
                                                               std::clamp(jitter, 0.0, 1.0)));
}

struct FacebookChannel::Target {
  InquiryRecord inquiry;
  const Company* company = nullptr;
  FacebookRef ref;
  std::string page_id;    // the company page's numeric id, when known
  std::string object_id;  // what the Graph API reads; "" until known
};

FacebookChannel::FacebookChannel(const Study& study, Ledger& ledger, SourceFactory make_source)
    : m_study(study), m_ledger(ledger), m_make_source(std::move(make_source)) {}

bool FacebookChannel::ledger_ok(const Result<void>& r) {
  if (!r) m_result.errors.push_back(fmt::format("facebook: ledger: {}", r.error().message));
  return r.has_value();
}

// The registered Facebook inquiries still worth reading, with what is known of their objects.
std::vector<FacebookChannel::Target> FacebookChannel::targets(Instant now) {
  std::vector<Target> out;
  for (InquiryState state : {InquiryState::sent, InquiryState::answered, InquiryState::unanswered}) {
    InquiryFilter filter;
    filter.state = state;
    filter.channel = Channel::facebook;
    auto found = m_ledger.inquiries(filter);
    if (!found) {
      ledger_ok(std::unexpected(found.error()));
      return {};
    }
    for (auto& inquiry : *found) {
      if (inquiry.external_ref.empty() || !inquiry.sent_at) continue;
      if (state != InquiryState::sent && *inquiry.sent_at + m_study.config.answer_window + k_grace < now) continue;
      Target t;
      auto company = std::find_if(m_study.companies.begin(), m_study.companies.end(),
                                  [&](const Company& c) { return c.id == inquiry.company_id; });
      t.company = company == m_study.companies.end() ? nullptr : &*company;
      // The parser `sent` registered the reference with; only a reference stored otherwise (by
      // an older version, say) can fail here.
      auto ref = parse_facebook_ref(inquiry.external_ref);
      if (!ref) {
        const auto reason = fmt::format("the registered reference cannot be read: {}", ref.error().message);
        if (state == InquiryState::sent && ledger_ok(m_ledger.mark_attention(inquiry.id, reason, now))) {
          ++m_result.attention;
        } else {
          m_result.errors.push_back(fmt::format("facebook: inquiry {}: {}", inquiry.id, reason));
        }
        continue;
      }
      // A Messenger thread has no comments to read: its answers come by import-messenger.
      if (ref->kind == FacebookObjectKind::messenger_thread) continue;
      t.ref = *ref;
      t.inquiry = std::move(inquiry);
      out.push_back(std::move(t));
    }
  }
  return out;
}

// Every target's page id: the company's cell when numeric, else what a registered post id or
// permalink shows, else the Graph API's answer for the page's name.
void FacebookChannel::resolve_pages(std::vector<Target>& targets, FacebookSource& source) {
  std::map<std::string, std::string> known;  // company id → page id
  for (const auto& t : targets) {
    if (t.company != nullptr && is_graph_number(t.company->facebook)) known[t.company->id] = t.company->facebook;
  }
  for (const auto& t : targets) {
    if (t.company == nullptr || known.contains(t.company->id)) continue;
    if (auto page = page_id_of_post(t.ref)) known[t.company->id] = *page;
    else if (is_graph_number(t.ref.page)) known[t.company->id] = t.ref.page;
  }
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::string>> companies_of_name;
  for (const auto& t : targets) {
    if (t.company == nullptr || known.contains(t.company->id) || t.company->facebook.empty()) continue;
    auto& ids = companies_of_name[t.company->facebook];
    if (ids.empty()) names.push_back(t.company->facebook);
    if (std::find(ids.begin(), ids.end(), t.company->id) == ids.end()) ids.push_back(t.company->id);
  }
  if (!names.empty()) {
    for (const auto& lookup : source.page_ids(names)) {
      if (!lookup.id.empty()) {
        for (const auto& company : companies_of_name[lookup.name]) known[company] = lookup.id;
      }
    }
  }
  for (auto& t : targets) {
    if (t.company != nullptr && known.contains(t.company->id)) t.page_id = known[t.company->id];
    if (auto id = graph_object_id(t.ref, t.page_id)) t.object_id = *id;
  }
}

FacebookRunResult FacebookChannel::run(Instant now) {
  m_result = {};
  auto before = m_ledger.channel_pause(Channel::facebook);
  if (!before) {
    ledger_ok(std::unexpected(before.error()));
    return m_result;
  }
  auto list = targets(now);
  if (list.empty()) {
    m_result.pause = *before;
    return m_result;
  }
  if (*before && (*before)->until && now < *(*before)->until) {
    m_result.pause = *before;
    m_result.waiting = static_cast<int>(list.size());
    m_result.notes.push_back(fmt::format("facebook: paused until {} ({})", format_utc(*(*before)->until),
                                         (*before)->reason));
    return m_result;
  }
  auto source = m_make_source();
  if (!source) {
    m_result.waiting = static_cast<int>(list.size());
    m_result.errors.push_back(fmt::format("facebook: {}", source.error().message));
    m_result.pause = *before;
    return m_result;
  }

  resolve_pages(list, **source);
  std::vector<std::string> objects;
  std::vector<const Target*> readable;
  for (const auto& t : list) {
    if (t.object_id.empty()) {
      m_result.errors.push_back(fmt::format(
          "facebook: inquiry {}: the page {} of {} could not be identified, so its post {} cannot be read; register "
          "the post's id (PAGEID_POSTID) instead",
          t.inquiry.id, t.ref.page, t.inquiry.company_id, t.ref.post_number));
      ++m_result.waiting;
      continue;
    }
    objects.push_back(t.object_id);
    readable.push_back(&t);
  }
  std::vector<ObjectComments> read;
  if (!objects.empty()) read = (*source)->comments_under(objects);
  m_result.requests = (*source)->requests_made();

  std::optional<FacebookError> stop;
  for (std::size_t i = 0; i < read.size(); ++i) {
    const Target& t = *readable[i];
    record(t, read[i], now);
    if (!read[i].error) {
      ++m_result.polled;
      continue;
    }
    const FacebookError& e = *read[i].error;
    if (stops_channel(e.next)) {
      if (!stop) stop = e;
      ++m_result.waiting;
      continue;
    }
    switch (e.next) {
      case FacebookFailure::bad_reference: {
        const auto reason = fmt::format("Facebook object {} cannot be read: {}", t.object_id, e.message);
        if (t.inquiry.state == InquiryState::sent) {
          if (ledger_ok(m_ledger.mark_attention(t.inquiry.id, reason, now))) ++m_result.attention;
        } else {
          m_result.errors.push_back(fmt::format("facebook: inquiry {}: {}", t.inquiry.id, reason));
        }
        break;
      }
      default:
        ++m_result.waiting;
        m_result.errors.push_back(fmt::format("facebook: inquiry {} ({}): {}", t.inquiry.id, t.object_id, e.message));
        break;
    }
  }
  if (stop) {
    handle_stop(*stop, now, *before);
  } else if (*before) {
    if (ledger_ok(m_ledger.set_channel_pause(Channel::facebook, std::nullopt))) {
      m_result.notes.push_back("facebook: the Graph API answers again; polling resumed");
    }
  }
  return m_result;
}

void FacebookChannel::handle_stop(const FacebookError& error, Instant now, const std::optional<ChannelPause>& before) {
  ChannelPause pause;
  pause.since = before ? before->since : now;
  pause.reason = error.message;
  switch (error.next) {
    case FacebookFailure::back_off: {
      // Strikes count rate limits in a row; a pause for another cause starts them afresh.
      pause.strikes = before && before->until ? before->strikes + 1 : 1;
      const double jitter = Random(stable_hash(format_utc(now), pause.strikes)).unit();
      const auto wait = error.wait ? *error.wait
                                   : rate_limit_backoff(m_study.config.facebook.rate_limit_wait, pause.strikes, jitter);
      pause.until = now + wait;
      m_result.notes.push_back(fmt::format("facebook: rate limited; polling resumes at {} ({})",
                                           format_utc(*pause.until), error.message));
      break;
    }
    case FacebookFailure::pause_channel:
      m_result.errors.push_back(fmt::format("facebook: paused: {}", error.message));
      break;
    default:
      // Our own request is wrong: nothing to wait for, but the operator must look.
      m_result.errors.push_back(fmt::format("facebook: {}", error.message));
      return;
  }
  if (ledger_ok(m_ledger.set_channel_pause(Channel::facebook, pause))) m_result.pause = pause;
}

void FacebookChannel::record(const Target& t, const ObjectComments& read, Instant now) {
  std::vector<NewReply> replies;
  Instant last{};
  const std::string source = source_of(t.object_id);
  for (const FacebookComment& c : read.comments) {
    if (!c.id.empty() && c.id == t.object_id) continue;  // the inquiry itself
    NewReply r;
    r.inquiry_id = t.inquiry.id;
    r.channel = Channel::facebook;
    r.source = source;
    r.source_key = key_of(c);
    r.received_at = c.created_time;
    r.match_method = "graph_ref";
    r.from_address = c.from_id ? fmt::format("{} <facebook:{}>", c.from_name, *c.from_id) : std::string();
    r.message_id = c.id;
    r.excerpt = utf8_prefix(c.message, k_excerpt_size);
    r.raw = raw_of(c);
    r.size = c.message.size();
    if (!c.from_id) {
      r.kind = ReplyKind::unclassified;
      r.review = "the Graph API gave no author (an app token): is this the page's answer?";
      r.reasons = "comment under the inquiry without an author";
    } else if (t.page_id.empty()) {
      r.kind = ReplyKind::unclassified;
      r.review = fmt::format("the page's id is unknown: is {} ({}) the page?", c.from_name, *c.from_id);
      r.reasons = "comment under the inquiry; the page could not be identified";
    } else if (*c.from_id == t.page_id) {
      r.kind = ReplyKind::human;
      r.reasons = fmt::format("comment by the page {} under the inquiry", t.page_id);
    } else {
      r.kind = ReplyKind::other;
      r.reasons = fmt::format("comment by someone else than the page ({})", c.from_name);
    }
    r.counts_as_answer = counts_as_answer(r.kind) && r.review.empty();
    last = std::max(last, c.created_time);
    replies.push_back(std::move(r));
  }
  if (replies.empty()) return;
  // The watermark says how far the object has been read (its newest comment); every poll reads
  // the object again from the start (cursors are not kept across runs), and the source keys
  // keep what was stored before from being stored twice.
  const Watermark mark{0, static_cast<std::uint32_t>(std::max<std::int64_t>(0, last.time_since_epoch().count()))};
  auto stored = m_ledger.record_replies(replies, source, mark, m_study.config.answer_window, now);
  if (!stored) {
    ledger_ok(std::unexpected(stored.error()));
    return;
  }
  m_result.fetched += *stored;
}

}  // namespace respbench
