#include "mail/classify.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "mail/bounce.hpp"
#include "mail/classify_rules.hpp"
#include "util/strings.hpp"

namespace respbench {
namespace {

// Wording is looked for in the first part of the new text: what an acknowledgement, an
// absence note or a bounce says stands at the top; the bound keeps huge messages fast.
constexpr std::size_t k_text_window = 32 * 1024;
constexpr std::size_t k_gap = 80;  // what "…" in a pattern may span

// Lower case (ASCII and Latin-1 letters), typographic quotes made plain, every run of blanks
// one space, a space at both ends: the text wording rules are matched against.
std::string fold(std::string_view text) {
  std::string out = " ";
  out.reserve(text.size() + 2);
  auto space = [&] {
    if (out.back() != ' ') out += ' ';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space();
    } else if (c < 0x80) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {  // À…Þ → à…þ
      out += static_cast<char>(c);
      out += static_cast<char>(next + 0x20);
      ++i;
    } else if (c == 0xC2 && next == 0xA0) {  // no-break space
      space();
      ++i;
    } else if (c == 0xC2 && next == 0xAD) {  // soft hyphen
      ++i;
    } else if (c == 0xE2 && next == 0x80 && i + 2 < text.size()) {
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x98 || third == 0x99) out += '\'';                            // ‘ ’
      else if (third == 0x9C || third == 0x9D || third == 0x9E) out += '"';       // “ ” „
      else if (third == 0x90 || third == 0x91 || third == 0x93) out += '-';       // hyphens, en dash
      else if (third == 0xAF || third == 0x89 || third == 0x8A || third == 0x8B) space();  // thin spaces
      else out.append(text.substr(i, 3));
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  space();
  return out;
}

// A wording pattern split into its tokens.
struct Token {
  enum class Kind { literal, gap, number } kind;
  std::string_view text;
};

std::vector<Token> tokenize(std::string_view pattern) {
  static constexpr std::string_view k_ellipsis = "…";
  std::vector<Token> tokens;
  std::size_t start = 0;
  auto literal_up_to = [&](std::size_t end) {
    if (end > start) tokens.push_back({Token::Kind::literal, trim(pattern.substr(start, end - start))});
  };
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i).starts_with(k_ellipsis)) {
      literal_up_to(i);
      tokens.push_back({Token::Kind::gap, {}});
      i += k_ellipsis.size();
      start = i;
    } else if (pattern.substr(i).starts_with("{n}")) {
      // Keep the blanks around a number: "ticket #{n}" needs its space.
      if (i > start) tokens.push_back({Token::Kind::literal, pattern.substr(start, i - start)});
      tokens.push_back({Token::Kind::number, {}});
      i += 3;
      start = i;
    } else {
      ++i;
    }
  }
  if (start < pattern.size()) {
    const bool after_gap = !tokens.empty() && tokens.back().kind == Token::Kind::gap;
    tokens.push_back({Token::Kind::literal, after_gap ? trim(pattern.substr(start)) : pattern.substr(start)});
  }
  return tokens;
}

bool match_rest(std::string_view text, std::size_t pos, const std::vector<Token>& tokens, std::size_t t) {
  if (t == tokens.size()) return true;
  const Token& token = tokens[t];
  switch (token.kind) {
    case Token::Kind::literal:
      return text.substr(pos).starts_with(token.text) && match_rest(text, pos + token.text.size(), tokens, t + 1);
    case Token::Kind::number: {
      std::size_t end = pos;
      while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
      return end - pos >= 3 && match_rest(text, end, tokens, t + 1);
    }
    case Token::Kind::gap: {
      if (t + 1 == tokens.size()) return true;
      const Token& next = tokens[t + 1];
      if (next.kind != Token::Kind::literal) return false;
      // Only within the gap's reach: a search to the end for every occurrence of the first
      // words would make matching quadratic.
      const std::size_t limit = std::min(text.size(), pos + k_gap + next.text.size());
      if (pos >= limit) return false;
      const std::string_view window = text.substr(0, limit);
      for (std::size_t at = window.find(next.text, pos); at != std::string_view::npos;
           at = window.find(next.text, at + 1)) {
        if (match_rest(text, at + next.text.size(), tokens, t + 2)) return true;
      }
      return false;
    }
  }
  return false;
}

