#pragma once
// What the simulated companies write by email (issue 7): short, human German answers with the
// company's name and a signature, varied per sector; auto-acknowledgements, ticket confirmations
// and out-of-office replies that respbench's classifier must recognise as such. Every message is
// a reply: In-Reply-To and References name the inquiry, the subject is "AW: " + its subject.

#include <cstdint>
#include <string>

#include "study/model.hpp"
#include "util/time.hpp"

namespace company_sim {

// The inquiry being answered, as the company received it.
struct InquiryMail {
  std::string message_id;  // without <>
  std::string subject;
  std::string from_name;   // the persona
  std::string from_address;
  std::string text;        // its body, for a quoted answer
  respbench::Instant received;
};

struct ReplyContext {
  const respbench::Company* company = nullptr;
  std::string company_address;  // From: (a helpdesk on a reply domain for ticket systems)
  const date::time_zone* zone = nullptr;
  std::uint64_t choice = 0;     // the draw that picks templates, names, ticket numbers
};

// A person's answer sent at `at`; `quote`: the inquiry below "Am … schrieb …:".
std::string answer_mail(const ReplyContext& c, const InquiryMail& inquiry, respbench::Instant at, bool quote);
// An automatic acknowledgement (Auto-Submitted: auto-replied).
std::string ack_mail(const ReplyContext& c, const InquiryMail& inquiry, respbench::Instant at);
// A ticket confirmation with `ticket` as its number.
std::string ticket_mail(const ReplyContext& c, const InquiryMail& inquiry, respbench::Instant at,
                        const std::string& ticket);
// An out-of-office reply: away until the day before `back`.
std::string out_of_office_mail(const ReplyContext& c, const InquiryMail& inquiry, respbench::Instant at,
                               date::local_days back);

// The ticket number a company's helpdesk gives the inquiry (5 digits from the draw).
std::string ticket_number(std::uint64_t choice);

}  // namespace company_sim
