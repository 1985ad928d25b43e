#include "ledger/sqlite_ledger.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <system_error>
#include <tuple>

#include <fmt/format.h>

namespace respbench {
namespace sqlite_ledger {

namespace {

// Long enough for another respbench (a `report` while `run` commits) to finish its transaction;
// short enough that cron does not pile up waiting runs.
constexpr std::chrono::seconds k_busy_timeout{5};

// Schema 1. Times are unix seconds, UTC (DESIGN §6). Channel and state names are checked by
// the code that reads them, not by CHECK constraints, so that a new channel or state needs no
// table rebuild. The column types also suit PostgreSQL (DESIGN §10), except that there the
// times want BIGINT, INTEGER PRIMARY KEY wants an identity column and BLOB wants BYTEA.
constexpr std::string_view k_schema_1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES
  ('application', 'respbench'),
  ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- As last recorded by `plan`; an empty channel cell means the company does not offer it.
CREATE TABLE companies (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  sector        TEXT NOT NULL,
  email         TEXT NOT NULL DEFAULT '',
  facebook      TEXT NOT NULL DEFAULT '',
  reply_domains TEXT NOT NULL DEFAULT '',  -- space-separated
  website       TEXT NOT NULL DEFAULT '',
  country       TEXT NOT NULL DEFAULT '',
  notes         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE probes (
  id       TEXT PRIMARY KEY,
  subject  TEXT NOT NULL,
  channels TEXT NOT NULL,               -- comma-separated channel names
  sectors  TEXT NOT NULL DEFAULT '',    -- comma-separated; empty: every sector
  language TEXT NOT NULL DEFAULT '',
  body     TEXT NOT NULL
);

CREATE TABLE inquiries (
  id              INTEGER PRIMARY KEY,
  company_id      TEXT NOT NULL REFERENCES companies (id),
  channel         TEXT NOT NULL,
  probe_id        TEXT NOT NULL REFERENCES probes (id),
  persona         TEXT NOT NULL,
  planned_at      INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'planned',
  sent_at         INTEGER,
  message_id      TEXT UNIQUE,          -- fixed before the SMTP call, so NULL until then
  external_ref    TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  updated_at      INTEGER,
  UNIQUE (company_id, channel, probe_id)  -- at most one send each (DESIGN §6)
);
CREATE INDEX inquiries_by_state ON inquiries (state, planned_at);

CREATE TABLE replies (
  id              INTEGER PRIMARY KEY,
  inquiry_id      INTEGER REFERENCES inquiries (id),  -- NULL: not matched (review queue)
  channel         TEXT NOT NULL,
  source          TEXT NOT NULL,
  source_key      TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  kind            TEXT,
  kind_decided_by TEXT,
  reasons         TEXT,
  from_address    TEXT,
  subject         TEXT,
  message_id      TEXT,
  raw             BLOB,
  size            INTEGER,
  fetched_at      INTEGER NOT NULL,
  UNIQUE (source, source_key)           -- nothing fetched is counted twice
);
CREATE INDEX replies_by_inquiry ON replies (inquiry_id);

CREATE TABLE poll_watermarks (
  channel     TEXT,
  mailbox     TEXT,
  uidvalidity INTEGER,
  last_uid    INTEGER,
  updated_at  INTEGER,
  PRIMARY KEY (channel, mailbox)
);

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  now_at      INTEGER NOT NULL,         -- the run's clock (--now or the system's)
  started_at  INTEGER NOT NULL,         -- the real wall clock
  finished_at INTEGER,
  sent        INTEGER,
  fetched     INTEGER,
  closed      INTEGER,
  errors      TEXT,                     -- one error per line
  exit_code   INTEGER
);
)sql";

// Schema 2: what sending and polling need to keep their promises (DESIGN §6). ADD COLUMN only,
// so that no table is rebuilt and schema 1's rows stay as they are.
//
// A reply source's watermark is the poll_watermarks row (channel '', mailbox = the source):
// the source's name ("imap:INBOX") says both where and how it is read, and the key of schema 1
// stays as it was. No respbench wrote a watermark at schema 1, and a row with a channel would
// be left alone, not guessed into a source name. '' and not NULL: SQLite lets NULL into a
// PRIMARY KEY of this kind, and NULLs never conflict, so an upsert would insert a second row.
constexpr std::string_view k_schema_2 = R"sql(
-- The exact message of the attempt under way or done, for finding it in the Sent folder after
-- a crash and for appending it there; NULL before the first attempt (and for schema 1's sends).
ALTER TABLE inquiries ADD COLUMN outgoing BLOB;
-- 1 once the end of the message may have reached the server: from then on it must never be
-- sent again blindly (DESIGN §6).
ALTER TABLE inquiries ADD COLUMN handover INTEGER NOT NULL DEFAULT 0;
-- 1 once the copy is in the Sent folder.
ALTER TABLE inquiries ADD COLUMN copied INTEGER NOT NULL DEFAULT 0;
-- The receipt time of the earliest reply that counts as an answer (within the window).
ALTER TABLE inquiries ADD COLUMN answered_at INTEGER;
-- The run's clock when the current attempt began: the send time of a message whose handover
-- was cut short, should a reply later prove that it arrived.
ALTER TABLE inquiries ADD COLUMN send_started_at INTEGER;

-- Kept with each reply so that an inquiry's answer time can be checked and recomputed (after a
-- person reclassifies a reply, say) from the replies alone.
ALTER TABLE replies ADD COLUMN counts_as_answer INTEGER NOT NULL DEFAULT 0;
-- Replies by source need no index of their own: UNIQUE (source, source_key) has one that
-- starts with source.
)sql";

// Schema 3: what understanding replies needs (DESIGN §5): how a reply was matched, whether a
// person should look at it (the review queue) and who decided its kind and inquiry, what a
// bounce says, and the reply's text for review and reports. ADD COLUMN only, as in schema 2.
constexpr std::string_view k_schema_3 = R"sql(
ALTER TABLE replies ADD COLUMN match_method TEXT NOT NULL DEFAULT '';
-- 'rules' or 'person': a person's assignment wins over the matcher and is kept by reclassify.
ALTER TABLE replies ADD COLUMN inquiry_decided_by TEXT NOT NULL DEFAULT 'rules';
-- Why a person should look at it; NULL: no need (or a person has decided).
ALTER TABLE replies ADD COLUMN review TEXT;
ALTER TABLE replies ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN bounce_status TEXT;
ALTER TABLE replies ADD COLUMN bounce_recipient TEXT;
ALTER TABLE replies ADD COLUMN bounce_original_id TEXT;
ALTER TABLE replies ADD COLUMN bounce_hard INTEGER;
CREATE INDEX replies_for_review ON replies (review) WHERE review IS NOT NULL;
)sql";

// Schema 4 (branch analysis): what a report reads, without wading through the rest. An email
// inquiry's row keeps its whole outgoing message, and answered_at lies behind it, so scanning
// the table reads a page or more per inquiry (1.5 GB for a million); this covering index holds
// just the columns analysis_input() reads, in id order (about 130 bytes an inquiry). Likewise
// the first acknowledgement of each inquiry is an index-only aggregate instead of a visit to
// every reply with its raw message. A million inquiries: 10 s → 0.3 s.
constexpr std::string_view k_schema_4_analysis = R"sql(
CREATE INDEX inquiries_for_analysis
  ON inquiries (id, company_id, channel, probe_id, persona, planned_at, state, sent_at, answered_at);
CREATE INDEX replies_first_ack ON replies (inquiry_id, received_at)
  WHERE kind IN ('auto_ack', 'ticket_ack');
)sql";

// Schema 5 (branch perf): what the report's row files read, index-only as in schema 4. A reply's
// row keeps its raw message, and the columns of schemas 2 and 3 (counts_as_answer,
// match_method, …) lie behind it, so every replies.csv row read the whole message from its
// overflow pages: 2.7 GB for 900 000 replies, 3 s in sqlite3 alone. This covering index holds
// the columns for_each_reply() reads (about 150 bytes a reply). inquiries.csv's `reference`
// (the Message-ID, or an assisted channel's registered reference) would likewise wade through
// each email's outgoing message; inquiries_reference holds just those two.
constexpr std::string_view k_schema_5_report_files = R"sql(
CREATE INDEX replies_for_report
  ON replies (id, inquiry_id, channel, source, received_at, kind, counts_as_answer, kind_decided_by,
              inquiry_decided_by, match_method, from_address, subject);
CREATE INDEX inquiries_reference ON inquiries (id, message_id, external_ref);
)sql";

// The schema's history. A new schema version is one more line here (and its script above);
// never edit a step that has shipped: ledgers out there are already past it.
constexpr Migration k_migrations[] = {
    {1, "create the ledger", k_schema_1},
    {2, "record sends and replies", k_schema_2},
    {3, "classify, match and review replies", k_schema_3},
    {4, "index the ledger for reports", k_schema_4_analysis},
    {5, "index the ledger for the report's files", k_schema_5_report_files},
};