bool matches(std::string_view text, const std::vector<Token>& tokens) {
  if (tokens.empty() || tokens.front().kind != Token::Kind::literal) return false;
  const std::string_view first = tokens.front().text;
  for (std::size_t at = text.find(first); at != std::string_view::npos; at = text.find(first, at + 1)) {
    if (match_rest(text, at + first.size(), tokens, 1)) return true;
  }
  return false;
}

// The wording rules with their patterns tokenised once.
const std::vector<std::vector<Token>>& compiled_patterns() {
  static const std::vector<std::vector<Token>> k_compiled = [] {
    std::vector<std::vector<Token>> out;
    for (const auto& rule : wording_rules()) out.push_back(tokenize(rule.pattern));
    return out;
  }();
  return k_compiled;
}

// The header's value as header rules compare it: lower case, before any ';', trimmed.
std::string rule_value(std::string_view value) {
  return to_lower_ascii(trim(value.substr(0, std::min(value.find(';'), value.size()))));
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// What fired, and the score per signal.
class Evidence {
 public:
  void add(Signal s, int weight, std::string reason) {
    m_scores[static_cast<std::size_t>(s)] += weight;
    m_reasons.push_back(std::move(reason) + " (" + std::string(signal_label(s)) + " +" + std::to_string(weight) + ")");
  }
  int operator[](Signal s) const { return m_scores[static_cast<std::size_t>(s)]; }
  std::vector<std::string> take_reasons() { return std::move(m_reasons); }

 private:
  std::array<int, k_signal_count> m_scores{};
  std::vector<std::string> m_reasons;
};

void apply_header_rules(const ParsedMessage& message, Evidence& evidence) {
  std::vector<std::string> values;  // each header's value as the rules compare it, made once
  values.reserve(message.headers.size());
  for (const auto& header : message.headers) values.push_back(rule_value(header.second));
  for (const auto& rule : header_rules()) {
    bool fired = false;
    for (std::size_t h = 0; h < message.headers.size() && !fired; ++h) {
      const std::string_view name = message.headers[h].first;
      const std::string& v = values[h];
      if (rule.match == HeaderMatch::name_prefix) {
        fired = name.size() > rule.name.size() && same_name(name.substr(0, rule.name.size()), rule.name);
        continue;
      }
      if (!same_name(name, rule.name)) continue;
      switch (rule.match) {
        case HeaderMatch::present: fired = !v.empty(); break;
        case HeaderMatch::is: fired = v == rule.value; break;
        case HeaderMatch::contains: fired = v.find(rule.value) != std::string::npos; break;
        case HeaderMatch::empty_path: fired = v.empty() || v == "<>"; break;
        case HeaderMatch::name_prefix: break;
      }
      // Return-Path is the envelope sender of the last delivery: only the first one counts.
      if (rule.match == HeaderMatch::empty_path) break;
    }
    if (fired) evidence.add(rule.signal, rule.weight, std::string(rule.reason));
  }
}

void apply_structure(const ParsedMessage& message, Evidence& evidence) {
  if (message.content_type == "multipart/report" && message.report_type == "delivery-status") {
    evidence.add(Signal::bounce, 6, "multipart/report; report-type=delivery-status (RFC 3464)");
  } else if (!message.delivery_status.empty()) {
    evidence.add(Signal::bounce, 5, "a message/delivery-status part");
  }
  if (message.report_type == "disposition-notification") {
    evidence.add(Signal::read_receipt, 6, "multipart/report; report-type=disposition-notification (read receipt)");
  }
}

// The subject after "Re:", "AW:", "Fwd:", … prefixes; `had_prefix` tells whether there were any.
std::string_view strip_reply_prefixes(std::string_view subject, bool& had_prefix) {
  static constexpr std::array<std::string_view, 9> k_prefixes{"re:", "aw:", "antw:", "antwort:", "sv:",
                                                              "wg:", "fw:", "fwd:", "r:"};
  had_prefix = false;
  for (bool found = true; found;) {
    found = false;
    subject = trim(subject);
    for (std::string_view p : k_prefixes) {
      if (subject.size() >= p.size() && to_lower_ascii(subject.substr(0, p.size())) == p) {
        subject.remove_prefix(p.size());
        had_prefix = found = true;
      }
    }
  }
  return subject;
}

void apply_wording_rules(const ParsedMessage& message, bool subject_is_reply, Evidence& evidence) {
  const std::string subject = fold(message.subject);
  const std::string text = fold(std::string_view(message.new_text).substr(0, k_text_window));
  const std::string sender = fold(message.from_name + " <" + message.from_address + ">");
  const auto rules = wording_rules();
  const auto& patterns = compiled_patterns();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const WordingRule& rule = rules[i];
    // "AW: Automatische Antwort: …" is a person answering an automatic reply: behind a reply
    // prefix, the subject tells only the ticket number.
    if (rule.field == Field::subject && subject_is_reply && rule.signal != Signal::ticket_system &&
        rule.signal != Signal::answering) {
      continue;
    }
    const std::string& where = rule.field == Field::subject ? subject : rule.field == Field::text ? text : sender;
    if (!matches(where, patterns[i])) continue;
    const std::string_view field_name = rule.field == Field::subject ? "subject" : rule.field == Field::text ? "text" : "sender";
    evidence.add(rule.signal, rule.weight, std::string(field_name) + " says \"" + std::string(trim(rule.pattern)) + "\"");
  }
}

