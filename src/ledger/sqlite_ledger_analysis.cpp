// SqliteLedger::analysis_input(): the ledger as analyze_study() reads it, a million inquiries in
// under a second. Kept apart from sqlite_ledger.cpp, which is about keeping the ledger right;
// this is about reading it fast: covering indexes (schema 4), SQLite's getters on views instead
// of copies, companies found by position, the acknowledgements aggregated by SQLite and merged
// by id.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "analysis/input.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "util/memory.hpp"

namespace respbench::sqlite_ledger {

namespace {

// A deferred read transaction: the snapshot is taken at the first SELECT and holds for every
// later one, without taking the write lock (a `run` writing meanwhile is not held up).
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(sqlite::Database& db, std::string_view purpose) {
    if (auto r = db.exec("BEGIN DEFERRED", purpose); !r) return std::unexpected(r.error());
    return ReadTransaction(db);
  }
  ReadTransaction(ReadTransaction&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction() {
    // Nothing was written: ending it either way is the same; a failure changes nothing.
    if (m_db != nullptr && m_db->in_transaction()) (void)m_db->exec("ROLLBACK", "end a read");
  }

 private:
  explicit ReadTransaction(sqlite::Database& db) : m_db(&db) {}
  sqlite::Database* m_db;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using IndexOf = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;

// The index of a key in an IndexOf, asking the last few hits first: the probes and personas of
// consecutive inquiries repeat in short cycles, so most lookups end here without hashing.
class RecentLookup {
 public:
  explicit RecentLookup(const IndexOf& index) : m_index(&index) {}
  std::optional<std::uint32_t> find(std::string_view key) {
    for (const auto& [k, v] : m_recent) {
      if (k == key) return v;
    }
    const auto it = m_index->find(key);
    if (it == m_index->end()) return std::nullopt;
    m_recent[m_next] = {it->first, it->second};  // the map's own key: it stays where it is
    m_next = (m_next + 1) % m_recent.size();
    return it->second;
  }

 private:
  const IndexOf* m_index;
  std::array<std::pair<std::string_view, std::uint32_t>, 8> m_recent{};
  std::size_t m_next = 0;
};

// Runs `query` to its end, calling `row(query)` for each row; stops at the first failure.
template <class Row>
Result<void> each_row(sqlite::Statement& query, Row&& row) {
  for (;;) {
    auto more = query.step();
    if (!more) return std::unexpected(more.error());
    if (!*more) return {};
    if (auto r = row(query); !r) return r;
    if (auto ok = query.check_columns(); !ok) return ok;
  }
}

}  // namespace

Result<AnalysisInput> SqliteLedger::analysis_input(std::size_t max_quoted_replies) {
  const std::string file = m_db.filename();
  auto transaction = ReadTransaction::begin(m_db, "read the ledger for the report");
  if (!transaction) return std::unexpected(transaction.error());
  AnalysisInput input;

  // Companies, by id. In the table's order, which is by id already when `plan` recorded them
  // so (walking the id index instead visits each row out of order, three times slower).
  {
    auto count = sqlite::query_int64(m_db, "SELECT count(*) FROM companies", "count the companies");
    if (!count) return std::unexpected(count.error());
    reserve_huge(input.companies, static_cast<std::size_t>(*count));
    auto query = sqlite::Statement::prepare(
        m_db, "SELECT id, name, sector, email <> '', facebook <> '' FROM companies", "read the companies");
    if (!query) return std::unexpected(query.error());
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      AnalysisCompany& c = input.companies.emplace_back();
      c.id = q.column_text(0);
      c.name = q.column_text(1);
      c.sector = q.column_text(2);
      c.offers_email = q.column_int64(3) != 0;
      c.offers_facebook = q.column_int64(4) != 0;
      return {};
    });
    if (!read) return std::unexpected(read.error());
    const auto by_id = [](const AnalysisCompany& a, const AnalysisCompany& b) { return a.id < b.id; };
    if (!std::ranges::is_sorted(input.companies, by_id)) std::ranges::sort(input.companies, by_id);
  }
  // The company of an inquiry: mostly the one of the inquiry before or the next one (`plan`
  // records a company's inquiries together), else a binary search.
  std::size_t last_company = 0;
  const auto company_of = [&](std::string_view id) -> std::optional<std::uint32_t> {
    const auto& companies = input.companies;
    for (std::size_t i = last_company; i < std::min(last_company + 2, companies.size()); ++i) {
      if (companies[i].id == id) return static_cast<std::uint32_t>(last_company = i);
    }
    const auto it = std::ranges::lower_bound(companies, id, {}, [](const AnalysisCompany& c) -> std::string_view { return c.id; });
    if (it == companies.end() || it->id != id) return std::nullopt;
    return static_cast<std::uint32_t>(last_company = static_cast<std::size_t>(it - companies.begin()));
  };

