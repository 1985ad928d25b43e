#pragma once
// The classifier's rules as tables (classify_rules.cpp): which header or wording points to
// which kind of message, and how strongly. classify.cpp weighs what fired; adding a rule is
// adding a row.

#include <span>
#include <string_view>

namespace respbench {

// What a rule is evidence for. Not all are kinds: `automatic` (sent by a machine) and
// `ticket_system` (sent through a helpdesk) support a kind that wording decides; `notification`
// (invoices, password changes, parcels, surveys) and `newsletter` make `other`; `answering`
// (the text refers to the inquiry) tells an answer from mail that merely arrived.
enum class Signal {
  bounce,
  out_of_office,
  ticket_ack,
  auto_ack,
  newsletter,
  notification,
  read_receipt,
  automatic,
  ticket_system,
  answering,
};

inline constexpr int k_signal_count = 10;

// Where a wording rule looks: the subject, the new text (quoted history removed), or the
// sender ("Name <address>").
enum class Field { subject, text, sender };

// How a header rule compares a header's value (lower case, before any ';', trimmed).
enum class HeaderMatch {
  present,      // the header is there with any value
  is,           // the value is exactly `value`
  contains,     // the value contains `value`
  name_prefix,  // any header whose name starts with `name` (value ignored)
  empty_path,   // "<>" (the null reverse-path) or empty
};

struct HeaderRule {
  std::string_view name;
  HeaderMatch match;
  std::string_view value;
  Signal signal;
  int weight;
  std::string_view reason;
};

// A wording pattern is lower case text matched against text that is lower-cased with runs of
// blanks made one space and a space added at both ends. Two more tokens: "…" stands for up to
// 80 characters of anything, "{n}" for a number of at least three digits.
struct WordingRule {
  Field field;
  std::string_view pattern;
  Signal signal;
  int weight;
};

std::span<const HeaderRule> header_rules();
std::span<const WordingRule> wording_rules();

// "bounce", "out of office", … : how reasons name a signal.
std::string_view signal_label(Signal s);

}  // namespace respbench
