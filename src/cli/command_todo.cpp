// respbench todo: what a person has to post by hand — on which page, as which persona, the text
// ready to paste, since when it is due. For a terminal, as CSV (--csv), JSON (--json) or a small
// HTML page to work through in a browser (--html FILE).

#include <ostream>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "channels/assisted_channel.hpp"
#include "cli/study_access.hpp"
#include "report/text.hpp"
#include "study/config.hpp"
#include "util/csv_write.hpp"
#include "util/files.hpp"

namespace respbench {
namespace {

std::string persona_name(const std::string& persona) {
  auto parsed = parse_persona(persona);
  return parsed ? parsed->name : persona;
}

std::string to_text(const std::vector<TodoItem>& items, const date::time_zone* zone, Instant now,
                     std::size_t waiting_for_run) {
  std::string out;
  std::size_t overdue = 0;
  for (const auto& item : items) overdue += item.overdue ? 1 : 0;
  if (items.empty()) {
    out = fmt::format("Nothing to post — now {}.\n", format_local(now, zone, true));
  } else {
    out = fmt::format("{} to post{} — now {}\n", items.size(),
                      overdue > 0 ? fmt::format(", {} overdue", overdue) : std::string(),
                      format_local(now, zone, true));
  }
  for (std::size_t n = 0; n < items.size(); ++n) {
    const TodoItem& item = items[n];
    const auto& i = item.inquiry;
    out += fmt::format("\n[{}/{}] inquiry {} — {}{}: due since {}{}\n", n + 1, items.size(), i.id, item.company_name,
                       item.sector.empty() ? "" : fmt::format(" ({})", item.sector),
                       format_local(item.due_since, zone, true), item.overdue ? "  OVERDUE" : "");
    out += fmt::format("  where:  {} ({})\n", item.link.empty() ? "-" : item.link, to_string(i.channel));
    out += fmt::format("  as:     {}\n", persona_name(i.persona));
    if (!item.problem.empty()) {
      out += fmt::format("  cannot show the text: {}\n", item.problem);
      continue;
    }
    out += fmt::format("  topic:  {}\n", item.subject);
    // The text unindented between two rules, so that it can be copied as it is.
    out += fmt::format("---- text to post ----\n{}{}---- end of text ----\n", item.text,
                       item.text.ends_with('\n') ? "" : "\n");
    out += fmt::format("  then:   respbench sent {} --ref PERMALINK-OR-ID [--at TIME]\n", i.id);
  }
  if (waiting_for_run > 0) {
    out += fmt::format("\n{} more {} due but not on the list yet: `respbench run` puts {} there.\n", waiting_for_run,
                       waiting_for_run == 1 ? "is" : "are", waiting_for_run == 1 ? "it" : "them");
  }
  return out;
}

std::string to_csv(const std::vector<TodoItem>& items, const date::time_zone* zone) {
  std::string out = csv_row({"inquiry", "company", "company_name", "sector", "channel", "page", "link", "persona",
                             "subject", "text", "due_since", "overdue", "problem"});
  for (const auto& item : items) {
    const auto& i = item.inquiry;
    out += csv_row({std::to_string(i.id), i.company_id, item.company_name, item.sector, std::string(to_string(i.channel)),
                    item.page, item.link, persona_name(i.persona), item.subject, item.text,
                    format_local(item.due_since, zone, true), item.overdue ? "yes" : "no", item.problem});
  }
  return out;
}

std::string to_json(const std::vector<TodoItem>& items, const date::time_zone* zone, Instant now) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  field("now", format_utc(now));
  w.Key("todo");
  w.StartArray();
  for (const auto& item : items) {
    const auto& i = item.inquiry;
    w.StartObject();
    w.Key("id");
    w.Int64(i.id);
    field("company", i.company_id);
    field("company_name", item.company_name);
    field("sector", item.sector);
    field("channel", std::string(to_string(i.channel)));
    field("page", item.page);
    field("link", item.link);
    field("persona", i.persona);
    field("probe", i.probe_id);
    field("subject", item.subject);
    field("text", item.text);
    field("due_since", format_utc(item.due_since));
    field("due_since_local", format_local(item.due_since, zone, true));
    w.Key("overdue");
    w.Bool(item.overdue);
    field("problem", item.problem);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

// One page, no scripts, no outside resources: it opens from a file on any machine.
std::string to_html(const std::vector<TodoItem>& items, const std::string& study_name, const date::time_zone* zone,
                    Instant now) {
  std::string out = fmt::format(R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>To post — {0}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
.item {{ border: 1px solid #ccc; border-radius: 6px; padding: 0.8rem 1rem; margin: 1rem 0; }}
.overdue {{ border-color: #c00; }}
.flag {{ color: #fff; background: #c00; padding: 0 0.4rem; border-radius: 3px; font-size: 0.85em; }}
pre.text {{ white-space: pre-wrap; background: #f6f6f6; padding: 0.6rem; user-select: all; font-family: inherit; }}
code {{ user-select: all; }}
dt {{ float: left; width: 6rem; color: #666; }} dd {{ margin-left: 6rem; }}
</style>
</head>
<body>
<h1>To post — {0}</h1>
<p>{1} item(s), as of {2}. Click a text to select it whole.</p>
)",
                                html_escape(study_name), items.size(), html_escape(format_local(now, zone, true)));
  for (const auto& item : items) {
    const auto& i = item.inquiry;
    out += fmt::format("<div class=\"item{}\" id=\"inquiry-{}\">\n<h2>{} {}</h2>\n<dl>\n", item.overdue ? " overdue" : "",
                       i.id, html_escape(item.company_name), item.overdue ? "<span class=\"flag\">overdue</span>" : "");
    out += fmt::format("<dt>inquiry</dt><dd>{}</dd>\n", i.id);
    if (!item.link.empty()) {
      out += fmt::format("<dt>where</dt><dd><a href=\"{0}\">{0}</a> ({1})</dd>\n", html_escape(item.link),
                         to_string(i.channel));
    }
    out += fmt::format("<dt>as</dt><dd>{}</dd>\n", html_escape(persona_name(i.persona)));
    out += fmt::format("<dt>due since</dt><dd>{}</dd>\n", html_escape(format_local(item.due_since, zone, true)));
    if (!item.subject.empty()) out += fmt::format("<dt>topic</dt><dd>{}</dd>\n", html_escape(item.subject));
    out += "</dl>\n";
    if (!item.problem.empty()) {
      out += fmt::format("<p>Cannot show the text: {}</p>\n", html_escape(item.problem));
    } else {
      out += fmt::format("<pre class=\"text\">{}</pre>\n", html_escape(item.text));
      out += fmt::format("<p>Then: <code>respbench sent {} --ref PERMALINK-OR-ID</code></p>\n", i.id);
    }
    out += "</div>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace

void declare_todo(po::options_description& options, po::positional_options_description&) {
  options.add_options()("csv", po::bool_switch(), "print the list as CSV")("json", po::bool_switch(),
                                                                             "print the list as JSON")(
      "html", po::value<std::string>()->value_name("FILE"), "also write the list as an HTML page to FILE");
}

int run_todo(Context& context) {
  if (context.options["csv"].as<bool>() && context.options["json"].as<bool>()) {
    throw CommandError(k_exit_invalid, "--csv and --json exclude each other; choose one");
  }
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);
  auto ledger = open_ledger(study, LedgerOpen::existing);
  InquiryFilter filter;
  filter.state = InquiryState::todo;
  const auto items = todo_items(study, value_or_throw(ledger->inquiries(filter)), now);
  std::size_t waiting_for_run = 0;
  for (Channel c : k_all_channels) {
    if (!is_assisted(c)) continue;
    InquiryFilter due;
    due.state = InquiryState::planned;
    due.channel = c;
    due.planned_before = now + std::chrono::seconds(1);  // planned_at <= now, as run has it
    waiting_for_run += value_or_throw(ledger->inquiries(due)).size();
  }

  const auto* zone = study.config.zone;
  if (context.options.count("html")) {
    const std::filesystem::path file = context.options["html"].as<std::string>();
    value_or_throw(write_file_atomic(file, to_html(items, study.config.name, zone, now)));
  }
  if (context.options["csv"].as<bool>()) context.out << to_csv(items, zone);
  else if (context.options["json"].as<bool>()) context.out << to_json(items, zone, now);
  else if (!context.options.count("html")) context.say(to_text(items, zone, now, waiting_for_run));
  else context.say(fmt::format("wrote {} to-do item(s) to {}\n", items.size(), context.options["html"].as<std::string>()));
  return k_exit_ok;
}

}  // namespace respbench
