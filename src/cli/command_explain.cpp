// respbench explain: parse and classify one message file, and say why. Needs no study, so a
// person can check the rules against any .eml file (or stdin with "-").

#include <iostream>
#include <iterator>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli/command.hpp"
#include "mail/classify.hpp"
#include "mail/message.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace respbench {
namespace {

constexpr std::size_t k_text_lines = 12;         // lines of the new text the text output shows
constexpr std::size_t k_json_text_chars = 4000;  // bytes of the new text the JSON carries

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// `text` cut at `limit` bytes, never inside a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// `line` for a terminal: control characters (a binary file's) shown as U+FFFD.
std::string printable(std::string_view line) {
  std::string out;
  for (char c : line) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\t') || b == 0x7F) out += "\uFFFD";
    else out += c;
  }
  return out;
}

std::string from_line(const ParsedMessage& m) {
  if (m.from_name.empty()) return m.from_address;
  return fmt::format("{} <{}>", m.from_name, m.from_address);
}

std::string to_json(const ParsedMessage& m, const Classification& c) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "kind", to_string(c.kind));
  w.Key("uncertain");
  w.Bool(c.uncertain);
  w.Key("reasons");
  w.StartArray();
  for (const auto& r : c.reasons) w.String(r.data(), static_cast<rapidjson::SizeType>(r.size()));
  w.EndArray();
  if (c.bounce) {
    put(w, "original_message_id", c.bounce->original_message_id);
    put(w, "recipient", c.bounce->recipient);
    put(w, "status", c.bounce->status);
    w.Key("hard");
    w.Bool(c.bounce->hard);
  }
  put(w, "subject", m.subject);
  put(w, "from", m.from_address);
  put(w, "from_name", m.from_name);
  put(w, "message_id", m.message_id);
  w.Key("references");
  w.StartArray();
  for (const auto& id : m.referenced_ids) w.String(id.data(), static_cast<rapidjson::SizeType>(id.size()));
  w.EndArray();
  if (m.date) put(w, "date", format_utc(*m.date));
  put(w, "content_type", m.content_type);
  w.Key("html_only");
  w.Bool(m.html_only);
  w.Key("too_large");
  w.Bool(m.too_large);
  w.Key("malformed");
  w.Bool(m.malformed);
  w.Key("notes");
  w.StartArray();
  for (const auto& n : m.notes) w.String(n.data(), static_cast<rapidjson::SizeType>(n.size()));
  w.EndArray();
  w.Key("delivery_status");
  w.StartArray();
  for (const auto& d : m.delivery_status) {
    w.StartObject();
    put(w, "recipient", d.recipient);
    put(w, "action", d.action);
    put(w, "status", d.status);
    put(w, "diagnostic", d.diagnostic);
    w.EndObject();
  }
  w.EndArray();
  put(w, "new_text", utf8_prefix(m.new_text, k_json_text_chars));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string to_text(const ParsedMessage& m, const Classification& c) {
  std::string out = fmt::format("kind:       {}{}\n", to_string(c.kind), c.uncertain ? " (uncertain: a person should look)" : "");
  for (std::size_t i = 0; i < c.reasons.size(); ++i) {
    out += fmt::format("{}{}\n", i == 0 ? "reasons:    " : "            ", c.reasons[i]);
  }
  if (c.bounce) {
    out += fmt::format("bounce:     {}, status {}\n", c.bounce->hard ? "hard (permanent)" : "soft (temporary)",
                       c.bounce->status.empty() ? "unknown" : c.bounce->status);
    out += fmt::format("recipient:  {}\n", c.bounce->recipient.empty() ? "unknown" : c.bounce->recipient);
    out += fmt::format("original:   {}\n",
                       c.bounce->original_message_id.empty() ? "unknown" : "<" + c.bounce->original_message_id + ">");
  }
  out += fmt::format("subject:    {}\n", m.subject);
  out += fmt::format("from:       {}\n", from_line(m));
  if (!m.message_id.empty()) out += fmt::format("message-id: <{}>\n", m.message_id);
  if (m.date) out += fmt::format("date:       {}\n", format_utc(*m.date));
  for (std::size_t i = 0; i < m.notes.size(); ++i) {
    out += fmt::format("{}{}\n", i == 0 ? "notes:      " : "            ", m.notes[i]);
  }
  out += m.html_only ? "text (from HTML, quoted history removed):\n" : "text (quoted history removed):\n";
  std::size_t shown = 0;
  std::size_t start = 0;
  while (start < m.new_text.size() && shown < k_text_lines) {
    std::size_t end = m.new_text.find('\n', start);
    if (end == std::string::npos) end = m.new_text.size();
    out += fmt::format("  | {}\n", printable(utf8_prefix(std::string_view(m.new_text).substr(start, end - start), 200)));
    ++shown;
    start = end + 1;
  }
  if (start < m.new_text.size()) out += "  | …\n";
  if (m.new_text.empty()) out += "  (none)\n";
  return out;
}

}  // namespace

void declare_explain(po::options_description& options, po::positional_options_description& positional) {
  options.add_options()
      ("file", po::value<std::string>()->value_name("FILE"), "the message (.eml); - reads standard input")
      ("json", po::bool_switch(), "print JSON");
  positional.add("file", 1);
}

int run_explain(Context& context) {
  if (!context.options.count("file")) {
    throw CommandError(k_exit_invalid, "explain needs a message file (or - for standard input)");
  }
  const std::string path = context.options["file"].as<std::string>();
  std::string raw;
  if (path == "-") {
    raw.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (std::cin.bad()) throw CommandError(k_exit_failure, "cannot read standard input");
  } else {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw CommandError(k_exit_failure, fmt::format("{} is a folder, not a message file", path));
    auto content = read_file(path);
    if (!content) throw CommandError(k_exit_failure, content.error().message);
    raw = std::move(*content);
  }
  const ParsedMessage message = parse_message(raw);
  const Classification classification = classify(message);
  context.out << (context.options["json"].as<bool>() ? to_json(message, classification)
                                                     : to_text(message, classification));
  return k_exit_ok;
}

}  // namespace respbench