// The columns read_inquiry() reads, in its order.
constexpr std::string_view k_inquiry_columns =
    "id, company_id, channel, probe_id, persona, planned_at, state, sent_at, message_id, "
    "external_ref, answered_at, attempts";
constexpr int k_inquiry_column_count = 12;
static_assert(std::ranges::count(k_inquiry_columns, ',') + 1 == k_inquiry_column_count);

// "SELECT <the inquiry columns> FROM inquiries <rest>".
std::string select_inquiries(std::string_view rest) {
  return fmt::format("SELECT {} FROM inquiries {}", k_inquiry_columns, rest);
}

std::int64_t unix_seconds(Instant t) { return t.time_since_epoch().count(); }

Instant instant_from_unix(std::int64_t seconds) { return Instant(std::chrono::seconds(seconds)); }

template <class Strings>
std::string join(const Strings& parts, char separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto end = std::min(text.find(separator), text.size());
    if (end > 0) parts.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return parts;
}

std::string channel_list(const std::vector<Channel>& channels) {
  std::vector<std::string_view> names;
  for (Channel c : channels) names.push_back(to_string(c));
  return join(names, ',');
}

// Location ------------------------------------------------------------------------------------

Result<void> no_ledger_yet(const std::filesystem::path& path) {
  return fail(fmt::format("no ledger at {} yet; run `respbench plan` first", path.string()));
}

// Refuses what SQLite would get wrong or unhelpfully: creating a file in `existing` mode, and
// "unable to open database file" for a missing folder.
Result<void> check_location(const std::filesystem::path& path, LedgerOpen mode) {
  // SQLite would open a private temporary database for an empty name.
  if (path.empty()) return fail("no ledger path given");
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) {
    return fail(fmt::format("{} is a folder, not a ledger", path.string()));
  }
  if (status.type() != std::filesystem::file_type::not_found) return {};  // SQLite says more
  if (mode == LedgerOpen::existing) return no_ledger_yet(path);
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(folder, ec)) {
    return fail(fmt::format("cannot create the ledger {}: folder {} does not exist", path.string(),
                            folder.string()));
  }
  return {};
}

// Reads the file's first bytes: SQLite would only say "file is not a database", and only at the
// first query.
bool looks_like_sqlite(const std::filesystem::path& path) {
  static constexpr char k_magic[] = "SQLite format 3";  // 16 bytes with its terminating NUL
  std::ifstream in(path, std::ios::binary);
  if (!in) return true;  // unreadable: let SQLite report why
  std::array<char, sizeof k_magic> header{};
  in.read(header.data(), header.size());
  const auto got = in.gcount();
  // SQLite treats an empty file as an empty database.
  return got == 0
         || (static_cast<std::size_t>(got) == header.size()
             && std::memcmp(header.data(), k_magic, header.size()) == 0);
}

// Opening -------------------------------------------------------------------------------------

// Reads the identity without writing anything: a foreign database must stay as it was.
Result<void> check_identity(sqlite::Database& db, const std::filesystem::path& path,
                            LedgerOpen mode) {
  auto application_id =
      sqlite::query_int64(db, "PRAGMA application_id", "recognise it as a respbench ledger");
  if (!application_id) return std::unexpected(application_id.error());
  if (*application_id == k_application_id) return {};
  if (*application_id != 0) {
    return fail(fmt::format(
        "{} is not a respbench ledger (an SQLite database with application id {:#010x})",
        path.string(), static_cast<std::uint32_t>(*application_id)));
  }
  auto version = sqlite::query_int64(db, "PRAGMA user_version", "read the schema version");
  if (!version) return std::unexpected(version.error());
  auto objects = sqlite::query_int64(db, "SELECT count(*) FROM sqlite_schema", "list the tables");
  if (!objects) return std::unexpected(objects.error());
  if (*version != 0 || *objects != 0) {
    return fail(fmt::format("{} is not a respbench ledger (an SQLite database of something else)",
                            path.string()));
  }
  // An empty database: a new ledger in the making, or an empty file nobody filled.
  if (mode == LedgerOpen::existing) return no_ledger_yet(path);
  return {};
}

Result<void> configure(sqlite::Database& db) {
  // Readers (`status`, `report`) never block `run`'s writes and vice versa.
  auto journal =
      sqlite::query_text(db, "PRAGMA journal_mode = WAL", "switch to write-ahead logging");
  if (!journal) return std::unexpected(journal.error());
  if (*journal != "wal") {
    return fail(fmt::format("{}: cannot switch to write-ahead logging (journal mode stays {})",
                            db.filename(), *journal));
  }
  // FULL, not the NORMAL that WAL would allow: with NORMAL a power cut may undo the last commits
  // (the file stays consistent, but they are gone). If the lost commit is the one that marked an
  // inquiry `sending` or `sent` after the mail went out, the next run sends it again, and "at
  // most one send" (DESIGN §6) is broken. An fsync per commit costs nothing next to a send.
  if (auto r = db.exec("PRAGMA synchronous = FULL", "make commits durable"); !r) return r;
  // Per connection, and off by default; a no-op inside a transaction, so it comes first.
  if (auto r = db.exec("PRAGMA foreign_keys = ON", "enforce foreign keys"); !r) return r;
  auto enforced = sqlite::query_int64(db, "PRAGMA foreign_keys", "check foreign keys");
  if (!enforced) return std::unexpected(enforced.error());
  if (*enforced != 1) {
    return fail(fmt::format("{}: this SQLite cannot enforce foreign keys", db.filename()));
  }
  return {};
}

// Migrating -----------------------------------------------------------------------------------

Result<int> read_version(sqlite::Database& db) {
  auto version = sqlite::query_int64(db, "PRAGMA user_version", "read the schema version");
  if (!version) return std::unexpected(version.error());
  return static_cast<int>(*version);
}

Result<void> newer_schema(const sqlite::Database& db, int version, int newest) {
  return fail(
      fmt::format("{}: ledger schema {} is newer than this respbench understands ({}); "
                  "update respbench",
                  db.filename(), version, newest));
}

Result<void> check_numbering(std::span<const Migration> steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version != static_cast<int>(i) + 1) {
      return fail(fmt::format("ledger migration {} ('{}') is numbered {}; expected {}", i + 1,
                              steps[i].purpose, steps[i].version, i + 1));
    }
  }
  return {};
}

Result<void> apply(sqlite::Database& db, const Migration& step, int newest) {
  auto transaction =
      sqlite::Transaction::begin(db, fmt::format("migrate to schema {}", step.version));
  if (!transaction) return std::unexpected(transaction.error());
  // Another respbench may have migrated while this one waited for the write lock.
  auto current = read_version(db);
  if (!current) return std::unexpected(current.error());
  if (*current > newest) return newer_schema(db, *current, newest);
  if (*current >= step.version) return {};

  const std::string purpose = fmt::format("{} (schema {})", step.purpose, step.version);
  if (auto r = db.exec(step.sql, purpose); !r) return r;
  // PRAGMAs take no bound parameters; both numbers are ints of our own, so formatting them into
  // the SQL is safe. Both live in the file header and are written in this same transaction.
  if (auto r = db.exec(fmt::format("PRAGMA user_version = {}", step.version), purpose); !r) {
    return r;
  }
  if (auto r = db.exec(fmt::format("PRAGMA application_id = {}", k_application_id), purpose); !r) {
    return r;
  }
  return transaction->commit();
}

}  // namespace

std::span<const Migration> migrations() { return k_migrations; }

Result<int> migrate(sqlite::Database& db, std::span<const Migration> steps) {
  if (auto r = check_numbering(steps); !r) return std::unexpected(r.error());
  const int newest = steps.empty() ? 0 : steps.back().version;
  auto current = read_version(db);
  if (!current) return current;
  if (*current > newest) return std::unexpected(newer_schema(db, *current, newest).error());
  for (const Migration& step : steps) {
    if (step.version <= *current) continue;
    if (auto r = apply(db, step, newest); !r) return std::unexpected(r.error());
  }
  return newest;
}

Result<std::unique_ptr<SqliteLedger>> open(const std::filesystem::path& path, LedgerOpen mode,
                                           std::span<const Migration> steps) {
  if (auto r = check_location(path, mode); !r) return std::unexpected(r.error());
  if (!looks_like_sqlite(path)) {
    return fail(
        fmt::format("{} is not a respbench ledger (not an SQLite database)", path.string()));
  }
  auto db = sqlite::Database::open(path, mode == LedgerOpen::existing
                                             ? sqlite::OpenMode::existing
                                             : sqlite::OpenMode::create_if_missing);
  if (!db) return std::unexpected(db.error());
  if (auto r = db->set_busy_timeout(k_busy_timeout); !r) return std::unexpected(r.error());
  if (auto r = check_identity(*db, path, mode); !r) return std::unexpected(r.error());
  if (auto r = configure(*db); !r) return std::unexpected(r.error());
  auto version = migrate(*db, steps);
  if (!version) return std::unexpected(version.error());
  return std::make_unique<SqliteLedger>(std::move(*db), *version);
}

