#include "study/config_keys.hpp"

#include <array>

namespace respbench {
namespace {

constexpr std::array k_keys = {
    ConfigKey{"study.name", "", KeyKind::text, "Name of the study, shown in reports", {}, true},
    ConfigKey{"study.timezone", "Europe/Berlin", KeyKind::time_zone,
              "IANA time zone for the calendar, the schedule and display (UTC is kept inside)"},
    ConfigKey{"study.start", "", KeyKind::date, "First day on which inquiries may be sent", {}, true},
    ConfigKey{"study.answer_window", "7d", KeyKind::duration,
              "How long after sending an answer still counts (e.g. 7d, 72h)"},
    ConfigKey{"study.probes_per_channel", "5", KeyKind::integer,
              "Scripted questions sent per company and channel"},
    ConfigKey{"study.seed", "42", KeyKind::integer,
              "Seed of the random plan: the same seed gives the same plan"},
    ConfigKey{"study.language", "de", KeyKind::language,
              "Language of the probes to use (the Language: header of files in probes/)"},

    ConfigKey{"calendar.hours", "Mon-Fri 09:00-17:00", KeyKind::weekly_hours,
              "Business hours per weekday, e.g. Mon-Thu 08:00-17:00, Fri 08:00-14:00"},
    ConfigKey{"calendar.holidays", "DE", KeyKind::choice,
              "Built-in holidays: DE (German national holidays) or none", "DE|none"},
    ConfigKey{"calendar.extra_holidays", "", KeyKind::date_list,
              "More days without business hours, comma-separated dates"},

    ConfigKey{"schedule.send_window", "09:00-16:00", KeyKind::clock_range,
              "Local time of day within which inquiries are sent (on business days)"},
    ConfigKey{"schedule.min_spacing", "1d", KeyKind::duration,
              "Minimum time between two inquiries to the same company, over all channels"},
    ConfigKey{"schedule.business_days", "15", KeyKind::integer,
              "Business days from the start over which each company's inquiries are spread"},

    ConfigKey{"email.smtp_url", "", KeyKind::url,
              "SMTP server for sending: smtps://host:465 or smtp://host:587 (STARTTLS)", "smtp|smtps"},
    ConfigKey{"email.imap_url", "", KeyKind::url, "IMAP server for reading answers: imaps://host:993",
              "imap|imaps"},
    ConfigKey{"email.user", "", KeyKind::text, "Login name on the SMTP and IMAP servers"},
    ConfigKey{"email.password_command", "", KeyKind::command,
              "Command that prints the mail password (like mbsync's PassCmd)"},
    ConfigKey{"email.password_env", "", KeyKind::env_name,
              "Or: name of the environment variable that holds the mail password"},
    ConfigKey{"email.require_tls", "yes", KeyKind::choice,
              "smtp:// and imap:// must upgrade to TLS with STARTTLS (no: only for a local test server)", "yes|no"},
    ConfigKey{"email.inbox", "INBOX", KeyKind::text,
              "IMAP folder the answers arrive in (the personas' addresses must deliver there)"},
    ConfigKey{"email.sent_folder", "Sent", KeyKind::text, "IMAP folder that keeps a copy of each sent inquiry"},
    ConfigKey{"email.ca_file", "", KeyKind::path,
              "Extra CA certificate file for a server with a private certificate"},
    ConfigKey{"email.max_per_run", "20", KeyKind::integer, "At most this many emails sent by one run"},
    ConfigKey{"email.pause_seconds", "2", KeyKind::integer, "Seconds to wait between two sends (politeness)"},
    ConfigKey{"email.max_attempts", "5", KeyKind::integer,
              "Tries against temporary refusals (SMTP 4xx) before an address counts as undeliverable"},
    ConfigKey{"email.reply_token", "no", KeyKind::choice,
              "Send with Reply-To: the persona's plus-address (name+TOKEN@domain) so that replies quoting "
              "nothing of ours still match; only where that server delivers plus-addresses to the persona",
              "yes|no"},

    ConfigKey{"facebook.poll", "auto", KeyKind::choice,
              "Read the pages' answers by the Graph API: auto (when the token's variable is set; else answers "
              "are imported or entered by hand), yes (a missing token is an error), no",
              "auto|yes|no"},
    ConfigKey{"facebook.graph_url", "https://graph.facebook.com/v21.0", KeyKind::url,
              "Graph API base URL, version included", "https|http"},
    ConfigKey{"facebook.token_env", "RESPBENCH_FB_TOKEN", KeyKind::env_name,
              "Name of the environment variable that holds the Graph API token"},
    ConfigKey{"facebook.app_secret_env", "RESPBENCH_FB_APP_SECRET", KeyKind::env_name,
              "Name of the environment variable with the app secret; when it is set, every request carries "
              "appsecret_proof"},
    ConfigKey{"facebook.timeout", "30s", KeyKind::duration, "Time-out of one Graph API request"},
    ConfigKey{"facebook.rate_limit_wait", "15m", KeyKind::duration,
              "First back-off after a rate limit when the API gives no time; doubled for each limit in a row "
              "(at most 1 day), with jitter"},

    ConfigKey{"personas.persona", "", KeyKind::persona,
              "A sender, \"Name <address>\"; one line each, inquiries rotate over them", {}, true, true},

    ConfigKey{"report.on_run", "no", KeyKind::choice, "Write the report at the end of every run",
              "yes|no"},
    ConfigKey{"report.lang", "de", KeyKind::choice, "Language of report labels", "de|en"},
    ConfigKey{"report.csv_dialect", "rfc4180", KeyKind::choice,
              "CSV flavour: rfc4180 (comma, UTF-8) or excel-de (semicolon, decimal comma, BOM)",
              "rfc4180|excel-de"},
    ConfigKey{"report.thresholds", "1h, 4h, 24h", KeyKind::duration_list,
              "Times at which reports give P(answered by t), comma-separated; the answer window is added"},
};

}  // namespace

std::span<const ConfigKey> config_keys() { return k_keys; }

const ConfigKey* find_config_key(std::string_view name) {
  for (const auto& key : k_keys) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

}  // namespace respbench