// Soft when the status class is 4, or when the bounce says it will try again.
bool soft_wording(std::string_view folded_text, std::string_view folded_subject) {
  constexpr std::array<std::string_view, 16> k_soft{
      "delayed", "will retry", "will be retried", "still being retried", "temporary failure", "temporarily",
      "vorübergehend", "wird weiter versucht", "still trying", "(delay)", "deferred", "will keep trying",
      "still undelivered", "warning message only", "do not need to resend", "could not send message for past"};
  return std::any_of(k_soft.begin(), k_soft.end(), [&](std::string_view w) {
    return folded_text.find(w) != std::string_view::npos || folded_subject.find(w) != std::string_view::npos;
  });
}

BounceInfo bounce_info(const ParsedMessage& message) {
  BounceInfo info;
  // The recipient that failed: the first report entry that failed, else any.
  const DeliveryStatus* entry = nullptr;
  for (const auto& d : message.delivery_status) {
    if (d.action == "failed") {
      entry = &d;
      break;
    }
  }
  if (entry == nullptr && !message.delivery_status.empty()) entry = &message.delivery_status.front();
  if (entry != nullptr) {
    info.recipient = entry->recipient;
    info.status = entry->status;
    if (info.status.empty()) info.status = find_status_code(entry->diagnostic);
  }
  if (info.recipient.empty()) {
    if (const std::string* failed = message.header("X-Failed-Recipients")) {
      const auto found = find_addresses(*failed, 1);
      if (!found.empty()) info.recipient = found.front();
    }
  }
  if (info.recipient.empty()) {
    // The first address in the text that is neither the bounce's sender nor its recipient
    // (us) nor a mail system's own.
    for (const auto& address : find_addresses(std::string_view(message.text).substr(0, k_text_window))) {
      const bool ours = address == message.from_address ||
                        std::find(message.to_addresses.begin(), message.to_addresses.end(), address) !=
                            message.to_addresses.end();
      const bool system = address.starts_with("mailer-daemon@") || address.starts_with("postmaster@");
      if (!ours && !system) {
        info.recipient = address;
        break;
      }
    }
  }
  if (info.status.empty()) info.status = find_status_code(std::string_view(message.text).substr(0, k_text_window));

  if (message.attached && !message.attached->message_id.empty()) info.original_message_id = message.attached->message_id;
  else if (!message.report_message_id.empty()) info.original_message_id = message.report_message_id;
  else info.original_message_id = find_quoted_message_id(message.text);
  // Some mail systems thread their bounce to the failed message instead of attaching it.
  if (info.original_message_id.empty() && !message.referenced_ids.empty()) {
    info.original_message_id = message.referenced_ids.front();
  }

  if (!info.status.empty()) {
    info.hard = info.status.front() == '5';
  } else if (entry != nullptr && entry->action == "delayed") {
    info.hard = false;
  } else {
    info.hard = !soft_wording(fold(std::string_view(message.text).substr(0, k_text_window)), fold(message.subject));
  }
  if (entry != nullptr && entry->action == "delayed") info.hard = false;
  return info;
}

}  // namespace

