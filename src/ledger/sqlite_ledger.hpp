#pragma once
// The SQLite ledger's insides, for its own code and its tests: the schema's migrations and the
// class behind open_sqlite_ledger(). Everything else uses ledger.hpp.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
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
  Result<std::int64_t> begin_run(Instant now) override;
  Result<void> finish_run(std::int64_t run_id, Instant finished_at,
                          const RunSummary& summary) override;

  // The connection itself, for tests (PRAGMAs are per connection) and later backends' checks.
  sqlite::Database& database() { return m_db; }

 private:
  Result<void> upsert_companies(const std::vector<Company>& companies);
  Result<void> upsert_probes(const std::vector<Probe>& probes);
  Result<int> insert_inquiries(const std::vector<NewInquiry>& inquiries);
  Result<InquiryRecord> read_inquiry(sqlite::Statement& query);

  sqlite::Database m_db;
  int m_schema_version;
};

// open_sqlite_ledger() with `steps` in place of migrations(): tests use it to show how a ledger
// is brought to a schema newer than the one it was created with.
Result<std::unique_ptr<SqliteLedger>> open(const std::filesystem::path& path, LedgerOpen mode,
                                           std::span<const Migration> steps);

}  // namespace respbench::sqlite_ledger
