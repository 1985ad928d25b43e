// The report's writers on hand-built figures: escaping, neutralised CSV cells, both dialects
// (read back by Python's csv module), numbers per language, the JSON's shape, the HTML's
// promises, replies streamed from a real ledger, and the `report` command's seams.

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <fmt/format.h>

#include "ledger/ledger.hpp"
#include "mail_rig.hpp"
#include "report/csv_files.hpp"
#include "report/figures_view.hpp"
#include "report/html_report.hpp"
#include "report/json_summary.hpp"
#include "report/language.hpp"
#include "report/report.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"
#include "report_figures.hpp"
#include "support.hpp"
#include "util/csv.hpp"
#include "util/csv_write.hpp"
#include "util/files.hpp"
#include "util/time.hpp"

namespace fs = std::filesystem;
using namespace respbench;
using namespace respbench::test;

namespace {

std::string row_of(CsvDialect dialect, auto&& fill) {
  CsvWriter csv(dialect);
  fill(csv);
  csv.end_row();
  return csv.take();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The rows of a CSV file as Python's csv module reads them.
rapidjson::Document python_rows(const fs::path& file, std::string_view dialect) {
  const auto script = source_dir() / "tests/report/read-csv";
  const auto out = run_shell(fmt::format("python3 {} {} {}", shell_quote(script.string()), shell_quote(file.string()), dialect));
  REQUIRE_MESSAGE(out.exit_code == 0, out.output);
  rapidjson::Document doc;
  doc.Parse(out.output.c_str());
  REQUIRE_MESSAGE(!doc.HasParseError(), out.output);
  REQUIRE(doc.IsArray());
  return doc;
}

std::string field(const rapidjson::Value& row, const char* name) {
  REQUIRE_MESSAGE(row.HasMember(name), name);
  return row[name].GetString();
}

// A ledger with the sample's first company and two replies: one matched, one not.
std::unique_ptr<Ledger> ledger_with_replies(const fs::path& path) {
  auto ledger = open_sqlite_ledger(path, LedgerOpen::create_if_missing);
  REQUIRE(ledger.has_value());
  Company company;
  company.id = "c01";
  company.name = k_awkward_name;
  company.sector = "Banken";
  company.email = "service@mueller.test";
  Probe probe;
  probe.id = "q1-fees";
  probe.subject = "Gebühren";
  probe.channels = {Channel::email};
  probe.language = "de";
  probe.body = "Guten Tag";
  const Instant t0 = date::sys_days{date::year{2026} / 3 / 2} + std::chrono::hours(8);
  NewInquiry inquiry{"c01", Channel::email, "q1-fees", "Anna Berger <anna.berger@example.test>", t0};
  REQUIRE((*ledger)->record_plan({company}, {probe}, {inquiry}).has_value());
  REQUIRE((*ledger)->begin_send(1, "1.x@respbench.test", "Subject: x\r\n\r\nx\r\n", t0).has_value());
  REQUIRE((*ledger)->mark_sent(1, t0).has_value());
  NewReply matched;
  matched.inquiry_id = 1;
  matched.source = "imap:INBOX";
  matched.source_key = "k1";
  matched.received_at = t0 + std::chrono::hours(3);
  matched.kind = ReplyKind::human;
  matched.counts_as_answer = true;
  matched.match_method = "message_id";
  matched.from_address = "service@mueller.test";
  matched.subject = "=HYPERLINK(\"http://evil.test\"); Re: Gebühren";
  NewReply unmatched = matched;
  unmatched.inquiry_id = std::nullopt;
  unmatched.source_key = "k2";
  unmatched.kind = ReplyKind::auto_ack;
  unmatched.counts_as_answer = false;
  unmatched.match_method = "";
  unmatched.subject = "Ihre Nachricht\nist eingegangen";
  REQUIRE((*ledger)->record_replies({matched, unmatched}, "imap:INBOX", Watermark{1, 2}, std::chrono::hours(168),
                                   t0 + std::chrono::hours(4))
              .has_value());
  return std::move(*ledger);
}

}  // namespace

TEST_SUITE_BEGIN("report.writers");

TEST_CASE("html_escape escapes markup, repairs UTF-8 and drops control characters") {
  CHECK(html_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(html_escape(R"(a & "b" 'c')") == "a &amp; &quot;b&quot; &#39;c&#39;");
  CHECK(html_escape("Grüße") == "Grüße");
  CHECK(html_escape("bad\xFF\xC3(") == "bad\xEF\xBF\xBD\xEF\xBF\xBD(");
  CHECK(html_escape("over\xC0\xAFlong") == "over\xEF\xBF\xBD\xEF\xBF\xBDlong");
  CHECK(html_escape("bell\x07 line\r\nnext\ttab") == "bell line\nnext\ttab");
}

TEST_CASE("format_fixed writes fixed decimals with either decimal point, never -0") {
  CHECK(format_fixed(0.428571, 4) == "0.4286");
  CHECK(format_fixed(0.428571, 4, ',') == "0,4286");
  CHECK(format_fixed(-1.25, 1) == "-1.2");  // round half to even on the binary value
  CHECK(format_fixed(-0.00001, 2) == "0.00");
  CHECK(format_fixed(1234567.5, 1, ',') == "1234567,5");
  CHECK(format_fixed(std::nan(""), 2).empty());
}

TEST_CASE("CSV text cells that start like a formula are neutralised; our numbers are not") {
  for (std::string_view formula : {"=cmd()", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}) {
    CAPTURE(formula);
    const std::string row = row_of(CsvDialect::rfc4180, [&](CsvWriter& c) { c.text(formula); });
    CHECK((row.starts_with("'") || row.starts_with("\"'")));
  }
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("=1+2").text("a=b"); }) == "'=1+2,a=b\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.number(-1.5, 2).integer(-3); }) == "-1.50,-3\r\n");
  CHECK(row_of(CsvDialect::excel_de, [](CsvWriter& c) { c.number(-1.5, 2).integer(-3); }) == "\xEF\xBB\xBF-1,50;-3\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("-").number(std::nullopt, 2).empty().boolean(true); }) ==
        "'-,,,1\r\n");
}

