#include "study/config.hpp"

#include <charconv>
#include <limits>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "study/config_keys.hpp"
#include "study/contact.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace po = boost::program_options;

namespace respbench {
namespace {

// Where a key's value stands in the file. Boost.Program_options reads the values but does not
// say where they were; this index, built in the same pass that checks the line syntax, lets
// every diagnostic point at file:line:column.
struct ValuePlace {
  int line = 0;
  int column = 0;      // column of the value's first character
  int key_column = 0;  // column of the key's first character
};

struct LineIndex {
  std::map<std::string, std::vector<ValuePlace>> places;  // "section.key" → every occurrence
  // The text as this index read it, for Boost's parser: BOM, CRs and comments gone, section
  // headers written plainly, malformed lines blank. Boost then reads the same keys as the index
  // (it does not trim "[ study ]" nor skip a BOM) and cannot stop at a line reported already.
  std::string parser_text;
};

// `url` with the password of a "user:password@host" part replaced by ***, for messages.
std::string redact_url_password(std::string_view url) {
  auto scheme_end = url.find("://");
  auto start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto at = url.substr(0, url.find('/', start)).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  auto colon = url.substr(0, at).find(':', start);
  if (colon == std::string_view::npos) return std::string(url);
  return fmt::format("{}***{}", url.substr(0, colon + 1), url.substr(at));
}

// Words that mark a secret written straight into the file.
bool looks_like_secret_key(std::string_view key) {
  auto last = key.substr(key.rfind('.') + 1);
  for (std::string_view word : {"password", "passwd", "token", "secret", "app_secret", "access_token"}) {
    if (last == word) return true;
  }
  return false;
}

LineIndex index_lines(const std::string& text, const std::string& file, Diagnostics& diags) {
  LineIndex index;
  std::istringstream in(text);
  std::string raw;
  std::string section;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (line_no == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
    std::string_view line = raw;
    // Boost's parser treats everything from '#' on as a comment; so does this index.
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto content = trim(line);
    if (content.empty() || content.front() == ';') {
      index.parser_text += '\n';
      continue;
    }
    int indent = static_cast<int>(content.data() - raw.data()) + 1;
    if (content.front() == '[') {
      if (content.back() != ']' || content.size() < 3) {
        diags.add(file, line_no, indent, "malformed section header; expected [name]");
        // Read on as if the bracket were there, so the keys below are not reported as unknown.
        auto name = trim(content.substr(1, content.size() - (content.back() == ']' ? 2 : 1)));
        if (!name.empty()) section = std::string(name);
      } else {
        section = std::string(trim(content.substr(1, content.size() - 2)));
      }
      index.parser_text += section.empty() ? std::string("\n") : fmt::format("[{}]\n", section);
      continue;
    }
    auto eq = content.find('=');
    if (eq == std::string_view::npos || trim(content.substr(0, eq)).empty()) {
      diags.add(file, line_no, indent,
                fmt::format("expected \"key = value\" or \"[section]\", found \"{}\"", content));
      index.parser_text += '\n';
      continue;
    }
    auto key = std::string(trim(content.substr(0, eq)));
    auto value = trim(content.substr(eq + 1));
    int value_column = value.empty() ? static_cast<int>(content.data() - raw.data() + eq + 2)
                                     : static_cast<int>(value.data() - raw.data()) + 1;
    auto full = section.empty() ? key : section + "." + key;
    index.places[full].push_back({line_no, value_column, indent});
    index.parser_text += fmt::format("{} = {}\n", key, value);
  }
  return index;
}

// The typed values, filled key by key; each reader reports at the value's place.
class ConfigReader {
 public:
  ConfigReader(const std::string& file, Diagnostics& diags) : m_file(file), m_diags(diags) {}

  void error(const ValuePlace& at, std::string message) {
    m_diags.add(m_file, at.line, at.column, std::move(message));
  }

