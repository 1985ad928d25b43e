#include "report/html_report.hpp"

#include <algorithm>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "report/figures_view.hpp"
#include "report/svg_charts.hpp"
#include "report/text.hpp"

namespace respbench {
namespace {

constexpr std::string_view k_style = R"css(
:root { --ink: #1d2433; --muted: #5b6478; --rule: #d8dce4; --accent: #1f5fa8; --band: #f4f6f9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 2rem 2rem 4rem; }
header.title { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; letter-spacing: -0.01em; }
.subtitle { color: var(--muted); margin: 0 0 1rem; font-size: 1.1rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
p.intro, p.note { color: var(--muted); max-width: 60rem; margin: .25rem 0 .75rem; }
p.note { font-size: .9rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; padding: 0; margin: 0 0 1rem; list-style: none; }
nav a { color: var(--accent); text-decoration: none; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .5rem 0 1rem; }
.table-wrap { overflow-x: auto; }
th, td { padding: .35rem .45rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
thead th.num { white-space: normal; }
#headline-table { font-size: .86rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.channel { white-space: nowrap; }
td.num.wrap { white-space: normal; }
td .ci { display: block; color: var(--muted); font-size: .8rem; }
tbody.total td, tbody.total th { background: var(--band); font-weight: 600; }
tbody.total tr:first-child td, tbody.total tr:first-child th { border-top: 2px solid var(--ink); }
th[scope=row] { font-weight: 600; }
.channel-dot { display: inline-block; width: .7em; height: .7em; border-radius: 50%; margin-right: .4em; }
svg.chart { width: 100%; height: auto; max-width: 900px; display: block; margin: .5rem 0; }
svg .grid { stroke: #e3e6ec; stroke-width: 1; }
svg .grid.half { stroke: #b9bfcb; stroke-dasharray: 4 3; }
svg .rule { stroke: var(--rule); }
svg .threshold { stroke: #8a93a6; stroke-width: 1; stroke-dasharray: 2 3; }
svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
svg .tick, svg .axis { fill: var(--muted); }
svg .label.total { font-weight: 600; }
svg .value .ci { fill: var(--muted); }
svg .whisker { stroke: var(--ink); stroke-width: 1.4; fill: none; }
svg .curve { fill: none; stroke-width: 2.2; }
svg .curve.dashed { stroke-dasharray: 7 4; }
svg .band { opacity: .14; stroke: none; }
ul.legend { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; font-size: .9rem; }
ul.legend svg { vertical-align: middle; margin-right: .35rem; }
.charts { display: grid; grid-template-columns: 1fr; gap: .5rem; }
.bar { display: inline-block; height: .6em; background: var(--accent); vertical-align: middle; margin-right: .4em; }
.better { color: var(--muted); font-size: .85rem; }
figure.quote { margin: 0 0 1.25rem; padding: .75rem 1rem; border-left: 4px solid var(--accent); background: var(--band); break-inside: avoid; }
figure.quote blockquote { margin: 0 0 .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
figure.quote figcaption { color: var(--muted); font-size: .85rem; }
section.method li { margin-bottom: .35rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .75rem; }
@media print {
  html { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  tr, figure, svg.chart { break-inside: avoid; }
  svg.chart { max-width: 100%; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm 12mm; }
}
)css";

class Page {
 public:
  Page(const StudyFigures& figures, Lang lang) : m_figures(figures), m_lang(lang) {
    try {
      m_zone = figures.facts.timezone.empty() ? nullptr : date::locate_zone(figures.facts.timezone);
    } catch (const std::exception&) {
      m_zone = nullptr;  // shown in UTC then
    }
  }

  std::string render();

 private:
  // A label, escaped.
  std::string t(L label) const { return html_escape(text(label, m_lang)); }
  std::string when(Instant at) const { return html_escape(m_zone ? format_local(at, m_zone, true) : format_utc(at)); }
  std::string hours(std::optional<double> h) const {
    return h ? html_escape(format_hours(*h, m_lang)) : t(L::no_data);
  }
  std::string proportion_cell(const Proportion& p) const;
  std::string threshold_cell(const ResponseTimes& times, std::size_t i) const;
  std::string median_cell(const ResponseTimes& times) const;
  std::string channel_name(Channel c) const {
    return fmt::format(R"(<span class="channel-dot" style="background:{}"></span>{})", channel_color(c),
                       html_escape(channel_label(c, m_lang)));
  }
  std::string sector_name(const std::string& sector) const {
    return sector.empty() ? t(L::all_sectors) : html_escape(sector);
  }
  std::string k_of_n(std::int64_t answered, std::int64_t closed) const {
    return closed > 0 ? fmt::format("{}/{}", answered, closed) : t(L::no_data);
  }

  void header();
  void headline();
  void charts();
  void curves();
  void league();
  void comparison();
  void quotes();
  void method();

  template <class... Args>
  void add(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(m_out), format, std::forward<Args>(args)...);
  }

  const StudyFigures& m_figures;
  Lang m_lang;
  const date::time_zone* m_zone = nullptr;
  std::string m_out;
};

std::string Page::proportion_cell(const Proportion& p) const {
  if (!p.estimate) return fmt::format(R"(<td class="num">{}</td>)", t(L::no_data));
  return fmt::format(R"(<td class="num" title="{} / {}">{}<span class="ci">{}</span></td>)", p.successes, p.trials,
                     html_escape(format_percent(*p.estimate, m_lang)),
                     html_escape(format_percent_range(p.low, p.high, m_lang)));
}

std::string Page::threshold_cell(const ResponseTimes& times, std::size_t i) const {
  if (times.inquiries == 0 || i >= times.at_thresholds.size()) return fmt::format(R"(<td class="num">{}</td>)", t(L::no_data));
  const auto& a = times.at_thresholds[i];
  return fmt::format(R"(<td class="num">{}<span class="ci">{}</span></td>)", html_escape(format_percent(a.estimate, m_lang)),
                     html_escape(format_percent_range(a.low, a.high, m_lang)));
}

std::string Page::median_cell(const ResponseTimes& times) const {
  if (times.inquiries == 0) return fmt::format(R"(<td class="num">{}</td>)", t(L::no_data));
  if (!times.median_hours) return fmt::format(R"(<td class="num wrap">{}</td>)", t(L::median_not_reached));
  std::string ci;
  if (times.median_low || times.median_high) {
    ci = fmt::format(R"(<span class="ci">{}–{}</span>)", hours(times.median_low),
                     times.median_high ? hours(times.median_high) : "∞");
  }
  return fmt::format(R"(<td class="num">{}{}</td>)", hours(times.median_hours), ci);
}

void Page::header() {
  const auto& f = m_figures.facts;
  add(R"(<header class="title"><h1>{}</h1><p class="subtitle">{}</p><dl class="facts">)",
      f.name.empty() ? t(L::report_title) : html_escape(f.name), t(L::report_title));
  add("<dt>{}</dt><dd>{}</dd>", t(L::generated), when(f.generated_at));
  if (f.first_send) {
    add("<dt>{}</dt><dd>{} – {}</dd>", t(L::period), when(*f.first_send), f.last_send ? when(*f.last_send) : "");
  }
  add("<dt>{}</dt><dd>{}</dd>", t(L::companies),
      html_escape(format_count(static_cast<std::int64_t>(m_figures.company_list.size()), m_lang)));
  add("<dt>{}</dt><dd>{}</dd>", t(L::inquiries),
      html_escape(format_count(static_cast<std::int64_t>(m_figures.inquiries.size()), m_lang)));
  add("</dl></header>");
  add(R"(<nav aria-label="{}"><ol>)", t(L::contents));
  for (auto [id, label] : {std::pair{"overview", L::overview}, {"charts", L::charts}, {"curves", L::curves},
                           {"league", L::league}, {"comparison", L::comparison}, {"replies", L::quoted_replies},
                           {"method", L::method}}) {
    add(R"(<li><a href="#{}">{}</a></li>)", id, t(label));
  }
  add("</ol></nav>");
}

void Page::headline() {
  const auto& f = m_figures.facts;
  add(R"(<section id="overview"><h2>{}</h2><p class="intro">{}</p>)", t(L::overview),
      html_escape(fmt::format(fmt::runtime(text(L::overview_intro, m_lang)), f.probes_per_channel)));
  add(R"(<div class="table-wrap"><table id="{}"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th class="num" scope="col">{}</th>)",
      k_headline_table_id, t(L::sector), t(L::channel), t(L::companies));
  add(R"(<th class="num" scope="col">{}</th><th class="num" scope="col">{}</th><th class="num" scope="col">{}</th>)",
      t(L::reachability), t(L::answer_rate), t(L::mean_answered));
  add(R"(<th class="num" scope="col">{}</th>)", t(L::all_answered));
  for (double h : f.thresholds_hours) add(R"(<th class="num" scope="col">≤&#8239;{}</th>)", hours(h));
  add(R"(<th class="num" scope="col">{}</th></tr></thead>)", t(L::median));

  auto rows = [&](const std::vector<GroupFigures>& groups, bool total) {
    add("{}", total ? R"(<tbody class="total">)" : "<tbody>");
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const auto& g = groups[i];
      add("<tr>");
      const bool first_of_sector = i == 0 || groups[i - 1].sector != g.sector;
      if (first_of_sector) {
        std::size_t span = 1;
        while (i + span < groups.size() && groups[i + span].sector == g.sector) ++span;
        add(R"(<th scope="row" rowspan="{}">{}</th>)", span, sector_name(g.sector));
      }
      add(R"(<td class="channel">{}</td>)", channel_name(g.channel));
      add(R"(<td class="num">{}</td>)", html_escape(format_count(g.companies, m_lang)));
      add("{}{}", proportion_cell(g.reachability), proportion_cell(g.answer_rate));
      if (g.mean_answered) {
        add(R"(<td class="num">{}<span class="ci">{}</span></td>)", html_escape(format_decimal(*g.mean_answered, 1, m_lang)),
            html_escape(fmt::format(fmt::runtime(text(L::of_n, m_lang)), f.probes_per_channel)));
      } else {
        add(R"(<td class="num">{}</td>)", t(L::no_data));
      }
      add("{}", proportion_cell(g.all_answered));
      for (std::size_t k = 0; k < f.thresholds_hours.size(); ++k) add("{}", threshold_cell(g.calendar, k));
      add("{}</tr>", median_cell(g.calendar));
    }
    add("</tbody>");
  };
  rows(m_figures.groups, false);
  rows(m_figures.overall, true);
  add("</table></div></section>");
}

void Page::charts() {
  std::vector<BarGroup> answer, reach;
  auto collect = [&](const std::vector<GroupFigures>& groups, bool total) {
    for (const auto& g : groups) {
      if (answer.empty() || answer.back().label != (g.sector.empty() ? text(L::all_sectors, m_lang) : g.sector) ||
          answer.back().total != total) {
        const std::string label = g.sector.empty() ? std::string(text(L::all_sectors, m_lang)) : g.sector;
        answer.push_back({label, total, {}});
        reach.push_back({label, total, {}});
      }
      answer.back().bars.emplace_back(g.channel, g.answer_rate);
      reach.back().bars.emplace_back(g.channel, g.reachability);
    }
  };
  collect(m_figures.groups, false);
  collect(m_figures.overall, true);
  add(R"(<section id="charts"><h2>{}</h2><p class="note">{}</p>)", t(L::charts), t(L::chart_interval_note));
  add(R"(<ul class="legend">)");
  for (Channel c : k_all_channels) add("<li>{}</li>", channel_name(c));
  add("</ul>");
  add("<h3>{}</h3>{}", t(L::answer_rate_chart), bar_chart_svg(answer, text(L::answer_rate_chart, m_lang), m_lang));
  add("<h3>{}</h3>{}", t(L::reachability_chart), bar_chart_svg(reach, text(L::reachability_chart, m_lang), m_lang));
  add("</section>");
}

// A legend entry with a line sample in the series' colour and dash.
std::string legend_item(const CurveSeries& s) {
  return fmt::format(R"(<li><svg width="26" height="10" aria-hidden="true"><line x1="1" x2="25" y1="5" y2="5" stroke="{}" stroke-width="3"{}/></svg>{}</li>)",
                     s.color, s.dashed ? R"( stroke-dasharray="6 3")" : "", html_escape(s.label));
}

void Page::curves() {
  const auto& f = m_figures.facts;
  add(R"(<section id="curves"><h2>{}</h2><p class="intro">{}</p><p class="note">{}</p>)", t(L::curves),
      t(L::curves_intro), t(L::curve_band_note));

  // The business-hours axis ends where its window ends: the last threshold is the window.
  auto axis_end = [&](auto scale) {
    double end = 0;
    for (const auto& g : m_figures.overall) {
      const ResponseTimes& times = g.*scale;
      if (!times.at_thresholds.empty()) end = std::max(end, times.at_thresholds.back().hours);
      if (!times.curve.empty()) end = std::max(end, times.curve.back().hours);
    }
    return end > 0 ? end : f.answer_window_hours;
  };

  add("<h3>{}</h3>", t(L::curves_by_channel));
  for (auto [scale, label] : {std::pair{&GroupFigures::calendar, L::calendar_hours}, {&GroupFigures::business, L::business_hours}}) {
    std::vector<CurveSeries> series;
    for (const auto& g : m_figures.overall) {
      series.push_back({std::string(channel_label(g.channel, m_lang)), channel_color(g.channel), false, true, &(g.*scale).curve});
    }
    const std::string title = fmt::format("{} – {}", text(L::curves_by_channel, m_lang), text(label, m_lang));
    add(R"(<p class="note"><strong>{}</strong></p>)", t(label));
    add("{}", curve_chart_svg(series, axis_end(scale), f.thresholds_hours, title, m_lang));
    add(R"(<ul class="legend">)");
    for (const auto& s : series) add("{}", legend_item(s));
    add("</ul>");
  }

  for (Channel c : k_all_channels) {
    std::vector<CurveSeries> series;
    for (const auto& g : m_figures.groups) {
      if (g.channel != c || g.calendar.inquiries == 0) continue;
      const std::size_t i = series.size();
      series.push_back({g.sector, series_color(i), i >= 8, false, &g.calendar.curve});
    }
    if (series.empty()) continue;
    const std::string title = fmt::format(fmt::runtime(text(L::curves_by_sector, m_lang)), channel_label(c, m_lang));
    add("<h3>{}</h3>", html_escape(title));
    add("{}", curve_chart_svg(series, axis_end(&GroupFigures::calendar), f.thresholds_hours, title, m_lang));
    add(R"(<ul class="legend">)");
    for (const auto& s : series) add("{}", legend_item(s));
    add("</ul>");
  }
  add("</section>");
}

void Page::league() {
  const auto entries = league_table(m_figures);
  add(R"(<section id="league"><h2>{}</h2><p class="intro">{}</p>)", t(L::league), t(L::league_intro));
  add(R"(<div class="table-wrap"><table class="league"><thead><tr><th class="num" scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>)",
      t(L::rank), t(L::company), t(L::sector));
  add(R"(<th class="num" scope="col">{}</th><th class="num" scope="col">{}</th><th class="num" scope="col">{}</th>)",
      t(L::answered_k_n), t(L::answered_share), t(L::median_response));
  for (Channel c : k_all_channels) add(R"(<th class="num" scope="col">{}</th>)", channel_name(c));
  add("</tr></thead><tbody>");
  // The best and the last half of the rows each, when there are too many to show.
  const std::size_t half = k_max_table_rows / 2;
  const bool cut = entries.size() > k_max_table_rows;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (cut && i == half) {
      add(R"(<tr><td colspan="{}">{}</td></tr>)", 6 + std::size(k_all_channels),
          html_escape(fmt::format(fmt::runtime(text(L::league_cut, m_lang)), entries.size() - k_max_table_rows)));
      i = entries.size() - half;
    }
    const auto& e = entries[i];
    const auto& ref = m_figures.company_list[e.company];
    add(R"(<tr><td class="num">{}</td><th scope="row">{}</th><td>{}</td>)", e.rank, html_escape(ref.name), html_escape(ref.sector));
    add(R"(<td class="num">{}</td>)", k_of_n(e.answered, e.closed));
    if (e.share) {
      add(R"(<td class="num"><span class="bar" style="width:{}em"></span>{}</td>)", format_fixed(*e.share * 4.0, 2),
          html_escape(format_percent(*e.share, m_lang)));
    } else {
      add(R"(<td class="num">{}</td>)", t(L::no_data));
    }
    add(R"(<td class="num">{}</td>)", hours(e.median_hours));
    for (Channel c : k_all_channels) {
      auto it = std::find_if(e.channels.begin(), e.channels.end(), [&](const CompanyFigures* f) { return f->channel == c; });
      add(R"(<td class="num">{}</td>)", it != e.channels.end() && (*it)->offers ? k_of_n((*it)->answered, (*it)->closed) : t(L::no_data));
    }
    add("</tr>");
  }
  add("</tbody></table></div></section>");
}

void Page::comparison() {
  struct Row {
    const ChannelComparison* company;
    const CompanyFigures* email;
    const CompanyFigures* facebook;
  };
  std::vector<Row> rows;
  for (const auto& c : m_figures.comparison) {
    const CompanyFigures* email = nullptr;
    const CompanyFigures* facebook = nullptr;
    for (const auto& ch : c.channels) (ch.channel == Channel::email ? email : facebook) = &ch;
    if (email && facebook && email->offers && facebook->offers) rows.push_back({&c, email, facebook});
  }
  auto share = [](const CompanyFigures* f) {
    return f->closed > 0 ? std::optional(static_cast<double>(f->answered) / static_cast<double>(f->closed)) : std::nullopt;
  };
  int email_better = 0, facebook_better = 0, equal = 0;
  for (const auto& r : rows) {
    const auto e = share(r.email), fb = share(r.facebook);
    if (!e || !fb) continue;
    if (*e > *fb) ++email_better;
    else if (*fb > *e) ++facebook_better;
    else ++equal;
  }
  add(R"(<section id="comparison"><h2>{}</h2><p class="intro">{}</p>)", t(L::comparison), t(L::comparison_intro));
  add("<p>{}</p>", html_escape(fmt::format(fmt::runtime(text(L::comparison_summary, m_lang)), email_better, facebook_better, equal)));
  add(R"(<div class="table-wrap"><table class="comparison"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>)", t(L::company), t(L::sector));
  for (Channel c : k_all_channels) {
    add(R"(<th class="num" scope="col">{} – {}</th><th class="num" scope="col">{}</th>)", channel_name(c), t(L::answered_k_n),
        t(L::median));
  }
  add(R"(<th scope="col"></th></tr></thead><tbody>)");
  for (std::size_t i = 0; i < rows.size() && i < k_max_table_rows; ++i) {
    const auto& r = rows[i];
    add(R"(<tr><th scope="row">{}</th><td>{}</td>)", html_escape(r.company->name), html_escape(r.company->sector));
    for (const CompanyFigures* f : {r.email, r.facebook}) {
      add(R"(<td class="num">{}</td><td class="num">{}</td>)", k_of_n(f->answered, f->closed), hours(f->median_response_hours));
    }
    const auto e = share(r.email), fb = share(r.facebook);
    L verdict = L::no_data;
    if (e && fb) verdict = *e > *fb ? L::email_better : *fb > *e ? L::facebook_better : L::equal;
    add(R"(<td class="better">{}</td></tr>)", t(verdict));
  }
  if (rows.size() > k_max_table_rows) {
    add(R"(<tr><td colspan="7">{}</td></tr>)",
        html_escape(fmt::format(fmt::runtime(text(L::comparison_cut, m_lang)), rows.size() - k_max_table_rows)));
  }
  add("</tbody></table></div></section>");
}

void Page::quotes() {
  add(R"(<section id="replies"><h2>{}</h2><p class="intro">{}</p>)", t(L::quoted_replies), t(L::quoted_intro));
  if (m_figures.quoted_replies.empty()) add("<p>{}</p>", t(L::no_quotes));
  for (const auto& r : m_figures.quoted_replies) {
    const CompanyRef* company = r.company < m_figures.company_list.size() ? &m_figures.company_list[r.company] : nullptr;
    add(R"(<figure class="quote"><blockquote>{}</blockquote><figcaption>)", html_escape(r.excerpt));
    add("<strong>{}</strong> · {} · {} {} · {}", company ? html_escape(company->name) : t(L::no_data),
        html_escape(channel_label(r.channel, m_lang)), t(L::received), when(r.received_at),
        html_escape(reply_kind_label(r.kind, m_lang)));
    if (!r.subject.empty()) {
      const bool de = m_lang == Lang::de;
      add(" · {}: {}{}{}", t(L::subject), de ? "„" : "“", html_escape(r.subject), de ? "“" : "”");
    }
    add("</figcaption></figure>");
  }
  add("</section>");
}

void Page::method() {
  const auto& f = m_figures.facts;
  add(R"(<section id="method" class="method"><h2>{}</h2><p>{}</p><ul>)", t(L::method), t(L::method_outcomes));
  for (L l : {L::method_answered, L::method_unanswered, L::method_open, L::method_undeliverable}) add("<li>{}</li>", t(l));
  add("</ul><ul>");
  for (L l : {L::method_reachability, L::method_answer_rate, L::method_k_of_n, L::method_times, L::method_ack}) {
    add("<li>{}</li>", t(l));
  }
  add(R"(</ul><h3>{}</h3><dl class="facts">)", t(L::method_parameters));
  add("<dt>{}</dt><dd>{}</dd>", t(L::study_name), html_escape(f.name));
  add("<dt>{}</dt><dd>{}</dd>", t(L::timezone), html_escape(f.timezone));
  add("<dt>{}</dt><dd>{}</dd>", t(L::calendar), html_escape(f.calendar));
  add("<dt>{}</dt><dd>{}</dd>", t(L::answer_window), hours(f.answer_window_hours));
  add("<dt>{}</dt><dd>{}</dd>", t(L::probes_per_channel), f.probes_per_channel);
  std::vector<std::string> thresholds;
  for (double h : f.thresholds_hours) thresholds.push_back(hours(h));
  add("<dt>{}</dt><dd>{}</dd>", t(L::thresholds), fmt::join(thresholds, ", "));
  if (f.first_send) add("<dt>{}</dt><dd>{}</dd>", t(L::first_send), when(*f.first_send));
  if (f.last_send) add("<dt>{}</dt><dd>{}</dd>", t(L::last_send), when(*f.last_send));
  add("<dt>{}</dt><dd>{}</dd>", t(L::generated), when(f.generated_at));
  add("</dl></section>");
}

std::string Page::render() {
  const auto& f = m_figures.facts;
  add("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">", to_string(m_lang));
  // No script, no fetch of any kind: the browser is told so as well.
  add(R"(<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">)");
  add(R"(<meta name="viewport" content="width=device-width, initial-scale=1">)");
  add("<title>{} – {}</title><style>{}</style></head><body><main>", html_escape(f.name), t(L::report_title), k_style);
  header();
  headline();
  charts();
  curves();
  league();
  comparison();
  quotes();
  method();
  add("<footer>{}</footer></main></body></html>\n",
      html_escape(fmt::format(fmt::runtime(text(L::generated_by, m_lang)), RESPBENCH_VERSION)));
  return std::move(m_out);
}

}  // namespace

std::string html_report(const StudyFigures& figures, Lang lang) { return Page(figures, lang).render(); }

}  // namespace respbench