TEST_CASE("CSV text cells are cleaned to UTF-8 on the slow path and copied as they are on the fast one") {
  // Printable ASCII goes straight through; anything else as clean_text() leaves it.
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("gen-7@shopper.test").text("a b~"); }) ==
        "gen-7@shopper.test,a b~\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("M\xFCller").text("bell\x07").text("del\x7F"); }) ==
        "M\xEF\xBF\xBDller,bell,del\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("Grüße").text("tab\there"); }) == "Grüße,tab\there\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("=M\xFCller, \"x\""); }) ==
        "\"'=M\xEF\xBF\xBDller, \"\"x\"\"\"\r\n");
  CHECK(row_of(CsvDialect::excel_de, [](CsvWriter& c) { c.integer(-9223372036854775807 - 1).integer(0); }) ==
        "\xEF\xBB\xBF-9223372036854775808;0\r\n");
}

TEST_CASE("inquiries.csv gives the reference of a sent inquiry only") {
  const StudyFigures f = sample_figures();
  InquiryReferences references;
  references.add(f.inquiries[0].id, "1.x@respbench.test");
  references.add(f.inquiries[1].id, "2.y@respbench.test");
  InquiryFigures unsent = f.inquiries[1];
  unsent.sent_at.reset();  // its send began (the Message-ID was fixed) but never finished
  CsvWriter csv(CsvDialect::rfc4180);
  inquiries_csv_header(csv);
  inquiries_csv_row(csv, f, f.inquiries[0], references.of(f.inquiries[0].id));
  inquiries_csv_row(csv, f, unsent, references.of(unsent.id));
  inquiries_csv_row(csv, f, f.inquiries[2], references.of(f.inquiries[2].id));
  Diagnostics diags;
  const auto records = parse_csv(csv.take(), "inquiries.csv", diags);
  REQUIRE(records.size() == 4);
  CHECK(records[0].fields.back().value == "reference");
  CHECK(records[1].fields.back().value == "1.x@respbench.test");
  CHECK(records[2].fields.back().value.empty());
  CHECK(records[3].fields.back().value.empty());
  // Out of order, too.
  CHECK(references.of(f.inquiries[1].id) == "2.y@respbench.test");
  CHECK(references.of(f.inquiries[0].id) == "1.x@respbench.test");
  CHECK(references.of(-5).empty());
}

