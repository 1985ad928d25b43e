#include "net/imap_protocol.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace respbench::imap {

namespace {

constexpr std::size_t k_max_nesting = 32;  // parenthesised lists inside each other

char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), upper);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return upper(x) == upper(y); });
}

template <class Number>
std::optional<Number> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  Number value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The size announced by a literal marker at the end of `line` ("… {123}", "… {123+}",
// "… ~{123}"); nullopt when the line does not end in one; SIZE_MAX when the number is too big.
std::optional<std::size_t> literal_marker(std::string_view line) {
  if (line.size() < 3 || line.back() != '}') return std::nullopt;
  const std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const auto size = parse_number<std::size_t>(digits);
  return size ? *size : std::numeric_limits<std::size_t>::max();
}

// A parsed value of a response: an atom (also numbers and flags), a string (quoted or literal),
// NIL, or a parenthesised list.
struct Value {
  enum class Kind { atom, string, nil, list };
  Kind kind = Kind::atom;
  std::string text;
  std::vector<Value> items;
};

// Reads values from a response, left to right.
class Parser {
 public:
  explicit Parser(const Response& response) : m_response(response), m_data(response.data) {}

  // True when only spaces are left.
  bool at_end() {
    skip_spaces();
    return m_pos >= m_data.size();
  }
  std::size_t position() const { return m_pos; }
  void skip_spaces() {
    while (m_pos < m_data.size() && m_data[m_pos] == ' ' && !literal_at(m_pos)) ++m_pos;
  }
  // The text from here to the end (for status texts), leading spaces skipped.
  std::string_view rest() {
    skip_spaces();
    return m_data.substr(std::min(m_pos, m_data.size()));
  }

  Result<Value> value(std::size_t depth = 0) {
    skip_spaces();
    if (m_pos >= m_data.size()) return fail("a value is missing");
    const char c = m_data[m_pos];
    if (c == '(') return list(depth);
    if (c == '"') return quoted();
    if (c == '{' || (c == '~' && m_pos + 1 < m_data.size() && m_data[m_pos + 1] == '{')) return literal();
    if (c == ')') return fail("unexpected ')'");
    Value v;
    v.text = atom_text();
    if (v.text.empty()) return fail(fmt::format("unexpected character at {}", m_pos));
    if (iequals(v.text, "NIL")) {
      v.kind = Value::Kind::nil;
      v.text.clear();
    }
    return v;
  }

  // An atom (letters, digits, "\Seen", "BODY[HEADER.FIELDS (A B)]<0>"); empty when none.
  std::string atom_text() {
    skip_spaces();
    const std::size_t start = m_pos;
    int brackets = 0;
    while (m_pos < m_data.size() && !literal_at(m_pos)) {
      const char c = m_data[m_pos];
      if (c == '[') {
        ++brackets;
      } else if (c == ']' && brackets > 0) {
        --brackets;
      } else if (brackets == 0 && (c == ' ' || c == '(' || c == ')' || c == '"' || c == '\r' || c == '\n')) {
        break;
      }
      ++m_pos;
    }
    return std::string(m_data.substr(start, m_pos - start));
  }

 private:
  // True when a literal's bytes start at `pos` (they are never syntax).
  bool literal_at(std::size_t pos) const {
    return std::any_of(m_response.literals.begin(), m_response.literals.end(),
                       [pos](const auto& l) { return l.first <= pos && pos < l.first + l.second; });
  }

  Result<Value> list(std::size_t depth) {
    if (depth >= k_max_nesting) return fail("lists nested too deeply");
    ++m_pos;  // '('
    Value v;
    v.kind = Value::Kind::list;
    for (;;) {
      skip_spaces();
      if (m_pos >= m_data.size()) return fail("a list is not closed");
      if (m_data[m_pos] == ')') {
        ++m_pos;
        return v;
      }
      auto item = value(depth + 1);
      if (!item) return item;
      v.items.push_back(std::move(*item));
    }
  }

  Result<Value> quoted() {
    ++m_pos;  // '"'
    Value v;
    v.kind = Value::Kind::string;
    while (m_pos < m_data.size() && !literal_at(m_pos)) {
      const char c = m_data[m_pos++];
      if (c == '"') return v;
      if (c == '\\') {
        if (m_pos >= m_data.size() || literal_at(m_pos)) break;
        v.text += m_data[m_pos++];
      } else {
        v.text += c;
      }
    }
    return fail("a quoted string is not closed");
  }

  Result<Value> literal() {
    if (m_data[m_pos] == '~') ++m_pos;  // literal8 (RFC 3516): same bytes, may hold NUL
    const std::size_t close = m_data.find('}', m_pos);
    if (close == std::string_view::npos) return fail("a literal marker is not closed");
    const std::size_t start = close + 1;
    const auto it = std::find_if(m_response.literals.begin(), m_response.literals.end(),
                                 [start](const auto& l) { return l.first == start; });
    if (it == m_response.literals.end()) return fail("a literal marker is not at the end of a line");
    Value v;
    v.kind = Value::Kind::string;
    v.text = std::string(m_data.substr(it->first, it->second));
    m_pos = it->first + it->second;
    return v;
  }

  const Response& m_response;
  std::string_view m_data;
  std::size_t m_pos = 0;
};

bool is_status_word(std::string_view word) {
  return iequals(word, "OK") || iequals(word, "NO") || iequals(word, "BAD") || iequals(word, "BYE") ||
         iequals(word, "PREAUTH");
}

// Splits at single spaces, dropping empty parts.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t space = std::min(text.find(' ', pos), text.size());
    if (space > pos) out.emplace_back(text.substr(pos, space - pos));
    pos = space + 1;
  }
  return out;
}

