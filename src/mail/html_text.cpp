#include "mail/html_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::size_t k_max_quote_depth = 16;  // deeper nesting is shown at this depth

// Named entities that occur in German and English mail; the rest stay as written.
constexpr std::array<std::pair<std::string_view, char32_t>, 44> k_entities{{
    {"nbsp", 0xA0},   {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},   {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},    {"Auml", 0xC4},
    {"Ouml", 0xD6},   {"Uuml", 0xDC},    {"szlig", 0xDF},   {"euro", 0x20AC},  {"hellip", 0x2026},
    {"ndash", 0x2013}, {"mdash", 0x2014}, {"laquo", 0xAB},   {"raquo", 0xBB},   {"bdquo", 0x201E},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
    {"copy", 0xA9},   {"reg", 0xAE},     {"trade", 0x2122}, {"shy", 0xAD},     {"eacute", 0xE9},
    {"egrave", 0xE8}, {"agrave", 0xE0},  {"aacute", 0xE1},  {"ccedil", 0xE7},  {"middot", 0xB7},
    {"bull", 0x2022}, {"deg", 0xB0},     {"sect", 0xA7},    {"para", 0xB6},    {"times", 0xD7},
    {"zwnj", 0x200C}, {"zwj", 0x200D},   {"lrm", 0x200E},   {"rlm", 0x200F},
}};

// Elements that start a new line where they open and close.
constexpr std::array<std::string_view, 30> k_block_elements{
    "p",  "div", "br",  "li",  "ul",  "ol",    "tr",      "table",  "h1",     "h2",
    "h3", "h4",  "h5",  "h6",  "hr",  "pre",   "section", "article", "header", "footer",
    "dl", "dt",  "dd",  "address", "center", "form", "blockquote", "tbody", "thead", "title"};

// Elements whose content is not text a reader sees.
constexpr std::array<std::string_view, 6> k_hidden_elements{"script", "style", "head", "noscript", "template",
                                                            "xml"};

bool is_one_of(std::string_view name, auto const& list) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Decodes the entity at html[i] == '&'; on success appends it and returns the length consumed,
// else 0 (the '&' is then copied as it is).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
  const std::size_t end = html.substr(0, std::min(html.size(), i + 12)).find(';', i + 1);
  if (end == std::string_view::npos || end == i + 1) return 0;
  std::string_view name = html.substr(i + 1, end - i - 1);
  if (name[0] == '#') {
    char32_t value = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return 0;
      value = value * (hex ? 16 : 10) + static_cast<char32_t>(d);
      if (value > 0x10FFFF) value = 0xFFFD;
    }
    append_utf8(out, value == 0 ? 0xFFFD : value);
    return end - i + 1;
  }
  for (const auto& [entity, value] : k_entities) {
    if (entity == name) {
      append_utf8(out, value);
      return end - i + 1;
    }
  }
  return 0;
}

// Builds lines, collapsing blanks and prefixing quoted lines with "> ".
class TextBuilder {
 public:
  void text(std::string_view s) {
    for (char c : s) {
      if (m_preformatted) {
        if (c == '\n') newline();
        else if (c != '\r') put(c);
      } else if (is_space(c)) {
        m_pending_space = !m_line.empty();
      } else {
        put(c);
      }
    }
  }
  void decoded(const std::string& s) {  // an entity: no-break space is a blank
    if (s == "\u00A0") {
      m_pending_space = !m_line.empty();
      return;
    }
    for (char c : s) put(c);
  }
  void newline() {
    flush_line();
    m_pending_space = false;
  }
  void set_quote_depth(std::size_t depth) {
    if (depth != m_quote_depth) newline();
    m_quote_depth = std::min(depth, k_max_quote_depth);
  }
  void set_preformatted(bool on) { m_preformatted = on; }
  std::string finish() {
    flush_line();
    while (!m_out.empty() && m_out.back() == '\n') m_out.pop_back();
    return m_out;
  }