TEST_CASE("format_utc into a buffer writes the same as the string form") {
  UtcText text;
  for (Instant t : {Instant{}, Instant{std::chrono::seconds{1772442060}}, Instant{std::chrono::seconds{253402300799}}}) {
    CHECK(format_utc(t, text) == format_utc(t));
  }
  CHECK(format_utc(Instant{std::chrono::seconds{1772442061}}, text) == "2026-03-02T09:01:01Z");
}

TEST_CASE("CSV cells are quoted only when they hold the separator, a quote or a line break") {
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("plain").text("a,b").text("say \"hi\"").text("x;y"); }) ==
        "plain,\"a,b\",\"say \"\"hi\"\"\",x;y\r\n");
  CHECK(row_of(CsvDialect::excel_de, [](CsvWriter& c) { c.text("a,b").text("x;y").number(0.5, 1); }) ==
        "\xEF\xBB\xBF" "a,b;\"x;y\";0,5\r\n");
  CHECK(row_of(CsvDialect::rfc4180, [](CsvWriter& c) { c.text("two\r\nlines"); }) == "\"two\nlines\"\r\n");
  CHECK(parse_csv_dialect("excel-de") == CsvDialect::excel_de);
  CHECK(parse_csv_dialect("excel") == std::nullopt);
}

TEST_CASE("numbers are written as each language writes them") {
  CHECK(format_percent(0.4286, Lang::de) == "43\u00A0%");
  CHECK(format_percent(0.4286, Lang::en) == "43%");
  CHECK(format_percent_range(0.351, 0.508, Lang::de) == "35–51\u00A0%");
  CHECK(format_hours(0.5, Lang::de) == "30\u00A0min");
  CHECK(format_hours(3.5, Lang::de) == "3,5\u00A0h");
  CHECK(format_hours(3.5, Lang::en) == "3.5\u00A0h");
  CHECK(format_hours(36.4, Lang::en) == "36\u00A0h");
  CHECK(format_count(1234, Lang::de) == "1234");
  CHECK(format_count(1234567, Lang::de) == "1.234.567");
  CHECK(format_count(12345, Lang::en) == "12,345");
  CHECK(format_decimal(3.25, 2, Lang::de) == "3,25");
  CHECK(format_proportion(Proportion{}, Lang::en) == "–");
  CHECK(text(L::answer_rate, Lang::de) == "Antwortquote");
  CHECK(text(L::answer_rate, Lang::en) == "Answer rate");
}

