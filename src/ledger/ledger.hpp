#pragma once
// The ledger: the one place a study's state lives (DESIGN §6). The domain talks to this
// interface only; SQLite is the embedded backend (sqlite_ledger.hpp), PostgreSQL can become a
// second one. Every method is one transaction: it happens whole or not at all.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "study/model.hpp"
#include "util/result.hpp"
#include "util/time.hpp"

namespace respbench {

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

struct RunSummary {
  std::int64_t sent = 0;
  std::int64_t fetched = 0;
  std::int64_t closed = 0;
  std::vector<std::string> errors;  // already free of secrets
  int exit_code = 0;
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

  // Records the start of a `run` (its clock time `now`) and returns its id.
  virtual Result<std::int64_t> begin_run(Instant now) = 0;
  // Records how a run ended.
  virtual Result<void> finish_run(std::int64_t run_id, Instant finished_at,
                                  const RunSummary& summary) = 0;
};

enum class LedgerOpen {
  create_if_missing,  // plan, run: create the file and the schema when absent
  existing,           // status, report: fail when there is no ledger yet
};

// Opens (and migrates) the SQLite ledger at `path`. Fails when the file is missing (with
// LedgerOpen::existing), unreadable, not a respbench ledger, or from a newer respbench.
Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::filesystem::path& path, LedgerOpen mode);

}  // namespace respbench