// SqliteLedger --------------------------------------------------------------------------------

Result<int> SqliteLedger::record_plan(const std::vector<Company>& companies,
                                      const std::vector<Probe>& probes,
                                      const std::vector<NewInquiry>& inquiries) {
  auto transaction = sqlite::Transaction::begin(m_db, "record the plan");
  if (!transaction) return std::unexpected(transaction.error());
  if (auto r = upsert_companies(companies); !r) return std::unexpected(r.error());
  if (auto r = upsert_probes(probes); !r) return std::unexpected(r.error());
  auto inserted = insert_inquiries(inquiries);
  if (!inserted) return inserted;
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return inserted;
}

Result<void> SqliteLedger::upsert_companies(const std::vector<Company>& companies) {
  auto upsert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO companies (id, name, sector, email, facebook, reply_domains, website, country,
                             notes)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, sector = excluded.sector, email = excluded.email,
        facebook = excluded.facebook, reply_domains = excluded.reply_domains,
        website = excluded.website, country = excluded.country, notes = excluded.notes)sql",
                                           "record a company");
  if (!upsert) return std::unexpected(upsert.error());
  for (const Company& c : companies) {
    auto r = upsert->execute(c.id, c.name, c.sector, c.email, c.facebook,
                             join(c.reply_domains, ' '), c.website, c.country, c.notes);
    if (!r) return fail(fmt::format("{} (company {})", r.error().message, c.id));
  }
  return {};
}

Result<void> SqliteLedger::upsert_probes(const std::vector<Probe>& probes) {
  auto upsert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO probes (id, subject, channels, sectors, language, body)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6)
      ON CONFLICT (id) DO UPDATE SET
        subject = excluded.subject, channels = excluded.channels, sectors = excluded.sectors,
        language = excluded.language, body = excluded.body)sql",
                                           "record a probe");
  if (!upsert) return std::unexpected(upsert.error());
  for (const Probe& p : probes) {
    auto r = upsert->execute(p.id, p.subject, channel_list(p.channels), join(p.sectors, ','),
                             p.language, p.body);
    if (!r) return fail(fmt::format("{} (probe {})", r.error().message, p.id));
  }
  return {};
}

Result<int> SqliteLedger::insert_inquiries(const std::vector<NewInquiry>& inquiries) {
  // DO NOTHING on the one conflict that means "planned before": re-running `plan` must leave
  // inquiries that are under way (or done) exactly as they are.
  auto insert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO inquiries (company_id, channel, probe_id, persona, planned_at)
      VALUES (?1, ?2, ?3, ?4, ?5)
      ON CONFLICT (company_id, channel, probe_id) DO NOTHING)sql",
                                           "record an inquiry");
  if (!insert) return std::unexpected(insert.error());
  int inserted = 0;
  for (const NewInquiry& i : inquiries) {
    auto r = insert->execute(i.company_id, to_string(i.channel), i.probe_id, i.persona,
                             unix_seconds(i.planned_at));
    if (!r) {
      return fail(fmt::format("{} (inquiry {} {} {})", r.error().message, i.company_id,
                              to_string(i.channel), i.probe_id));
    }
    inserted += static_cast<int>(m_db.changes());
  }
  return inserted;
}

Result<std::vector<Company>> SqliteLedger::companies() {
  auto query = sqlite::Statement::prepare(m_db, R"sql(
      SELECT id, name, sector, email, facebook, reply_domains, website, country, notes
      FROM companies ORDER BY id)sql",
                                          "read the companies");
  if (!query) return std::unexpected(query.error());
  std::vector<Company> out;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    Company& c = out.emplace_back();
    c.id = query->column_text(0);
    c.name = query->column_text(1);
    c.sector = query->column_text(2);
    c.email = query->column_text(3);
    c.facebook = query->column_text(4);
    c.reply_domains = split(query->column_text(5), ' ');
    c.website = query->column_text(6);
    c.country = query->column_text(7);
    c.notes = query->column_text(8);
    if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  }
  return out;
}

Result<std::vector<InquiryRecord>> SqliteLedger::inquiries(const InquiryFilter& filter) {
  // One fixed statement: an absent filter binds NULL and drops its condition. A study has a few
  // thousand inquiries at most, so the scan this may cost is cheaper than composing SQL.
  // LIMIT -1 means no limit in SQLite.
  auto query = sqlite::Statement::prepare(m_db, select_inquiries(R"sql(
      WHERE (?1 IS NULL OR state = ?1)
        AND (?2 IS NULL OR channel = ?2)
        AND (?3 IS NULL OR company_id = ?3)
        AND (?4 IS NULL OR planned_at < ?4)
      ORDER BY planned_at, id
      LIMIT ?5)sql"),
                                          "read the inquiries");
  if (!query) return std::unexpected(query.error());
  std::optional<std::string_view> state;
  if (filter.state) state = to_string(*filter.state);
  std::optional<std::string_view> channel;
  if (filter.channel) channel = to_string(*filter.channel);
  std::optional<std::int64_t> planned_before;
  if (filter.planned_before) planned_before = unix_seconds(*filter.planned_before);
  const std::int64_t limit = filter.limit == 0 ? -1 : static_cast<std::int64_t>(filter.limit);
  if (auto r = query->bind_all(state, channel, filter.company_id, planned_before, limit); !r) {
    return std::unexpected(r.error());
  }

  return read_inquiries(*query);
}

Result<std::vector<InquiryRecord>> SqliteLedger::read_inquiries(sqlite::Statement& query) {
  std::vector<InquiryRecord> out;
  for (;;) {
    auto row = query.step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto record = read_inquiry(query);
    if (!record) return std::unexpected(record.error());
    out.push_back(std::move(*record));
  }
  return out;
}

Result<InquiryRecord> SqliteLedger::read_inquiry(sqlite::Statement& query) {
  InquiryRecord r;
  r.id = query.column_int64(0);
  r.company_id = query.column_text(1);
  const std::string channel = query.column_text(2);
  r.probe_id = query.column_text(3);
  r.persona = query.column_text(4);
  r.planned_at = instant_from_unix(query.column_int64(5));
  const std::string state = query.column_text(6);
  if (auto sent_at = query.column_optional_int64(7)) r.sent_at = instant_from_unix(*sent_at);
  r.message_id = query.column_text(8);
  r.external_ref = query.column_text(9);
  if (auto answered_at = query.column_optional_int64(10)) {
    r.answered_at = instant_from_unix(*answered_at);
  }
  r.attempts = static_cast<int>(query.column_int64(11));
  if (auto ok = query.check_columns(); !ok) return std::unexpected(ok.error());

  // The schema leaves these names unchecked (see k_schema_1), so they are checked here.
  const auto parsed_channel = parse_channel(channel);
  if (!parsed_channel) {
    return fail(
        fmt::format("{}: inquiry {} has an unknown channel '{}'", m_db.filename(), r.id, channel));
  }
  const auto parsed_state = parse_inquiry_state(state);
  if (!parsed_state) {
    return fail(
        fmt::format("{}: inquiry {} has an unknown state '{}'", m_db.filename(), r.id, state));
  }
  r.channel = *parsed_channel;
  r.state = *parsed_state;
  return r;
}

Result<std::vector<StateCount>> SqliteLedger::state_counts() {
  auto query = sqlite::Statement::prepare(m_db, R"sql(
      SELECT c.sector, i.channel, i.state, count(*)
      FROM inquiries AS i JOIN companies AS c ON c.id = i.company_id
      GROUP BY c.sector, i.channel, i.state)sql",
                                          "count the inquiries");
  if (!query) return std::unexpected(query.error());
  std::vector<StateCount> out;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    StateCount& count = out.emplace_back();
    count.sector = query->column_text(0);
    const std::string channel = query->column_text(1);
    const std::string state = query->column_text(2);
    count.count = query->column_int64(3);
    if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
    const auto parsed_channel = parse_channel(channel);
    const auto parsed_state = parse_inquiry_state(state);
    if (!parsed_channel || !parsed_state) {
      return fail(fmt::format("{}: inquiries with an unknown channel '{}' or state '{}'",
                              m_db.filename(), channel, state));
    }
    count.channel = *parsed_channel;
    count.state = *parsed_state;
  }
  // SQL would sort the names alphabetically; readers expect the enums' order (email before
  // facebook, planned before sent before answered).
  std::sort(out.begin(), out.end(), [](const StateCount& a, const StateCount& b) {
    return std::tie(a.sector, a.channel, a.state) < std::tie(b.sector, b.channel, b.state);
  });
  return out;
}

// Sending -------------------------------------------------------------------------------------

