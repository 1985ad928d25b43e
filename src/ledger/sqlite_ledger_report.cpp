// SqliteLedger's reads for the report's row files (replies.csv, inquiries.csv' references):
// every reply or inquiry of a big ledger, index-only (schema 5) and through SQLite's getters
// straight. Kept apart from sqlite_ledger.cpp, as sqlite_ledger_analysis.cpp is: that one is
// about keeping the ledger right, these are about reading it fast.

#include <chrono>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <sqlite3.h>

#include "ledger/sqlite_ledger.hpp"

namespace respbench::sqlite_ledger {

Result<void> SqliteLedger::for_each_reply(const std::function<Result<void>(const ReplyRow&)>& visit) {
  // One statement is one read transaction in SQLite: a run committing meanwhile is not seen
  // halfway. Rows are stepped one by one, never collected. The covering index
  // replies_for_report (schema 5) serves the whole query: the raw messages stay unread.
  auto query = sqlite::Statement::prepare(m_db, R"sql(
      SELECT id, inquiry_id, channel, source, received_at, kind, counts_as_answer, kind_decided_by,
             inquiry_decided_by, match_method, from_address, subject
      FROM replies ORDER BY id)sql",
                                          "read the replies");
  if (!query) return std::unexpected(query.error());
  // SQLite's getters straight, as analysis_input() reads: the checked ones cost a fifth of
  // the file's time over 900 000 rows of twelve columns. The columns are the query's own.
  sqlite3_stmt* q = query->get();
  const auto text = [q](int column) {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(q, column));
    return std::string_view(data == nullptr ? "" : data, static_cast<std::size_t>(sqlite3_column_bytes(q, column)));
  };
  ReplyRow row;
  for (;;) {
    auto ready = query->step();
    if (!ready) return std::unexpected(ready.error());
    if (!*ready) return {};
    // Views, then assigned: the row's strings keep their capacity from one reply to the next.
    row.id = sqlite3_column_int64(q, 0);
    row.inquiry_id = sqlite3_column_type(q, 1) == SQLITE_NULL ? std::nullopt
                                                                : std::optional(sqlite3_column_int64(q, 1));
    const std::string_view channel = text(2);
    row.source = text(3);
    row.received_at = Instant(std::chrono::seconds(sqlite3_column_int64(q, 4)));
    const std::string_view kind = text(5);
    row.counts_as_answer = sqlite3_column_int64(q, 6) != 0;
    row.kind_decided_by = text(7);
    row.inquiry_decided_by = text(8);
    row.match_method = text(9);
    row.from_address = text(10);
    row.subject = text(11);
    const auto parsed_channel = parse_channel(channel);
    if (!parsed_channel) {
      return fail(fmt::format("{}: reply {} has an unknown channel '{}'", m_db.filename(), row.id, channel));
    }
    row.channel = *parsed_channel;
    // Schema 1 and 2 replies may have no kind: nobody has looked at them yet.
    row.kind = parse_reply_kind(kind).value_or(ReplyKind::unclassified);
    if (auto r = visit(row); !r) return r;
  }
}

Result<void> SqliteLedger::for_each_inquiry_reference(
    const std::function<Result<void>(std::int64_t id, std::string_view reference)>& visit) {
  // Index-only through inquiries_reference (schema 5); the outgoing messages stay unread. Only
  // email sends get a Message-ID (begin_send) and only assisted ones an external_ref
  // (register_assisted_send): at most one of the two is set.
  auto query = sqlite::Statement::prepare(m_db, R"sql(
      SELECT id, message_id, external_ref FROM inquiries
      WHERE message_id IS NOT NULL OR external_ref IS NOT NULL
      ORDER BY id)sql",
                                          "read the inquiries' references");
  if (!query) return std::unexpected(query.error());
  sqlite3_stmt* q = query->get();
  const auto text = [q](int column) {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(q, column));
    return std::string_view(data == nullptr ? "" : data, static_cast<std::size_t>(sqlite3_column_bytes(q, column)));
  };
  for (;;) {
    auto ready = query->step();
    if (!ready) return std::unexpected(ready.error());
    if (!*ready) return {};
    const std::int64_t id = sqlite3_column_int64(q, 0);
    std::string_view reference = text(1);
    if (reference.empty()) reference = text(2);
    // Stored without brackets (mail/message.cpp strips them); a ledger written otherwise still
    // reads the same.
    if (reference.size() >= 2 && reference.front() == '<' && reference.back() == '>') {
      reference = reference.substr(1, reference.size() - 2);
    }
    if (reference.empty()) continue;
    if (auto r = visit(id, reference); !r) return r;
  }
}

}  // namespace sqlite_ledger
