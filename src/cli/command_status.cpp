// respbench status: where the study stands — inquiries per sector, channel and state, what is
// overdue and what is due next. A table on a terminal, JSON with --json.

#include <map>
#include <ostream>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "channels/assisted_channel.hpp"
#include "cli/study_access.hpp"
#include "util/files.hpp"
#include "util/table.hpp"

namespace respbench {
namespace {

struct StatusData {
  std::string study_name;
  const date::time_zone* zone = nullptr;
  Instant now;
  std::vector<StateCount> counts;
  std::vector<InquiryRecord> overdue;   // planned before now, not yet sent
  std::vector<InquiryRecord> next_due;  // the next planned ones after now
  std::vector<std::pair<InquiryRecord, std::string>> attention;  // with the reason
  std::int64_t review = 0;  // replies waiting for a person (respbench review)
  std::vector<std::pair<Channel, ChannelPause>> pauses;
  std::size_t todo_count = 0;              // waiting to be posted by hand
  std::vector<InquiryRecord> todo_overdue;  // of those, waiting too long (oldest first)
};

std::map<InquiryState, std::int64_t> totals_of(const std::vector<StateCount>& counts) {
  std::map<InquiryState, std::int64_t> totals;
  for (const auto& c : counts) totals[c.state] += c.count;
  return totals;
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The fields that name an inquiry, the same in every list of the JSON.
void write_identity(JsonWriter& w, const InquiryRecord& i) {
  w.Key("id");
  w.Int64(i.id);
  w.Key("company");
  w.String(i.company_id.c_str());
  w.Key("channel");
  w.String(std::string(to_string(i.channel)).c_str());
}

void write_inquiries(JsonWriter& w, const char* name, const std::vector<InquiryRecord>& list) {
  w.Key(name);
  w.StartArray();
  for (const auto& i : list) {
    w.StartObject();
    write_identity(w, i);
    w.Key("probe");
    w.String(i.probe_id.c_str());
    w.Key("persona");
    w.String(i.persona.c_str());
    w.Key("planned_at");
    w.String(format_utc(i.planned_at).c_str());
    w.EndObject();
  }
  w.EndArray();
}

std::string to_json(const StatusData& s) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("study");
  w.String(s.study_name.c_str());
  w.Key("now");
  w.String(format_utc(s.now).c_str());
  w.Key("timezone");
  w.String(s.zone->name().c_str());
  w.Key("totals");
  w.StartObject();
  std::int64_t all = 0;
  auto totals = totals_of(s.counts);
  for (auto state : k_all_inquiry_states) {
    w.Key(std::string(to_string(state)).c_str());
    w.Int64(totals[state]);
    all += totals[state];
  }
  w.Key("all");
  w.Int64(all);
  w.EndObject();
  w.Key("counts");
  w.StartArray();
  for (const auto& c : s.counts) {
    w.StartObject();
    w.Key("sector");
    w.String(c.sector.c_str());
    w.Key("channel");
    w.String(std::string(to_string(c.channel)).c_str());
    w.Key("state");
    w.String(std::string(to_string(c.state)).c_str());
    w.Key("count");
    w.Int64(c.count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("overdue_count");
  w.Int64(static_cast<std::int64_t>(s.overdue.size()));
  write_inquiries(w, "overdue", s.overdue);
  write_inquiries(w, "next_due", s.next_due);
  w.Key("todo_count");
  w.Int64(static_cast<std::int64_t>(s.todo_count));
  w.Key("todo_overdue_count");
  w.Int64(static_cast<std::int64_t>(s.todo_overdue.size()));
  write_inquiries(w, "todo_overdue", s.todo_overdue);
  w.Key("attention");
  w.StartArray();
  for (const auto& [i, reason] : s.attention) {
    w.StartObject();
    write_identity(w, i);
    w.Key("message_id");
    w.String(i.message_id.c_str());
    w.Key("reason");
    w.String(reason.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.Key("review");
  w.Int64(s.review);
  w.Key("paused");
  w.StartArray();
  for (const auto& [channel, pause] : s.pauses) {
    w.StartObject();
    w.Key("channel");
    w.String(std::string(to_string(channel)).c_str());
    w.Key("since");
    w.String(format_utc(pause.since).c_str());
    w.Key("until");
    if (pause.until) w.String(format_utc(*pause.until).c_str());
    else w.Null();
    w.Key("reason");
    w.String(pause.reason.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString()) + "\n";
}

std::string to_text(const StatusData& s) {
  auto totals = totals_of(s.counts);
  std::vector<InquiryState> shown;  // only the states that occur, to keep the table narrow
  for (auto state : k_all_inquiry_states) {
    if (totals[state] > 0) shown.push_back(state);
  }
  std::vector<std::string> header = {"sector", "channel"};
  std::vector<Align> align = {Align::left, Align::left};
  for (auto state : shown) {
    header.emplace_back(to_string(state));
    align.push_back(Align::right);
  }
  header.emplace_back("total");
  align.push_back(Align::right);
  TextTable table(header, align);

  std::map<std::pair<std::string, Channel>, std::map<InquiryState, std::int64_t>> groups;
  for (const auto& c : s.counts) groups[{c.sector, c.channel}][c.state] += c.count;
  auto row_of = [&](std::string a, std::string b, std::map<InquiryState, std::int64_t>& counts) {
    std::vector<std::string> row = {std::move(a), std::move(b)};
    std::int64_t total = 0;
    for (auto state : shown) {
      row.push_back(fmt::format("{}", counts[state]));
      total += counts[state];
    }
    row.push_back(fmt::format("{}", total));
    return row;
  };
  for (auto& [key, counts] : groups) table.add_row(row_of(key.first, std::string(to_string(key.second)), counts));
  table.add_rule();
  table.add_row(row_of("all", "", totals));

  std::string out = fmt::format("{} — now {}\n\n{}", s.study_name, format_local(s.now, s.zone, true), table.render());
  if (!s.overdue.empty()) {
    out += fmt::format("\n{} inquir{} overdue (planned before now, not sent yet); the oldest since {}.\n",
                       s.overdue.size(), s.overdue.size() == 1 ? "y is" : "ies are",
                       format_local(s.overdue.front().planned_at, s.zone, true));
  }
  if (s.todo_count > 0) {
    out += fmt::format("\n{} to-do{} waiting to be posted by hand (`respbench todo`)", s.todo_count,
                       s.todo_count == 1 ? "" : "s");
    if (s.todo_overdue.empty()) out += ".\n";
    else {
      out += fmt::format("; {} overdue, the oldest due since {}.\n", s.todo_overdue.size(),
                         format_local(s.todo_overdue.front().planned_at, s.zone, true));
    }
  }
  if (!s.attention.empty()) {
    out += fmt::format("\n{} inquir{} the operator's attention:\n", s.attention.size(),
                       s.attention.size() == 1 ? "y needs" : "ies need");
    for (const auto& [i, reason] : s.attention) {
      out += fmt::format("  {} {} {} <{}>: {}\n", i.id, i.company_id, to_string(i.channel), i.message_id, reason);
    }
  }
  if (s.review > 0) {
    out += fmt::format("\n{} repl{} waiting for review: see `respbench review`.\n", s.review,
                       s.review == 1 ? "y is" : "ies are");
  }
  for (const auto& [channel, pause] : s.pauses) {
    if (pause.until) {
      out += fmt::format("\n{} is paused until {} (since {}): {}\n", to_string(channel),
                         format_local(*pause.until, s.zone, true), format_local(pause.since, s.zone, true), pause.reason);
    } else {
      out += fmt::format("\n{} is paused since {}: {}\n", to_string(channel), format_local(pause.since, s.zone, true),
                         pause.reason);
    }
  }
  if (!s.next_due.empty()) {
    TextTable next({"due", "id", "company", "channel", "probe", "persona"});
    for (const auto& i : s.next_due) {
      next.add_row({format_local(i.planned_at, s.zone, true), fmt::format("{}", i.id), i.company_id,
                    std::string(to_string(i.channel)), i.probe_id, i.persona});
    }
    out += "\nNext due:\n" + next.render();
  } else if (s.overdue.empty()) {
    out += "\nNothing planned is waiting to be sent.\n";
  }
  return out;
}

}  // namespace

void declare_status(po::options_description& options, po::positional_options_description&) {
  options.add_options()("json", po::bool_switch(), "print JSON for scripts")(
      "next", po::value<std::size_t>()->default_value(10), "how many of the next due inquiries to list");
}

int run_status(Context& context) {
  // Status needs the configuration (name, time zone) and the ledger, not a valid panel: it must
  // work while someone is editing companies.csv.
  const StudyConfig config = load_config(context);
  auto ledger = open_existing_ledger(context);

  StatusData s;
  s.study_name = config.name;
  s.zone = config.zone;
  s.now = context.now(config.zone);
  s.counts = value_or_throw(ledger->state_counts());
  InquiryFilter overdue;
  overdue.state = InquiryState::planned;
  overdue.planned_before = s.now;
  s.overdue = value_or_throw(ledger->inquiries(overdue));
  auto wanted = context.options["next"].as<std::size_t>();
  InquiryFilter pending;
  pending.state = InquiryState::planned;
  pending.limit = wanted + s.overdue.size();
  for (auto& i : value_or_throw(ledger->inquiries(pending))) {
    if (i.planned_at >= s.now && s.next_due.size() < wanted) s.next_due.push_back(std::move(i));
  }

  InquiryFilter todo;
  todo.state = InquiryState::todo;
  const auto todos = value_or_throw(ledger->inquiries(todo));
  s.todo_count = todos.size();
  for (const auto& i : todos) {
    if (is_overdue(i.planned_at, s.now)) s.todo_overdue.push_back(i);
  }

  InquiryFilter attention;
  attention.state = InquiryState::attention;
  for (auto& i : value_or_throw(ledger->inquiries(attention))) {
    auto reason = value_or_throw(ledger->last_error(i.id));
    s.attention.emplace_back(std::move(i), std::move(reason));
  }

  s.review = value_or_throw(ledger->review_count());
  for (Channel channel : k_all_channels) {
    if (auto pause = value_or_throw(ledger->channel_pause(channel))) s.pauses.emplace_back(channel, std::move(*pause));
  }

  if (context.options["json"].as<bool>()) context.out << to_json(s);
  else context.say(to_text(s));
  return k_exit_ok;
}

}  // namespace respbench
