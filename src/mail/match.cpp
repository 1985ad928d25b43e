#include "mail/match.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "util/strings.hpp"

namespace respbench {
namespace {

constexpr std::size_t k_token_size = 10;
// new_message_id()'s alphabet (RFC 4648 base 32, lower case).
constexpr std::string_view k_token_alphabet = "abcdefghijklmnopqrstuvwxyz234567";

// Where a plus-address of ours can show: the visible recipients and what the receiving server
// says it delivered to.
constexpr std::array<std::string_view, 6> k_recipient_headers = {"To", "Cc", "Delivered-To", "X-Original-To",
                                                                 "Envelope-To", "X-Delivered-To"};

bool is_token(std::string_view s) {
  return s.size() == k_token_size &&
         std::all_of(s.begin(), s.end(), [](char c) { return k_token_alphabet.find(c) != std::string_view::npos; });
}

// Every word with an '@' in a header value ("Anna <a+t@x.test>, b@y.test" → the two addresses).
std::vector<std::string> addresses_in(std::string_view value) {
  std::vector<std::string> out;
  constexpr std::string_view k_separators = " \t\r\n<>,;\"'()";
  std::size_t at = 0;
  while (at < value.size()) {
    const auto begin = value.find_first_not_of(k_separators, at);
    if (begin == std::string_view::npos) break;
    const auto end = std::min(value.find_first_of(k_separators, begin), value.size());
    const auto word = value.substr(begin, end - begin);
    if (word.find('@') != std::string_view::npos) out.emplace_back(to_lower_ascii(word));
    at = end;
  }
  return out;
}

// Lower case for ASCII and the Latin-1 capitals in UTF-8 (Ä Ö Ü À … Þ, not ×): enough for the
// subjects of German and English probes.
std::string lower_subject(std::string_view s) {
  std::string out = to_lower_ascii(s);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    const auto lead = static_cast<unsigned char>(out[i]);
    const auto next = static_cast<unsigned char>(out[i + 1]);
    if (lead == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
      out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

// Removes one reply/forward prefix ("AW:", "Re[2]:", "Fwd :") from the start of `s`.
bool strip_prefix(std::string_view& s) {
  static constexpr std::array<std::string_view, 12> k_prefixes = {"antw", "fwd", "re", "aw", "wg", "fw",
                                                                  "sv",   "vs",  "tr", "rif", "r", "fyi"};
  for (std::string_view p : k_prefixes) {
    if (s.size() <= p.size() || to_lower_ascii(s.substr(0, p.size())) != p) continue;
    std::size_t i = p.size();
    // Counters some clients add: "Re[2]:", "AW(3):".
    if (i < s.size() && (s[i] == '[' || s[i] == '(')) {
      const char close = s[i] == '[' ? ']' : ')';
      auto j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j == i + 1 || j >= s.size() || s[j] != close) continue;
      i = j + 1;
    }
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && s[i] == ':') {
      s.remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

std::string describe(const std::vector<MatchCandidate>& candidates) {
  std::vector<std::string> parts;
  for (const auto& c : candidates) parts.push_back(fmt::format("{} ({}, \"{}\")", c.inquiry_id, c.company_id, c.subject));
  return join(parts, ", ");
}

}  // namespace

std::string normalise_subject(std::string_view subject) {
  // Bracketed tags anywhere: helpdesks put ticket numbers at the start or the end, gateways
  // put "[EXTERNAL]" in front of everything.
  std::string untagged;
  for (std::size_t i = 0; i < subject.size(); ++i) {
    if (subject[i] == '[') {
      const auto close = subject.find(']', i);
      if (close != std::string_view::npos) {
        untagged += ' ';
        i = close;
        continue;
      }
    }
    const char c = subject[i];
    untagged += (c == '\t' || c == '\r' || c == '\n') ? ' ' : c;
  }
  std::string_view rest = trim(untagged);
  while (strip_prefix(rest)) rest = trim(rest);
  std::string out;
  for (char c : rest) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return lower_subject(out);
}

bool domain_within(std::string_view domain, std::string_view company_domain) {
  const std::string d = to_lower_ascii(trim(domain));
  const std::string c = to_lower_ascii(trim(company_domain));
  if (d.empty() || c.empty()) return false;
  return d == c || (d.size() > c.size() && d.ends_with(c) && d[d.size() - c.size() - 1] == '.');
}

std::string domain_of_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  return to_lower_ascii(trim(address.substr(at + 1)));
}

std::string reply_token(std::string_view message_id) {
  const auto at = message_id.find('@');
  if (at == std::string_view::npos || at < k_token_size) return {};
  const std::string token = to_lower_ascii(message_id.substr(0, k_token_size));
  return is_token(token) ? token : std::string();
}

std::string plus_address(std::string_view address, std::string_view token) {
  const auto at = address.rfind('@');
  if (token.empty() || at == std::string_view::npos) return std::string(address);
  return fmt::format("{}+{}{}", address.substr(0, at), token, address.substr(at));
}

std::string token_of_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  const auto local = address.substr(0, at);
  const auto plus = local.rfind('+');
  if (plus == std::string_view::npos) return {};
  const std::string token = to_lower_ascii(local.substr(plus + 1));
  return is_token(token) ? token : std::string();
}

Result<MatchResult> match_reply(const ParsedMessage& message, const Classification& classification,
                                MatchLookup& lookup) {
  MatchResult out;

  // a. Our Message-ID, quoted by whoever answers (also a helpdesk on a domain of its own).
  for (const auto& id : message.referenced_ids) {
    auto found = lookup.inquiry_by_message_id(id);
    if (!found) return std::unexpected(found.error());
    if (*found) {
      out.inquiry_id = *found;
      out.method = "message_id";
      out.reasons.push_back(fmt::format("matched: refers to our Message-ID <{}>", id));
      return out;
    }
  }

  // b. The reply token of the Reply-To address the inquiry carried.
  std::vector<std::pair<std::string, std::string>> recipients;  // header, address
  for (const auto& address : message.to_addresses) recipients.emplace_back("To", address);
  for (const auto& [name, value] : message.headers) {
    for (std::string_view wanted : k_recipient_headers) {
      if (to_lower_ascii(name) != to_lower_ascii(wanted)) continue;
      for (auto& address : addresses_in(value)) recipients.emplace_back(name, std::move(address));
    }
  }
  for (const auto& [header, address] : recipients) {
    const std::string token = token_of_address(address);
    if (token.empty()) continue;
    auto found = lookup.inquiry_by_reply_token(token);
    if (!found) return std::unexpected(found.error());
    if (*found) {
      out.inquiry_id = *found;
      out.method = "plus_token";
      out.reasons.push_back(fmt::format("matched: reply token of {} in {}", address, header));
      return out;
    }
  }

  // c. The message a bounce (or an attached copy) says it is about.
  std::vector<std::pair<std::string, std::string>> originals;  // id, where it was found
  if (classification.kind == ReplyKind::bounce && classification.bounce &&
      !classification.bounce->original_message_id.empty()) {
    originals.emplace_back(classification.bounce->original_message_id, "the bounce names");
  }
  if (message.attached && !message.attached->message_id.empty()) {
    originals.emplace_back(message.attached->message_id, "the attached message is");
  }
  for (const auto& [id, where] : originals) {
    auto found = lookup.inquiry_by_message_id(id);
    if (!found) return std::unexpected(found.error());
    if (*found) {
      out.inquiry_id = *found;
      out.method = classification.kind == ReplyKind::bounce ? "bounce" : "attached";
      out.reasons.push_back(fmt::format("matched: {} our message <{}>", where, id));
      return out;
    }
  }

  // d. The subject, from one of the company's domains.
  const std::string domain = domain_of_address(message.from_address);
  if (domain.empty()) {
    out.review = "not matched: no Message-ID or reply token of ours, and no sender address";
    return out;
  }
  auto candidates = lookup.candidates_for_domain(domain);
  if (!candidates) return std::unexpected(candidates.error());
  if (candidates->empty()) {
    out.review = fmt::format(
        "not matched: no Message-ID or reply token of ours, and the sender's domain {} is no company's", domain);
    return out;
  }
  const std::string subject = normalise_subject(message.subject);
  std::vector<MatchCandidate> fitting;
  for (const auto& c : *candidates) {
    const std::string sent = normalise_subject(c.subject);
    if (!sent.empty() && subject.find(sent) != std::string::npos) fitting.push_back(c);
  }
  if (fitting.size() == 1) {
    out.inquiry_id = fitting.front().inquiry_id;
    out.method = "subject";
    out.reasons.push_back(fmt::format("matched: the subject fits inquiry {} to {} (\"{}\"), sender domain {}",
                                      fitting.front().inquiry_id, fitting.front().company_id, fitting.front().subject,
                                      domain));
    return out;
  }
  if (fitting.empty()) {
    out.candidates = std::move(*candidates);
    out.review = fmt::format("not matched: from {}, a company's domain, but the subject fits none of its inquiries: {}",
                             domain, describe(out.candidates));
    return out;
  }
  out.candidates = std::move(fitting);
  out.review = fmt::format("ambiguous: the subject fits {} inquiries: {}", out.candidates.size(),
                           describe(out.candidates));
  return out;
}

}  // namespace respbench
