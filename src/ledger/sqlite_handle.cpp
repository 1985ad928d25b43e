#include "ledger/sqlite_handle.hpp"

#include <algorithm>
#include <limits>
#include <mutex>

#include <fmt/format.h>
#include <sqlite3.h>

namespace respbench::sqlite {

namespace {

// The file a connection works on, for error messages ("" for in-memory databases).
std::string_view where(sqlite3* db) {
  const char* name = db ? sqlite3_db_filename(db, "main") : nullptr;
  return name ? std::string_view(name) : std::string_view();
}

Error make_error(sqlite3* db, std::string_view purpose, std::string_view what) {
  const std::string_view file = where(db);
  if (file.empty()) return Error{fmt::format("cannot {}: {}", purpose, what)};
  return Error{fmt::format("{}: cannot {}: {}", file, purpose, what)};
}

Error make_error(sqlite3* db, std::string_view purpose) {
  return make_error(db, purpose, db ? sqlite3_errmsg(db) : "out of memory");
}

bool only_whitespace(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// sqlite3_prepare_v3 takes an int length.
bool fits_int(std::string_view sql) {
  return sql.size() < static_cast<std::size_t>(std::numeric_limits<int>::max());
}

}  // namespace

// Database ------------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& path, OpenMode mode) {
  // SQLite counts every allocation under a global mutex unless told before it starts; nobody
  // reads the counts. Too late when SQLite is running already (SQLITE_MISUSE): then it counts.
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  // NOMUTEX: a connection is used by one thread at a time (class comment), so SQLite need not
  // lock it around every call — a lock and an unlock per column read, a tenth of a report of a
  // million rows.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::create_if_missing) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Even a failed open usually allocates a handle (it carries the message); own it at once.
  Database db(raw);
  if (rc != SQLITE_OK) {
    const char* message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return fail(fmt::format("{}: cannot open: {}", path.string(), message));
  }
  return db;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
  }
  return *this;
}

Database::~Database() {
  // close_v2 never fails for a valid handle: with statements still open it defers the close
  // until the last one is finalized.
  sqlite3_close_v2(m_db);
}

Result<void> Database::set_busy_timeout(std::chrono::milliseconds timeout) {
  const auto ms = static_cast<int>(
      std::min<std::chrono::milliseconds::rep>(timeout.count(), std::numeric_limits<int>::max()));
  if (sqlite3_busy_timeout(m_db, ms) != SQLITE_OK) {
    return std::unexpected(error("set the busy timeout"));
  }
  return {};
}

Result<void> Database::exec(std::string_view sql, std::string_view purpose) {
  // Prepares and steps one statement after the other rather than calling sqlite3_exec, so that
  // there is no malloc'ed error text to free and rows (PRAGMA answers) are simply skipped.
  if (!fits_int(sql)) return std::unexpected(make_error(m_db, purpose, "SQL text too long"));
  while (!only_whitespace(sql)) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), 0, &raw, &tail);
    Statement stmt(raw, std::string(purpose));
    if (rc != SQLITE_OK) return std::unexpected(error(purpose));
    sql.remove_prefix(static_cast<std::size_t>(tail - sql.data()));
    if (!raw) continue;  // only a comment was left
    for (;;) {
      auto row = stmt.step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
    }
  }
  return {};
}

std::int64_t Database::changes() const { return sqlite3_changes64(m_db); }

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(m_db) == 0; }

Error Database::error(std::string_view purpose) const { return make_error(m_db, purpose); }

std::string Database::filename() const { return std::string(where(m_db)); }

// Statement -----------------------------------------------------------------------------------

Result<Statement> Statement::prepare(Database& db, std::string_view sql, std::string purpose) {
  if (only_whitespace(sql)) {
    return std::unexpected(make_error(db.get(), purpose, "no SQL statement"));
  }
  if (!fits_int(sql)) return std::unexpected(make_error(db.get(), purpose, "SQL text too long"));
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc =
      sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()), 0, &raw, &tail);
  Statement stmt(raw, std::move(purpose));
  if (rc != SQLITE_OK) return std::unexpected(db.error(stmt.m_purpose));
  if (!raw) return std::unexpected(make_error(db.get(), stmt.m_purpose, "no SQL statement"));
  if (!only_whitespace(std::string_view(tail, sql.data() + sql.size() - tail))) {
    return std::unexpected(make_error(db.get(), stmt.m_purpose, "more than one SQL statement"));
  }
  return stmt;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(m_stmt);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_purpose = std::move(other.m_purpose);
    m_column_error = std::move(other.m_column_error);
  }
  return *this;
}

Statement::~Statement() {
  // finalize only repeats the error of the last step, which step() has reported already.
  sqlite3_finalize(m_stmt);
}

Result<void> Statement::bind_int64(int index, std::int64_t value) {
  if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) return std::unexpected(error());
  return {};
}

Result<void> Statement::bind_text(int index, std::string_view value) {
  // A null pointer would bind NULL, and an empty string_view may have one.
  const char* data = value.data() ? value.data() : "";
  if (sqlite3_bind_text64(m_stmt, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8)
      != SQLITE_OK) {
    return std::unexpected(error());
  }
  return {};
}