Classification classify(const ParsedMessage& message, const ClassifyContext& context) {
  Classification out;
  if (message.malformed && message.headers.empty()) {
    out.kind = ReplyKind::other;
    out.reasons.push_back("not a mail message: no headers");
    out.uncertain = true;
    return out;
  }

  Evidence e;
  bool subject_is_reply = false;
  strip_reply_prefixes(message.subject, subject_is_reply);
  apply_structure(message, e);
  apply_header_rules(message, e);
  apply_wording_rules(message, subject_is_reply, e);

  using enum Signal;
  // An answer refers to what it answers: by its headers, its subject or its words.
  const bool threaded = !message.referenced_ids.empty() || subject_is_reply || context.known_reply;
  const bool answering_something = threaded || e[answering] > 0;
  if (!answering_something) e.add(notification, 1, "neither a reply (no In-Reply-To, References, Re:) nor referring to a question");

  const int automatic_support = std::min(e[automatic], 4);
  // What each kind would score with the support it gets from "sent by a machine" headers.
  const int ooo = e[out_of_office] + automatic_support;
  const int ack = e[auto_ack] + automatic_support;
  const int ticket = e[ticket_ack] + e[ticket_system] + e[auto_ack] + automatic_support;
  const bool is_bounce = e[bounce] >= 4;
  const bool is_receipt = e[read_receipt] >= 3;
  const bool is_ooo = e[out_of_office] >= 3 && ooo >= 5;
  // A confirmation names the ticket, or acknowledges the request in a helpdesk's mail.
  const bool is_ticket = (e[ticket_ack] >= 3 && ticket >= 5) ||
                         (e[ticket_system] >= 2 && ((e[auto_ack] >= 1 && ack >= 4) || e[auto_ack] >= 3));
  const bool is_ack = (e[auto_ack] >= 1 && ack >= 4);
  const bool is_newsletter = e[newsletter] >= 2;
  const bool strong_newsletter = e[newsletter] >= 4;
  // Notifications: what a machine sends without being asked (not an answer), or says so.
  const bool is_notification = e[notification] >= 3 && (!answering_something || e[automatic] >= 2 || is_newsletter);

  // Kinds with strong evidence of their own: more than one means the signals disagree.
  int candidates = 0;
  for (bool b : {e[bounce] >= 4, e[out_of_office] >= 3, e[auto_ack] >= 3 || e[ticket_ack] >= 3,
                 e[newsletter] >= 3 || e[notification] >= 3, e[read_receipt] >= 3}) {
    candidates += b ? 1 : 0;
  }

  if (is_bounce) {
    out.kind = ReplyKind::bounce;
    out.uncertain = candidates > 1 || e[bounce] < 5;
  } else if (is_receipt) {
    out.kind = ReplyKind::other;
  } else if (strong_newsletter && e[auto_ack] < 4 && e[out_of_office] < 3) {
    out.kind = ReplyKind::other;
    out.uncertain = candidates > 1;
  } else if (is_ooo) {
    out.kind = ReplyKind::out_of_office;
    out.uncertain = candidates > 1 || ooo < 6;
  } else if (!answering_something || is_notification) {
    // Mail that arrived without answering anything: a notification, an advert, spam.
    out.kind = ReplyKind::other;
    out.uncertain = !is_notification && !is_newsletter;
  } else if (is_ticket) {
    out.kind = ReplyKind::ticket_ack;
    out.uncertain = candidates > 1 || ticket < 6;
  } else if (is_ack) {
    out.kind = ReplyKind::auto_ack;
    out.uncertain = candidates > 1 || ack < 5;
  } else if (is_newsletter) {
    out.kind = ReplyKind::other;
    out.uncertain = candidates > 1 || e[automatic] >= 3;
  } else if (e[automatic] >= 3 && e[ticket_system] >= 2) {
    // Helpdesks mark every message they send as automatic, their agents' answers too: without
    // acknowledging words, a person wrote it.
    out.kind = ReplyKind::human;
    out.uncertain = true;
    e.add(ticket_system, 0, "sent by a ticket system without acknowledging words: an agent's answer");
  } else if (e[automatic] >= 3) {
    out.kind = ReplyKind::auto_ack;
    out.uncertain = true;
    e.add(automatic, 0, "sent by a machine, but no wording says what it is");
  } else {
    out.kind = ReplyKind::human;
    out.uncertain = e[bounce] >= 2 || e[out_of_office] >= 2 || e[ticket_ack] >= 2 || e[auto_ack] >= 2 ||
                    e[automatic] >= 2 || e[newsletter] >= 2 || e[notification] >= 2 || e[read_receipt] >= 2;
  }
  out.reasons = e.take_reasons();
  if (out.kind == ReplyKind::human) out.reasons.push_back("no sign of an automatic message that outweighs the rest");
  if (message.too_large) out.reasons.push_back("too large: only the headers were read");
  if (out.kind == ReplyKind::bounce) out.bounce = bounce_info(message);
  return out;
}

}  // namespace respbench
