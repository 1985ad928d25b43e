#include "mail/bounce.hpp"

#include <algorithm>
#include <cctype>

#include "util/strings.hpp"

namespace respbench {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string strip_angle(std::string_view s) {
  s = trim(s);
  if (s.starts_with("<")) s.remove_prefix(1);
  if (s.ends_with(">")) s.remove_suffix(1);
  return std::string(trim(s));
}

// "rfc822; x@y.test" → "x@y.test"
std::string address_field(std::string_view value) {
  if (const auto semi = value.find(';'); semi != std::string_view::npos) value.remove_prefix(semi + 1);
  return to_lower_ascii(strip_angle(value));
}

// The fields of one block: unfolded, names lower case.
std::vector<std::pair<std::string, std::string>> read_fields(const std::vector<std::string_view>& lines) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::string_view line : lines) {
    if ((line.starts_with(" ") || line.starts_with("\t")) && !fields.empty()) {
      fields.back().second += ' ';
      fields.back().second += trim(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    fields.emplace_back(to_lower_ascii(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  return fields;
}

bool is_address_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '+' || c == '=' ||
         c == '%' || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

DeliveryReport parse_delivery_status(std::string_view body) {
  DeliveryReport report;
  std::vector<std::string_view> block;
  auto finish_block = [&] {
    if (block.empty()) return;
    DeliveryStatus status;
    bool recipient_block = false;
    for (const auto& [name, value] : read_fields(block)) {
      if (name == "final-recipient" || (name == "original-recipient" && status.recipient.empty())) {
        status.recipient = address_field(value);
        recipient_block = true;
      } else if (name == "action") {
        status.action = to_lower_ascii(trim(value));
      } else if (name == "status") {
        const auto v = trim(value);
        status.status = std::string(v.substr(0, std::min(v.find_first_of(" \t("), v.size())));
      } else if (name == "diagnostic-code") {
        status.diagnostic = value;
      } else if ((name == "x-original-message-id" || name == "original-message-id") &&
                 report.original_message_id.empty()) {
        report.original_message_id = strip_angle(value);
      }
    }
    if (recipient_block && report.recipients.size() < 100) report.recipients.push_back(std::move(status));
    block.clear();
  };
  for (std::size_t start = 0; start <= body.size();) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (line.ends_with("\r")) line.remove_suffix(1);
    if (trim(line).empty()) finish_block();
    else block.push_back(line);
    start = end + 1;
  }
  finish_block();
  return report;
}

std::string find_status_code(std::string_view text) {
  // Enhanced status: class.subject.detail, class 2, 4 or 5, not part of a longer number.
  for (std::size_t i = 0; i + 5 <= text.size(); ++i) {
    const char c = text[i];
    if ((c != '4' && c != '5') || text[i + 1] != '.') continue;
    if (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.')) continue;
    std::size_t j = i + 2;
    std::size_t n = 0;
    while (j < text.size() && is_digit(text[j]) && n < 4) ++j, ++n;
    if (n == 0 || n > 3 || j >= text.size() || text[j] != '.') continue;
    std::size_t k = j + 1;
    n = 0;
    while (k < text.size() && is_digit(text[k]) && n < 4) ++k, ++n;
    if (n == 0 || n > 3) continue;
    if (k < text.size() && (is_digit(text[k]) || (text[k] == '.' && k + 1 < text.size() && is_digit(text[k + 1]))))
      continue;
    return std::string(text.substr(i, k - i));
  }
  // A bare SMTP reply code: "550 ", "550-", "554:".
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    if ((text[i] != '4' && text[i] != '5') || !is_digit(text[i + 1]) || !is_digit(text[i + 2])) continue;
    if (i > 0 && (std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.')) continue;
    const char after = text[i + 3];
    if (after == ' ' || after == '-' || after == ':') return std::string(text.substr(i, 3));
  }
  return {};
}

std::string find_quoted_message_id(std::string_view text) {
  const std::string lower = to_lower_ascii(text);
  for (std::size_t at = lower.find("message-id:"); at != std::string::npos; at = lower.find("message-id:", at + 1)) {
    // Only a header line: at the start of a line (after optional blanks or a "> ").
    std::size_t line_start = at;
    while (line_start > 0 && lower[line_start - 1] != '\n' && at - line_start < 40) --line_start;
    const std::string_view before = trim(std::string_view(lower).substr(line_start, at - line_start));
    if (!before.empty() && before != ">" && before != "original-" && before != "x-original-") continue;
    // The id follows on the same line or the next (folded) one; every search is bounded, so
    // that many "Message-ID:" in a long text stay linear.
    const std::string_view near = text.substr(0, std::min(text.size(), at + 400));
    const std::size_t open = near.find('<', at);
    if (open == std::string_view::npos) continue;
    const std::size_t close = text.substr(0, std::min(text.size(), open + 252)).find('>', open);
    if (close == std::string_view::npos || close - open < 3) continue;
    const std::string_view id = text.substr(open + 1, close - open - 1);
    if (id.find('@') == std::string_view::npos || id.find_first_of(" \n\r\t<") != std::string_view::npos) continue;
    return std::string(id);
  }
  return {};
}

std::vector<std::string> find_addresses(std::string_view text, std::size_t limit) {
  std::vector<std::string> found;
  for (std::size_t at = text.find('@'); at != std::string_view::npos && found.size() < limit;
       at = text.find('@', at + 1)) {
    std::size_t begin = at;
    while (begin > 0 && at - begin < 64 && is_address_char(text[begin - 1])) --begin;
    std::size_t end = at + 1;
    while (end < text.size() && end - at < 255 && is_address_char(text[end])) ++end;
    std::string_view local = text.substr(begin, at - begin);
    std::string_view domain = text.substr(at + 1, end - at - 1);
    while (!local.empty() && local.front() == '.') local.remove_prefix(1);
    while (!domain.empty() && (domain.back() == '.' || domain.back() == '-')) domain.remove_suffix(1);
    if (local.empty() || domain.find('.') == std::string_view::npos || domain.starts_with(".")) continue;
    std::string address = to_lower_ascii(std::string(local) + "@" + std::string(domain));
    if (std::find(found.begin(), found.end(), address) == found.end()) found.push_back(std::move(address));
  }
  return found;
}

}  // namespace respbench
