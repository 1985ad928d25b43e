#pragma once
// The SQLite ledger's insides, for its own code and its tests: the schema's migrations and the
// class behind open_sqlite_ledger(). Everything else uses ledger.hpp.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.hpp"
#include "ledger/sqlite_handle.hpp"

namespace respbench::sqlite_ledger {

// Stored as PRAGMA application_id ("RESP" in ASCII): marks an SQLite file as a respbench ledger,
// so that no other application's database is mistaken for one (or migrated into one).
inline constexpr std::int32_t k_application_id = 0x52455350;

// One step of the schema's history. Steps are numbered 1, 2, … without gaps; step N's script
// takes a ledger from schema N-1 to schema N.
struct Migration {
  int version;
  std::string_view purpose;  // "create the ledger", for error messages
  std::string_view sql;
};

// respbench's migrations, oldest first; the last one's version is the newest schema.
std::span<const Migration> migrations();

// Brings `db` up to the newest step of `steps`, each step in its own transaction that also sets
// PRAGMA user_version (and application_id). Returns the version reached. Fails, leaving the
// ledger at the last whole step, when a step fails, when `steps` are not numbered 1, 2, …, or
// when the ledger's schema is newer than the newest step.
Result<int> migrate(sqlite::Database& db, std::span<const Migration> steps);

class SqliteLedger final : public Ledger {
 public:
  SqliteLedger(sqlite::Database db, int schema_version)
      : m_db(std::move(db)), m_schema_version(schema_version) {}

  int schema_version() override { return m_schema_version; }
  Result<int> record_plan(const std::vector<Company>& companies, const std::vector<Probe>& probes,
                          const std::vector<NewInquiry>& inquiries) override;
  Result<std::vector<Company>> companies() override;
  Result<std::vector<InquiryRecord>> inquiries(const InquiryFilter& filter) override;
  Result<std::vector<StateCount>> state_counts() override;

  // `limit` 0 yields nothing (unlike InquiryFilter's): a limit of sends is never "unlimited".
  Result<std::vector<InquiryRecord>> due_inquiries(Channel channel, Instant now,
                                                   std::size_t limit) override;
  // Also fails when `message_id` is empty or in angle brackets (it is stored without them), and
  // when another inquiry has it already.
  Result<void> begin_send(std::int64_t inquiry_id, std::string_view message_id,
                          std::string_view message, Instant now) override;
  Result<void> mark_handover(std::int64_t inquiry_id) override;
  Result<void> mark_sent(std::int64_t inquiry_id, Instant sent_at) override;
  // Also fails after mark_handover(): that message may have been sent (see the definition).
  Result<void> defer_send(std::int64_t inquiry_id, Instant retry_at, std::string_view error,
                          Instant now) override;
  // From planned, sending or sent.
  Result<void> mark_undeliverable(std::int64_t inquiry_id, std::string_view error,
                                  Instant now) override;
  // From sending or sent.
  Result<void> mark_attention(std::int64_t inquiry_id, std::string_view reason,
                              Instant now) override;
  // From sent, answered or unanswered (the copy may be made after the answer came).
  Result<void> mark_copied(std::int64_t inquiry_id) override;
  Result<std::vector<UnfinishedSend>> unfinished_sends() override;
  Result<std::string> last_error(std::int64_t inquiry_id) override;

  Result<std::optional<Watermark>> watermark(std::string_view source) override;
  // Also fails, storing nothing, when a reply's own source is not `source`. An answer also
  // turns an `unanswered` inquiry into `answered` when it arrived within the window (it was
  // fetched late, after close_expired()).
  Result<int> record_replies(const std::vector<NewReply>& replies, std::string_view source,
                             const Watermark& watermark, std::chrono::seconds answer_window,
                             Instant fetched_at) override;
  Result<std::optional<InquiryRecord>> inquiry_by_message_id(std::string_view message_id) override;
  Result<std::int64_t> reply_count(std::optional<std::int64_t> inquiry_id) override;
  Result<int> close_expired(Instant now, std::chrono::seconds answer_window) override;

  Result<std::int64_t> begin_run(Instant now) override;
  Result<void> finish_run(std::int64_t run_id, Instant finished_at,
                          const RunSummary& summary) override;

