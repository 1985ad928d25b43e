// respbench review: the replies a person should look at (DESIGN §5) — not matched to an
// inquiry, matched ambiguously, or of uncertain kind — of every channel, with the reasons and
// the inquiries they might belong to. `--all` lists every stored reply. JSON with --json.

#include <ostream>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "channels/reply_matching.hpp"
#include "cli/study_access.hpp"
#include "study/study.hpp"

namespace respbench {
namespace {

// How much of a reply's text the terminal listing shows.
constexpr std::size_t k_shown_excerpt = 300;

struct ReviewItem {
  StoredReply reply;
  std::vector<MatchCandidate> candidates;
};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void string(JsonWriter& w, std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

void optional_string(JsonWriter& w, std::string_view s) {
  if (s.empty()) w.Null();
  else string(w, s);
}

std::string to_json(const std::vector<ReviewItem>& items, const date::time_zone* zone, std::int64_t waiting) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("waiting");
  w.Int64(waiting);
  w.Key("replies");
  w.StartArray();
  for (const auto& [r, candidates] : items) {
    w.StartObject();
    w.Key("id");
    w.Int64(r.id);
    w.Key("channel");
    string(w, to_string(r.channel));
    w.Key("received_at");
    string(w, format_utc(r.received_at));
    w.Key("received_local");
    string(w, format_local(r.received_at, zone, true));
    w.Key("from");
    string(w, r.from_address);
    w.Key("subject");
    string(w, r.subject);
    w.Key("kind");
    string(w, to_string(r.kind));
    w.Key("kind_decided_by");
    string(w, r.kind_decided_by);
    w.Key("inquiry");
    if (r.inquiry_id) w.Int64(*r.inquiry_id);
    else w.Null();
    w.Key("inquiry_decided_by");
    string(w, r.inquiry_decided_by);
    w.Key("match_method");
    optional_string(w, r.match_method);
    w.Key("counts_as_answer");
    w.Bool(r.counts_as_answer);
    w.Key("reasons");
    string(w, r.reasons);
    w.Key("review");
    optional_string(w, r.review);
    w.Key("excerpt");
    string(w, r.excerpt);
    w.Key("candidates");
    w.StartArray();
    for (const auto& c : candidates) {
      w.StartObject();
      w.Key("inquiry");
      w.Int64(c.inquiry_id);
      w.Key("company");
      string(w, c.company_id);
      w.Key("subject");
      string(w, c.subject);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

// One line: the excerpt's line breaks made spaces, cut at a character boundary.
std::string one_line(std::string_view text, std::size_t most) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (out.size() <= most) return out;
  while (most > 0 && (static_cast<unsigned char>(out[most]) & 0xC0) == 0x80) --most;
  return out.substr(0, most) + " …";
}

std::string to_text(const std::vector<ReviewItem>& items, const date::time_zone* zone, bool all) {
  if (items.empty()) return all ? "No replies stored yet.\n" : "No replies are waiting for review.\n";
  std::string out;
  for (const auto& [r, candidates] : items) {
    out += fmt::format("reply {} · {} · received {} · from {}\n", r.id, to_string(r.channel),
                       format_local(r.received_at, zone, true), r.from_address.empty() ? "(unknown)" : r.from_address);
    out += fmt::format("  subject:   {}\n", r.subject);
    out += fmt::format("  kind:      {} (decided by {})\n", to_string(r.kind), r.kind_decided_by == "person" ? "a person" : "the rules");
    out += fmt::format("  inquiry:   {}{}\n", r.inquiry_id ? fmt::format("{}", *r.inquiry_id) : std::string("none"),
                       r.inquiry_decided_by == "person" ? " (decided by a person)"
                       : r.match_method.empty()         ? ""
                                                        : fmt::format(" (by {})", r.match_method));
    if (!r.review.empty()) out += fmt::format("  review:    {}\n", r.review);
    if (!r.reasons.empty()) out += fmt::format("  reasons:   {}\n", r.reasons);
    if (!r.excerpt.empty()) out += fmt::format("  text:      {}\n", one_line(r.excerpt, k_shown_excerpt));
    for (const auto& c : candidates) {
      out += fmt::format("  candidate: inquiry {} to {}{}\n", c.inquiry_id, c.company_id,
                         c.subject.empty() ? "" : fmt::format(" \"{}\"", c.subject));
    }
    out += "\n";
  }
  out += fmt::format("{} repl{}. Decide with `respbench assign REPLY INQUIRY` (or `none`) and "
                     "`respbench classify REPLY KIND`.\n",
                     items.size(), items.size() == 1 ? "y" : "ies");
  return out;
}

}  // namespace

void declare_review(po::options_description& options, po::positional_options_description&) {
  options.add_options()("all", po::bool_switch(), "list every stored reply, not only those waiting for review")(
      "json", po::bool_switch(), "print JSON for scripts");
}

int run_review(Context& context) {
  // Like status, review needs the configuration and the ledger, not a valid panel; the probes
  // only name the candidates' subjects when the study loads.
  const StudyConfig config = load_config(context);
  auto ledger = open_existing_ledger(context);
  Diagnostics ignored;
  const auto study = load_study(context.study_dir, ignored);
  const std::vector<Probe> no_probes;
  LedgerMatchLookup lookup(*ledger, value_or_throw(ledger->companies()), study ? study->probes : no_probes);

  const bool all = context.options["all"].as<bool>();
  ReplyFilter filter;
  filter.review_only = !all;
  std::vector<ReviewItem> items;
  for (auto& reply : value_or_throw(ledger->replies(filter))) {
    ReviewItem& item = items.emplace_back();
    item.reply = std::move(reply);
    // The inquiries it might belong to: those of the companies the sender's domain belongs to.
    const std::string domain = domain_of_address(item.reply.from_address);
    if (!item.reply.review.empty() && !domain.empty()) item.candidates = value_or_throw(lookup.candidates_for_domain(domain));
  }
  if (context.options["json"].as<bool>()) {
    context.out << to_json(items, config.zone, value_or_throw(ledger->review_count()));
  } else {
    context.say(to_text(items, config.zone, all));
  }
  return k_exit_ok;
}

}  // namespace respbench
