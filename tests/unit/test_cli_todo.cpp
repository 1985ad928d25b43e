// The assisted workflow end to end: run puts due Facebook inquiries on the to-do list, todo shows
// them (terminal, CSV, JSON, HTML), sent registers what was posted, status shows what is overdue.
#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "assisted_support.hpp"
#include "channels/assisted_channel.hpp"
#include "util/csv.hpp"

using namespace respbench;
using respbench::test::run_cli;
using respbench::test::TempDir;

namespace {

const std::string k_now = "2026-03-04T12:00";  // Wednesday of the first week

Instant at(const char* text) { return parse_instant(text, nullptr).value(); }

std::vector<std::string> cli(const TempDir& tmp, std::vector<std::string> args, const std::string& now = k_now) {
  args.insert(args.end(), {"--study", tmp.path().string(), "--now", now});
  return args;
}

void run_at(const TempDir& tmp, const std::string& now) {
  auto r = run_cli(cli(tmp, {"run"}, now));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

}  // namespace

TEST_CASE("run puts the due Facebook inquiries on the to-do list, and not the future ones") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  const auto before = test::inquiries_of(tmp.path());
  auto r = run_cli(cli(tmp, {"run"}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const Instant now = at("2026-03-04T12:00:00+01:00");
  const auto after = test::inquiries_of(tmp.path());
  REQUIRE(after.size() == before.size());
  int todo = 0;
  int planned = 0;
  for (std::size_t n = 0; n < after.size(); ++n) {
    CHECK(after[n].planned_at == before[n].planned_at);  // since when it is due
    CHECK(after[n].state == (after[n].planned_at <= now ? InquiryState::todo : InquiryState::planned));
    (after[n].state == InquiryState::todo ? todo : planned) += 1;
  }
  CHECK(todo > 0);
  CHECK(planned > 0);
  CHECK(r.out.find(fmt::format("put {} due inquir", todo)) != std::string::npos);

  // A second run at the same time moves nothing more.
  auto again = run_cli(cli(tmp, {"run"}));
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("to-do list") == std::string::npos);
  CHECK(test::in_state(tmp.path(), InquiryState::todo).size() == static_cast<std::size_t>(todo));
}

TEST_CASE("todo shows what to post where, with the placeholders filled in and the overdue flagged") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  // Late in the study: every inquiry is due, so that every probe of the panel is on the list.
  const std::string late = "2026-03-20T18:00";
  run_at(tmp, late);
  const auto todos = test::in_state(tmp.path(), InquiryState::todo);
  REQUIRE(!todos.empty());

  auto text = run_cli(cli(tmp, {"todo"}, late));
  REQUIRE_MESSAGE(text.exit_code == 0, text.err);
  CHECK(text.out.find(fmt::format("{} to post", todos.size())) != std::string::npos);
  CHECK(text.out.find("https://www.facebook.com/WeissbachKabel") != std::string::npos);
  CHECK(text.out.find("---- text to post ----") != std::string::npos);
  CHECK(text.out.find('{') == std::string::npos);  // no placeholder left
  CHECK(text.out.find("OVERDUE") != std::string::npos);

  auto json = run_cli(cli(tmp, {"todo", "--json"}, late));
  REQUIRE(json.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const auto& items = doc["todo"];
  REQUIRE(items.Size() == todos.size());
  const Instant now = at("2026-03-20T18:00:00+01:00");
  int with_persona = 0;
  int with_company = 0;
  for (rapidjson::SizeType n = 0; n < items.Size(); ++n) {
    const auto& item = items[n];
    const auto& inquiry = todos[n];
    CHECK(item["id"].GetInt64() == inquiry.id);
    // Each placeholder the probe uses is filled in.
    const std::string probe = test::read_text(tmp.path() / "probes" / (inquiry.probe_id + ".txt"));
    const std::string body = item["text"].GetString();
    const std::string persona = inquiry.persona.substr(0, inquiry.persona.find(" <"));
    const std::string company = item["company_name"].GetString();
    CHECK(!body.empty());
    CHECK(body.find("{") == std::string::npos);
    if (probe.find("{persona.name}") != std::string::npos) {
      ++with_persona;
      CHECK_MESSAGE(body.find(persona) != std::string::npos, body);
    }
    if (probe.find("{company.name}") != std::string::npos) {
      ++with_company;
      CHECK_MESSAGE(body.find(company) != std::string::npos, body);
    }
    CHECK(std::string(item["due_since"].GetString()) == format_utc(inquiry.planned_at));
    CHECK(item["overdue"].GetBool() == (now - inquiry.planned_at > k_todo_overdue_after));
    CHECK(std::string(item["link"].GetString()).starts_with("https://www.facebook.com/"));
  }
  CHECK(with_persona > 0);
  CHECK(with_company > 0);
  // The company with HTML in its name: its texts name it as it is written.
  bool bank = false;
  for (const auto& item : items.GetArray()) {
    if (std::string(item["company"].GetString()) != "nordlicht-bank") continue;
    bank = true;
    CHECK(std::string(item["company_name"].GetString()) == "Nordlicht <b>Bank</b> AG");
    CHECK(std::string(item["link"].GetString()) == "https://www.facebook.com/NordlichtBank");
  }
  CHECK(bank);
}

TEST_CASE("todo as CSV (RFC 4180) and as a self-contained, escaped HTML page") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  run_at(tmp, k_now);
  const auto todos = test::in_state(tmp.path(), InquiryState::todo);