TEST_CASE("the league table ranks by share, then median, and ties share a rank") {
  StudyFigures f;
  f.company_list = {{"a", "A", "s"}, {"b", "B", "s"}, {"c", "C", "s"}, {"d", "D", "s"}};
  auto company = [](std::string id, std::int64_t answered, std::int64_t closed) {
    CompanyFigures c;
    c.company_id = std::move(id);
    c.offers = true;
    c.answered = answered;
    c.closed = closed;
    return c;
  };
  f.companies = {company("a", 1, 5), company("b", 4, 5), company("c", 4, 5), company("d", 0, 0)};
  auto answered = [](std::uint32_t company, double hours) {
    InquiryFigures i;
    i.company = company;
    i.outcome = Outcome::answered;
    i.response_hours = hours;
    return i;
  };
  f.inquiries = {answered(1, 5), answered(1, 7), answered(2, 2), answered(0, 1)};
  const auto league = league_table(f);
  REQUIRE(league.size() == 4);
  CHECK(f.company_list[league[0].company].id == "c");  // 80 %, median 2 h
  CHECK(f.company_list[league[1].company].id == "b");  // 80 %, median 6 h
  CHECK(league[1].median_hours == doctest::Approx(6.0));
  CHECK(f.company_list[league[2].company].id == "a");
  CHECK(f.company_list[league[3].company].id == "d");  // nothing closed: last
  CHECK(league[0].rank == 1);
  CHECK(league[1].rank == 2);
  CHECK(league[3].rank == 4);
  f.inquiries = {answered(1, 2), answered(2, 2)};
  const auto tied = league_table(f);
  CHECK(tied[0].rank == 1);
  CHECK(tied[1].rank == 1);
  CHECK(tied[2].rank == 3);
}

TEST_CASE("summary.csv has one row per group and overall, with the documented columns") {
  const StudyFigures f = sample_figures();
  const std::string text = summary_csv(f, CsvDialect::rfc4180);
  Diagnostics diags;
  const auto records = parse_csv(text, "summary.csv", diags);
  REQUIRE(records.size() == 1 + f.groups.size() + f.overall.size());
  std::vector<std::string> header;
  for (const auto& field : records[0].fields) header.push_back(field.value);
  for (const char* name : {"level", "sector", "channel", "reachability", "reachability_low", "reachability_high",
                           "answer_rate", "answer_rate_low", "answer_rate_high", "k0_of_n", "k5_of_n",
                           "mean_answered", "all_answered", "ack_rate", "p_le_1h", "p_le_4h_low", "p_le_24h_high",
                           "p_le_window", "median_hours", "median_hours_low", "p_le_1h_business",
                           "median_hours_business_high"}) {
    CAPTURE(name);
    CHECK(std::find(header.begin(), header.end(), name) != header.end());
  }
  for (const auto& r : records) CHECK(r.fields.size() == header.size());
  CHECK(records.back().fields[0].value == "all");
  CHECK(records.back().fields[1].value.empty());
}

TEST_CASE("summary.json has facts, groups and overall; numbers as numbers, null when absent") {
  StudyFigures f = sample_figures();
  f.groups[0].calendar.median_hours.reset();
  f.groups[1].answer_rate = Proportion{};
  rapidjson::Document doc;
  const std::string json = summary_json(f);
  doc.Parse(json.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["format"].GetString()) == "respbench-summary-1");
  CHECK(std::string(doc["facts"]["study"].GetString()) == f.facts.name);
  CHECK(doc["facts"]["answer_window_hours"].GetDouble() == 168.0);
  CHECK(doc["facts"]["thresholds_hours"].Size() == 3);
  REQUIRE(doc["groups"].Size() == f.groups.size());
  REQUIRE(doc["overall"].Size() == f.overall.size());
  const auto& g0 = doc["groups"][0];
  CHECK(std::string(g0["sector"].GetString()) == "Banken");
  CHECK(g0["calendar"]["median_hours"].IsNull());
  CHECK(g0["answer_rate"]["estimate"].IsNumber());
  CHECK(g0["k_of_n"].Size() == 6);
  CHECK(g0["calendar"]["thresholds"].Size() == 4);
  CHECK(std::string(g0["calendar"]["thresholds"][3]["name"].GetString()) == "window");
  CHECK(g0["calendar"]["curve"].Size() == f.groups[0].calendar.curve.size());
  const auto& g1 = doc["groups"][1];
  CHECK(g1["answer_rate"]["estimate"].IsNull());
  CHECK(g1["answer_rate"]["low"].IsNull());
  CHECK(doc["overall"][0]["sector"].IsNull());
  CHECK(std::string(doc["facts"]["generated_at"].GetString()) == format_utc(f.facts.generated_at));
}

