#pragma once
// The study as the user wrote it: companies, probes (scripted questions), personas.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace respbench {

// Contact channels. Email is automatic; Facebook is assisted (DESIGN §4).
enum class Channel { email, facebook };

inline constexpr Channel k_all_channels[] = {Channel::email, Channel::facebook};

std::string_view to_string(Channel c);
// nullopt for an unknown name.
std::optional<Channel> parse_channel(std::string_view name);

// What a reply is (DESIGN §5). Only a person's answer counts as an answer; the others are kept
// with their times and reported separately. `unclassified`: no rule has looked at it yet.
enum class ReplyKind { human, auto_ack, ticket_ack, out_of_office, bounce, other, unclassified };

inline constexpr ReplyKind k_all_reply_kinds[] = {ReplyKind::human,         ReplyKind::auto_ack, ReplyKind::ticket_ack,
                                                  ReplyKind::out_of_office, ReplyKind::bounce,   ReplyKind::other,
                                                  ReplyKind::unclassified};

// "human", "auto_ack", "ticket_ack", "out_of_office", "bounce", "other", "unclassified".
std::string_view to_string(ReplyKind k);
// nullopt for an unknown name.
std::optional<ReplyKind> parse_reply_kind(std::string_view name);
// Whether a reply of this kind answers the inquiry (a person's answer, and nothing else).
constexpr bool counts_as_answer(ReplyKind k) { return k == ReplyKind::human; }

struct Company {
  std::string id;
  std::string name;
  std::string sector;
  std::string email;     // empty: the company does not offer email
  std::string facebook;  // normalised page reference (name or numeric id); empty: no page
  std::vector<std::string> reply_domains;
  std::string website;
  std::string country;
  std::string notes;
  int line = 0;  // line in companies.csv where the record starts

  // The contact address or page for `c`; empty when the company does not offer it.
  const std::string& contact(Channel c) const { return c == Channel::email ? email : facebook; }
  bool offers(Channel c) const { return !contact(c).empty(); }
};

struct Probe {
  std::string id;  // file name below probes/ without extension, e.g. "bank-fees-de"
  std::string subject;
  std::vector<Channel> channels;
  std::vector<std::string> sectors;  // empty: fits every sector ("Sectors: *")
  std::string language;              // "de", "en", …
  std::string body;
  std::string file;   // path as shown in diagnostics, e.g. "probes/bank-fees-de.txt"
  int body_line = 0;  // line of the body's first line in that file

  bool fits(std::string_view sector, Channel c) const;
};

struct Persona {
  std::string name;   // "Anna Berger"
  std::string email;  // "anna.berger@example.org"
};

}  // namespace respbench