 private:
  void put(char c) {
    if (m_pending_space) m_line += ' ';
    m_pending_space = false;
    m_line += c;
  }
  void flush_line() {
    std::string_view line = trim(m_line);
    if (m_preformatted && !line.empty()) {  // keep the indentation of preformatted text
      line = m_line;
      while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    }
    if (line.empty()) {
      // At most one blank line in a row, none at the start.
      if (!m_out.empty() && !m_out.ends_with("\n\n") && m_line_count > 0) m_out += '\n';
    } else {
      for (std::size_t d = 0; d < m_quote_depth; ++d) m_out += "> ";
      m_out += line;
      m_out += '\n';
      ++m_line_count;
    }
    m_line.clear();
  }

  std::string m_out;
  std::string m_line;
  std::size_t m_quote_depth = 0;
  std::size_t m_line_count = 0;
  bool m_pending_space = false;
  bool m_preformatted = false;
};

// Reads a tag's name at html[i] (after '<' and an optional '/'), lower case.
std::string tag_name(std::string_view html, std::size_t i) {
  std::string name;
  while (i < html.size() && name.size() < 16 &&
         (std::isalnum(static_cast<unsigned char>(html[i])) || html[i] == ':' || html[i] == '-')) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i])));
    ++i;
  }
  return name;
}

// The index after the tag that starts at html[i] == '<' (quoted attribute values may hold '>').
// An unquoted '<' ends a broken tag, so that a run of them is read in linear time.
std::size_t tag_end(std::string_view html, std::size_t i) {
  char quote = 0;
  for (std::size_t j = i + 1; j < html.size(); ++j) {
    const char c = html[j];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '<') {
      return j;
    } else if (c == '"' || c == '\'') {
      // Only a quote that opens an attribute value counts; a stray one would swallow the rest.
      if (html[j - 1] == '=' || (j >= 2 && html[j - 1] == ' ' && html[j - 2] == '=')) quote = c;
    } else if (c == '>') {
      return j + 1;
    }
  }
  return html.size();
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string html_to_text(std::string_view html) {
  TextBuilder text;
  std::size_t quote_depth = 0;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      std::string entity;
      if (const std::size_t used = decode_entity(html, i, entity); used > 0) {
        text.decoded(entity);
        i += used;
        continue;
      }
      text.text("&");
      ++i;
      continue;
    }
    if (c != '<') {
      const std::size_t next = html.find_first_of("<&", i);
      const std::size_t stop = next == std::string_view::npos ? html.size() : next;
      text.text(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    const std::string name = tag_name(html, i + (closing ? 2 : 1));
    if (name.empty()) {  // "<" that starts no tag ("a < b", "<!DOCTYPE", "<?xml"): skip declarations
      if (i + 1 < html.size() && (html[i + 1] == '!' || html[i + 1] == '?')) {
        i = tag_end(html, i);
      } else {
        text.text("<");
        ++i;
      }
      continue;
    }
    std::size_t after = tag_end(html, i);
    if (!closing && is_one_of(name, k_hidden_elements)) {
      // Skip to the matching close tag (no nesting for these), case-insensitively.
      const std::string close = "</" + name;
      std::size_t j = after;
      while (j < html.size()) {
        j = html.find("</", j);
        if (j == std::string_view::npos) break;
        if (to_lower_ascii(html.substr(j, close.size())) == close) break;
        j += 2;
      }
      after = j == std::string_view::npos ? html.size() : tag_end(html, j);
      i = after;
      continue;
    }
    if (name == "blockquote") {
      if (closing) quote_depth = quote_depth > 0 ? quote_depth - 1 : 0;
      else ++quote_depth;
      text.set_quote_depth(quote_depth);
    } else if (name == "pre") {
      text.newline();
      text.set_preformatted(!closing);
    } else if (is_one_of(name, k_block_elements)) {
      text.newline();
      if (name == "p" && !closing) text.newline();  // paragraphs are set apart
    } else if (name == "td" || name == "th") {
      text.text(" ");
    }
    i = after;
  }
  return text.finish();
}

}  // namespace respbench