Result<std::vector<InquiryRecord>> SqliteLedger::due_inquiries(Channel channel, Instant now,
                                                               std::size_t limit) {
  // Returning early keeps "0: none" out of SQLite's hands; and the clamp below keeps a huge limit
  // from wrapping to a negative one, which SQLite reads as "no limit".
  if (limit == 0) return std::vector<InquiryRecord>{};
  auto query = sqlite::Statement::prepare(m_db, select_inquiries(R"sql(
      WHERE state = 'planned' AND channel = ?1 AND planned_at <= ?2
        AND (next_attempt_at IS NULL OR next_attempt_at <= ?2)
      ORDER BY planned_at, id
      LIMIT ?3)sql"),
                                          "find the inquiries due");
  if (!query) return std::unexpected(query.error());
  const auto most = static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
  if (auto r = query->bind_all(to_string(channel), unix_seconds(now), most); !r) {
    return std::unexpected(r.error());
  }
  return read_inquiries(*query);
}

Result<void> SqliteLedger::begin_send(std::int64_t inquiry_id, std::string_view message_id,
                                      std::string_view message, Instant now) {
  const std::string action = fmt::format("begin sending inquiry {}", inquiry_id);
  // inquiry_by_message_id() and the matching of replies compare the bare id.
  if (message_id.empty()) {
    return fail(fmt::format("{}: cannot {}: no Message-ID given", m_db.filename(), action));
  }
  if (message_id.front() == '<' || message_id.back() == '>') {
    return fail(fmt::format("{}: cannot {}: the Message-ID {} must be given without angle brackets",
                            m_db.filename(), action, message_id));
  }
  // copied = 0: a copy can only be of this attempt's message.
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries
      SET state = 'sending', message_id = ?2, outgoing = ?3, attempts = attempts + 1,
          handover = 0, copied = 0, updated_at = ?4, send_started_at = ?4
      WHERE id = ?1 AND state = 'planned')sql",
                                           fmt::format("{} as {}", action, message_id));
  if (!update) return std::unexpected(update.error());
  // A Message-ID that another inquiry has fails here, on UNIQUE, and changes nothing.
  auto r = update->execute(inquiry_id, message_id, sqlite::Blob{message}, unix_seconds(now));
  if (!r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "planned");
  return {};
}

Result<void> SqliteLedger::mark_handover(std::int64_t inquiry_id) {
  const std::string action = fmt::format("mark inquiry {} as handed over", inquiry_id);
  // No clock here, and none needed: the handover follows begin_send() within seconds.
  auto update = sqlite::Statement::prepare(
      m_db, "UPDATE inquiries SET handover = 1 WHERE id = ?1 AND state = 'sending'", action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "sending");
  return {};
}

Result<void> SqliteLedger::mark_sent(std::int64_t inquiry_id, Instant sent_at) {
  const std::string action = fmt::format("mark inquiry {} as sent", inquiry_id);
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'sent', sent_at = ?2, updated_at = ?2
      WHERE id = ?1 AND state = 'sending')sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, unix_seconds(sent_at)); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "sending");
  return {};
}

Result<void> SqliteLedger::defer_send(std::int64_t inquiry_id, Instant retry_at,
                                      std::string_view error, Instant now) {
  const std::string action = fmt::format("defer inquiry {}", inquiry_id);
  // The attempt's Message-ID and message are cleared, not kept: with handover = 0 nothing of
  // this attempt reached the server (no message was accepted, none can be in a Sent folder,
  // none can be replied to), so there is nothing left to look up or match. The next attempt
  // composes its message afresh (a new Date, a new Message-ID), and a planned inquiry looks
  // the same whether it was tried before or not: no Message-ID until the next begin_send().
  // attempts and last_error keep the history.
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries
      SET state = 'planned', next_attempt_at = ?2, last_error = ?3, updated_at = ?4,
          message_id = NULL, outgoing = NULL
      WHERE id = ?1 AND state = 'sending' AND handover = 0)sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, unix_seconds(retry_at), error, unix_seconds(now)); !r) {
    return r;
  }
  if (m_db.changes() == 1) return {};

  auto handed_over = sqlite::Statement::prepare(
      m_db, "SELECT 1 FROM inquiries WHERE id = ?1 AND state = 'sending' AND handover = 1", action);
  if (!handed_over) return std::unexpected(handed_over.error());
  if (auto r = handed_over->bind_all(inquiry_id); !r) return r;
  auto row = handed_over->step();
  if (!row) return std::unexpected(row.error());
  if (*row) {
    // DESIGN §6: at most one send. Back in `planned`, it would be sent again.
    return fail(fmt::format(
        "{}: cannot {}: its message was handed over to the server and may have been sent; "
        "planning it again could send it twice, so it must be settled instead (found in the "
        "Sent folder, or marked for attention)",
        m_db.filename(), action));
  }
  return refused(inquiry_id, action, "sending");
}

Result<void> SqliteLedger::mark_undeliverable(std::int64_t inquiry_id, std::string_view error,
                                              Instant now) {
  const std::string action = fmt::format("mark inquiry {} as undeliverable", inquiry_id);
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'undeliverable', last_error = ?2, updated_at = ?3
      WHERE id = ?1 AND state IN ('planned', 'sending', 'sent'))sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, error, unix_seconds(now)); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "planned, sending or sent");
  return {};
}

Result<void> SqliteLedger::mark_attention(std::int64_t inquiry_id, std::string_view reason,
                                          Instant now) {
  const std::string action = fmt::format("mark inquiry {} for attention", inquiry_id);
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'attention', last_error = ?2, updated_at = ?3
      WHERE id = ?1 AND state IN ('sending', 'sent'))sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, reason, unix_seconds(now)); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "sending or sent");
  return {};
}

Result<void> SqliteLedger::mark_copied(std::int64_t inquiry_id) {
  const std::string action =
      fmt::format("mark inquiry {} as copied to the Sent folder", inquiry_id);
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET copied = 1
      WHERE id = ?1 AND state IN ('sent', 'answered', 'unanswered'))sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "sent, answered or unanswered");
  return {};
}

Result<std::vector<UnfinishedSend>> SqliteLedger::unfinished_sends() {
  // outgoing IS NOT NULL: schema 1's sends kept no message, so there is none to copy.
  auto query = sqlite::Statement::prepare(m_db, fmt::format(R"sql(
      SELECT {}, outgoing, handover, copied
      FROM inquiries
      WHERE state = 'sending'
         OR (state IN ('sent', 'answered', 'unanswered') AND copied = 0 AND outgoing IS NOT NULL)
      ORDER BY planned_at, id)sql",
                                                                 k_inquiry_columns),
                                          "find the unfinished sends");
  if (!query) return std::unexpected(query.error());
  std::vector<UnfinishedSend> out;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto record = read_inquiry(*query);
    if (!record) return std::unexpected(record.error());
    UnfinishedSend& send = out.emplace_back();
    send.inquiry = std::move(*record);
    send.message = query->column_blob(k_inquiry_column_count);
    send.handover = query->column_int64(k_inquiry_column_count + 1) != 0;
    send.copied = query->column_int64(k_inquiry_column_count + 2) != 0;
    if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  }
  return out;
}

Result<std::string> SqliteLedger::last_error(std::int64_t inquiry_id) {
  const std::string action = fmt::format("read the last error of inquiry {}", inquiry_id);
  auto query =
      sqlite::Statement::prepare(m_db, "SELECT last_error FROM inquiries WHERE id = ?1", action);
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(fmt::format("{}: cannot {}: no such inquiry", m_db.filename(), action));
  std::string error = query->column_text(0);
  if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  return error;
}

std::unexpected<Error> SqliteLedger::refused(std::int64_t inquiry_id, std::string_view action,
                                             std::string_view expected) {
  // Read after the UPDATE, not before it: the UPDATE's WHERE is what guards the change, this
  // only explains it.
  auto query = sqlite::Statement::prepare(m_db, "SELECT state FROM inquiries WHERE id = ?1",
                                          std::string(action));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(fmt::format("{}: cannot {}: no such inquiry", m_db.filename(), action));
  const std::string state = query->column_text(0);
  if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  return fail(
      fmt::format("{}: cannot {}: it is {}, not {}", m_db.filename(), action, state, expected));
}

// Replies -------------------------------------------------------------------------------------

