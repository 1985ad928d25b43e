#pragma once
// The ledger: the one place a study's state lives (DESIGN §6). The domain talks to this
// interface only; SQLite is the embedded backend (sqlite_ledger.hpp), PostgreSQL can become a
// second one. Every method is one transaction: it happens whole or not at all.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "study/model.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench {

struct AnalysisInput;  // analysis/input.hpp (which needs InquiryState from here)

// Where an inquiry stands. planned → sending → sent (email); planned → todo → sent (assisted
// channels); sent → answered | unanswered | undeliverable. `attention` marks an inquiry whose
// fate the tool could not establish by itself (e.g. a send that may or may not have happened).
enum class InquiryState { planned, sending, sent, todo, answered, unanswered, undeliverable, attention };

inline constexpr InquiryState k_all_inquiry_states[] = {
    InquiryState::planned,  InquiryState::sending,    InquiryState::sent,
    InquiryState::todo,     InquiryState::answered,   InquiryState::unanswered,
    InquiryState::undeliverable, InquiryState::attention};

std::string_view to_string(InquiryState s);
std::optional<InquiryState> parse_inquiry_state(std::string_view name);

struct NewInquiry {
  std::string company_id;
  Channel channel = Channel::email;
  std::string probe_id;
  std::string persona;  // "Anna Berger <anna.berger@example.org>"
  Instant planned_at;
};

struct InquiryRecord {
  std::int64_t id = 0;
  std::string company_id;
  Channel channel = Channel::email;
  std::string probe_id;
  std::string persona;
  Instant planned_at;
  InquiryState state = InquiryState::planned;
  std::optional<Instant> sent_at;
  std::string message_id;    // email: our Message-ID, fixed before the SMTP call
  std::string external_ref;  // assisted channels: the post/comment id or permalink
  std::optional<Instant> answered_at;  // the first answer's receipt time
  int attempts = 0;
};

struct InquiryFilter {
  std::optional<InquiryState> state;
  std::optional<Channel> channel;
  std::optional<std::string> company_id;
  std::optional<Instant> planned_before;  // planned_at < this
  std::size_t limit = 0;                  // 0: no limit
};
// Results of inquiries() are ordered by planned_at, then id.

struct StateCount {
  std::string sector;
  Channel channel = Channel::email;
  InquiryState state = InquiryState::planned;
  std::int64_t count = 0;
};

// A send that has not finished: state `sending` (the intent was recorded, then the run ended
// before the outcome was), or `sent` without its copy in the Sent folder yet.
struct UnfinishedSend {
  InquiryRecord inquiry;
  std::string message;  // the exact message, as composed before the send
  bool handover = false;  // the end of the message may have reached the server
  bool copied = false;    // its copy is in the Sent folder
};

// How far a mailbox (or another reply source) has been read.
struct Watermark {
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;
};

// How much of a reply's new text the ledger keeps beside the raw message (review, reports).
inline constexpr std::size_t k_excerpt_size = 2000;

struct NewReply {
  std::optional<std::int64_t> inquiry_id;  // the inquiry it answers; nullopt: not matched (review)
  Channel channel = Channel::email;
  std::string source;      // where it was read, e.g. "imap:INBOX"
  std::string source_key;  // unique within the source, stable across rescans (a content hash)
  Instant received_at;     // the receipt time on our side (IMAP INTERNALDATE)
  ReplyKind kind = ReplyKind::unclassified;
  bool counts_as_answer = false;  // a person's answer (DESIGN §5): sets the inquiry's answer time
  std::string reasons;     // why it was classified and matched so
  std::string match_method;  // how it was matched: "message_id", "plus_token", "bounce", "subject", …
  std::string review;      // why a person should look at it (unmatched, ambiguous, uncertain); "": no need
  std::string from_address;
  std::string subject;
  std::string message_id;
  std::string excerpt;     // the reply's new text (bounded), for review and reports
  // For a bounce: what it says about the failed delivery.
  std::string bounce_status;       // "5.1.1"
  std::string bounce_recipient;
  std::string bounce_original_id;  // the failed message's Message-ID
  bool bounce_hard = false;
  std::string raw;         // the message as fetched (or its header only when too large)
  std::uint64_t size = 0;  // the full size on the server
};

// A reply as stored: what review, assign, classify and reclassify work on.
struct StoredReply {
  std::int64_t id = 0;
  std::optional<std::int64_t> inquiry_id;
  Channel channel = Channel::email;
  std::string source;
  Instant received_at;
  ReplyKind kind = ReplyKind::unclassified;
  std::string kind_decided_by;     // "rules" or "person"
  std::string inquiry_decided_by;  // "rules" or "person"
  bool counts_as_answer = false;
  std::string reasons;
  std::string match_method;
  std::string review;  // why a person should look; "": no need
  std::string from_address;
  std::string subject;
  std::string message_id;
  std::string excerpt;
  std::string bounce_status;
  std::string bounce_recipient;
  std::string bounce_original_id;
  bool bounce_hard = false;
  std::string raw;  // only with ReplyFilter::with_raw
};

