#pragma once
// The report's charts as inline SVG (no script, no fonts, no images by URL): bars with Wilson
// interval whiskers, and Kaplan–Meier step curves with their confidence bands on a logarithmic
// time axis. Every label passes through html_escape.

#include <string>
#include <string_view>
#include <vector>

#include "analysis/metrics.hpp"
#include "report/language.hpp"

namespace respbench {

// A channel's colour in every chart and legend.
std::string_view channel_color(Channel c);
// The i-th colour of the sector palette (Okabe–Ito, readable for colour-blind readers).
std::string_view series_color(std::size_t i);

struct BarGroup {
  std::string label;  // plain text: a sector, or "All sectors"
  bool total = false;  // set apart by a rule above
  std::vector<std::pair<Channel, Proportion>> bars;
};

// Horizontal bars 0–100 % per group and channel, each with its interval as a whisker and its
// value at the right; `title` names the chart for screen readers.
std::string bar_chart_svg(const std::vector<BarGroup>& groups, std::string_view title, Lang lang);

struct CurveSeries {
  std::string label;  // plain text
  std::string_view color;
  bool dashed = false;
  bool band = false;  // draw the confidence band
  const std::vector<CurvePoint>* curve = nullptr;
};

// Step curves of P(answered by t) over a log time axis from 15 minutes to `max_hours`, with a
// dashed line at each of `thresholds`.
std::string curve_chart_svg(const std::vector<CurveSeries>& series, double max_hours,
                            const std::vector<double>& thresholds, std::string_view title, Lang lang);

// At most about two points per horizontal pixel of a `width`-pixel log axis: a million-point
// curve becomes a few hundred, and the step shape stays within a pixel.
std::vector<CurvePoint> thin_curve(const std::vector<CurvePoint>& curve, double min_hours, double max_hours,
                                   double width);

}  // namespace respbench