  // Whole numbers are counts (int) except the seed, which takes any 64-bit value: a seed
  // copied from another tool must not be refused as "not a whole number".
  void integer(std::string_view value, const ValuePlace& at, std::string_view key) {
    const bool wide = key == "study.seed";
    std::uint64_t out = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc{} && end == value.data() + value.size() && !wide &&
         out > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))) {
      error(at, fmt::format("{} is too large: at most {}, found \"{}\"", key,
                            wide ? std::numeric_limits<std::uint64_t>::max()
                                 : static_cast<std::uint64_t>(std::numeric_limits<int>::max()),
                            value));
    } else if (ec != std::errc{} || end != value.data() + value.size()) {
      error(at, fmt::format("{} must be a whole number >= 0, found \"{}\"", key, value));
    }
  }

  void check(const ConfigKey& key, const std::string& value, const ValuePlace& at) {
    const auto name = key.name;
    switch (key.kind) {
      case KeyKind::text:
      case KeyKind::command:
        return;
      case KeyKind::integer:
        integer(value, at, name);
        return;
      case KeyKind::duration:
        if (!parse_duration(value))
          error(at, fmt::format("{} must be a duration such as 7d, 36h or 90m, found \"{}\"", name, value));
        return;
      case KeyKind::duration_list:
        for (const auto& d : split_list(value)) {
          if (!parse_duration(d))
            error(at, fmt::format("{}: \"{}\" is not a duration; expected e.g. 1h, 90m, 2d, comma-separated", name, d));
        }
        return;
      case KeyKind::date:
        if (!parse_date(value))
          error(at, fmt::format("{} must be a date YYYY-MM-DD, found \"{}\"", name, value));
        return;
      case KeyKind::date_list:
        for (const auto& d : split_list(value)) {
          if (!parse_date(d))
            error(at, fmt::format("{}: \"{}\" is not a date; expected YYYY-MM-DD, comma-separated", name, d));
        }
        return;
      case KeyKind::time_zone:
        try {
          (void)date::locate_zone(value);
        } catch (const std::exception&) {
          error(at, fmt::format("unknown time zone \"{}\"; expected an IANA name such as Europe/Berlin", value));
        }
        return;
      case KeyKind::weekly_hours:
        if (auto r = parse_weekly_hours(value); !r) error(at, fmt::format("{}: {}", name, r.error().message));
        return;
      case KeyKind::clock_range:
        if (auto r = parse_minute_range(value); !r) error(at, fmt::format("{}: {}", name, r.error().message));
        return;
      case KeyKind::choice:
        check_choice(key, value, at);
        return;
      case KeyKind::url:
        check_url(key, value, at);
        return;
      case KeyKind::mailbox:
        if (!is_valid_email(value))
          error(at, fmt::format("{} must be an email address such as name@example.org, found \"{}\"", name, value));
        return;
      case KeyKind::persona:
        if (!parse_persona(value))
          error(at, fmt::format("{} must look like \"Anna Berger <anna.berger@example.org>\", found \"{}\"", name, value));
        return;
      case KeyKind::env_name:
        check_env_name(key, value, at);
        return;
      case KeyKind::path:
        return;
      case KeyKind::language:
        if (value.size() < 2 || value.size() > 8 ||
            value.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos)
          error(at, fmt::format("{} must be a language code such as de or en, found \"{}\"", name, value));
        return;
    }
  }

 private:
  void check_choice(const ConfigKey& key, const std::string& value, const ValuePlace& at) {
    for (const auto& choice : split_list(key.choices, '|')) {
      if (choice == value) return;
    }
    error(at, fmt::format("{} must be one of {}, found \"{}\"", key.name,
                          join(split_list(key.choices, '|'), ", "), value));
  }

  void check_url(const ConfigKey& key, const std::string& value, const ValuePlace& at) {
    auto sep = value.find("://");
    auto scheme = sep == std::string::npos ? std::string() : value.substr(0, sep);
    bool scheme_ok = false;
    for (const auto& s : split_list(key.choices, '|')) scheme_ok = scheme_ok || s == scheme;
    auto rest = sep == std::string::npos ? std::string_view() : std::string_view(value).substr(sep + 3);
    if (!scheme_ok || rest.empty() || rest.front() == '/' || rest.find(' ') != std::string_view::npos) {
      error(at, fmt::format("{} must be a URL starting with {}://, found \"{}\"", key.name,
                            join(split_list(key.choices, '|'), ":// or "), redact_url_password(value)));
      return;
    }
    // user:password@host would put a secret into the file.
    auto host_part = rest.substr(0, rest.find('/'));
    if (auto at_sign = host_part.find('@'); at_sign != std::string_view::npos &&
                                            host_part.substr(0, at_sign).find(':') != std::string_view::npos) {
      error(at, fmt::format("{} contains a password; secrets never go into respbench.conf — use "
                            "email.password_command or email.password_env",
                            key.name));
    }
  }

  void check_env_name(const ConfigKey& key, const std::string& value, const ValuePlace& at) {
    bool ok = !value.empty() && !std::isdigit(static_cast<unsigned char>(value.front())) &&
              value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
                  std::string::npos;
    if (!ok)
      error(at, fmt::format("{} must be the NAME of an environment variable (letters, digits, _), "
                            "not the secret itself; found a value that is not such a name",
                            key.name));
  }

  const std::string& m_file;
  Diagnostics& m_diags;
};

