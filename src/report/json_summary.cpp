#include "report/json_summary.hpp"

#include <cmath>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "report/figures_view.hpp"
#include "report/text.hpp"

namespace respbench {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Texts from the study files are cleaned to valid UTF-8 first: RapidJSON copies bytes as given.
void string(JsonWriter& w, std::string_view s) {
  const std::string clean = clean_text(s);
  w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void key(JsonWriter& w, std::string_view k) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

void number(JsonWriter& w, std::string_view k, std::optional<double> v) {
  key(w, k);
  if (v && std::isfinite(*v)) w.Double(*v);
  else w.Null();
}

void integer(JsonWriter& w, std::string_view k, std::int64_t v) {
  key(w, k);
  w.Int64(v);
}

void instant(JsonWriter& w, std::string_view k, std::optional<Instant> t) {
  key(w, k);
  if (t) string(w, format_utc(*t));
  else w.Null();
}

void proportion(JsonWriter& w, std::string_view k, const Proportion& p) {
  key(w, k);
  w.StartObject();
  integer(w, "successes", p.successes);
  integer(w, "trials", p.trials);
  number(w, "estimate", p.estimate);
  number(w, "low", p.estimate ? std::optional(p.low) : std::nullopt);
  number(w, "high", p.estimate ? std::optional(p.high) : std::nullopt);
  w.EndObject();
}

void times(JsonWriter& w, std::string_view k, const StudyFacts& facts, const ResponseTimes& t) {
  key(w, k);
  w.StartObject();
  integer(w, "inquiries", t.inquiries);
  integer(w, "answered", t.answered);
  integer(w, "censored", t.censored);
  key(w, "thresholds");
  w.StartArray();
  for (std::size_t i = 0; i < t.at_thresholds.size(); ++i) {
    const auto& a = t.at_thresholds[i];
    w.StartObject();
    key(w, "name");
    string(w, i < facts.thresholds_hours.size() ? threshold_key(facts.thresholds_hours[i]) : "window");
    number(w, "hours", a.hours);
    number(w, "estimate", a.estimate);
    number(w, "low", a.low);
    number(w, "high", a.high);
    w.EndObject();
  }
  w.EndArray();
  number(w, "median_hours", t.median_hours);
  number(w, "median_hours_low", t.median_low);
  number(w, "median_hours_high", t.median_high);
  key(w, "curve");
  w.StartArray();
  for (const auto& p : t.curve) {
    w.StartObject();
    number(w, "hours", p.hours);
    number(w, "estimate", p.estimate);
    number(w, "low", p.low);
    number(w, "high", p.high);
    integer(w, "at_risk", p.at_risk);
    integer(w, "events", p.events);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void group(JsonWriter& w, const StudyFacts& facts, const GroupFigures& g) {
  w.StartObject();
  key(w, "sector");
  if (g.sector.empty()) w.Null();
  else string(w, g.sector);
  key(w, "channel");
  string(w, to_string(g.channel));
  integer(w, "companies", g.companies);
  integer(w, "offering", g.offering);
  proportion(w, "reachability", g.reachability);
  integer(w, "inquiries", g.inquiries);
  integer(w, "delivered", g.delivered);
  integer(w, "answered", g.answered);
  integer(w, "unanswered", g.unanswered);
  integer(w, "open", g.open);
  integer(w, "undeliverable", g.undeliverable);
  integer(w, "not_sent", g.not_sent);
  proportion(w, "answer_rate", g.answer_rate);
  key(w, "k_of_n");
  w.StartArray();
  for (auto k : g.k_of_n) w.Int64(k);
  w.EndArray();
  number(w, "mean_answered", g.mean_answered);
  proportion(w, "all_answered", g.all_answered);
  proportion(w, "ack_rate", g.ack_rate);
  number(w, "median_ack_hours", g.median_ack_hours);
  times(w, "calendar", facts, g.calendar);
  times(w, "business", facts, g.business);
  w.EndObject();
}

}  // namespace

std::string summary_json(const StudyFigures& figures) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.SetMaxDecimalPlaces(6);
  const auto& f = figures.facts;
  w.StartObject();
  key(w, "format");
  string(w, "respbench-summary-1");
  key(w, "facts");
  w.StartObject();
  key(w, "study");
  string(w, f.name);
  key(w, "timezone");
  string(w, f.timezone);
  key(w, "calendar");
  string(w, f.calendar);
  number(w, "answer_window_hours", f.answer_window_hours);
  integer(w, "probes_per_channel", f.probes_per_channel);
  key(w, "thresholds_hours");
  w.StartArray();
  for (double t : f.thresholds_hours) w.Double(t);
  w.EndArray();
  instant(w, "generated_at", f.generated_at);
  instant(w, "first_send", f.first_send);
  instant(w, "last_send", f.last_send);
  integer(w, "companies", static_cast<std::int64_t>(figures.company_list.size()));
  integer(w, "inquiries", static_cast<std::int64_t>(figures.inquiries.size()));
  w.EndObject();
  key(w, "groups");
  w.StartArray();
  for (const auto& g : figures.groups) group(w, f, g);
  w.EndArray();
  key(w, "overall");
  w.StartArray();
  for (const auto& g : figures.overall) group(w, f, g);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace respbench
