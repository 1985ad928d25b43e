#pragma once
// Move-only owners for SQLite's C handles (STYLE.md, habit 4) and a thin statement helper that
// checks every return code and turns failures into Result errors of the form
// "PATH: cannot PURPOSE: SQLite's message". Only src/ledger uses these; the domain sees the
// Ledger interface. sqlite3.h stays out of this header so that includers (tests) need not know
// SQLite's C API.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace respbench::sqlite {

enum class OpenMode {
  existing,           // fail when the file does not exist (and create nothing)
  create_if_missing,  // create an empty database file when absent
};

// An open database connection; closes it on destruction. One thread at a time: it is opened
// without SQLite's own locking (SQLITE_OPEN_NOMUTEX); another thread may take it over, never
// share it.
class Database {
 public:
  // Opens `path` read-write; fails with SQLite's message when that is impossible.
  static Result<Database> open(const std::filesystem::path& path, OpenMode mode);

  Database(Database&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // How long a statement waits for another connection's lock before failing with "database is
  // locked".
  Result<void> set_busy_timeout(std::chrono::milliseconds timeout);

  // Runs one or more parameterless statements, discarding any rows; fails on the first error.
  Result<void> exec(std::string_view sql, std::string_view purpose);

  // Rows inserted, updated or deleted by the last such statement that completed.
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  // True while a transaction is open (SQLite rolls some failed transactions back by itself).
  bool in_transaction() const;

  // "PATH: cannot PURPOSE: <sqlite3_errmsg>" for the most recent failure on this connection.
  Error error(std::string_view purpose) const;
  // The database file's full path, for messages ("" for an in-memory database).
  std::string filename() const;

  sqlite3* get() const { return m_db; }

 private:
  explicit Database(sqlite3* db) : m_db(db) {}

  sqlite3* m_db = nullptr;
};

// A blob to bind (text and blob are both byte strings; the wrapper says which one is meant).
struct Blob {
  std::string_view bytes;
};

// A prepared statement; finalizes it on destruction. Parameters are bound by index (1-based, as
// in SQLite), columns read by index (0-based, as in SQLite).
class Statement {
 public:
  // Compiles exactly one SQL statement. `purpose` ("record a company") names it in every error.
  static Result<Statement> prepare(Database& db, std::string_view sql, std::string purpose);

  Statement(Statement&& other) noexcept
      : m_stmt(std::exchange(other.m_stmt, nullptr)),
        m_purpose(std::move(other.m_purpose)),
        m_column_error(std::move(other.m_column_error)) {}
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Each bind fails with SQLite's reason: index out of range, value too big, statement busy.
  // Values are copied, so they need not outlive the call.
  Result<void> bind_int64(int index, std::int64_t value);
  // Empty text binds as '' (not NULL).
  Result<void> bind_text(int index, std::string_view value);
  // An empty blob binds as a zero-length blob (not NULL).
  Result<void> bind_blob(int index, std::string_view bytes);
  Result<void> bind_null(int index);

  // Binds `values` to parameters 1, 2, … in order: integers, text (anything convertible to
  // std::string_view), Blob, std::nullopt, or a std::optional of those (empty binds NULL).
  template <class... Values>
  Result<void> bind_all(const Values&... values);

  // Advances to the next row: true when a row is ready, false when the statement is done.
  Result<bool> step();
  // Steps a statement that yields no rows (INSERT, UPDATE …) to its end.
  Result<void> run();
  // Makes the statement ready to run again, with no parameters bound.
  Result<void> reset();
  // reset(), bind_all(values...), run(): one call per row for statements run in a loop.
  template <class... Values>
  Result<void> execute(const Values&... values);

  // Column getters for the current row. SQLite can only fail here by running out of memory
  // (or on a column index out of range); such a failure is kept and reported by
  // check_columns(), so that reading a row stays one line per column.
  bool column_is_null(int column);
  std::int64_t column_int64(int column);
  std::optional<std::int64_t> column_optional_int64(int column);
  std::string column_text(int column);  // NULL reads as ""
  std::string column_blob(int column);  // NULL reads as ""
  // The text without a copy, valid until the next step(), reset() or getter of this column:
  // for reading a million rows without a million allocations. NULL reads as "".
  std::string_view column_text_view(int column);
  // Fails when a column getter failed since the last call.
  Result<void> check_columns();

  // "PATH: cannot PURPOSE: <sqlite3_errmsg>" for the most recent failure.
  Error error() const;
  const std::string& purpose() const { return m_purpose; }
  // The handle, for a loop over a million rows that reads columns with SQLite's own getters
  // (each getter here checks the column, which costs more than the read).
  sqlite3_stmt* get() const { return m_stmt; }

 private:
  Statement(sqlite3_stmt* stmt, std::string purpose)
      : m_stmt(stmt), m_purpose(std::move(purpose)) {}

  Result<void> bind_value(int index, std::int64_t value) { return bind_int64(index, value); }
  Result<void> bind_value(int index, std::string_view value) { return bind_text(index, value); }
  Result<void> bind_value(int index, Blob value) { return bind_blob(index, value.bytes); }
  Result<void> bind_value(int index, std::nullopt_t) { return bind_null(index); }
  template <class T>
  Result<void> bind_value(int index, const std::optional<T>& value) {
    return value ? bind_value(index, *value) : bind_null(index);
  }
  bool column_in_range(int column);

  friend class Database;  // exec() runs statements it compiles one after the other

  sqlite3_stmt* m_stmt = nullptr;
  std::string m_purpose;
  std::optional<Error> m_column_error;
};

// Holds an open transaction: BEGIN IMMEDIATE on creation, ROLLBACK on destruction unless
// committed, so that every early `return` on an error undoes the partial work. The Database must
// outlive it and stay where it is (the transaction keeps its address).
class Transaction {
 public:
  // BEGIN IMMEDIATE takes the write lock up front: a busy ledger fails here (after the busy
  // timeout) instead of halfway through, when a deferred read lock cannot be upgraded.
  static Result<Transaction> begin(Database& db, std::string purpose);

  Transaction(Transaction&& other) noexcept
      : m_db(std::exchange(other.m_db, nullptr)), m_purpose(std::move(other.m_purpose)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // Commits; on failure the transaction is rolled back by the destructor.
  Result<void> commit();

 private:
  Transaction(Database& db, std::string purpose) : m_db(&db), m_purpose(std::move(purpose)) {}

  Database* m_db = nullptr;  // not owned; null once committed (or moved from)
  std::string m_purpose;
};

// The first column of the single row `sql` yields, as an integer (for PRAGMAs and counts).
Result<std::int64_t> query_int64(Database& db, std::string_view sql, std::string purpose);
// The same as text.
Result<std::string> query_text(Database& db, std::string_view sql, std::string purpose);

// ---------------------------------------------------------------------------------------------

template <class... Values>
Result<void> Statement::bind_all(const Values&... values) {
  Result<void> result;
  [[maybe_unused]] int index = 0;
  // Stops at the first failure: `&&` short-circuits the fold.
  (void)((result = bind_value(++index, values), result.has_value()) && ...);
  return result;
}

template <class... Values>
Result<void> Statement::execute(const Values&... values) {
  if (auto r = reset(); !r) return r;
  if (auto r = bind_all(values...); !r) return r;
  return run();
}

}  // namespace respbench::sqlite