po::options_description options_from_table() {
  po::options_description desc;
  for (const auto& key : config_keys()) {
    std::string name(key.name);
    if (key.repeatable) {
      desc.add_options()(name.c_str(), po::value<std::vector<std::string>>()->composing());
    } else {
      desc.add_options()(name.c_str(), po::value<std::string>());
    }
  }
  return desc;
}

// The value of a single-valued key: what the file says, else the table's default.
std::string value_of(const po::variables_map& vm, const ConfigKey& key) {
  std::string name(key.name);
  if (vm.count(name)) return std::string(trim(vm[name].as<std::string>()));
  return std::string(key.default_value);
}

}  // namespace

std::optional<Persona> parse_persona(std::string_view text) {
  auto s = trim(text);
  auto open = s.rfind('<');
  if (open == std::string_view::npos || !s.ends_with('>')) return std::nullopt;
  Persona p;
  p.name = std::string(trim(s.substr(0, open)));
  if (p.name.size() >= 2 && p.name.front() == '"' && p.name.back() == '"') p.name = p.name.substr(1, p.name.size() - 2);
  p.email = std::string(trim(s.substr(open + 1, s.size() - open - 2)));
  if (p.name.empty() || p.name.find_first_of("<>\"") != std::string::npos || !is_valid_email(p.email)) {
    return std::nullopt;
  }
  return p;
}