Result<std::optional<Watermark>> SqliteLedger::watermark(std::string_view source) {
  // Keyed (channel '', mailbox = source): see k_schema_2.
  auto query = sqlite::Statement::prepare(m_db, R"sql(
      SELECT uidvalidity, last_uid FROM poll_watermarks WHERE channel = '' AND mailbox = ?1)sql",
                                          fmt::format("read the watermark of {}", source));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(source); !r) return std::unexpected(r.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Watermark>();
  const auto uidvalidity = query->column_optional_int64(0);
  const auto last_uid = query->column_optional_int64(1);
  if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  const auto is_uid = [](const std::optional<std::int64_t>& v) {
    return v && *v >= 0 && *v <= std::numeric_limits<std::uint32_t>::max();
  };
  // Only record_replies() writes these rows; anything else is damage, and guessing a position
  // could skip replies or fetch them again.
  if (!is_uid(uidvalidity) || !is_uid(last_uid)) {
    return fail(fmt::format("{}: the watermark of {} is damaged (uidvalidity {}, last uid {})",
                            m_db.filename(), source, uidvalidity.value_or(-1),
                            last_uid.value_or(-1)));
  }
  return Watermark{static_cast<std::uint32_t>(*uidvalidity), static_cast<std::uint32_t>(*last_uid)};
}

Result<int> SqliteLedger::record_replies(const std::vector<NewReply>& replies,
                                         std::string_view source, const Watermark& watermark,
                                         std::chrono::seconds answer_window, Instant fetched_at) {
  const std::string action = fmt::format("record the replies from {}", source);
  if (source.empty()) {
    return fail(fmt::format("{}: cannot record replies: no source given", m_db.filename()));
  }
  if (answer_window.count() < 0) {
    return fail(
        fmt::format("{}: cannot {}: the answer window is negative", m_db.filename(), action));
  }
  // The watermark moves for `source` only; a reply stored under another source would not be
  // found by that source's next rescan, and could come in twice.
  for (const NewReply& reply : replies) {
    if (reply.source != source) {
      return fail(fmt::format("{}: cannot {}: reply {} is from '{}'", m_db.filename(), action,
                              reply.source_key, reply.source));
    }
  }

  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  // kind_decided_by 'rules': the classifier decided; a person's decision (review) overrides it.
  auto insert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO replies (inquiry_id, channel, source, source_key, received_at, kind,
                           kind_decided_by, reasons, from_address, subject, message_id, raw, size,
                           fetched_at, counts_as_answer, match_method, review, excerpt,
                           bounce_status, bounce_recipient, bounce_original_id, bounce_hard)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'rules', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
              NULLIF(?16, ''), ?17, NULLIF(?18, ''), NULLIF(?19, ''), NULLIF(?20, ''),
              CASE WHEN ?6 = 'bounce' THEN ?21 END)
      ON CONFLICT (source, source_key) DO NOTHING)sql",
                                           "record a reply");
  if (!insert) return std::unexpected(insert.error());
  // Every inquiry a new reply belongs to is recomputed from all its replies (recompute(): the
  // one rule for answers and bounces), whatever order the replies are fetched in. Closing at
  // the end of the window is close_expired()'s work, not this one's.
  std::vector<std::int64_t> touched;
  int inserted = 0;
  for (const NewReply& reply : replies) {
    // A reply that refers to our inquiry proves the company received it (see settle_proven_send).
    if (reply.inquiry_id) {
      if (auto r = settle_proven_send(*reply.inquiry_id, fetched_at); !r) return std::unexpected(r.error());
    }
    auto stored = store_reply(*insert, reply, fetched_at);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) continue;
    ++inserted;
    if (reply.inquiry_id) touched.push_back(*reply.inquiry_id);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::int64_t id : touched) {
    auto r = recompute(id, answer_window, fetched_at, Closing::leave_open);
    if (!r) return std::unexpected(r.error());
  }

  auto upsert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO poll_watermarks (channel, mailbox, uidvalidity, last_uid, updated_at)
      VALUES ('', ?1, ?2, ?3, ?4)
      ON CONFLICT (channel, mailbox) DO UPDATE SET
        uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
        updated_at = excluded.updated_at)sql",
                                           fmt::format("move the watermark of {}", source));
  if (!upsert) return std::unexpected(upsert.error());
  if (auto r = upsert->execute(source, std::int64_t{watermark.uidvalidity},
                               std::int64_t{watermark.last_uid}, unix_seconds(fetched_at));
      !r) {
    return std::unexpected(r.error());
  }
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return inserted;
}

Result<bool> SqliteLedger::store_reply(sqlite::Statement& insert, const NewReply& reply,
                                       Instant fetched_at) {
  auto r = insert.execute(reply.inquiry_id, to_string(reply.channel), reply.source,
                          reply.source_key, unix_seconds(reply.received_at), to_string(reply.kind),
                          reply.reasons, reply.from_address, reply.subject, reply.message_id,
                          sqlite::Blob{reply.raw}, static_cast<std::int64_t>(reply.size),
                          unix_seconds(fetched_at), std::int64_t{reply.counts_as_answer ? 1 : 0},
                          reply.match_method, reply.review, reply.excerpt, reply.bounce_status,
                          reply.bounce_recipient, reply.bounce_original_id,
                          std::int64_t{reply.bounce_hard ? 1 : 0});
  if (!r) return fail(fmt::format("{} (reply {})", r.error().message, reply.source_key));
  // Stored before: counted then, not again.
  return m_db.changes() != 0;
}

Result<std::optional<InquiryRecord>> SqliteLedger::inquiry_by_message_id(
    std::string_view message_id) {
  auto query = sqlite::Statement::prepare(m_db, select_inquiries("WHERE message_id = ?1"),
                                          fmt::format("find the inquiry sent as {}", message_id));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(message_id); !r) return std::unexpected(r.error());
  // message_id is UNIQUE: one row at most.
  auto found = read_inquiries(*query);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return std::optional<InquiryRecord>();
  return std::optional<InquiryRecord>(std::move(found->front()));
}

Result<std::int64_t> SqliteLedger::reply_count(std::optional<std::int64_t> inquiry_id) {
  auto query = sqlite::Statement::prepare(
      m_db, "SELECT count(*) FROM replies WHERE (?1 IS NULL OR inquiry_id = ?1)",
      "count the replies");
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  const std::int64_t count = *row ? query->column_int64(0) : 0;
  if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  return count;
}

Result<int> SqliteLedger::close_expired(Instant now, std::chrono::seconds answer_window) {
  if (answer_window.count() < 0) {
    return fail(fmt::format("{}: cannot close the expired inquiries: the answer window is negative",
                            m_db.filename()));
  }
  // The window includes its last second: a reply received at sent_at + window still answers
  // (record_replies), and the window has ended at that second too. An answer fetched later
  // still turns the inquiry into `answered` (see record_replies).
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'unanswered', updated_at = ?1
      WHERE state = 'sent' AND sent_at + ?2 <= ?1)sql",
                                           "close the expired inquiries");
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(unix_seconds(now), std::int64_t{answer_window.count()}); !r) {
    return std::unexpected(r.error());
  }
  return static_cast<int>(m_db.changes());
}

// Runs ----------------------------------------------------------------------------------------

Result<std::int64_t> SqliteLedger::begin_run(Instant now) {
  auto insert = sqlite::Statement::prepare(
      m_db, "INSERT INTO runs (now_at, started_at) VALUES (?1, ?2)", "record the start of a run");
  if (!insert) return std::unexpected(insert.error());
  // `now` may be --now (a back-fill, a demo); started_at says when the run really happened.
  const auto wall_clock =
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto r = insert->execute(unix_seconds(now), unix_seconds(wall_clock)); !r) {
    return std::unexpected(r.error());
  }
  return m_db.last_insert_rowid();
}

Result<void> SqliteLedger::finish_run(std::int64_t run_id, Instant finished_at,
                                      const RunSummary& summary) {
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE runs
      SET finished_at = ?1, sent = ?2, fetched = ?3, closed = ?4, errors = ?5, exit_code = ?6
      WHERE id = ?7)sql",
                                           "record the end of a run");
  if (!update) return std::unexpected(update.error());
  auto r = update->execute(unix_seconds(finished_at), summary.sent, summary.fetched, summary.closed,
                           join(summary.errors, '\n'), summary.exit_code, run_id);
  if (!r) return r;
  if (m_db.changes() != 1) {
    return fail(
        fmt::format("{}: cannot record the end of run {}: no such run", m_db.filename(), run_id));
  }
  return {};
}

// Understanding replies (issue 4) -------------------------------------------------------------