TEST_CASE("index.html is self-contained, escapes every study text and has the headline table") {
  const StudyFigures f = sample_figures();
  for (Lang lang : {Lang::de, Lang::en}) {
    CAPTURE(to_string(lang));
    const std::string html = html_report(f, lang);
    CHECK(html.find(R"(id="headline-table")") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("=cmd()|Müller; &quot;Söhne&quot;\nGmbH") != std::string::npos);
    CHECK(html.find("&lt;Test &amp; &quot;Probe&quot;&gt;") != std::string::npos);
    CHECK(html.find("<b>wichtig</b>") == std::string::npos);
    for (std::string_view fetch : {"src=", "url(", "@import", "href=\"http", "<link", "<img", "<iframe"}) {
      CAPTURE(fetch);
      CHECK(html.find(fetch) == std::string::npos);
    }
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    // Every sector and channel has its curve; the bars have whiskers.
    CHECK(html.find("class=\"curve") != std::string::npos);
    CHECK(html.find("class=\"whisker\"") != std::string::npos);
  }
  const std::string de = html_report(f, Lang::de);
  const std::string en = html_report(f, Lang::en);
  CHECK(de.find("<html lang=\"de\">") != std::string::npos);
  CHECK(de.find("Antwortquote") != std::string::npos);
  CHECK(en.find("Answer rate") != std::string::npos);
  CHECK(en.find("Antwortquote") == std::string::npos);
  // Times in the study's zone: the first send 08:00 UTC is 09:00 CET.
  CHECK(de.find("2026-03-02 09:00 CET") != std::string::npos);
}

TEST_CASE("a long curve is thinned to about two points per pixel and keeps its end") {
  std::vector<CurvePoint> curve;
  for (int i = 1; i <= 100000; ++i) {
    const double p = i / 100000.0;
    curve.push_back({i * 0.001, p * 0.9, p * 0.8, p * 0.95, 100000 - i, 1});
  }
  const auto thin = thin_curve(curve, 0.25, 168, 692);
  CHECK(thin.size() < 1500);
  CHECK(thin.back().hours == curve.back().hours);
  CHECK(thin.back().estimate == curve.back().estimate);
}

TEST_CASE("Ledger::for_each_reply streams every reply in id order") {
  TempDir dir;
  auto ledger = ledger_with_replies(dir / "respbench.db");
  std::vector<ReplyRow> rows;
  auto r = ledger->for_each_reply([&](const ReplyRow& row) -> Result<void> {
    rows.push_back(row);
    return {};
  });
  REQUIRE(r.has_value());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id < rows[1].id);
  CHECK(rows[0].inquiry_id == 1);
  CHECK(rows[0].kind == ReplyKind::human);
  CHECK(rows[0].counts_as_answer);
  CHECK(rows[0].match_method == "message_id");
  CHECK(rows[0].inquiry_decided_by == "rules");
  CHECK(rows[1].inquiry_id == std::nullopt);
  CHECK(rows[1].kind == ReplyKind::auto_ack);
  int seen = 0;
  auto stopped = ledger->for_each_reply([&](const ReplyRow&) -> Result<void> {
    ++seen;
    return fail("enough");
  });
  CHECK_FALSE(stopped.has_value());
  CHECK(seen == 1);
}