constexpr std::array<std::string_view, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Appends code point `cp` as UTF-16 code units.
void append_utf16(std::u16string& out, char32_t cp) {
  if (cp < 0x10000) {
    out += static_cast<char16_t>(cp);
  } else {
    cp -= 0x10000;
    out += static_cast<char16_t>(0xD800 + (cp >> 10));
    out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
  }
}

// Decodes one UTF-8 sequence at `pos`; nullopt when malformed (overlong, surrogate, too big).
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (pos + length > s.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  static constexpr std::array<char32_t, 5> k_min = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < k_min[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += length;
  return cp;
}

// RFC 3501's modified BASE64 of UTF-16BE: "," instead of "/", no padding.
std::string modified_base64(const std::u16string& units) {
  static constexpr std::string_view k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string bytes;
  for (char16_t u : units) {
    bytes += static_cast<char>(u >> 8);
    bytes += static_cast<char>(u & 0xFF);
  }
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    const auto b2 = static_cast<unsigned char>(bytes[i + 2]);
    out += k_alphabet[b0 >> 2];
    out += k_alphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    out += k_alphabet[((b1 & 0x0F) << 2) | (b2 >> 6)];
    out += k_alphabet[b2 & 0x3F];
  }
  const std::size_t left = bytes.size() - i;
  if (left == 1) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    out += k_alphabet[b0 >> 2];
    out += k_alphabet[(b0 & 0x03) << 4];
  } else if (left == 2) {
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    const auto b1 = static_cast<unsigned char>(bytes[i + 1]);
    out += k_alphabet[b0 >> 2];
    out += k_alphabet[((b0 & 0x03) << 4) | (b1 >> 4)];
    out += k_alphabet[(b1 & 0x0F) << 2];
  }
  return out;
}

}  // namespace

// ResponseReader ------------------------------------------------------------------------------

void ResponseReader::feed(std::string_view bytes) {
  // Drop the consumed prefix before growing, so that the buffer holds about one read's worth.
  if (m_start > 0 && (m_start == m_buffer.size() || m_start >= (1u << 16))) {
    m_buffer.erase(0, m_start);
    m_start = 0;
  }
  m_buffer.append(bytes);
}

