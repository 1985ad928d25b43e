#pragma once
// respbench.conf, read and checked: every key of config_keys() turned into a typed value.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "plan/calendar.hpp"
#include "study/model.hpp"
#include "util/diagnostics.hpp"

namespace respbench {

struct EmailSettings {
  std::string smtp_url;
  std::string imap_url;
  std::string user;
  std::string password_command;
  std::string password_env;
  bool require_tls = true;
  std::string inbox;
  std::string sent_folder;
  std::string ca_file;
  int max_per_run = 20;
  int pause_seconds = 2;
  int max_attempts = 5;
  bool reply_token = false;  // Reply-To: the persona's plus-address with the inquiry's token
};

struct FacebookSettings {
  std::string poll;  // "auto", "yes" or "no"
  std::string graph_url;
  std::string token_env;
  std::string app_secret_env;
  std::chrono::seconds timeout{30};
  std::chrono::seconds rate_limit_wait{900};
};

struct ReportSettings {
  bool on_run = false;
  std::string lang;
  std::string csv_dialect;
  std::vector<std::chrono::seconds> thresholds = {};  // report.thresholds, as given
};

struct StudyConfig {
  std::string name;
  std::string timezone;
  const date::time_zone* zone = nullptr;
  date::year_month_day start;
  std::chrono::seconds answer_window{0};
  int probes_per_channel = 5;
  std::uint64_t seed = 0;
  std::string language;

  WeeklyHours hours;
  HolidayRules holidays = HolidayRules::germany;
  std::set<date::local_days> extra_holidays;

  MinuteRange send_window;
  std::chrono::seconds min_spacing{0};
  int business_days = 15;

  EmailSettings email;
  FacebookSettings facebook;
  std::vector<Persona> personas;
  ReportSettings report;

  // Line of each key given in the file ("schedule.min_spacing" → 17), for later diagnostics.
  std::map<std::string, int> key_lines;

  Calendar calendar() const { return Calendar(zone, hours, holidays, extra_holidays); }
};

// Reads `text` (the contents of the file shown as `file`) as a respbench.conf. Every problem
// goes to `diags` with its line and column; returns nullopt when there was any.
std::optional<StudyConfig> parse_config(const std::string& text, const std::string& file, Diagnostics& diags);

// Parses "Anna Berger <anna.berger@example.org>"; nullopt when malformed.
std::optional<Persona> parse_persona(std::string_view text);

}  // namespace respbench
