#pragma once
// The report's two languages: every label from one table (German and English side by side, so
// that a label cannot exist in one language only), and numbers as each language writes them
// (German: decimal comma, "43 %"; English: decimal point, "43%").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/metrics.hpp"

namespace respbench {

enum class Lang { de, en };

// "de", "en".
std::string_view to_string(Lang lang);
// nullopt for another name.
std::optional<Lang> parse_lang(std::string_view name);

// The labels; the table in language.cpp has one row per label, in this order.
enum class L {
  report_title, report_subtitle, contents, generated, period, companies, inquiries,
  overview, overview_intro, sector, channel, all_sectors, reachability, answer_rate, mean_answered,
  all_answered, median, median_not_reached, interval_95, of_n, no_data,
  charts, answer_rate_chart, reachability_chart, chart_interval_note,
  curves, curves_intro, curves_by_channel, curves_by_sector, calendar_hours, business_hours,
  share_answered, hours_axis, curve_band_note,
  league, league_intro, rank, company, answered_k_n, answered_share, median_response,
  league_cut, comparison, comparison_intro, comparison_summary, email_better, facebook_better,
  equal, comparison_cut, quoted_replies, quoted_intro, received, kind, subject, no_quotes,
  method, method_outcomes, method_answered, method_unanswered, method_open, method_undeliverable,
  method_reachability, method_answer_rate, method_k_of_n, method_times, method_ack,
  method_parameters, study_name, timezone, calendar, answer_window, probes_per_channel,
  thresholds, first_send, last_send, generated_by, acknowledged, ack_rate,
  delivered, answered, unanswered, open, undeliverable, not_sent, files_written,
  count  // not a label: the number of labels
};

// The label in `lang`: plain text (the HTML writer escapes it like any other).
std::string_view text(L label, Lang lang);

// A whole number, grouped from 10 000 on ("12.345" / "12,345").
std::string format_count(std::int64_t n, Lang lang);
// A number with `digits` decimals in the language's decimal point.
std::string format_decimal(double value, int digits, Lang lang);
// A share 0…1 as a whole percentage: "43 %" (German, with a no-break space) / "43%".
std::string format_percent(double share, Lang lang);
// An interval of shares: "35–51 %" / "35–51%".
std::string format_percent_range(double low, double high, Lang lang);
// A duration in hours: "25 min" below an hour, "3,5 h" below ten hours ("4 h" when whole),
// "36 h" above.
std::string format_hours(double hours, Lang lang);
// A proportion for a table cell: "43 % (35–51 %)"; "–" without trials.
std::string format_proportion(const Proportion& p, Lang lang);
// An outcome's name in `lang`.
std::string_view outcome_label(Outcome o, Lang lang);
// A channel's name in `lang` ("E-Mail", "Facebook").
std::string_view channel_label(Channel c, Lang lang);
// A reply kind in `lang`.
std::string_view reply_kind_label(ReplyKind k, Lang lang);

}  // namespace respbench
