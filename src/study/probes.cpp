#include "study/probes.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "study/placeholders.hpp"
#include "util/csv.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;

namespace respbench {
namespace {

constexpr std::string_view k_headers = "Subject, Channels, Sectors, Language";

// Line and column of byte `offset` in `text`, counted from (first_line, first_column).
std::pair<int, int> place_of(std::string_view text, std::size_t offset, int first_line, int first_column) {
  int line = first_line;
  int column = first_column;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

std::optional<Probe> parse_probe(const std::string& text, const std::string& id, const std::string& file,
                                 Diagnostics& diags) {
  const std::size_t errors_before = diags.size();
  auto error = [&](int line, int column, std::string message) { diags.add(file, line, column, std::move(message)); };
  std::size_t bad = 0;
  if (!is_valid_utf8(text, &bad)) {
    auto [line, column] = place_of(text, bad, 1, 1);
    error(line, column, "this file is not UTF-8; expected it saved as UTF-8");
    return std::nullopt;
  }

  Probe probe;
  probe.id = id;
  probe.file = file;
  bool have_subject = false, have_channels = false, have_language = false;
  int subject_line = 0, subject_column = 0;

  std::istringstream in(text);
  std::string raw;
  int line_no = 0;
  bool blank_seen = false;
  while (std::getline(in, raw)) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (line_no == 1 && raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
    if (trim(raw).empty()) {
      blank_seen = true;
      break;
    }
    auto colon = raw.find(':');
    if (colon == std::string::npos) {
      error(line_no, 1, fmt::format("expected a header line \"Name: value\" ({}), then a blank line and the body", k_headers));
      continue;
    }
    auto name = to_lower_ascii(trim(std::string_view(raw).substr(0, colon)));
    auto value_view = trim(std::string_view(raw).substr(colon + 1));
    int value_column = static_cast<int>(display_width(std::string_view(raw).substr(0, value_view.data() - raw.data()))) + 1;
    std::string value(value_view);
    if (name == "subject") {
      probe.subject = value;
      have_subject = !value.empty();
      subject_line = line_no;
      subject_column = value_column;
    } else if (name == "channels") {
      have_channels = true;
      for (const auto& c : split_list(value)) {
        if (auto channel = parse_channel(to_lower_ascii(c))) probe.channels.push_back(*channel);
        else error(line_no, value_column, fmt::format("unknown channel \"{}\"; expected email or facebook", c));
      }
      if (split_list(value).empty()) error(line_no, value_column, "Channels: is empty; expected email, facebook or both");
    } else if (name == "sectors") {
      auto sectors = split_list(value);
      if (sectors.empty()) error(line_no, value_column, "Sectors: is empty; expected sector names or * for all");
      if (!(sectors.size() == 1 && sectors[0] == "*")) probe.sectors = sectors;
    } else if (name == "language") {
      probe.language = to_lower_ascii(value);
      have_language = !value.empty();
    } else {
      error(line_no, 1, fmt::format("unknown header \"{}\"; expected one of {}", trim(std::string_view(raw).substr(0, colon)), k_headers));
    }
  }
  if (!blank_seen) {
    error(line_no, 0, "no blank line after the headers, so there is no body; expected headers, a blank line, the body");
    return std::nullopt;
  }
  if (!have_subject) error(1, 0, "Subject: is missing or empty");
  if (!have_channels) error(1, 0, "Channels: is missing; expected e.g. \"Channels: email, facebook\"");
  if (!have_language) error(1, 0, "Language: is missing; expected e.g. \"Language: de\"");

  std::string body;
  std::string rest;
  std::ostringstream collected;
  collected << in.rdbuf();
  body = collected.str();
  // Normalise CRLF and drop trailing blank lines: the body is sent as the file says otherwise.
  std::erase(body, '\r');
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  probe.body = body;
  probe.body_line = line_no + 1;
  if (trim(body).empty()) error(probe.body_line, 0, "the body is empty; expected the question's text after the blank line");

  check_placeholders(probe.subject, [&](std::size_t offset, std::string message) {
    auto [line, column] = place_of(probe.subject, offset, subject_line, subject_column);
    error(line, column, std::move(message));
  });
  check_placeholders(probe.body, [&](std::size_t offset, std::string message) {
    auto [line, column] = place_of(probe.body, offset, probe.body_line, 1);
    error(line, column, std::move(message));
  });
  if (diags.size() != errors_before) return std::nullopt;
  return probe;
}

std::vector<Probe> load_probes(const fs::path& study_dir, Diagnostics& diags) {
  const fs::path dir = study_dir / "probes";
  std::vector<Probe> probes;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.add("probes/", 0, 0, "the probes folder is missing; expected one file per question in probes/");
    return probes;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto& p = it->path();
    // Hidden folders (.git, an editor's .backup) hold no probes: skip them whole.
    if (it->is_directory() && p.filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && p.extension() == ".txt" && !p.filename().string().starts_with(".")) files.push_back(p);
  }
  if (ec) diags.add("probes/", 0, 0, fmt::format("cannot list the folder: {}", ec.message()));
  // By id, as promised: path order differs ("fees-extra.txt" < "fees.txt", "de/x" < "de-x").
  // Lexically: the paths come from iterating `dir`, so no symlink can sit between them, and
  // fs::relative resolves every component with readlink (weakly_canonical) — inside a sort's
  // comparison that was ~5,000 system calls per load, which every `run` does.
  auto id_of = [&](const fs::path& path) { return path.lexically_relative(dir).replace_extension().generic_string(); };
  std::vector<std::pair<std::string, fs::path>> by_id;
  for (auto& path : files) by_id.emplace_back(id_of(path), std::move(path));
  std::sort(by_id.begin(), by_id.end());
  for (const auto& [relative, path] : by_id) {
    auto shown = fs::path("probes").append(path.lexically_relative(dir).generic_string()).generic_string();
    auto text = read_file(path);
    if (!text) {
      diags.add(shown, 0, 0, text.error().message);
      continue;
    }
    if (auto probe = parse_probe(*text, relative, shown, diags)) probes.push_back(std::move(*probe));
  }
  if (probes.empty() && files.empty()) diags.add("probes/", 0, 0, "no probe files (*.txt) found; expected one file per question");
  return probes;
}

}  // namespace respbench