  auto json = run_cli(cli(tmp, {"todo", "--json"}));
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  std::vector<std::string> texts;
  for (const auto& item : doc["todo"].GetArray()) texts.emplace_back(item["text"].GetString());

  auto csv = run_cli(cli(tmp, {"todo", "--csv"}));
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("\r\n") != std::string::npos);
  Diagnostics diags;
  const auto records = parse_csv(csv.out, "todo.csv", diags);
  CHECK(diags.empty());
  REQUIRE(records.size() == todos.size() + 1);
  CHECK(records[0].fields[0].value == "inquiry");
  CHECK(records[0].fields[9].value == "text");
  for (std::size_t n = 1; n < records.size(); ++n) {
    CHECK(records[n].fields.size() == records[0].fields.size());
    CHECK(records[n].fields[0].value == std::to_string(todos[n - 1].id));
    CHECK(records[n].fields[9].value == texts[n - 1]);  // line breaks, quotes and commas survive
  }

  const auto page = tmp / "todo.html";
  auto html = run_cli(cli(tmp, {"todo", "--html", page.string()}));
  REQUIRE_MESSAGE(html.exit_code == 0, html.err);
  const std::string content = test::read_text(page);
  CHECK(content.starts_with("<!DOCTYPE html>"));
  CHECK(content.find("Nordlicht &lt;b&gt;Bank&lt;/b&gt; AG") != std::string::npos);
  CHECK(content.find("<b>") == std::string::npos);
  CHECK(content.find("<script") == std::string::npos);
  CHECK(content.find("http://") == std::string::npos);  // nothing loaded from elsewhere
  std::size_t blocks = 0;
  for (auto p = content.find("<pre class=\"text\">"); p != std::string::npos; p = content.find("<pre class=\"text\">", p + 1)) ++blocks;
  CHECK(blocks == todos.size());
  CHECK(content.find("href=\"https://www.facebook.com/NordlichtBank\"") != std::string::npos);
}

TEST_CASE("sent registers a post by its permalink or its id, once") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  run_at(tmp, k_now);
  const auto first = test::first_inquiry(tmp.path(), "weissbach-kabel", InquiryState::todo);
  const auto second = test::first_inquiry(tmp.path(), "stadtwerke-auenbruch", InquiryState::todo);

  const std::string posted = format_utc(first.planned_at + std::chrono::minutes(10));
  auto r = run_cli(cli(tmp, {"sent", std::to_string(first.id), "--ref",
                             "https://m.facebook.com/WeissbachKabel/posts/10158349356748553?__tn__=R#x", "--at", posted}));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto a = test::inquiry_by_id(tmp.path(), first.id);
  CHECK(a.state == InquiryState::sent);
  CHECK(a.external_ref == "https://www.facebook.com/WeissbachKabel/posts/10158349356748553");
  CHECK(a.sent_at == first.planned_at + std::chrono::minutes(10));

  auto by_id = run_cli(cli(tmp, {"sent", std::to_string(second.id), "--ref", "19292868552_10158349356748553"}));
  REQUIRE_MESSAGE(by_id.exit_code == 0, by_id.err);
  auto b = test::inquiry_by_id(tmp.path(), second.id);
  CHECK(b.external_ref == "19292868552_10158349356748553");
  CHECK(b.sent_at == at("2026-03-04T12:00:00+01:00"));  // --at defaults to the one clock

  auto twice = run_cli(cli(tmp, {"sent", std::to_string(first.id), "--ref", "123_456"}));
  CHECK(twice.exit_code == k_exit_invalid);
  CHECK(twice.err.find("never recorded twice") != std::string::npos);
  auto again = test::inquiry_by_id(tmp.path(), first.id);
  CHECK(again.external_ref == a.external_ref);
  CHECK(again.sent_at == a.sent_at);
}