  // Understanding replies (issue 4) ----------------------------------------------------------
  Result<std::optional<InquiryRecord>> inquiry_by_reply_token(std::string_view token) override;
  Result<std::vector<StoredReply>> replies(const ReplyFilter& filter) override;
  Result<std::int64_t> review_count() override;
  Result<std::vector<OutcomeChange>> assign_reply(std::int64_t reply_id, std::optional<std::int64_t> inquiry_id,
                                                  std::chrono::seconds answer_window, Instant now) override;
  Result<std::vector<OutcomeChange>> classify_reply(std::int64_t reply_id, ReplyKind kind,
                                                    std::chrono::seconds answer_window, Instant now) override;
  Result<ReclassifyReport> apply_verdicts(const std::vector<ReplyVerdict>& verdicts, std::chrono::seconds answer_window,
                                          Instant now, ApplyMode mode) override;
  Result<OutcomeChange> settle_inquiry(std::int64_t inquiry_id, std::chrono::seconds answer_window,
                                       Instant now) override;
  // facebook (issue 5)
  Result<std::optional<ChannelPause>> channel_pause(Channel channel) override;
  Result<void> set_channel_pause(Channel channel, const std::optional<ChannelPause>& pause) override;
  // Assisted channels and manual entry (branch assisted).
  Result<std::optional<InquiryRecord>> inquiry_by_id(std::int64_t inquiry_id) override;
  Result<int> move_due_to_todo(Channel channel, Instant now) override;
  Result<void> register_assisted_send(std::int64_t inquiry_id, std::string_view external_ref, Instant sent_at,
                                      Instant now) override;
  Result<int> record_entered_replies(const std::vector<NewReply>& replies, std::string_view decided_by,
                                     std::chrono::seconds answer_window, Instant now) override;
  // Report
  Result<void> for_each_reply(const std::function<Result<void>(const ReplyRow&)>& visit) override;
  // Analysis (sqlite_ledger_analysis.cpp)
  Result<AnalysisInput> analysis_input(std::size_t max_quoted_replies) override;
  // Report (branch perf)
  Result<void> for_each_inquiry_reference(
      const std::function<Result<void>(std::int64_t id, std::string_view reference)>& visit) override;

  // The connection itself, for tests (PRAGMAs are per connection) and later backends' checks.
  sqlite::Database& database() { return m_db; }

 private:
  Result<void> upsert_companies(const std::vector<Company>& companies);
  Result<void> upsert_probes(const std::vector<Probe>& probes);
  Result<int> insert_inquiries(const std::vector<NewInquiry>& inquiries);
  Result<InquiryRecord> read_inquiry(sqlite::Statement& query);
  Result<std::vector<InquiryRecord>> read_inquiries(sqlite::Statement& query);
  // Why a guarded UPDATE changed nothing: the inquiry is missing, or in another state than
  // `expected` ("planned", "sending or sent"). `action` is "mark inquiry 7 as sent".
  std::unexpected<Error> refused(std::int64_t inquiry_id, std::string_view action,
                                 std::string_view expected);
  Result<bool> store_reply(sqlite::Statement& insert, const NewReply& reply, Instant fetched_at);
  // Whether recomputing an inquiry may close it as unanswered when its window has ended.
  enum class Closing { by_now, leave_open };
  // settle_inquiry() inside the caller's transaction.
  Result<OutcomeChange> recompute(std::int64_t inquiry_id, std::chrono::seconds answer_window, Instant now,
                                  Closing closing);
  // attention → sent: a reply proves that a send left in doubt reached the company.
  Result<void> settle_proven_send(std::int64_t inquiry_id, Instant now);
  Result<StoredReply> stored_reply(std::int64_t reply_id);

  sqlite::Database m_db;
  int m_schema_version;
};

// open_sqlite_ledger() with `steps` in place of migrations(): tests use it to show how a ledger
// is brought to a schema newer than the one it was created with.
Result<std::unique_ptr<SqliteLedger>> open(const std::filesystem::path& path, LedgerOpen mode,
                                           std::span<const Migration> steps);

}  // namespace respbench::sqlite_ledger