Result<void> Statement::bind_blob(int index, std::string_view bytes) {
  // sqlite3_bind_blob64 with a null pointer would bind NULL; a zero-length blob is meant.
  const int rc = bytes.empty() ? sqlite3_bind_zeroblob(m_stmt, index, 0)
                               : sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(),
                                                     SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) return std::unexpected(error());
  return {};
}

Result<void> Statement::bind_null(int index) {
  if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) return std::unexpected(error());
  return {};
}

Result<bool> Statement::step() {
  switch (sqlite3_step(m_stmt)) {
    case SQLITE_ROW: return true;
    case SQLITE_DONE: return false;
    default: return std::unexpected(error());
  }
}

Result<void> Statement::run() {
  auto row = step();
  if (!row) return std::unexpected(row.error());
  if (*row) {
    return std::unexpected(make_error(sqlite3_db_handle(m_stmt), m_purpose, "unexpected row"));
  }
  return {};
}

Result<void> Statement::reset() {
  // After a failed step, sqlite3_reset returns that step's error again; callers stop at the
  // first error, so a failure here is a new one.
  if (sqlite3_reset(m_stmt) != SQLITE_OK) return std::unexpected(error());
  if (sqlite3_clear_bindings(m_stmt) != SQLITE_OK) return std::unexpected(error());
  m_column_error.reset();
  return {};
}

bool Statement::column_in_range(int column) {
  if (column >= 0 && column < sqlite3_column_count(m_stmt)) return true;
  if (!m_column_error) {
    m_column_error = make_error(sqlite3_db_handle(m_stmt), m_purpose,
                                fmt::format("no result column {}", column));
  }
  return false;
}

bool Statement::column_is_null(int column) {
  return column_in_range(column) && sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) {
  return column_in_range(column) ? sqlite3_column_int64(m_stmt, column) : 0;
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) {
  if (!column_in_range(column) || column_is_null(column)) return std::nullopt;
  return sqlite3_column_int64(m_stmt, column);
}

std::string_view Statement::column_text_view(int column) {
  if (!column_in_range(column) || column_is_null(column)) return {};
  // Call order as SQLite documents it: the value first, then its size in that encoding.
  const auto* text = sqlite3_column_text(m_stmt, column);
  const int size = sqlite3_column_bytes(m_stmt, column);
  // A non-NULL value comes back as a null pointer only when converting it ran out of memory
  // (or it is an empty blob, which reads as "").
  if (!text) {
    if (size != 0 && !m_column_error) m_column_error = error();
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::string Statement::column_text(int column) { return std::string(column_text_view(column)); }

std::string Statement::column_blob(int column) {
  if (!column_in_range(column) || column_is_null(column)) return {};
  const void* bytes = sqlite3_column_blob(m_stmt, column);
  const int size = sqlite3_column_bytes(m_stmt, column);
  // A zero-length blob reads as a null pointer; a longer one only when memory ran out.
  if (!bytes) {
    if (size != 0 && !m_column_error) m_column_error = error();
    return {};
  }
  return std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

Result<void> Statement::check_columns() {
  if (m_column_error) return std::unexpected(*std::exchange(m_column_error, std::nullopt));
  return {};
}

Error Statement::error() const { return make_error(sqlite3_db_handle(m_stmt), m_purpose); }

// Transaction ---------------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db, std::string purpose) {
  if (auto r = db.exec("BEGIN IMMEDIATE", "begin a transaction to " + purpose); !r) {
    return std::unexpected(r.error());
  }
  return Transaction(db, std::move(purpose));
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM …) make SQLite roll back by itself;
  // then there is nothing left to roll back, and ROLLBACK would fail. A failed ROLLBACK cannot
  // be reported from a destructor; SQLite then rolls back when the connection closes.
  if (m_db && m_db->in_transaction()) (void)m_db->exec("ROLLBACK", "roll back");
}

Result<void> Transaction::commit() {
  if (!m_db) return fail("cannot commit: no transaction (committed already)");
  if (auto r = m_db->exec("COMMIT", "commit the transaction to " + m_purpose); !r) return r;
  m_db = nullptr;
  return {};
}

// Queries -------------------------------------------------------------------------------------

namespace {

Result<Statement> single_row(Database& db, std::string_view sql, std::string purpose) {
  auto stmt = Statement::prepare(db, sql, std::move(purpose));
  if (!stmt) return stmt;
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(make_error(db.get(), stmt->purpose(), "no result row"));
  return stmt;
}

}  // namespace

Result<std::int64_t> query_int64(Database& db, std::string_view sql, std::string purpose) {
  auto stmt = single_row(db, sql, std::move(purpose));
  if (!stmt) return std::unexpected(stmt.error());
  const std::int64_t value = stmt->column_int64(0);
  if (auto ok = stmt->check_columns(); !ok) return std::unexpected(ok.error());
  return value;
}

Result<std::string> query_text(Database& db, std::string_view sql, std::string purpose) {
  auto stmt = single_row(db, sql, std::move(purpose));
  if (!stmt) return std::unexpected(stmt.error());
  std::string value = stmt->column_text(0);
  if (auto ok = stmt->check_columns(); !ok) return std::unexpected(ok.error());
  return value;
}

}  // namespace respbench::sqlite
