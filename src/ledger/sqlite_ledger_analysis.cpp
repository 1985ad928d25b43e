// SqliteLedger::analysis_input(): the ledger as analyze_study() reads it, a million inquiries in
// well under a second. Kept apart from sqlite_ledger.cpp, which is about keeping the ledger
// right; this is about reading it fast: views instead of copies, one hash lookup per row, the
// acknowledgements aggregated by SQLite and merged by id.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "analysis/input.hpp"
#include "ledger/sqlite_ledger.hpp"

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

  // Companies, by id.
  IndexOf company_index;
  {
    auto query = sqlite::Statement::prepare(m_db, R"sql(
        SELECT id, name, sector, email <> '', facebook <> '' FROM companies ORDER BY id)sql",
                                            "read the companies");
    if (!query) return std::unexpected(query.error());
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      AnalysisCompany& c = input.companies.emplace_back();
      c.id = q.column_text(0);
      c.name = q.column_text(1);
      c.sector = q.column_text(2);
      c.offers_email = q.column_int64(3) != 0;
      c.offers_facebook = q.column_int64(4) != 0;
      company_index.emplace(c.id, static_cast<std::uint32_t>(input.companies.size() - 1));
      return {};
    });
    if (!read) return std::unexpected(read.error());
  }

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

  // Inquiries, by id. Personas are numbered as they come, then renumbered in sorted order.
  IndexOf persona_index;
  {
    auto count = sqlite::query_int64(m_db, "SELECT count(*) FROM inquiries", "count the inquiries");
    if (!count) return std::unexpected(count.error());
    input.inquiries.reserve(static_cast<std::size_t>(*count));
    auto query = sqlite::Statement::prepare(m_db, R"sql(
        SELECT id, company_id, channel, probe_id, persona, planned_at, state, sent_at, answered_at
        FROM inquiries ORDER BY id)sql",
                                            "read the inquiries");
    if (!query) return std::unexpected(query.error());
    // Inquiries of one company tend to follow each other: remember the last lookup.
    std::string last_company;
    std::uint32_t last_company_index = 0;
    const auto find = [&](const IndexOf& index, std::string_view key) -> std::optional<std::uint32_t> {
      const auto it = index.find(key);
      if (it == index.end()) return std::nullopt;
      return it->second;
    };
    auto read = each_row(*query, [&](sqlite::Statement& q) -> Result<void> {
      InquiryRow& row = input.inquiries.emplace_back();
      row.id = q.column_int64(0);
      const std::string_view company = q.column_text_view(1);
      if (company != last_company || last_company.empty()) {
        const auto found = find(company_index, company);
        if (!found) return fail(fmt::format("{}: inquiry {} names an unknown company '{}'", file, row.id, company));
        last_company = company;
        last_company_index = *found;
      }
      row.company = last_company_index;
      const std::string_view channel = q.column_text_view(2);
      const auto parsed_channel = parse_channel(channel);
      if (!parsed_channel) return fail(fmt::format("{}: inquiry {} has an unknown channel '{}'", file, row.id, channel));
      row.channel = *parsed_channel;
      const std::string_view probe = q.column_text_view(3);
      const auto probe_found = find(probe_index, probe);
      if (!probe_found) return fail(fmt::format("{}: inquiry {} names an unknown probe '{}'", file, row.id, probe));
      row.probe = *probe_found;
      const std::string_view persona = q.column_text_view(4);
      auto persona_found = find(persona_index, persona);
      if (!persona_found) {
        persona_found = static_cast<std::uint32_t>(input.personas.size());
        input.personas.emplace_back(persona);
        persona_index.emplace(std::string(persona), *persona_found);
      }
      row.persona = *persona_found;
      row.planned_at = q.column_int64(5);
      const std::string_view state = q.column_text_view(6);
      const auto parsed_state = parse_inquiry_state(state);
      if (!parsed_state) return fail(fmt::format("{}: inquiry {} has an unknown state '{}'", file, row.id, state));
      row.state = *parsed_state;
      row.sent_at = q.column_optional_int64(7).value_or(k_no_time);
      row.answered_at = q.column_optional_int64(8).value_or(k_no_time);
      return {};
    });
    if (!read) return std::unexpected(read.error());
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
      const auto company = company_index.find(q.column_text_view(2));
      if (company == company_index.end()) return {};  // checked with the inquiries already
      reply.company = company->second;
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
