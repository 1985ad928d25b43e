#include "report/svg_charts.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "report/text.hpp"

namespace respbench {
namespace {

constexpr double k_width = 760;
constexpr double k_min_hours = 0.25;  // the time axis starts at 15 minutes

std::string px(double v) { return format_fixed(v, 1); }

// A label too long for the chart's label column, cut with an ellipsis (the full text is in
// the element's <title>).
std::string shorten(std::string_view label, std::size_t max_chars) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    const auto c = static_cast<unsigned char>(label[i]);
    if ((c & 0xC0) != 0x80 && ++chars > max_chars) return out + "…";
    out += label[i];
  }
  return out;
}

std::string tick_label(double hours, Lang lang) {
  if (hours < 1.0) return fmt::format("{}\u00A0min", format_fixed(hours * 60.0, 0));
  if (hours < 48.0) return fmt::format("{}\u00A0h", format_decimal(hours, std::floor(hours) == hours ? 0 : 1, lang));
  const double days = hours / 24.0;
  return fmt::format("{}\u00A0d", format_decimal(days, std::floor(days) == days ? 0 : 1, lang));
}

struct LogAxis {
  double x0, width, min_hours, max_hours;
  double operator()(double hours) const {
    const double h = std::clamp(hours, min_hours, max_hours);
    return x0 + (std::log(h) - std::log(min_hours)) / (std::log(max_hours) - std::log(min_hours)) * width;
  }
};

}  // namespace

std::string_view channel_color(Channel c) { return c == Channel::email ? "#1f5fa8" : "#c4561d"; }

std::string_view series_color(std::size_t i) {
  constexpr std::string_view k_palette[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                            "#cc79a7", "#56b4e9", "#7a6a00", "#000000"};
  return k_palette[i % std::size(k_palette)];
}

std::string bar_chart_svg(const std::vector<BarGroup>& groups, std::string_view title, Lang lang) {
  constexpr double label_w = 200, plot_x = 210, plot_w = 400, top = 26, bar_h = 13, row_h = 18, gap = 12;
  double height = top + 6;
  for (const auto& g : groups) height += static_cast<double>(g.bars.size()) * row_h + gap;
  std::string out;
  auto o = std::back_inserter(out);
  fmt::format_to(o, R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">)",
                 k_width, px(height), html_escape(title));
  fmt::format_to(o, "<title>{}</title>", html_escape(title));
  auto x = [&](double share) { return plot_x + std::clamp(share, 0.0, 1.0) * plot_w; };
  for (double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    fmt::format_to(o, R"(<line class="grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", px(x(t)), px(top - 4), px(height - 6));
    fmt::format_to(o, R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)", px(x(t)), px(top - 10),
                   html_escape(format_percent(t, lang)));
  }
  double y = top;
  for (const auto& g : groups) {
    const double group_h = static_cast<double>(g.bars.size()) * row_h;
    if (g.total) fmt::format_to(o, R"(<line class="rule" x1="0" x2="{}" y1="{}" y2="{}"/>)", k_width, px(y - gap / 2), px(y - gap / 2));
    fmt::format_to(o, R"(<text class="{}" x="{}" y="{}" text-anchor="end"><title>{}</title>{}</text>)",
                   g.total ? "label total" : "label", label_w - 4, px(y + group_h / 2 + 4), html_escape(g.label),
                   html_escape(shorten(g.label, 28)));
    for (const auto& [channel, p] : g.bars) {
      const double cy = y + row_h / 2;
      if (p.estimate) {
        fmt::format_to(o, R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" opacity="0.85"><title>{}</title></rect>)",
                       plot_x, px(cy - bar_h / 2), px(x(*p.estimate) - plot_x), bar_h, channel_color(channel),
                       html_escape(fmt::format("{}: {} / {}", channel_label(channel, lang), p.successes, p.trials)));
        fmt::format_to(o, R"(<path class="whisker" d="M{0} {1}H{2}M{0} {3}V{4}M{2} {3}V{4}"/>)", px(x(p.low)), px(cy),
                       px(x(p.high)), px(cy - 4), px(cy + 4));
        fmt::format_to(o, R"(<text class="value" x="{}" y="{}">{} <tspan class="ci">({})</tspan></text>)",
                       plot_x + plot_w + 10, px(cy + 4), html_escape(format_percent(*p.estimate, lang)),
                       html_escape(format_percent_range(p.low, p.high, lang)));
      } else {
        fmt::format_to(o, R"(<text class="value" x="{}" y="{}">{}</text>)", plot_x + plot_w + 10, px(cy + 4),
                       html_escape(text(L::no_data, lang)));
      }
      y += row_h;
    }
    y += gap;
  }
  out += "</svg>";
  return out;
}