struct ReplyFilter {
  bool review_only = false;                // only replies waiting for a person (review set)
  std::optional<std::int64_t> reply_id;
  std::optional<Channel> channel;
  bool with_raw = false;                   // also read the raw message (large)
};
// Results of replies() are ordered by received_at, then id.

// What the current rules say about a stored reply (reclassify). The review text comes in two
// parts, so that the part a person has decided can be dropped.
struct ReplyVerdict {
  std::int64_t reply_id = 0;
  NewReply rules;                     // kind, reasons, inquiry_id, match_method, excerpt, bounce_*
  std::string match_review;           // why the match needs a person ("": it does not)
  std::string classification_review;  // why the kind needs a person ("": it does not)
};

// How an inquiry's outcome changed when it was recomputed from its replies.
struct OutcomeChange {
  std::int64_t inquiry_id = 0;
  InquiryState before = InquiryState::planned;
  InquiryState after = InquiryState::planned;
  std::optional<Instant> answered_before;
  std::optional<Instant> answered_after;
  bool changed() const { return before != after || answered_before != answered_after; }
};

struct ReclassifyReport {
  std::int64_t replies = 0;          // looked at
  std::int64_t replies_changed = 0;  // kind, inquiry or review changed
  std::vector<std::pair<std::pair<ReplyKind, ReplyKind>, std::int64_t>> kinds;  // (old, new) → count, changed ones
  std::int64_t inquiry_moved = 0;    // replies now belonging to another inquiry (or none)
  std::vector<OutcomeChange> outcomes;  // the inquiries whose outcome changed
};

enum class ApplyMode { commit, dry_run };

struct RunSummary {
  std::int64_t sent = 0;
  std::int64_t fetched = 0;
  std::int64_t closed = 0;
  std::vector<std::string> errors;  // already free of secrets
  int exit_code = 0;
};

// A channel that must not be used for a while (facebook: a rate limit, an expired token).
struct ChannelPause {
  std::string reason;            // for the operator; free of secrets
  Instant since;                 // when the pause began (the run's clock)
  std::optional<Instant> until;  // nullopt: until the cause is fixed (a new token, say)
  int strikes = 1;               // pauses in a row, for an exponential back-off
};

