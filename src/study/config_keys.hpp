#pragma once
// The one table of respbench.conf keys (STYLE.md, habit 9): the config parser, `respbench init`'s
// template and `respbench help config` all come from it. Add a key here, with a default and a
// line of help, and everything else follows.

#include <span>
#include <string_view>

namespace respbench {

// How a key's value is read and checked.
enum class KeyKind {
  text,          // any text
  integer,       // a whole number >= 0
  duration,      // "7d", "36h", "90m"
  duration_list, // "1h, 4h, 24h"
  date,          // "2026-03-02"
  date_list,     // "2026-12-24, 2026-12-31"
  time_zone,     // an IANA zone name: "Europe/Berlin"
  weekly_hours,  // "Mon-Fri 09:00-17:00"
  clock_range,   // "09:00-16:00"
  choice,        // one of ConfigKey::choices ("|"-separated)
  url,           // with one of ConfigKey::choices as scheme
  mailbox,       // an email address
  persona,       // "Anna Berger <anna.berger@example.org>"
  command,       // a shell command that prints a secret
  env_name,      // the name of an environment variable holding a secret
  path,          // a file path, relative to the study folder
  language,      // a language code: "de", "en"
};

struct ConfigKey {
  std::string_view name;           // "section.key", e.g. "study.timezone"
  std::string_view default_value;  // empty: none
  KeyKind kind = KeyKind::text;
  std::string_view help;
  std::string_view choices = {};  // choice: allowed values; url: allowed schemes ("a|b")
  bool required = false;          // must be given (no sensible default)
  bool repeatable = false;        // may appear on several lines (personas)
};

// Every key respbench.conf may contain, in the order `init` writes them.
std::span<const ConfigKey> config_keys();

// The key called `name`, or nullptr.
const ConfigKey* find_config_key(std::string_view name);

}  // namespace respbench