namespace {

// The last_error of an inquiry a bounce made undeliverable starts so: recompute() may undo what
// a bounce did (a person reclassifies it), never what the SMTP server's refusal did.
constexpr std::string_view k_bounced = "bounced: ";
// Review texts are parts joined by this; a part about the kind starts with k_uncertain_kind.
constexpr std::string_view k_review_separator = " | ";
constexpr std::string_view k_uncertain_kind = "classification uncertain";

constexpr std::string_view k_reply_columns =
    "id, inquiry_id, channel, source, received_at, coalesce(kind, 'unclassified'), "
    "coalesce(kind_decided_by, 'rules'), inquiry_decided_by, counts_as_answer, "
    "coalesce(reasons, ''), match_method, coalesce(review, ''), coalesce(from_address, ''), "
    "coalesce(subject, ''), coalesce(message_id, ''), excerpt, coalesce(bounce_status, ''), "
    "coalesce(bounce_recipient, ''), coalesce(bounce_original_id, ''), coalesce(bounce_hard, 0)";

std::optional<Instant> optional_instant(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return std::nullopt;
  return instant_from_unix(*seconds);
}

std::optional<std::int64_t> optional_seconds(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return unix_seconds(*t);
}

// `review` without its part about the kind (a person has decided the kind).
std::string without_kind_part(std::string_view review) {
  std::vector<std::string> kept;
  while (!review.empty()) {
    const auto end = std::min(review.find(k_review_separator), review.size());
    const auto part = review.substr(0, end);
    if (!part.empty() && !part.starts_with(k_uncertain_kind)) kept.emplace_back(part);
    review.remove_prefix(std::min(end + k_review_separator.size(), review.size()));
  }
  std::string out;
  for (const auto& part : kept) {
    if (!out.empty()) out += k_review_separator;
    out += part;
  }
  return out;
}

}  // namespace

Result<std::optional<InquiryRecord>> SqliteLedger::inquiry_by_reply_token(std::string_view token) {
  if (token.empty()) return std::optional<InquiryRecord>();
  // The token is a prefix of the Message-ID: a range on the UNIQUE index. '~' sorts after every
  // character a Message-ID of new_message_id() has.
  auto query = sqlite::Statement::prepare(
      m_db, select_inquiries("WHERE message_id >= ?1 AND message_id < ?1 || '~' ORDER BY id LIMIT 2"),
      fmt::format("find the inquiry with reply token {}", token));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(token); !r) return std::unexpected(r.error());
  auto found = read_inquiries(*query);
  if (!found) return std::unexpected(found.error());
  if (found->size() != 1) return std::optional<InquiryRecord>();
  return std::optional<InquiryRecord>(std::move(found->front()));
}

Result<std::vector<StoredReply>> SqliteLedger::replies(const ReplyFilter& filter) {
  auto query = sqlite::Statement::prepare(m_db, fmt::format(R"sql(
      SELECT {}, CASE WHEN ?4 THEN raw END FROM replies
      WHERE (?1 = 0 OR review IS NOT NULL) AND (?2 IS NULL OR id = ?2) AND (?3 IS NULL OR channel = ?3)
      ORDER BY received_at, id)sql",
                                                            k_reply_columns),
                                          "read the replies");
  if (!query) return std::unexpected(query.error());
  std::optional<std::string_view> channel;
  if (filter.channel) channel = to_string(*filter.channel);
  if (auto r = query->bind_all(std::int64_t{filter.review_only ? 1 : 0}, filter.reply_id, channel,
                               std::int64_t{filter.with_raw ? 1 : 0});
      !r) {
    return std::unexpected(r.error());
  }
  std::vector<StoredReply> out;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    StoredReply& r = out.emplace_back();
    r.id = query->column_int64(0);
    r.inquiry_id = query->column_optional_int64(1);
    const std::string channel_name = query->column_text(2);
    r.source = query->column_text(3);
    r.received_at = instant_from_unix(query->column_int64(4));
    const std::string kind = query->column_text(5);
    r.kind_decided_by = query->column_text(6);
    r.inquiry_decided_by = query->column_text(7);
    r.counts_as_answer = query->column_int64(8) != 0;
    r.reasons = query->column_text(9);
    r.match_method = query->column_text(10);
    r.review = query->column_text(11);
    r.from_address = query->column_text(12);
    r.subject = query->column_text(13);
    r.message_id = query->column_text(14);
    r.excerpt = query->column_text(15);
    r.bounce_status = query->column_text(16);
    r.bounce_recipient = query->column_text(17);
    r.bounce_original_id = query->column_text(18);
    r.bounce_hard = query->column_int64(19) != 0;
    r.raw = query->column_blob(20);
    if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
    const auto parsed_channel = parse_channel(channel_name);
    const auto parsed_kind = parse_reply_kind(kind);
    if (!parsed_channel || !parsed_kind) {
      return fail(fmt::format("{}: reply {} has an unknown channel '{}' or kind '{}'", m_db.filename(), r.id,
                              channel_name, kind));
    }
    r.channel = *parsed_channel;
    r.kind = *parsed_kind;
  }
  return out;
}

Result<StoredReply> SqliteLedger::stored_reply(std::int64_t reply_id) {
  ReplyFilter filter;
  filter.reply_id = reply_id;
  auto found = replies(filter);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return fail(fmt::format("{}: there is no reply {}", m_db.filename(), reply_id));
  return std::move(found->front());
}

Result<std::int64_t> SqliteLedger::review_count() {
  return sqlite::query_int64(m_db, "SELECT count(*) FROM replies WHERE review IS NOT NULL",
                             "count the replies waiting for review");
}

Result<void> SqliteLedger::settle_proven_send(std::int64_t inquiry_id, Instant now) {
  // Its send time is the attempt's start, the run clock's best knowledge of it.
  auto settle = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries
      SET state = 'sent', sent_at = send_started_at, updated_at = ?2,
          last_error = 'settled: a reply refers to its Message-ID, so it was delivered'
      WHERE id = ?1 AND state = 'attention' AND handover = 1 AND sent_at IS NULL
        AND send_started_at IS NOT NULL)sql",
                                           "settle a send proven by a reply");
  if (!settle) return std::unexpected(settle.error());
  return settle->execute(inquiry_id, unix_seconds(now));
}

Result<OutcomeChange> SqliteLedger::recompute(std::int64_t inquiry_id, std::chrono::seconds answer_window,
                                              Instant now, Closing closing) {
  const std::string action = fmt::format("recompute the outcome of inquiry {}", inquiry_id);
  auto read = sqlite::Statement::prepare(
      m_db, "SELECT state, sent_at, answered_at, coalesce(last_error, '') FROM inquiries WHERE id = ?1", action);
  if (!read) return std::unexpected(read.error());
  if (auto r = read->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto row = read->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(fmt::format("{}: cannot {}: no such inquiry", m_db.filename(), action));
  const std::string state_name = read->column_text(0);
  const auto sent_at = read->column_optional_int64(1);
  const auto answered_at = read->column_optional_int64(2);
  const std::string last_error = read->column_text(3);
  if (auto ok = read->check_columns(); !ok) return std::unexpected(ok.error());
  const auto state = parse_inquiry_state(state_name);
  if (!state) return fail(fmt::format("{}: inquiry {} has an unknown state '{}'", m_db.filename(), inquiry_id, state_name));

  OutcomeChange change;
  change.inquiry_id = inquiry_id;
  change.before = change.after = *state;
  change.answered_before = change.answered_after = optional_instant(answered_at);
  const bool recomputable =
      sent_at && (*state == InquiryState::sent || *state == InquiryState::answered ||
                  *state == InquiryState::unanswered ||
                  (*state == InquiryState::undeliverable && last_error.starts_with(k_bounced)));
  if (!recomputable) return change;

  // Only replies a person need not look at (anymore) change an inquiry (DESIGN §5).
  auto answer = sqlite::Statement::prepare(m_db, R"sql(
      SELECT min(received_at) FROM replies
      WHERE inquiry_id = ?1 AND review IS NULL AND counts_as_answer = 1
        AND received_at >= ?2 AND received_at - ?2 <= ?3)sql",
                                           action);
  if (!answer) return std::unexpected(answer.error());
  if (auto r = answer->bind_all(inquiry_id, *sent_at, std::int64_t{answer_window.count()}); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = answer->step(); !r) return std::unexpected(r.error());
  const auto first_answer = answer->column_optional_int64(0);
  if (auto ok = answer->check_columns(); !ok) return std::unexpected(ok.error());

  // A soft bounce (a delay, 4.x.x) says nothing final; a person's "bounce" is a hard one.
  auto bounce = sqlite::Statement::prepare(m_db, R"sql(
      SELECT id, coalesce(bounce_status, ''), coalesce(bounce_recipient, '') FROM replies
      WHERE inquiry_id = ?1 AND review IS NULL AND kind = 'bounce' AND coalesce(bounce_hard, 1) = 1
      ORDER BY received_at, id LIMIT 1)sql",
                                           action);
  if (!bounce) return std::unexpected(bounce.error());
  if (auto r = bounce->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto bounced = bounce->step();
  if (!bounced) return std::unexpected(bounced.error());
  std::string bounce_note;
  if (*bounced) {
    const auto reply_id = bounce->column_int64(0);
    const std::string status = bounce->column_text(1);
    const std::string recipient = bounce->column_text(2);
    if (auto ok = bounce->check_columns(); !ok) return std::unexpected(ok.error());
    bounce_note = fmt::format("reply {}{}{}", reply_id, status.empty() ? "" : ", status " + status,
                              recipient.empty() ? "" : ", recipient " + recipient);
  }

  std::optional<std::string> error = last_error.empty() ? std::nullopt : std::optional<std::string>(last_error);
  if (first_answer) {
    change.after = InquiryState::answered;
    if (!bounce_note.empty()) error = fmt::format("a bounce came after the answer ({}); left answered", bounce_note);
  } else if (!bounce_note.empty()) {
    change.after = InquiryState::undeliverable;
    error = fmt::format("{}{}", k_bounced, bounce_note);
  } else {
    if (*state == InquiryState::undeliverable) error = std::nullopt;  // the bounce is gone
    const bool over = *sent_at + answer_window.count() <= unix_seconds(now);
    if (closing == Closing::by_now) change.after = over ? InquiryState::unanswered : InquiryState::sent;
    else if (*state != InquiryState::unanswered) change.after = InquiryState::sent;
  }
  change.answered_after = optional_instant(first_answer);
  if (!change.changed() && error == (last_error.empty() ? std::nullopt : std::optional<std::string>(last_error))) {
    return change;
  }
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = ?2, answered_at = ?3, last_error = ?4, updated_at = ?5 WHERE id = ?1)sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, to_string(change.after), optional_seconds(change.answered_after), error,
                               unix_seconds(now));
      !r) {
    return std::unexpected(r.error());
  }
  return change;
}