TEST_CASE("AtomicFile shows nothing until committed, and nothing at all when abandoned") {
  TempDir dir;
  {
    AtomicFile file(dir / "abandoned.csv");
    file.append("half");
  }
  CHECK_FALSE(fs::exists(dir / "abandoned.csv"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 0);
  AtomicFile file(dir / "whole.csv");
  file.append("a,b\r\n");
  CHECK_FALSE(fs::exists(dir / "whole.csv"));
  file.append("1,2\r\n");
  REQUIRE(file.commit().has_value());
  CHECK(read_text(dir / "whole.csv") == "a,b\r\n1,2\r\n");
  AtomicFile nowhere(dir / "missing-folder" / "x.csv");
  nowhere.append("x");
  CHECK_FALSE(nowhere.commit().has_value());
}

TEST_CASE("the report's CSV files read back with Python's csv module in both dialects") {
  const StudyFigures f = sample_figures();
  for (CsvDialect dialect : {CsvDialect::rfc4180, CsvDialect::excel_de}) {
    const std::string name(to_string(dialect));
    CAPTURE(name);
    TempDir dir;
    auto ledger = ledger_with_replies(dir / "respbench.db");
    ReportOptions options{dir / "out", Lang::de, dialect};
    auto written = write_report(f, *ledger, options);
    REQUIRE_MESSAGE(written.has_value(), written.error().message);
    CHECK(written->size() == std::size(k_report_files));
    for (const char* file : k_report_files) CHECK(fs::exists(dir / "out" / file));

    const char decimal = dialect == CsvDialect::excel_de ? ',' : '.';
    const auto companies = python_rows(dir / "out/companies.csv", name);
    REQUIRE(companies.Size() == f.companies.size());
    // The awkward name: neutralised by one ', otherwise exactly as written.
    CHECK(field(companies[0], "company") == std::string("'") + k_awkward_name);
    CHECK(field(companies[0], "company_id") == "c01");
    CHECK(field(companies[0], "channel") == "email");
    CHECK(field(companies[4], "company") == "Bürgerbank eG");
    const std::string share = field(companies[2], "answered_share");
    CHECK(share.find(decimal) != std::string::npos);
    CHECK(field(companies[20], "company") == "'-Minus Versicherung");
    CHECK(field(companies[22], "company") == "'@Schutz direkt");

    const auto summary = python_rows(dir / "out/summary.csv", name);
    REQUIRE(summary.Size() == f.groups.size() + f.overall.size());
    CHECK(field(summary[0], "sector") == "Banken");
    CHECK(field(summary[0], "answer_rate") == format_fixed(*f.groups[0].answer_rate.estimate, 4, decimal));
    CHECK(field(summary[0], "answer_rate_low") == format_fixed(f.groups[0].answer_rate.low, 4, decimal));
    CHECK(field(summary[0], "k0_of_n") == std::to_string(f.groups[0].k_of_n[0]));
    CHECK(field(summary[6], "level") == "all");

    const auto inquiries = python_rows(dir / "out/inquiries.csv", name);
    REQUIRE(inquiries.Size() == f.inquiries.size());
    CHECK(field(inquiries[0], "inquiry_id") == "1");
    CHECK(field(inquiries[0], "company") == std::string("'") + k_awkward_name);
    CHECK(field(inquiries[0], "planned_at") == format_utc(f.inquiries[0].planned_at));
    CHECK(field(inquiries[0], "persona") == "Anna Berger <anna.berger@example.test>");
    // The ledger's Message-ID of the one inquiry it sent; the others have none there.
    CHECK(field(inquiries[0], "reference") == "1.x@respbench.test");
    CHECK(field(inquiries[1], "reference").empty());
    std::size_t answered = 0, open = 0;
    for (const auto& row : inquiries.GetArray()) {
      answered += field(row, "outcome") == "answered";
      open += field(row, "outcome") == "open";
      if (field(row, "outcome") == "answered") CHECK_FALSE(field(row, "response_hours").empty());
      if (field(row, "outcome") == "open") CHECK_FALSE(field(row, "censored_hours").empty());
    }
    CHECK(answered == static_cast<std::size_t>(f.overall[0].answered + f.overall[1].answered));
    CHECK(open > 0);

    const auto replies = python_rows(dir / "out/replies.csv", name);
    REQUIRE(replies.Size() == 2);
    // The company of the reply's inquiry, as the figures name it.
    CHECK(field(replies[0], "company") == std::string("'") + k_awkward_name);
    CHECK(field(replies[0], "company_id") == "c01");
    CHECK(field(replies[0], "subject") == "'=HYPERLINK(\"http://evil.test\"); Re: Gebühren");
    CHECK(field(replies[0], "counts_as_answer") == "1");
    CHECK(field(replies[1], "company").empty());
    CHECK(field(replies[1], "inquiry_id").empty());
    CHECK(field(replies[1], "subject") == "Ihre Nachricht\nist eingegangen");
  }
}

TEST_CASE("report refuses an unknown language or dialect, and writes every file of a planned study") {
  TempDir dir;
  copy_sample_study(dir.path());
  const std::string study = dir.path().string();
  REQUIRE(run_cli({"plan", "--study", study, "--now", "2026-03-01T18:00", "--quiet"}).exit_code == 0);
  auto bad_lang = run_cli({"report", "--study", study, "--lang", "fr"});
  CHECK(bad_lang.exit_code == 2);
  CHECK(bad_lang.err.find("unknown report language") != std::string::npos);
  auto bad_dialect = run_cli({"report", "--study", study, "--csv-dialect", "excel"});
  CHECK(bad_dialect.exit_code == 2);
  CHECK_FALSE(fs::exists(dir / "reports"));  // a refused report writes nothing
  auto r = run_cli({"report", "--study", study, "--now", "2026-03-01T18:00"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  for (const char* file : {"summary.csv", "companies.csv", "inquiries.csv", "replies.csv", "summary.json", "index.html"}) {
    CAPTURE(file);
    CHECK(fs::exists(dir / "reports" / file));
  }
  // Nothing sent yet: every inquiry is listed, none delivered.
  CHECK(read_text(dir / "reports/summary.json").find("\"delivered\":0") != std::string::npos);
}

TEST_CASE("the headline table for a terminal lists every group and the overall rows") {
  const StudyFigures f = sample_figures();
  const std::string de = headline_text(f, Lang::de);
  CHECK(de.find("Branche") != std::string::npos);
  CHECK(de.find("Energieversorger") != std::string::npos);
  CHECK(de.find("Alle Branchen") != std::string::npos);
  CHECK(de.find("≤ 24\u00A0h") != std::string::npos);
  const std::string en = headline_text(f, Lang::en);
  CHECK(en.find("All sectors") != std::string::npos);
  CHECK(en.find("Answer rate") != std::string::npos);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("report.writers");

TEST_CASE("run with report.on_run = yes records a report failure among its errors and keeps its work") {
  TempDir dir;
  copy_sample_study(dir.path());
  std::string config = read_text(dir / "respbench.conf");
  const auto at = config.find("on_run = no");
  REQUIRE(at != std::string::npos);
  config.replace(at, std::string("on_run = no").size(), "on_run = yes");
  write_text(dir / "respbench.conf", config);
  const std::string study = dir.path().string();
  // Before the study's start: nothing is due, so no mail server is needed beyond the attempt.
  // The sample's mail server is out of reach here, so the run fails — and writes the report all the same.
  auto first = run_cli({"run", "--study", study, "--now", "2026-03-01T18:00"});
  CHECK(first.err.find("report: ") == std::string::npos);
  CHECK(fs::exists(dir / "reports/index.html"));
  // A report that cannot be written (its folder is a file) fails the run, which keeps its work.
  fs::remove_all(dir / "reports");
  write_text(dir / "reports", "in the way");
  auto r = run_cli({"run", "--study", study, "--now", "2026-03-01T18:10"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("report: ") != std::string::npos);
  auto ledger = open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing);
  REQUIRE(ledger.has_value());
  auto inquiries = (*ledger)->inquiries({});
  REQUIRE(inquiries.has_value());
  CHECK(inquiries->size() == 380);  // the run's planning stays
  const auto errors = run_shell(fmt::format(
      "python3 -c \"import sqlite3; print(sqlite3.connect('{}').execute('select errors from runs order by id desc').fetchone()[0])\"",
      (dir / "respbench.db").string()));
  CHECK(errors.output.find("report: ") != std::string::npos);
}

TEST_SUITE_END();