std::optional<StudyConfig> parse_config(const std::string& text, const std::string& file, Diagnostics& diags) {
  const std::size_t errors_before = diags.size();
  LineIndex index = index_lines(text, file, diags);
  ConfigReader reader(file, diags);

  // Names first: unknown keys, secrets, keys given twice — reported at the key.
  auto at_key = [](const ValuePlace& p) { return ValuePlace{p.line, p.key_column, p.key_column}; };
  for (const auto& [name, places] : index.places) {
    const ConfigKey* key = find_config_key(name);
    if (key == nullptr) {
      if (looks_like_secret_key(name)) {
        // Point to the place the secret belongs: the Graph API's token and app secret come from
        // variables of their own, the mail password from a command or a variable.
        const bool facebook = name.starts_with("facebook.");
        reader.error(at_key(places.front()),
                     fmt::format("\"{}\": secrets never go into respbench.conf; use {}", name,
                                 facebook ? "token_env = VARIABLE (the token) or app_secret_env = VARIABLE"
                                          : "password_command = COMMAND or password_env = VARIABLE"));
      } else {
        reader.error(at_key(places.front()), fmt::format("unknown key \"{}\"; `respbench help config` lists the "
                                                 "keys",
                                                 name));
      }
      continue;
    }
    if (!key->repeatable && places.size() > 1) {
      reader.error(at_key(places[1]), fmt::format("\"{}\" is given again (first on line {}); expected once",
                                          name, places[0].line));
    }
  }

  po::variables_map vm;
  try {
    std::istringstream in(index.parser_text);
    const auto description = options_from_table();  // `parsed` points into it: keep it alive
    auto parsed = po::parse_config_file(in, description, /*allow_unregistered=*/true);
    // Keys given twice were reported above; keep the first so store() does not throw.
    std::set<std::string> seen;
    std::erase_if(parsed.options, [&](const po::option& o) {
      if (o.unregistered) return true;
      const ConfigKey* key = find_config_key(o.string_key);
      return key != nullptr && !key->repeatable && !seen.insert(o.string_key).second;
    });
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::error& e) {
    diags.add(file, 0, 0, fmt::format("cannot read the file: {}", e.what()));
    return std::nullopt;
  }

  // Every given value checked against its kind, at its place.
  for (const auto& key : config_keys()) {
    std::string name(key.name);
    auto it = index.places.find(name);
    if (it == index.places.end()) {
      if (key.required) diags.add(file, 0, 0, fmt::format("\"{}\" is missing; {}", name, key.help));
      continue;
    }
    if (key.repeatable) {
      const auto& values = vm[name].as<std::vector<std::string>>();
      for (std::size_t i = 0; i < values.size() && i < it->second.size(); ++i) {
        reader.check(key, std::string(trim(values[i])), it->second[i]);
      }
    } else {
      auto value = value_of(vm, key);
      if (value.empty()) {
        if (key.required) reader.error(it->second.front(), fmt::format("\"{}\" is empty; {}", name, key.help));
        continue;
      }
      reader.check(key, value, it->second.front());
    }
  }

  auto str = [&](std::string_view name) { return value_of(vm, *find_config_key(name)); };
  auto place = [&](std::string_view name) {
    auto it = index.places.find(std::string(name));
    return it == index.places.end() ? ValuePlace{} : it->second.front();
  };
  if (!str("email.password_command").empty() && !str("email.password_env").empty()) {
    reader.error(place("email.password_env"),
                 "give either email.password_command or email.password_env, not both");
  }
  if (diags.size() != errors_before) return std::nullopt;

  // All values are known to be well-formed from here on.
  StudyConfig c;
  for (const auto& [name, places] : index.places) c.key_lines[name] = places.front().line;
  auto integer = [&](std::string_view name) { return std::stoi(str(name)); };
  c.name = str("study.name");
  c.timezone = str("study.timezone");
  c.zone = date::locate_zone(c.timezone);
  c.start = *parse_date(str("study.start"));
  c.answer_window = *parse_duration(str("study.answer_window"));
  c.probes_per_channel = integer("study.probes_per_channel");
  c.seed = std::stoull(str("study.seed"));
  c.language = str("study.language");
  c.hours = *parse_weekly_hours(str("calendar.hours"));
  c.holidays = str("calendar.holidays") == "DE" ? HolidayRules::germany : HolidayRules::none;
  for (const auto& d : split_list(str("calendar.extra_holidays"))) c.extra_holidays.insert(date::local_days{*parse_date(d)});
  c.send_window = *parse_minute_range(str("schedule.send_window"));
  c.min_spacing = *parse_duration(str("schedule.min_spacing"));
  c.business_days = integer("schedule.business_days");
  c.email.smtp_url = str("email.smtp_url");
  c.email.imap_url = str("email.imap_url");
  c.email.user = str("email.user");
  c.email.password_command = str("email.password_command");
  c.email.password_env = str("email.password_env");
  c.email.require_tls = str("email.require_tls") == "yes";
  c.email.inbox = str("email.inbox");
  c.email.sent_folder = str("email.sent_folder");
  c.email.ca_file = str("email.ca_file");
  c.email.max_per_run = integer("email.max_per_run");
  c.email.pause_seconds = integer("email.pause_seconds");
  c.email.max_attempts = integer("email.max_attempts");
  c.email.reply_token = str("email.reply_token") == "yes";
  c.facebook = FacebookSettings{str("facebook.poll"), str("facebook.graph_url"), str("facebook.token_env"), str("facebook.app_secret_env"),
                                *parse_duration(str("facebook.timeout")),
                                *parse_duration(str("facebook.rate_limit_wait"))};
  for (const auto& p : vm["personas.persona"].as<std::vector<std::string>>()) c.personas.push_back(*parse_persona(p));
  c.report = ReportSettings{str("report.on_run") == "yes", str("report.lang"), str("report.csv_dialect")};
  for (const auto& d : split_list(str("report.thresholds"))) c.report.thresholds.push_back(*parse_duration(d));

  if (c.probes_per_channel < 1) reader.error(place("study.probes_per_channel"), "study.probes_per_channel must be at least 1");
  if (c.business_days < 1) reader.error(place("schedule.business_days"), "schedule.business_days must be at least 1");
  if (c.email.max_per_run < 1) reader.error(place("email.max_per_run"), "email.max_per_run must be at least 1");
  if (c.email.max_attempts < 1) reader.error(place("email.max_attempts"), "email.max_attempts must be at least 1");
  if (std::none_of(c.hours.days.begin(), c.hours.days.end(), [](const auto& d) { return !d.empty(); })) {
    reader.error(place("calendar.hours"), "calendar.hours has no business hours on any day");
  }
  if (diags.size() != errors_before) return std::nullopt;
  return c;
}

}  // namespace respbench
