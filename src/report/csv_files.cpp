#include "report/csv_files.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ledger/ledger.hpp"
#include "report/figures_view.hpp"

namespace respbench {
namespace {

constexpr int k_share_digits = 4;  // 0.4286: a share to a hundredth of a percent
constexpr int k_hours_digits = 3;  // hours to about four seconds
constexpr int k_mean_digits = 3;

void header(CsvWriter& csv, const std::vector<std::string>& names) {
  for (const auto& n : names) csv.text(n);
  csv.end_row();
}

void proportion_names(std::vector<std::string>& names, const std::string& name) {
  names.push_back(name);
  names.push_back(name + "_low");
  names.push_back(name + "_high");
}

void proportion_cells(CsvWriter& csv, const Proportion& p) {
  csv.number(p.estimate, k_share_digits);
  csv.number(p.estimate ? std::optional(p.low) : std::nullopt, k_share_digits);
  csv.number(p.estimate ? std::optional(p.high) : std::nullopt, k_share_digits);
}

// The columns of one time scale: P(≤ t) with its interval per threshold, then the window, then
// the median with its interval. `suffix` is "" (calendar) or "_business".
void times_names(std::vector<std::string>& names, const StudyFacts& facts, const std::string& suffix) {
  for (double t : facts.thresholds_hours) proportion_names(names, fmt::format("p_le_{}{}", threshold_key(t), suffix));
  proportion_names(names, "p_le_window" + suffix);
  names.push_back("median_hours" + suffix);
  names.push_back("median_hours" + suffix + "_low");
  names.push_back("median_hours" + suffix + "_high");
}

void times_cells(CsvWriter& csv, const StudyFacts& facts, const ResponseTimes& times) {
  for (std::size_t i = 0; i <= facts.thresholds_hours.size(); ++i) {
    if (i < times.at_thresholds.size() && times.inquiries > 0) {
      const auto& t = times.at_thresholds[i];
      csv.number(t.estimate, k_share_digits).number(t.low, k_share_digits).number(t.high, k_share_digits);
    } else {
      csv.empty().empty().empty();
    }
  }
  csv.number(times.median_hours, k_hours_digits);
  csv.number(times.median_low, k_hours_digits);
  csv.number(times.median_high, k_hours_digits);
}

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void time_cell(CsvWriter& csv, const std::optional<Instant>& t) {
  UtcText text;
  if (t) csv.text(format_utc(*t, text));
  else csv.empty();
}

}  // namespace

std::string summary_csv(const StudyFigures& figures, CsvDialect dialect) {
  CsvWriter csv(dialect);
  const int n = k_of_n_columns(figures);
  std::vector<std::string> names = {"level", "sector", "channel", "companies", "offering", "reachable"};
  proportion_names(names, "reachability");
  for (auto name : {"inquiries", "delivered", "closed", "answered", "unanswered", "open", "undeliverable", "not_sent"}) {
    names.emplace_back(name);
  }
  proportion_names(names, "answer_rate");
  for (int k = 0; k <= n; ++k) names.push_back(fmt::format("k{}_of_n", k));
  names.emplace_back("mean_answered");
  names.emplace_back("all_answered_companies");
  proportion_names(names, "all_answered");
  names.emplace_back("acknowledged");
  proportion_names(names, "ack_rate");
  names.emplace_back("median_ack_hours");
  times_names(names, figures.facts, "");
  times_names(names, figures.facts, "_business");
  header(csv, names);

  auto row = [&](const GroupFigures& g, std::string_view level) {
    csv.text(level).text(g.sector).text(to_string(g.channel));
    csv.integer(g.companies).integer(g.offering).integer(g.reachability.successes);
    proportion_cells(csv, g.reachability);
    csv.integer(g.inquiries).integer(g.delivered).integer(g.answer_rate.trials).integer(g.answered);
    csv.integer(g.unanswered).integer(g.open).integer(g.undeliverable).integer(g.not_sent);
    proportion_cells(csv, g.answer_rate);
    for (int k = 0; k <= n; ++k) {
      csv.integer(static_cast<std::size_t>(k) < g.k_of_n.size() ? g.k_of_n[static_cast<std::size_t>(k)] : 0);
    }
    csv.number(g.mean_answered, k_mean_digits);
    csv.integer(g.all_answered.successes);
    proportion_cells(csv, g.all_answered);
    csv.integer(g.ack_rate.successes);
    proportion_cells(csv, g.ack_rate);
    csv.number(g.median_ack_hours, k_hours_digits);
    times_cells(csv, figures.facts, g.calendar);
    times_cells(csv, figures.facts, g.business);
    csv.end_row();
  };
  for (const auto& g : figures.groups) row(g, "sector");
  for (const auto& g : figures.overall) row(g, "all");
  return csv.take();
}

std::string companies_csv(const StudyFigures& figures, CsvDialect dialect) {
  CsvWriter csv(dialect);
  header(csv, {"company_id", "company", "sector", "channel", "offers", "reachable", "planned", "delivered", "closed",
               "answered", "open", "undeliverable", "acknowledged", "answered_share", "median_response_hours",
               "first_ack_hours"});
  for (const auto& c : figures.companies) {
    csv.text(c.company_id).text(c.name).text(c.sector).text(to_string(c.channel));
    csv.boolean(c.offers).boolean(c.reachable);
    csv.integer(c.planned).integer(c.delivered).integer(c.closed).integer(c.answered);
    csv.integer(c.open).integer(c.undeliverable).integer(c.acknowledged);
    csv.number(share(c.answered, c.closed), k_share_digits);
    csv.number(c.median_response_hours, k_hours_digits);
    csv.number(c.first_ack_hours, k_hours_digits);
    csv.end_row();
  }
  return csv.take();
}

void inquiries_csv_header(CsvWriter& csv) {
  header(csv, {"inquiry_id", "company_id", "company", "sector", "channel", "probe", "persona", "planned_at", "sent_at",
               "answered_at", "first_ack_at", "outcome", "response_hours", "response_business_hours", "ack_hours",
               "censored_hours", "censored_business_hours", "reference"});
}

// An inquiry's Kaplan–Meier censoring time in calendar hours, derived rather than stored
// (metrics.hpp): open ones have been watched until the report's clock, unanswered ones for the
// whole window.
std::optional<double> censored_hours(const InquiryFigures& i, const StudyFacts& facts) {
  if (!i.sent_at) return std::nullopt;
  if (i.outcome == Outcome::open) {
    return std::chrono::duration<double>(facts.generated_at - *i.sent_at).count() / 3600.0;
  }
  if (i.outcome == Outcome::unanswered) return facts.answer_window_hours;
  return std::nullopt;
}

void inquiries_csv_row(CsvWriter& csv, const StudyFigures& figures, const InquiryFigures& i,
                       std::string_view reference) {
  static const CompanyRef k_unknown;
  const CompanyRef& company = i.company < figures.company_list.size() ? figures.company_list[i.company] : k_unknown;
  auto name_at = [](const std::vector<std::string>& list, std::uint32_t at) -> std::string_view {
    return at < list.size() ? std::string_view(list[at]) : std::string_view();
  };
  csv.integer(i.id).text(company.id).text(company.name).text(company.sector).text(to_string(i.channel));
  csv.text(name_at(figures.probe_ids, i.probe)).text(name_at(figures.personas, i.persona));
  time_cell(csv, i.planned_at);
  time_cell(csv, i.sent_at);
  time_cell(csv, i.answered_at);
  time_cell(csv, i.first_ack_at);
  csv.text(to_string(i.outcome));
  csv.number(i.response_hours, k_hours_digits);
  csv.number(i.response_business_hours, k_hours_digits);
  csv.number(i.ack_hours, k_hours_digits);
  csv.number(censored_hours(i, figures.facts), k_hours_digits);
  csv.number(i.censored_business_hours, k_hours_digits);
  // A Message-ID is fixed before the SMTP call: one whose send never finished is not a reference.
  csv.text(i.sent_at ? reference : std::string_view());
  csv.end_row();
}

void replies_csv_header(CsvWriter& csv) {
  header(csv, {"reply_id", "inquiry_id", "company_id", "company", "channel", "source", "received_at", "kind",
               "counts_as_answer", "kind_decided_by", "inquiry_decided_by", "match_method", "from", "subject"});
}

void replies_csv_row(CsvWriter& csv, const ReplyRow& r, const CompanyRef* company) {
  csv.integer(r.id);
  if (r.inquiry_id) csv.integer(*r.inquiry_id);
  else csv.empty();
  if (company) csv.text(company->id).text(company->name);
  else csv.empty().empty();
  csv.text(to_string(r.channel)).text(r.source);
  time_cell(csv, r.received_at);
  csv.text(to_string(r.kind)).boolean(r.counts_as_answer);
  csv.text(r.kind_decided_by).text(r.inquiry_decided_by).text(r.match_method);
  csv.text(r.from_address).text(r.subject);
  csv.end_row();
}

}  // namespace respbench