Result<OutcomeChange> SqliteLedger::settle_inquiry(std::int64_t inquiry_id, std::chrono::seconds answer_window,
                                                   Instant now) {
  auto transaction = sqlite::Transaction::begin(m_db, fmt::format("settle inquiry {}", inquiry_id));
  if (!transaction) return std::unexpected(transaction.error());
  auto change = recompute(inquiry_id, answer_window, now, Closing::by_now);
  if (!change) return change;
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return change;
}

Result<std::vector<OutcomeChange>> SqliteLedger::assign_reply(std::int64_t reply_id,
                                                              std::optional<std::int64_t> inquiry_id,
                                                              std::chrono::seconds answer_window, Instant now) {
  const std::string action = inquiry_id ? fmt::format("assign reply {} to inquiry {}", reply_id, *inquiry_id)
                                        : fmt::format("assign reply {} to no inquiry", reply_id);
  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  auto reply = stored_reply(reply_id);
  if (!reply) return std::unexpected(reply.error());
  if (inquiry_id) {
    auto query = sqlite::Statement::prepare(m_db, select_inquiries("WHERE id = ?1"), action);
    if (!query) return std::unexpected(query.error());
    if (auto r = query->bind_all(*inquiry_id); !r) return std::unexpected(r.error());
    auto found = read_inquiries(*query);
    if (!found) return std::unexpected(found.error());
    if (found->empty()) return fail(fmt::format("{}: cannot {}: there is no inquiry {}", m_db.filename(), action, *inquiry_id));
    // Answers count per channel (DESIGN §7): an answer on another channel is not this one's.
    if (found->front().channel != reply->channel) {
      return fail(fmt::format("{}: cannot {}: the reply came by {}, the inquiry was made by {}", m_db.filename(),
                              action, to_string(reply->channel), to_string(found->front().channel)));
    }
  }
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE replies
      SET inquiry_id = ?2, inquiry_decided_by = 'person', review = NULL,
          counts_as_answer = (?2 IS NOT NULL AND kind = 'human')
      WHERE id = ?1)sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(reply_id, inquiry_id); !r) return std::unexpected(r.error());
  std::vector<OutcomeChange> changes;
  if (inquiry_id) {
    if (auto r = settle_proven_send(*inquiry_id, now); !r) return std::unexpected(r.error());
  }
  for (auto id : {reply->inquiry_id, inquiry_id}) {
    if (!id || std::any_of(changes.begin(), changes.end(), [&](const auto& c) { return c.inquiry_id == *id; })) continue;
    auto change = recompute(*id, answer_window, now, Closing::by_now);
    if (!change) return std::unexpected(change.error());
    changes.push_back(*change);
  }
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return changes;
}

Result<std::vector<OutcomeChange>> SqliteLedger::classify_reply(std::int64_t reply_id, ReplyKind kind,
                                                                std::chrono::seconds answer_window, Instant now) {
  const std::string action = fmt::format("classify reply {} as {}", reply_id, to_string(kind));
  if (kind == ReplyKind::unclassified) return fail(fmt::format("{}: cannot {}: choose a kind", m_db.filename(), action));
  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  auto reply = stored_reply(reply_id);
  if (!reply) return std::unexpected(reply.error());
  // Still unmatched: it waits for an assignment, but no longer for a judgement of its kind.
  const bool placed = reply->inquiry_id || reply->inquiry_decided_by == "person";
  const std::string review = placed ? std::string() : without_kind_part(reply->review);
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE replies
      SET kind = ?2, kind_decided_by = 'person', review = NULLIF(?3, ''),
          counts_as_answer = (inquiry_id IS NOT NULL AND ?2 = 'human'),
          bounce_hard = CASE WHEN ?2 = 'bounce' THEN coalesce(bounce_hard, 1) ELSE bounce_hard END
      WHERE id = ?1)sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(reply_id, to_string(kind), review); !r) return std::unexpected(r.error());
  std::vector<OutcomeChange> changes;
  if (reply->inquiry_id) {
    auto change = recompute(*reply->inquiry_id, answer_window, now, Closing::by_now);
    if (!change) return std::unexpected(change.error());
    changes.push_back(*change);
  }
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return changes;
}

Result<ReclassifyReport> SqliteLedger::apply_verdicts(const std::vector<ReplyVerdict>& verdicts,
                                                      std::chrono::seconds answer_window, Instant now,
                                                      ApplyMode mode) {
  const std::string action = "apply the current rules to the stored replies";
  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  // The person's decisions are read again here, inside the transaction: one made after the
  // verdicts were computed still wins.
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE replies
      SET kind = ?2, inquiry_id = ?3, match_method = ?4, reasons = ?5, review = NULLIF(?6, ''),
          excerpt = ?7, counts_as_answer = (?3 IS NOT NULL AND ?2 = 'human'),
          bounce_status = NULLIF(?8, ''), bounce_recipient = NULLIF(?9, ''),
          bounce_original_id = NULLIF(?10, ''), bounce_hard = CASE WHEN ?2 = 'bounce' THEN ?11 END
      WHERE id = ?1)sql",
                                           action);
  if (!update) return std::unexpected(update.error());

  ReclassifyReport report;
  std::map<std::pair<ReplyKind, ReplyKind>, std::int64_t> kinds;
  std::vector<std::int64_t> touched;
  for (const ReplyVerdict& v : verdicts) {
    auto old = stored_reply(v.reply_id);
    if (!old) return std::unexpected(old.error());
    ++report.replies;
    const bool person_kind = old->kind_decided_by == "person";
    const bool person_inquiry = old->inquiry_decided_by == "person";
    const ReplyKind kind = person_kind ? old->kind : v.rules.kind;
    const auto inquiry = person_inquiry ? old->inquiry_id : v.rules.inquiry_id;
    const std::string method = person_inquiry ? old->match_method : v.rules.match_method;
    // A person who placed the reply has seen it whole; one who only judged its kind has not
    // placed it.
    std::vector<std::string> parts;
    if (!person_inquiry && !v.match_review.empty()) parts.push_back(v.match_review);
    if (!person_inquiry && !person_kind && !v.classification_review.empty()) parts.push_back(v.classification_review);
    std::string review;
    for (const auto& p : parts) review += (review.empty() ? "" : std::string(k_review_separator)) + p;

    auto r = update->execute(v.reply_id, to_string(kind), inquiry, method, v.rules.reasons, review, v.rules.excerpt,
                             v.rules.bounce_status, v.rules.bounce_recipient, v.rules.bounce_original_id,
                             std::int64_t{v.rules.bounce_hard ? 1 : 0});
    if (!r) return fail(fmt::format("{} (reply {})", r.error().message, v.reply_id));
    if (kind != old->kind) ++kinds[{old->kind, kind}];
    if (inquiry != old->inquiry_id) ++report.inquiry_moved;
    if (kind != old->kind || inquiry != old->inquiry_id || review != old->review) ++report.replies_changed;
    if (old->inquiry_id) touched.push_back(*old->inquiry_id);
    if (inquiry) touched.push_back(*inquiry);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::int64_t id : touched) {
    auto change = recompute(id, answer_window, now, Closing::by_now);
    if (!change) return std::unexpected(change.error());
    if (change->changed()) report.outcomes.push_back(*change);
  }
  report.kinds.assign(kinds.begin(), kinds.end());
  if (mode == ApplyMode::commit) {
    if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  }
  return report;  // dry_run: the transaction's destructor rolls everything back
}

// Channel pauses (facebook, issue 5) ----------------------------------------------------------
// Kept in `meta` as 'pause.<channel>' → "since<TAB>until<TAB>strikes<TAB>reason" (until empty
// when open-ended): a few rows at most, and no schema step that other branches' steps would
// have to be ordered against.