std::vector<CurvePoint> thin_curve(const std::vector<CurvePoint>& curve, double min_hours, double max_hours,
                                   double width) {
  if (curve.size() <= 2 * static_cast<std::size_t>(width)) return curve;
  const LogAxis axis{0, width, min_hours, max_hours};
  std::vector<CurvePoint> out;
  long last_bucket = -1;
  for (const auto& p : curve) {
    const long bucket = std::lround(axis(p.hours) * 2.0);
    // The last point of a bucket carries every event before it: the step lands where the
    // curve really is.
    if (bucket == last_bucket && !out.empty()) out.back() = p;
    else out.push_back(p);
    last_bucket = bucket;
  }
  return out;
}

std::string curve_chart_svg(const std::vector<CurveSeries>& series, double max_hours,
                            const std::vector<double>& thresholds, std::string_view title, Lang lang) {
  constexpr double left = 52, right = 16, top = 14, bottom = 44, height = 300;
  const double plot_w = k_width - left - right, plot_h = height - top - bottom;
  max_hours = std::max(max_hours, 2 * k_min_hours);
  const LogAxis x{left, plot_w, k_min_hours, max_hours};
  auto y = [&](double p) { return top + (1.0 - std::clamp(p, 0.0, 1.0)) * plot_h; };

  std::string out;
  auto o = std::back_inserter(out);
  fmt::format_to(o, R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">)",
                 k_width, height, html_escape(title));
  fmt::format_to(o, "<title>{}</title>", html_escape(title));
  for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    fmt::format_to(o, R"(<line class="{0}" x1="{1}" x2="{2}" y1="{3}" y2="{3}"/>)", p == 0.5 ? "grid half" : "grid", left,
                   px(left + plot_w), px(y(p)));
    fmt::format_to(o, R"(<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>)", left - 6, px(y(p) + 4),
                   html_escape(format_percent(p, lang)));
  }
  std::vector<double> ticks;
  for (double t : {0.25, 1.0, 4.0, 24.0, 48.0, 72.0, 168.0, 336.0, 720.0, 1440.0}) {
    if (t <= max_hours * 1.0001) ticks.push_back(t);
  }
  if (x(max_hours) - x(ticks.back()) > 40) ticks.push_back(max_hours);
  for (double t : ticks) {
    fmt::format_to(o, R"(<line class="grid" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", px(x(t)), top, px(top + plot_h));
    fmt::format_to(o, R"(<text class="tick" x="{}" y="{}" text-anchor="middle">{}</text>)", px(x(t)),
                   px(top + plot_h + 16), html_escape(tick_label(t, lang)));
  }
  for (double t : thresholds) {
    if (t < k_min_hours || t > max_hours) continue;
    fmt::format_to(o, R"(<line class="threshold" x1="{0}" x2="{0}" y1="{1}" y2="{2}"/>)", px(x(t)), top, px(top + plot_h));
  }
  fmt::format_to(o, R"(<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>)", px(left + plot_w / 2),
                 height - 6, html_escape(text(L::hours_axis, lang)));

  for (const auto& s : series) {
    if (s.curve == nullptr) continue;
    const auto points = thin_curve(*s.curve, k_min_hours, max_hours, plot_w);
    std::string line = fmt::format("M{} {}", px(x(k_min_hours)), px(y(0)));
    std::vector<std::pair<double, double>> upper{{x(k_min_hours), y(0)}};
    std::vector<std::pair<double, double>> lower{{x(k_min_hours), y(0)}};
    double last_high = 0, last_low = 0;
    for (const auto& p : points) {
      if (p.hours > max_hours) break;
      const double px_x = x(p.hours);
      line += fmt::format("H{}V{}", px(px_x), px(y(p.estimate)));
      upper.emplace_back(px_x, y(last_high));
      upper.emplace_back(px_x, y(p.high));
      lower.emplace_back(px_x, y(last_low));
      lower.emplace_back(px_x, y(p.low));
      last_high = p.high;
      last_low = p.low;
    }
    line += fmt::format("H{}", px(x(max_hours)));
    upper.emplace_back(x(max_hours), y(last_high));
    lower.emplace_back(x(max_hours), y(last_low));
    if (s.band) {
      std::string band = "M";
      for (const auto& [bx, by] : upper) band += fmt::format("{} {}L", px(bx), px(by));
      for (auto it = lower.rbegin(); it != lower.rend(); ++it) band += fmt::format("{} {}L", px(it->first), px(it->second));
      band.resize(band.size() - 1);
      fmt::format_to(o, R"(<path class="band" d="{}Z" fill="{}"/>)", band, s.color);
    }
    fmt::format_to(o, R"(<path class="curve{}" d="{}" stroke="{}"><title>{}</title></path>)", s.dashed ? " dashed" : "",
                   line, s.color, html_escape(s.label));
  }
  out += "</svg>";
  return out;
}

}  // namespace respbench