  // Probes, by id.
  IndexOf probe_index;
  {
    auto query = sqlite::Statement::prepare(m_db, "SELECT id FROM probes ORDER BY id", "read the probes");
    if (!query) return std::unexpected(query.error());
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      input.probe_ids.push_back(q.column_text(0));
      probe_index.emplace(input.probe_ids.back(), static_cast<std::uint32_t>(input.probe_ids.size() - 1));
      return {};
    });
    if (!read) return std::unexpected(read.error());
  }

  // Inquiries, by id.
  IndexOf persona_index;
  {
    auto count = sqlite::query_int64(m_db, "SELECT count(*) FROM inquiries", "count the inquiries");
    if (!count) return std::unexpected(count.error());
    reserve_huge(input.inquiries, static_cast<std::size_t>(*count));
    // Absent times come as k_no_time from SQLite itself: one getter per column. The covering
    // index inquiries_for_analysis (schema 4) serves the whole query.
    auto query = sqlite::Statement::prepare(m_db, fmt::format(R"sql(
        SELECT id, company_id, channel, probe_id, persona, planned_at, state,
               ifnull(sent_at, {0}), ifnull(answered_at, {0})
        FROM inquiries ORDER BY id)sql", k_no_time),
                                            "read the inquiries");
    if (!query) return std::unexpected(query.error());
    sqlite3_stmt* q = query->get();
    const auto text = [q](int column) {
      const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(q, column));
      return std::string_view(data == nullptr ? "" : data, static_cast<std::size_t>(sqlite3_column_bytes(q, column)));
    };
    RecentLookup probe_of(probe_index);
    RecentLookup persona_of(persona_index);
    for (;;) {
      auto more = query->step();
      if (!more) return std::unexpected(more.error());
      if (!*more) break;
      InquiryRow& row = input.inquiries.emplace_back();
      row.id = sqlite3_column_int64(q, 0);
      const auto company = company_of(text(1));
      if (!company) return fail(fmt::format("{}: inquiry {} names an unknown company '{}'", file, row.id, text(1)));
      row.company = *company;
      const auto channel = parse_channel(text(2));
      if (!channel) return fail(fmt::format("{}: inquiry {} has an unknown channel '{}'", file, row.id, text(2)));
      row.channel = *channel;
      const auto probe = probe_of.find(text(3));
      if (!probe) return fail(fmt::format("{}: inquiry {} names an unknown probe '{}'", file, row.id, text(3)));
      row.probe = *probe;
      auto persona = persona_of.find(text(4));
      if (!persona) {
        // Personas are numbered as they come, and renumbered in sorted order below.
        persona = static_cast<std::uint32_t>(input.personas.size());
        input.personas.emplace_back(text(4));
        persona_index.emplace(input.personas.back(), *persona);
      }
      row.persona = *persona;
      row.planned_at = sqlite3_column_int64(q, 5);
      const auto state = parse_inquiry_state(text(6));
      if (!state) return fail(fmt::format("{}: inquiry {} has an unknown state '{}'", file, row.id, text(6)));
      row.state = *state;
      row.sent_at = sqlite3_column_int64(q, 7);
      row.answered_at = sqlite3_column_int64(q, 8);
    }
  }
  {
    std::vector<std::uint32_t> order(input.personas.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::ranges::sort(order, {}, [&](std::uint32_t i) -> const std::string& { return input.personas[i]; });
    std::vector<std::uint32_t> renumber(order.size());
    std::vector<std::string> sorted(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      renumber[order[i]] = i;
      sorted[i] = std::move(input.personas[order[i]]);
    }
    input.personas = std::move(sorted);
    for (InquiryRow& row : input.inquiries) row.persona = renumber[row.persona];
  }

  // The first acknowledgement of each inquiry, merged into the rows by id (both sorted).
  {
    auto query = sqlite::Statement::prepare(m_db, R"sql(
        SELECT inquiry_id, min(received_at) FROM replies
        WHERE inquiry_id IS NOT NULL AND kind IN ('auto_ack', 'ticket_ack')
        GROUP BY inquiry_id ORDER BY inquiry_id)sql",
                                            "find the first acknowledgements");
    if (!query) return std::unexpected(query.error());
    auto next = input.inquiries.begin();
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      const std::int64_t id = q.column_int64(0);
      next = std::lower_bound(next, input.inquiries.end(), id,
                              [](const InquiryRow& row, std::int64_t key) { return row.id < key; });
      // A reply matched to an inquiry that is gone cannot be: the foreign key keeps it.
      if (next != input.inquiries.end() && next->id == id) next->first_ack_at = q.column_int64(1);
      return {};
    });
    if (!read) return std::unexpected(read.error());
  }

  // The first person's answer of each company and channel. The inner query walks the
  // (company, channel, probe) index and stops after max_quoted_replies groups.
  if (max_quoted_replies > 0) {
    auto query = sqlite::Statement::prepare(m_db, R"sql(
        WITH firsts AS (
          SELECT company_id, channel, min(answered_at) AS first_at
          FROM inquiries WHERE answered_at IS NOT NULL
          GROUP BY company_id, channel
          ORDER BY company_id, channel
          LIMIT ?1)
        SELECT r.id, r.inquiry_id, f.company_id, r.channel, r.received_at, r.kind,
               r.from_address, r.subject, r.excerpt
        FROM firsts AS f
        JOIN inquiries AS i
          ON i.company_id = f.company_id AND i.channel = f.channel AND i.answered_at = f.first_at
        JOIN replies AS r
          ON r.inquiry_id = i.id AND r.counts_as_answer = 1 AND r.received_at = i.answered_at
        ORDER BY f.company_id, f.channel, r.received_at, r.id)sql",
                                            "find the replies to quote");
    if (!query) return std::unexpected(query.error());
    const auto limit = static_cast<std::int64_t>(
        std::min<std::size_t>(max_quoted_replies, std::numeric_limits<std::int64_t>::max()));
    if (auto r = query->bind_all(limit); !r) return std::unexpected(r.error());
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      ReplyFigures reply;
      reply.id = q.column_int64(0);
      reply.inquiry_id = q.column_optional_int64(1);
      const auto company = company_of(q.column_text_view(2));
      if (!company) return {};  // checked with the inquiries already
      reply.company = *company;
      const auto channel = parse_channel(q.column_text_view(3));
      if (!channel) return fail(fmt::format("{}: reply {} has an unknown channel", file, reply.id));
      reply.channel = *channel;
      reply.received_at = Instant{std::chrono::seconds{q.column_int64(4)}};
      reply.kind = parse_reply_kind(q.column_text_view(5)).value_or(ReplyKind::human);
      reply.from = q.column_text(6);
      reply.subject = q.column_text(7);
      reply.excerpt = q.column_text(8);
      // Two answers at the same second (or two inquiries answered at the same second): the first.
      if (!input.quoted_replies.empty() && input.quoted_replies.back().company == reply.company &&
          input.quoted_replies.back().channel == reply.channel) {
        return {};
      }
      input.quoted_replies.push_back(std::move(reply));
      return {};
    });
    if (!read) return std::unexpected(read.error());
  }
  return input;
}

}  // namespace respbench::sqlite_ledger