TEST_CASE("sent refuses a bad reference, an implausible time and what is not due, changing nothing") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  run_at(tmp, k_now);
  const auto todo = test::first_inquiry(tmp.path(), "nordlicht-bank", InquiryState::todo);
  const auto id = std::to_string(todo.id);
  auto unchanged = [&] {
    auto now = test::inquiry_by_id(tmp.path(), todo.id);
    CHECK(now.state == InquiryState::todo);
    CHECK(now.external_ref.empty());
    CHECK_FALSE(now.sent_at.has_value());
  };

  auto bad = run_cli(cli(tmp, {"sent", id, "--ref", "https://www.facebook.com/NordlichtBank"}));
  CHECK(bad.exit_code == k_exit_invalid);
  CHECK(bad.err.find("expected a Graph object id") != std::string::npos);
  unchanged();

  auto future = run_cli(cli(tmp, {"sent", id, "--ref", "1_2", "--at", "2026-03-04T12:01"}));
  CHECK(future.exit_code == k_exit_invalid);
  CHECK(future.err.find("in the future") != std::string::npos);
  unchanged();

  auto early = run_cli(cli(tmp, {"sent", id, "--ref", "1_2", "--at", format_utc(todo.planned_at - std::chrono::minutes(31))}));
  CHECK(early.exit_code == k_exit_invalid);
  CHECK(early.err.find("before inquiry") != std::string::npos);
  unchanged();
  auto slightly_early =
      run_cli(cli(tmp, {"sent", id, "--ref", "1_2", "--at", format_utc(todo.planned_at - std::chrono::minutes(30))}));
  CHECK_MESSAGE(slightly_early.exit_code == 0, slightly_early.err);

  // The same post cannot be registered for a second inquiry.
  const auto other = test::first_inquiry(tmp.path(), "stadtwerke-auenbruch", InquiryState::todo);
  auto reused = run_cli(cli(tmp, {"sent", std::to_string(other.id), "--ref", "1_2"}));
  CHECK(reused.exit_code != 0);
  CHECK(test::inquiry_by_id(tmp.path(), other.id).state == InquiryState::todo);

  const auto future_one = test::first_inquiry(tmp.path(), "nordlicht-bank", InquiryState::planned);
  auto not_due = run_cli(cli(tmp, {"sent", std::to_string(future_one.id), "--ref", "3_4"}));
  CHECK(not_due.exit_code == k_exit_invalid);
  CHECK(not_due.err.find("not due yet") != std::string::npos);
  CHECK(test::inquiry_by_id(tmp.path(), future_one.id).state == InquiryState::planned);

  auto missing = run_cli(cli(tmp, {"sent", "99999", "--ref", "5_6"}));
  CHECK(missing.exit_code == k_exit_invalid);
}

TEST_CASE("status shows the to-dos, how many are overdue and the oldest") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  run_at(tmp, k_now);
  const auto todos = test::in_state(tmp.path(), InquiryState::todo);
  const Instant now = at("2026-03-04T12:00:00+01:00");
  std::size_t overdue = 0;
  for (const auto& i : todos) overdue += is_overdue(i.planned_at, now) ? 1 : 0;
  REQUIRE(overdue > 0);

  auto json = run_cli(cli(tmp, {"status", "--json"}));
  REQUIRE(json.exit_code == 0);
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(doc["todo_count"].GetInt64() == static_cast<std::int64_t>(todos.size()));
  CHECK(doc["todo_overdue_count"].GetInt64() == static_cast<std::int64_t>(overdue));
  CHECK(std::string(doc["todo_overdue"][0]["planned_at"].GetString()) == format_utc(todos.front().planned_at));

  auto text = run_cli(cli(tmp, {"status"}));
  CHECK(text.out.find(fmt::format("{} to-dos waiting to be posted by hand", todos.size())) != std::string::npos);
  CHECK(text.out.find(fmt::format("{} overdue, the oldest due since {}", overdue,
                                  format_local(todos.front().planned_at, date::locate_zone("Europe/Berlin"), true)))
        != std::string::npos);
}