Result<std::optional<Response>> ResponseReader::next() {
  for (;;) {
    if (m_in_literal) {
      const std::size_t take = std::min(m_literal_left, m_buffer.size() - m_start);
      m_current.data.append(m_buffer, m_start, take);
      m_start += take;
      m_literal_left -= take;
      if (m_literal_left > 0) return std::nullopt;
      m_in_literal = false;
      m_scanned = 0;
      continue;
    }
    const std::size_t newline = m_buffer.find('\n', m_start + m_scanned);
    if (newline == std::string::npos) {
      m_scanned = m_buffer.size() - m_start;
      if (m_text_size + m_scanned > m_limits.max_line) {
        return fail(fmt::format("the server sent a line longer than {} bytes", m_limits.max_line));
      }
      return std::nullopt;
    }
    std::string_view line(m_buffer.data() + m_start, newline - m_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m_text_size += line.size();
    if (m_text_size > m_limits.max_line) {
      return fail(fmt::format("the server sent a line longer than {} bytes", m_limits.max_line));
    }
    m_current.data.append(line);
    m_start = newline + 1;
    m_scanned = 0;
    if (const auto size = literal_marker(line)) {
      if (*size > m_limits.max_literal) {
        return fail(fmt::format("the server announced a literal of {} bytes, more than the limit of {}",
                                *size == std::numeric_limits<std::size_t>::max() ? std::string("too many")
                                                                                 : std::to_string(*size),
                                m_limits.max_literal));
      }
      m_current.literals.emplace_back(m_current.data.size(), *size);
      m_current.data.reserve(m_current.data.size() + *size);
      m_in_literal = true;
      m_literal_left = *size;
      continue;
    }
    std::optional<Response> done(std::move(m_current));
    m_current = Response{};
    m_text_size = 0;
    return done;
  }
}

Result<std::optional<Response>> ResponseReader::finish() {
  if (m_in_literal) return fail("the server closed the connection in the middle of a literal");
  std::string_view rest(m_buffer.data() + m_start, m_buffer.size() - m_start);
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  m_start = m_buffer.size();
  m_scanned = 0;
  if (rest.empty() && m_current.data.empty()) return std::nullopt;
  if (m_text_size + rest.size() > m_limits.max_line) {
    return fail(fmt::format("the server sent a line longer than {} bytes", m_limits.max_line));
  }
  m_current.data.append(rest);
  std::optional<Response> done(std::move(m_current));
  m_current = Response{};
  m_text_size = 0;
  return done;
}

// Responses -----------------------------------------------------------------------------------

std::string_view response_tag(const Response& response) {
  std::string_view data = response.data;
  return data.substr(0, std::min(data.find(' '), data.size()));
}

std::optional<Status> parse_status(const Response& response) {
  Parser p(response);
  const std::string tag = p.atom_text();
  if (tag.empty() || tag == "+") return std::nullopt;
  const std::string condition = p.atom_text();
  if (!is_status_word(condition)) return std::nullopt;
  Status status;
  status.condition = to_upper(condition);
  std::string_view rest = p.rest();
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close != std::string_view::npos) {
      const std::string_view inside = rest.substr(1, close - 1);
      const std::size_t space = std::min(inside.find(' '), inside.size());
      status.code = to_upper(inside.substr(0, space));
      if (space < inside.size()) status.code_argument = std::string(inside.substr(space + 1));
      rest.remove_prefix(close + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  status.text = std::string(rest);
  return status;
}

std::string printable(const Response& response, std::size_t max) {
  std::string out;
  std::size_t pos = 0;
  const std::string& data = response.data;
  while (pos < data.size() && out.size() < max) {
    const auto literal = std::find_if(response.literals.begin(), response.literals.end(),
                                      [pos](const auto& l) { return l.first == pos; });
    if (literal != response.literals.end() && literal->second > 0) {
      out += "...";
      pos += literal->second;
      continue;
    }
    const auto c = static_cast<unsigned char>(data[pos++]);
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  if (pos < data.size()) out += "...";
  return out;
}

unsigned apply_select_response(const Response& response, MailboxStatus& status) {
  if (response_tag(response) != "*") return 0;
  if (const auto s = parse_status(response)) {
    if (s->condition != "OK") return 0;
    const auto number = parse_number<std::uint32_t>(s->code_argument);
    if (!number) return 0;
    if (s->code == "UIDVALIDITY") {
      status.uidvalidity = *number;
      return 1;
    }
    if (s->code == "UIDNEXT") {
      status.uidnext = *number;
      return 2;
    }
    return 0;
  }
  Parser p(response);
  p.atom_text();  // "*"
  const auto number = parse_number<std::uint32_t>(p.atom_text());
  if (!number || !iequals(p.atom_text(), "EXISTS")) return 0;
  status.exists = *number;
  return 4;
}

std::optional<std::vector<std::string>> parse_capabilities(const Response& response) {
  if (const auto s = parse_status(response)) {
    if (s->code != "CAPABILITY") return std::nullopt;
    auto names = words(s->code_argument);
    for (auto& name : names) name = to_upper(name);
    return names;
  }
  Parser p(response);
  if (p.atom_text() != "*" || !iequals(p.atom_text(), "CAPABILITY")) return std::nullopt;
  auto names = words(p.rest());
  for (auto& name : names) name = to_upper(name);
  return names;
}

Result<std::optional<std::vector<std::uint32_t>>> parse_search(const Response& response) {
  Parser p(response);
  if (p.atom_text() != "*" || !iequals(p.atom_text(), "SEARCH")) return std::nullopt;
  std::vector<std::uint32_t> numbers;
  while (!p.at_end()) {
    auto v = p.value();
    if (!v) return std::unexpected(v.error());
    if (v->kind == Value::Kind::list) continue;  // "(MODSEQ 917162500)" with CONDSTORE
    const auto number = parse_number<std::uint32_t>(v->text);
    if (v->kind != Value::Kind::atom || !number) return fail(fmt::format("not a UID in SEARCH: {}", v->text));
    numbers.push_back(*number);
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

Result<std::optional<FetchData>> parse_fetch(const Response& response) {
  Parser p(response);
  if (p.atom_text() != "*") return std::nullopt;
  const auto sequence = parse_number<std::uint32_t>(p.atom_text());
  if (!sequence || !iequals(p.atom_text(), "FETCH")) return std::nullopt;
  auto list = p.value();
  if (!list) return std::unexpected(list.error());
  if (list->kind != Value::Kind::list) return fail("FETCH without a parenthesised list");
  if (list->items.size() % 2 != 0) return fail("FETCH with an item that has no value");

  FetchData data;
  data.sequence = *sequence;
  for (std::size_t i = 0; i < list->items.size(); i += 2) {
    const Value& name_value = list->items[i];
    Value& value = list->items[i + 1];
    if (name_value.kind != Value::Kind::atom) return fail("FETCH item without a name");
    const std::string name = to_upper(name_value.text);
    const bool is_string = value.kind == Value::Kind::string || value.kind == Value::Kind::nil;
    if (name == "UID") {
      const auto uid = parse_number<std::uint32_t>(value.text);
      if (value.kind != Value::Kind::atom || !uid || *uid == 0) return fail("FETCH with a malformed UID");
      data.uid = *uid;
    } else if (name == "INTERNALDATE") {
      const auto date = parse_internal_date(value.text);
      if (value.kind != Value::Kind::string || !date) {
        return fail(fmt::format("FETCH with a malformed INTERNALDATE: {}", value.text));
      }
      data.internal_date = *date;
    } else if (name == "RFC822.SIZE") {
      const auto size = parse_number<std::uint64_t>(value.text);
      if (value.kind != Value::Kind::atom || !size) return fail("FETCH with a malformed RFC822.SIZE");
      data.size = *size;
    } else if (name == "FLAGS") {
      if (value.kind != Value::Kind::list) return fail("FETCH with malformed FLAGS");
      std::vector<std::string> flags;
      for (const Value& flag : value.items) flags.push_back(flag.text);
      data.flags = std::move(flags);
    } else if (name == "BODY[]" || name.starts_with("BODY[]<") || name == "RFC822") {
      if (!is_string) return fail(fmt::format("FETCH with a malformed {}", name));
      data.body = std::move(value.text);  // NIL reads as empty
    } else if (name == "BODY[HEADER]" || name.starts_with("BODY[HEADER]<") || name == "RFC822.HEADER") {
      if (!is_string) return fail(fmt::format("FETCH with a malformed {}", name));
      data.header = std::move(value.text);
    }
  }
  return data;
}

// Dates, sets, strings ------------------------------------------------------------------------

std::optional<Instant> parse_internal_date(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  // d-Mon-yyyy or dd-Mon-yyyy, then " hh:mm:ss +zzzz"
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 2) return std::nullopt;
  const auto day = parse_number<unsigned>(text.substr(0, dash));
  text.remove_prefix(dash + 1);
  if (!day || text.size() != 3 + 1 + 4 + 1 + 8 + 1 + 5) return std::nullopt;
  const auto month_it = std::find_if(k_months.begin(), k_months.end(),
                                     [&](std::string_view m) { return iequals(m, text.substr(0, 3)); });
  if (month_it == k_months.end() || text[3] != '-' || text[8] != ' ' || text[11] != ':' || text[14] != ':' ||
      text[17] != ' ') {
    return std::nullopt;
  }
  const auto year = parse_number<int>(text.substr(4, 4));
  const auto hour = parse_number<int>(text.substr(9, 2));
  const auto minute = parse_number<int>(text.substr(12, 2));
  const auto second = parse_number<int>(text.substr(15, 2));
  const char sign = text[18];
  const auto zone_hours = parse_number<int>(text.substr(19, 2));
  const auto zone_minutes = parse_number<int>(text.substr(21, 2));
  if (!year || !hour || !minute || !second || !zone_hours || !zone_minutes || (sign != '+' && sign != '-')) {
    return std::nullopt;
  }
  if (*hour > 23 || *minute > 59 || *second > 60 || *zone_hours > 23 || *zone_minutes > 59) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{*year},
                                 date::month{static_cast<unsigned>(month_it - k_months.begin() + 1)},
                                 date::day{*day}};
  if (!ymd.ok()) return std::nullopt;
  // A leap second (":60") is read as the last second of its minute.
  const auto local = date::sys_days(ymd) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
                     std::chrono::seconds(std::min(*second, 59));
  const auto offset = std::chrono::hours(*zone_hours) + std::chrono::minutes(*zone_minutes);
  return std::chrono::time_point_cast<std::chrono::seconds>(sign == '+' ? local - offset : local + offset);
}

std::string format_internal_date(Instant t) {
  const auto day = std::chrono::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> time(t - day);
  return fmt::format("{:02}-{}-{:04} {:02}:{:02}:{:02} +0000", static_cast<unsigned>(ymd.day()),
                     k_months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

std::string compress_uid_set(std::vector<std::uint32_t> uids) {
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  uids.erase(std::remove(uids.begin(), uids.end(), 0u), uids.end());
  std::string out;
  for (std::size_t i = 0; i < uids.size();) {
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(uids[i]);
    if (j > i) out += ':' + std::to_string(uids[j]);
    i = j + 1;
  }
  return out;
}

Result<std::string> quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return fail("a quoted string cannot hold CR, LF or NUL");
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

Result<std::string> mailbox_argument(std::string_view name) {
  if (name.empty()) return fail("empty mailbox name");
  std::string encoded;
  std::u16string run;  // characters waiting to be written in base64
  const auto flush = [&] {
    if (run.empty()) return;
    encoded += '&' + modified_base64(run) + '-';
    run.clear();
  };
  for (std::size_t pos = 0; pos < name.size();) {
    const char c = name[pos];
    if (c == '\r' || c == '\n' || c == '\0') return fail("a mailbox name cannot hold CR, LF or NUL");
    const auto cp = decode_utf8(name, pos);
    if (!cp) return fail("a mailbox name must be UTF-8");
    if (*cp >= 0x20 && *cp <= 0x7E) {
      flush();
      encoded += *cp == '&' ? std::string("&-") : std::string(1, static_cast<char>(*cp));
    } else {
      append_utf16(run, *cp);
    }
  }
  flush();
  return quote(encoded);
}

}  // namespace respbench::imap