namespace {
std::string pause_key(Channel channel) { return fmt::format("pause.{}", to_string(channel)); }

// The fields of a pause row, empty ones kept (split() drops them).
std::vector<std::string> pause_fields(std::string_view text) {
  std::vector<std::string> parts;
  for (int i = 0; i < 3; ++i) {
    const auto tab = text.find('\t');
    if (tab == std::string_view::npos) break;
    parts.emplace_back(text.substr(0, tab));
    text.remove_prefix(tab + 1);
  }
  parts.emplace_back(text);
  return parts;
}
}  // namespace

Result<std::optional<ChannelPause>> SqliteLedger::channel_pause(Channel channel) {
  const std::string key = pause_key(channel);
  auto query = sqlite::Statement::prepare(m_db, "SELECT value FROM meta WHERE key = ?1",
                                          fmt::format("read the pause of {}", to_string(channel)));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(std::string_view(key)); !r) return std::unexpected(r.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<ChannelPause>();
  const std::string value = query->column_text(0);
  if (auto ok = query->check_columns(); !ok) return std::unexpected(ok.error());
  const auto parts = pause_fields(value);
  if (parts.size() != 4) {
    return fail(fmt::format("{}: the pause of {} is damaged: \"{}\"", m_db.filename(), to_string(channel), value));
  }
  ChannelPause pause;
  try {
    pause.since = instant_from_unix(std::stoll(parts[0]));
    if (!parts[1].empty()) pause.until = instant_from_unix(std::stoll(parts[1]));
    pause.strikes = std::stoi(parts[2]);
  } catch (const std::exception&) {
    return fail(fmt::format("{}: the pause of {} is damaged: \"{}\"", m_db.filename(), to_string(channel), value));
  }
  pause.reason = parts[3];
  return std::optional<ChannelPause>(std::move(pause));
}

Result<void> SqliteLedger::set_channel_pause(Channel channel, const std::optional<ChannelPause>& pause) {
  const std::string key = pause_key(channel);
  const std::string action = fmt::format("{} the pause of {}", pause ? "record" : "lift", to_string(channel));
  if (!pause) {
    auto remove = sqlite::Statement::prepare(m_db, "DELETE FROM meta WHERE key = ?1", action);
    if (!remove) return std::unexpected(remove.error());
    return remove->execute(std::string_view(key));
  }
  const std::string value =
      fmt::format("{}\t{}\t{}\t{}", unix_seconds(pause->since),
                  pause->until ? std::to_string(unix_seconds(*pause->until)) : std::string(), pause->strikes,
                  pause->reason);
  auto upsert = sqlite::Statement::prepare(
      m_db, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      action);
  if (!upsert) return std::unexpected(upsert.error());
  return upsert->execute(std::string_view(key), std::string_view(value));
}

// Assisted channels and manual entry (branch assisted) ----------------------------------------

Result<std::optional<InquiryRecord>> SqliteLedger::inquiry_by_id(std::int64_t inquiry_id) {
  auto query = sqlite::Statement::prepare(m_db, select_inquiries("WHERE id = ?1"),
                                          fmt::format("read inquiry {}", inquiry_id));
  if (!query) return std::unexpected(query.error());
  if (auto r = query->bind_all(inquiry_id); !r) return std::unexpected(r.error());
  auto found = read_inquiries(*query);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return std::optional<InquiryRecord>();
  return std::optional<InquiryRecord>(std::move(found->front()));
}

Result<int> SqliteLedger::move_due_to_todo(Channel channel, Instant now) {
  // One statement is one transaction: every due inquiry moves, or none does.
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'todo', updated_at = ?2
      WHERE state = 'planned' AND channel = ?1 AND planned_at <= ?2)sql",
                                           fmt::format("put the due {} inquiries on the to-do list", to_string(channel)));
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(to_string(channel), unix_seconds(now)); !r) return std::unexpected(r.error());
  return static_cast<int>(m_db.changes());
}

Result<void> SqliteLedger::register_assisted_send(std::int64_t inquiry_id, std::string_view external_ref,
                                                  Instant sent_at, Instant now) {
  const std::string action = fmt::format("register inquiry {} as sent", inquiry_id);
  if (external_ref.empty()) return fail(fmt::format("{}: cannot {}: no reference given", m_db.filename(), action));
  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  // One post answers one inquiry: a reference registered for another inquiry is a typing error.
  auto other = sqlite::Statement::prepare(m_db, "SELECT id FROM inquiries WHERE external_ref = ?1 AND id <> ?2",
                                          action);
  if (!other) return std::unexpected(other.error());
  if (auto r = other->bind_all(external_ref, inquiry_id); !r) return std::unexpected(r.error());
  auto row = other->step();
  if (!row) return std::unexpected(row.error());
  if (*row) {
    const auto owner = other->column_int64(0);
    return fail(fmt::format("{}: cannot {}: {} is registered for inquiry {} already", m_db.filename(), action,
                            external_ref, owner));
  }
  // The state guard is what makes a second registration fail: after the first, it is `sent`.
  auto update = sqlite::Statement::prepare(m_db, R"sql(
      UPDATE inquiries SET state = 'sent', sent_at = ?2, external_ref = ?3, updated_at = ?4
      WHERE id = ?1 AND channel <> 'email'
        AND (state = 'todo' OR (state = 'planned' AND planned_at <= ?4)))sql",
                                           action);
  if (!update) return std::unexpected(update.error());
  if (auto r = update->execute(inquiry_id, unix_seconds(sent_at), external_ref, unix_seconds(now)); !r) return r;
  if (m_db.changes() == 0) return refused(inquiry_id, action, "a to-do (or planned and due) of an assisted channel");
  return transaction->commit();
}

Result<int> SqliteLedger::record_entered_replies(const std::vector<NewReply>& replies, std::string_view decided_by,
                                                 std::chrono::seconds answer_window, Instant now) {
  const std::string action = "record the entered replies";
  if (decided_by != "person" && decided_by != "rules") {
    return fail(fmt::format("{}: cannot {}: decided by '{}', expected person or rules", m_db.filename(), action,
                            decided_by));
  }
  if (answer_window.count() < 0) {
    return fail(fmt::format("{}: cannot {}: the answer window is negative", m_db.filename(), action));
  }
  auto transaction = sqlite::Transaction::begin(m_db, action);
  if (!transaction) return std::unexpected(transaction.error());
  auto insert = sqlite::Statement::prepare(m_db, R"sql(
      INSERT INTO replies (inquiry_id, channel, source, source_key, received_at, kind, kind_decided_by,
                           reasons, from_address, subject, message_id, raw, size, fetched_at,
                           counts_as_answer, match_method, review, excerpt, inquiry_decided_by, bounce_hard)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, NULLIF(?17, ''), ?18,
              CASE WHEN ?7 = 'person' THEN 'person' ELSE 'rules' END, CASE WHEN ?6 = 'bounce' THEN ?19 END)
      ON CONFLICT (source, source_key) DO NOTHING)sql",
                                           "record an entered reply");
  if (!insert) return std::unexpected(insert.error());
  // Every inquiry an entered reply belongs to is recomputed from all its replies: the one rule
  // for answers and bounces (recompute()), as for polled replies; closing at the end of the
  // window stays close_expired()'s work.
  std::vector<std::int64_t> touched;
  int inserted = 0;
  for (const NewReply& reply : replies) {
    if (reply.source.empty() || reply.source_key.empty()) {
      return fail(fmt::format("{}: cannot {}: a reply without source or key", m_db.filename(), action));
    }
    auto r = insert->execute(reply.inquiry_id, to_string(reply.channel), reply.source, reply.source_key,
                             unix_seconds(reply.received_at), to_string(reply.kind), decided_by, reply.reasons,
                             reply.from_address, reply.subject, reply.message_id, sqlite::Blob{reply.raw},
                             static_cast<std::int64_t>(reply.size), unix_seconds(now),
                             std::int64_t{reply.counts_as_answer ? 1 : 0}, reply.match_method, reply.review,
                             reply.excerpt, std::int64_t{reply.bounce_hard ? 1 : 0});
    if (!r) return fail(fmt::format("{} (reply {})", r.error().message, reply.source_key));
    if (m_db.changes() == 0) continue;
    ++inserted;
    if (reply.inquiry_id) touched.push_back(*reply.inquiry_id);
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  for (std::int64_t id : touched) {
    auto r = recompute(id, answer_window, now, Closing::leave_open);
    if (!r) return std::unexpected(r.error());
  }
  if (auto r = transaction->commit(); !r) return std::unexpected(r.error());
  return inserted;
}

}  // namespace sqlite_ledger

Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const std::filesystem::path& path,
                                                   LedgerOpen mode) {
  auto ledger = sqlite_ledger::open(path, mode, sqlite_ledger::migrations());
  if (!ledger) return std::unexpected(ledger.error());
  return std::unique_ptr<Ledger>(std::move(*ledger));
}

}  // namespace respbench
