// The simulated companies' mail must be what respbench's classifier says it is: answers human
// (and certain, or they would wait for review), acknowledgements auto_ack, ticket confirmations
// ticket_ack, out-of-office replies out_of_office — for every template, sector and quoting.
#include <doctest/doctest.h>

#include "mail/classify.hpp"
#include "mail/message.hpp"
#include "mail_texts.hpp"

using namespace company_sim;
using respbench::ReplyKind;

namespace {

respbench::Classification classify_text(const std::string& raw) {
  return respbench::classify(respbench::parse_message(raw));
}

}  // namespace

TEST_CASE("the simulator's mail classifies as intended") {
  const auto* zone = date::locate_zone("Europe/Berlin");
  const respbench::Instant received = date::sys_days{date::year{2026} / 3 / 2} + std::chrono::hours(9);
  InquiryMail inquiry{"abc123@shopper.test", "Frage zu Ihren Öffnungszeiten", "Anna Berger", "anna.berger@shopper.test",
                      "Guten Tag,\n\nwann haben Sie geöffnet?\n\nViele Grüße\nAnna Berger\n", received};
  for (const char* sector : {"banks", "insurers", "telecoms", "energy", "retail", "travel", "other"}) {
    respbench::Company company;
    company.id = "x";
    company.name = "Beispiel GmbH";
    company.sector = sector;
    for (std::uint64_t choice : {0ULL, 1ULL, 0x123456789abcdefULL, 0xfedcba9876543210ULL, 0x5555555555555555ULL,
                                 0xaaaaaaaaaaaaaaaaULL, 0x0f0f0f0f0f0f0f0fULL, 0x1111222233334444ULL}) {
      CAPTURE(sector);
      CAPTURE(choice);
      ReplyContext c{&company, "service@beispiel.test", zone, choice};
      for (bool quote : {false, true}) {
        const auto raw = answer_mail(c, inquiry, received + std::chrono::hours(3), quote);
        const auto parsed = respbench::parse_message(raw);
        REQUIRE(!parsed.referenced_ids.empty());
        for (const auto& id : parsed.referenced_ids) CHECK(id == "abc123@shopper.test");
        CHECK(parsed.subject == "AW: Frage zu Ihren Öffnungszeiten");
        CHECK(parsed.date == received + std::chrono::hours(3));
        const auto k = classify_text(raw);
        CHECK_MESSAGE(k.kind == ReplyKind::human, raw);
        CHECK_MESSAGE(!k.uncertain, raw);
      }
      auto ack = classify_text(ack_mail(c, inquiry, received + std::chrono::minutes(2)));
      CHECK(ack.kind == ReplyKind::auto_ack);
      CHECK(!ack.uncertain);
      auto ticket = classify_text(ticket_mail(c, inquiry, received + std::chrono::minutes(2), ticket_number(choice)));
      CHECK(ticket.kind == ReplyKind::ticket_ack);
      CHECK(!ticket.uncertain);
      auto ooo = classify_text(out_of_office_mail(c, inquiry, received + std::chrono::minutes(2),
                                                  date::local_days{date::year{2026} / 3 / 9}));
      CHECK(ooo.kind == ReplyKind::out_of_office);
      CHECK(!ooo.uncertain);
    }
  }
}