// Report: one reply as replies.csv lists it.
struct ReplyRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> inquiry_id;  // nullopt: not matched
  Channel channel = Channel::email;
  std::string source;  // "imap:INBOX"
  Instant received_at;
  ReplyKind kind = ReplyKind::unclassified;
  bool counts_as_answer = false;
  std::string kind_decided_by;     // "rules", "person" or "" (not decided)
  std::string inquiry_decided_by;  // "rules" or "person"
  std::string match_method;
  std::string from_address;
  std::string subject;
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  // The schema version this ledger is at (after migrations).
  virtual int schema_version() = 0;

  // Stores the study's companies and probes (inserted or updated; never deleted, since
  // inquiries refer to them) and inserts the new inquiries, all in one transaction. An inquiry
  // whose (company, channel, probe) exists already is left untouched. Returns how many were
  // inserted; fails (and changes nothing) on any database error.
  virtual Result<int> record_plan(const std::vector<Company>& companies,
                                  const std::vector<Probe>& probes,
                                  const std::vector<NewInquiry>& inquiries) = 0;

  // The companies as last recorded, ordered by id.
  virtual Result<std::vector<Company>> companies() = 0;

  virtual Result<std::vector<InquiryRecord>> inquiries(const InquiryFilter& filter) = 0;

  // Inquiry counts grouped by the company's sector, channel and state (groups with no
  // inquiries are absent), ordered by sector, channel, state (channels and states in the order
  // of their enums, not of their names).
  virtual Result<std::vector<StateCount>> state_counts() = 0;

  // Sending (DESIGN §6: the intent is recorded before the side effect) ----------------------

  // Planned inquiries of `channel` due at `now` (planned_at <= now, and no retry waiting past
  // now), oldest first, at most `limit`.
  virtual Result<std::vector<InquiryRecord>> due_inquiries(Channel channel, Instant now, std::size_t limit) = 0;
  // planned → sending: fixes the Message-ID and keeps the exact message; counts an attempt.
  // Fails, changing nothing, when the inquiry is not planned (anymore).
  virtual Result<void> begin_send(std::int64_t inquiry_id, std::string_view message_id, std::string_view message,
                                  Instant now) = 0;
  // The end of the message is about to reach the server: from now on a crash leaves open
  // whether it was sent. Fails unless the inquiry is `sending`.
  virtual Result<void> mark_handover(std::int64_t inquiry_id) = 0;
  // sending → sent at `sent_at`.
  virtual Result<void> mark_sent(std::int64_t inquiry_id, Instant sent_at) = 0;
  // sending → planned, not to be tried again before `retry_at` (nothing was handed over).
  virtual Result<void> defer_send(std::int64_t inquiry_id, Instant retry_at, std::string_view error,
                                  Instant now) = 0;
  // → undeliverable: refused for good (or too many temporary refusals); `error` says why.
  virtual Result<void> mark_undeliverable(std::int64_t inquiry_id, std::string_view error, Instant now) = 0;
  // → attention: the tool cannot establish the inquiry's fate by itself; `reason` tells the operator.
  virtual Result<void> mark_attention(std::int64_t inquiry_id, std::string_view reason, Instant now) = 0;
  // The sent message's copy is in the Sent folder.
  virtual Result<void> mark_copied(std::int64_t inquiry_id) = 0;
  // Sends left unfinished (see UnfinishedSend), oldest first.
  virtual Result<std::vector<UnfinishedSend>> unfinished_sends() = 0;
  // The last error recorded for an inquiry (a deferral's or attention's reason), "" if none.
  virtual Result<std::string> last_error(std::int64_t inquiry_id) = 0;

  // Replies ------------------------------------------------------------------------------

  // How far `source` has been read; nullopt before its first poll.
  virtual Result<std::optional<Watermark>> watermark(std::string_view source) = 0;
  // Stores the replies — skipping any whose (source, source_key) is stored already — and moves
  // `source`'s watermark, in one transaction: nothing fetched is lost, nothing counted twice.
  // A reply that counts as an answer and arrived within `answer_window` of its inquiry's send
  // answers it (sent → answered) unless an earlier answer did. Returns how many were new.
  virtual Result<int> record_replies(const std::vector<NewReply>& replies, std::string_view source,
                                     const Watermark& watermark, std::chrono::seconds answer_window,
                                     Instant fetched_at) = 0;
  // The inquiry we sent with this Message-ID (without angle brackets), if any.
  virtual Result<std::optional<InquiryRecord>> inquiry_by_message_id(std::string_view message_id) = 0;
  // The number of replies stored for an inquiry (matched ones), and in all.
  virtual Result<std::int64_t> reply_count(std::optional<std::int64_t> inquiry_id) = 0;

  // sent inquiries whose answer window has ended by `now` → unanswered. Returns how many.
  virtual Result<int> close_expired(Instant now, std::chrono::seconds answer_window) = 0;

  // Records the start of a `run` (its clock time `now`) and returns its id.
  virtual Result<std::int64_t> begin_run(Instant now) = 0;
  // Records how a run ended.
  virtual Result<void> finish_run(std::int64_t run_id, Instant finished_at,
                                  const RunSummary& summary) = 0;

  // Understanding replies (issue 4: review, assign, classify, reclassify) --------------------

  // The inquiry whose reply token (mail/match.hpp: the first 10 characters of its Message-ID)
  // is `token`; nullopt when none or several have it.
  virtual Result<std::optional<InquiryRecord>> inquiry_by_reply_token(std::string_view token) = 0;
  // The stored replies that pass `filter`.
  virtual Result<std::vector<StoredReply>> replies(const ReplyFilter& filter) = 0;
  // The number of replies waiting for a person (review set), of every channel.
  virtual Result<std::int64_t> review_count() = 0;
  // A person's decision: reply `reply_id` belongs to `inquiry_id` (nullopt: to no inquiry). Its
  // review is cleared, and the inquiries it left and joined are recomputed (settle_inquiry's
  // rules) at `now`. Fails when the reply or inquiry does not exist or their channels differ.
  virtual Result<std::vector<OutcomeChange>> assign_reply(std::int64_t reply_id, std::optional<std::int64_t> inquiry_id,
                                                          std::chrono::seconds answer_window, Instant now) = 0;
  // A person's decision: reply `reply_id` is of `kind`. Its review is cleared when it belongs to
  // an inquiry (or a person decided it belongs to none); its inquiry is recomputed at `now`.
  virtual Result<std::vector<OutcomeChange>> classify_reply(std::int64_t reply_id, ReplyKind kind,
                                                            std::chrono::seconds answer_window, Instant now) = 0;
  // The current rules' verdicts on stored replies, in one transaction: every person's decision
  // (kind, inquiry) is kept; then every inquiry a reply belonged to before or after is
  // recomputed at `now`. With ApplyMode::dry_run nothing is kept, and the report says what
  // would change.
  virtual Result<ReclassifyReport> apply_verdicts(const std::vector<ReplyVerdict>& verdicts,
                                                  std::chrono::seconds answer_window, Instant now, ApplyMode mode) = 0;
  // Recomputes an inquiry's outcome from its replies (the one rule every path uses): a sent
  // inquiry's answer time is the earliest reply that counts as an answer, was received within
  // the window and needs no review; without one, a hard bounce makes it undeliverable; without
  // either it is unanswered when its window has ended by `now`, else sent. A bounce after an
  // answer leaves it answered (noted as its last error). Inquiries not sent, in doubt
  // (attention), or refused by the server (undeliverable without a bounce) stay as they are.
  virtual Result<OutcomeChange> settle_inquiry(std::int64_t inquiry_id, std::chrono::seconds answer_window,
                                               Instant now) = 0;
  // facebook (issue 5): a channel's pause, kept across runs -----------------------------------

  // Why `channel` is paused and until when; nullopt when it is not.
  virtual Result<std::optional<ChannelPause>> channel_pause(Channel channel) = 0;
  // Pauses `channel`, or lifts its pause (nullopt).
  virtual Result<void> set_channel_pause(Channel channel, const std::optional<ChannelPause>& pause) = 0;
  // Assisted channels and manual entry (branch assisted) ------------------------------------

  // The inquiry with this id; nullopt when there is none.
  virtual Result<std::optional<InquiryRecord>> inquiry_by_id(std::int64_t inquiry_id) = 0;
  // planned → todo for the inquiries of `channel` due at `now` (planned_at <= now), all in one
  // transaction. planned_at stays: it is the time since when the to-do is due. Returns how many.
  virtual Result<int> move_due_to_todo(Channel channel, Instant now) = 0;
  // todo (or planned and due at `now`) → sent at `sent_at` with `external_ref`, the post,
  // comment or thread that was posted. Fails, changing nothing, in any other state — so a send
  // is never registered twice.
  virtual Result<void> register_assisted_send(std::int64_t inquiry_id, std::string_view external_ref,
                                              Instant sent_at, Instant now) = 0;
  // Stores replies that were not polled — entered by a person (`decided_by` "person") or
  // imported from an export ("rules") — skipping any whose (source, source_key) is stored
  // already, in one transaction, and applies the outcome rules: an answer within
  // `answer_window` answers the inquiry (the earliest wins, as in record_replies), a bounce
  // makes a sent or unanswered inquiry undeliverable, other kinds are kept. Moves no watermark.
  // Returns how many were new.
  virtual Result<int> record_entered_replies(const std::vector<NewReply>& replies, std::string_view decided_by,
                                             std::chrono::seconds answer_window, Instant now) = 0;
  // Report
  // Calls `visit` with every reply in id order, one row at a time (a million replies are never
  // held at once), from one consistent reading of the ledger. The inquiry's company is the
  // caller's to look up: joining it here took more than half of the time. Stops at the first failure of
  // `visit` and returns it; fails on a database error.
  virtual Result<void> for_each_reply(const std::function<Result<void>(const ReplyRow&)>& visit) = 0;
  // Analysis ---------------------------------------------------------------------------------

  // What analyze_study() reads (analysis/input.hpp), all in one read transaction, so that the
  // figures describe one moment while `run` may be writing: the companies, probe ids, personas,
  // every inquiry with its first acknowledgement (the earliest auto_ack or ticket_ack reply
  // matched to it, aggregated in SQL), and the first person's answer of each company and
  // channel, at most `max_quoted_replies` of them. Fails on a database error or a damaged row.
  virtual Result<AnalysisInput> analysis_input(std::size_t max_quoted_replies) = 0;
  // Report (branch perf) ---------------------------------------------------------------------

  // Calls `visit(id, reference)` for every inquiry that has a reference, in id order: what the
  // company's side knows it by — an email's Message-ID (without <>), or the reference registered
  // for an assisted channel's send (`respbench sent --ref`). An inquiry whose send began but
  // never finished has its Message-ID already: the caller decides by the send time whether it
  // went out. Stops at the first failure of `visit` and returns it; fails on a database error.
  virtual Result<void> for_each_inquiry_reference(
      const std::function<Result<void>(std::int64_t id, std::string_view reference)>& visit) = 0;
};

enum class LedgerOpen {
  create_if_missing,  // plan, run: create the file and the schema when absent
  existing,           // status, report: fail when there is no ledger yet
};

// Opens (and migrates) the SQLite ledger at `path`. Fails when the file is missing (with
// LedgerOpen::existing), unreadable, not a respbench ledger, or from a newer respbench.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::filesystem::path& path, LedgerOpen mode);

}  // namespace respbench
