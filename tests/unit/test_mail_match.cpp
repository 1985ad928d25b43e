// The matcher's rules in order, on plain values: a fake lookup stands for the ledger.
#include <doctest/doctest.h>

#include <map>

#include "mail/match.hpp"

using namespace respbench;

namespace {

class FakeLookup final : public MatchLookup {
 public:
  std::map<std::string, std::int64_t, std::less<>> by_message_id;
  std::map<std::string, std::int64_t, std::less<>> by_token;
  std::map<std::string, std::vector<MatchCandidate>, std::less<>> by_company_domain;  // domain → candidates
  bool broken = false;
  int domain_lookups = 0;

  Result<std::optional<std::int64_t>> inquiry_by_message_id(std::string_view id) override {
    if (broken) return fail("ledger unreadable");
    auto it = by_message_id.find(id);
    return it == by_message_id.end() ? std::optional<std::int64_t>() : std::optional<std::int64_t>(it->second);
  }
  Result<std::optional<std::int64_t>> inquiry_by_reply_token(std::string_view token) override {
    auto it = by_token.find(token);
    return it == by_token.end() ? std::optional<std::int64_t>() : std::optional<std::int64_t>(it->second);
  }
  Result<std::vector<MatchCandidate>> candidates_for_domain(std::string_view domain) override {
    ++domain_lookups;
    std::vector<MatchCandidate> out;
    for (const auto& [company_domain, candidates] : by_company_domain) {
      if (domain_within(domain, company_domain)) out.insert(out.end(), candidates.begin(), candidates.end());
    }
    return out;
  }
};

FakeLookup panel() {
  FakeLookup l;
  l.by_message_id["abcdefghijklmnopqrstuvwxyz@shopper.test"] = 7;
  l.by_message_id["bouncedbouncedbouncedbounc@shopper.test"] = 9;
  l.by_token["abcdefghij"] = 7;
  l.by_company_domain["acme.test"] = {{7, "acme", "Frage zu Ihren Servicezeiten"}, {8, "acme", "Lieferzeit einer Bestellung"}};
  l.by_company_domain["globex.test"] = {{11, "globex", "Frage zu Ihren Servicezeiten"}};
  l.by_company_domain["deskly.test"] = {{7, "acme", "Frage zu Ihren Servicezeiten"},
                                        {11, "globex", "Frage zu Ihren Servicezeiten"}};
  return l;
}

ParsedMessage from(std::string address, std::string subject) {
  ParsedMessage m;
  m.from_address = std::move(address);
  m.subject = std::move(subject);
  return m;
}

Classification human() {
  Classification c;
  c.kind = ReplyKind::human;
  return c;
}

MatchResult match(const ParsedMessage& m, FakeLookup& l, const Classification& c = human()) {
  auto r = match_reply(m, c, l);
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_SUITE("mail.match") {

TEST_CASE("our Message-ID in In-Reply-To or References matches, from any domain") {
  auto l = panel();
  auto m = from("agent@helpdesk-elsewhere.test", "Ticket 4711");
  m.referenced_ids = {"unknown@else.test", "abcdefghijklmnopqrstuvwxyz@shopper.test"};
  auto r = match(m, l);
  CHECK(r.inquiry_id == 7);
  CHECK(r.method == "message_id");
  CHECK(r.review.empty());
  REQUIRE(r.reasons.size() == 1);
  CHECK(r.reasons[0].find("<abcdefghijklmnopqrstuvwxyz@shopper.test>") != std::string::npos);
  CHECK(l.domain_lookups == 0);  // the first rule decided
}

TEST_CASE("the reply token in To, Cc or Delivered-To matches when nothing is quoted") {
  auto l = panel();
  SUBCASE("in To, as the parser lists it") {
    auto m = from("x@nowhere.test", "Hallo");
    m.to_addresses = {"anna.berger+abcdefghij@shopper.test"};
    auto r = match(m, l);
    CHECK(r.inquiry_id == 7);
    CHECK(r.method == "plus_token");
  }
  SUBCASE("in Delivered-To, upper case, with a display name elsewhere") {
    auto m = from("x@nowhere.test", "Hallo");
    m.headers = {{"To", "Anna Berger <anna.berger@shopper.test>"}, {"Delivered-To", "Anna.Berger+ABCDEFGHIJ@shopper.test"}};
    auto r = match(m, l);
    CHECK(r.inquiry_id == 7);
    CHECK(r.reasons.at(0).find("Delivered-To") != std::string::npos);
  }
  SUBCASE("a plus-address that is no token of ours is ignored") {
    auto m = from("x@nowhere.test", "Hallo");
    m.to_addresses = {"anna+newsletter@shopper.test", "anna+zzzzzzzzzz@shopper.test"};
    auto r = match(m, l);
    CHECK_FALSE(r.inquiry_id.has_value());
    CHECK_FALSE(r.review.empty());
  }
}

TEST_CASE("a bounce matches by the Message-ID of the message it returns") {
  auto l = panel();
  auto m = from("MAILER-DAEMON@mail.rig.test", "Undelivered Mail Returned to Sender");
  Classification c;
  c.kind = ReplyKind::bounce;
  c.bounce = BounceInfo{true, "5.1.1", "nobody@bounce.test", "bouncedbouncedbouncedbounc@shopper.test"};
  auto r = match(m, l, c);
  CHECK(r.inquiry_id == 9);
  CHECK(r.method == "bounce");

  SUBCASE("or by the attached message's id when the classifier found none") {
    c.bounce->original_message_id.clear();
    m.attached = AttachedMessage{"bouncedbouncedbouncedbounc@shopper.test", "Frage", "anna@shopper.test", {}};
    auto again = match(m, l, c);
    CHECK(again.inquiry_id == 9);
    CHECK(again.method == "bounce");
  }
  SUBCASE("an attached copy of our message also places a reply that is no bounce") {
    auto ooo = from("someone@else.test", "Abwesenheit");
    ooo.attached = AttachedMessage{"bouncedbouncedbouncedbounc@shopper.test", "", "", {}};
    Classification away;
    away.kind = ReplyKind::out_of_office;
    auto r2 = match(ooo, l, away);
    CHECK(r2.inquiry_id == 9);
    CHECK(r2.method == "attached");
  }
}

TEST_CASE("the subject from one of the company's domains matches one inquiry; several are ambiguous") {
  auto l = panel();
  SUBCASE("prefixes, tags and case do not matter; subdomains count") {
    auto r = match(from("team@kundenservice.ACME.test", "AW: WG: [EXTERNAL] re: frage ZU ihren   Servicezeiten [#12345]"), l);
    CHECK(r.inquiry_id == 7);
    CHECK(r.method == "subject");
  }
  SUBCASE("a subject that contains the inquiry's") {
    auto r = match(from("info@acme.test", "[Ticket#2026030210000123] Ihre Anfrage: Lieferzeit einer Bestellung"), l);
    CHECK(r.inquiry_id == 8);
  }
  SUBCASE("the same subject from another company's domain is that company's") {
    auto r = match(from("info@globex.test", "Re: Frage zu Ihren Servicezeiten"), l);
    CHECK(r.inquiry_id == 11);
  }
  SUBCASE("a domain that is not the company's, though a lookalike, does not match") {
    auto r = match(from("info@notacme.test", "Re: Frage zu Ihren Servicezeiten"), l);
    CHECK_FALSE(r.inquiry_id.has_value());
    CHECK(r.review.find("notacme.test is no company's") != std::string::npos);
  }
  SUBCASE("two companies' inquiries fit: ambiguous, both named") {
    auto r = match(from("agent@deskly.test", "AW: Frage zu Ihren Servicezeiten"), l);
    CHECK_FALSE(r.inquiry_id.has_value());
    CHECK(r.method.empty());
    CHECK(r.review.starts_with("ambiguous: the subject fits 2 inquiries"));
    CHECK(r.review.find("7 (acme") != std::string::npos);
    CHECK(r.review.find("11 (globex") != std::string::npos);
    CHECK(r.candidates.size() == 2);
  }
  SUBCASE("the company's domain but another subject: review, with the company's inquiries as candidates") {
    auto r = match(from("info@acme.test", "Newsletter März"), l);
    CHECK_FALSE(r.inquiry_id.has_value());
    CHECK(r.review.find("fits none of its inquiries") != std::string::npos);
    CHECK(r.candidates.size() == 2);
  }
  SUBCASE("no sender at all") {
    auto r = match(from("", "Frage zu Ihren Servicezeiten"), l);
    CHECK_FALSE(r.inquiry_id.has_value());
    CHECK(r.review.find("no sender address") != std::string::npos);
  }
}

TEST_CASE("a lookup that fails makes the match fail") {
  auto l = panel();
  l.broken = true;
  auto m = from("info@acme.test", "x");
  m.referenced_ids = {"a@b.test"};
  auto r = match_reply(m, human(), l);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "ledger unreadable");
}

TEST_CASE("subjects are normalised for comparison") {
  CHECK(normalise_subject("AW: Aw: RE: Fwd: FW: Antw: SV: WG: Frage") == "frage");
  CHECK(normalise_subject("Re[2]: Re (3): Frage") == "re (3): frage");  // only counters glued to the prefix
  CHECK(normalise_subject("Re[2]: Frage") == "frage");
  CHECK(normalise_subject("  [EXTERNAL]  AW:\tÖffnungszeiten   Ihrer  Filiale [Ticket#123] ") == "öffnungszeiten ihrer filiale");
  CHECK(normalise_subject("Rechnung: Frage") == "rechnung: frage");  // "Re" only as a prefix
  CHECK(normalise_subject("") == "");
}

TEST_CASE("domains, reply tokens and plus-addresses") {
  CHECK(domain_within("acme.test", "acme.test"));
  CHECK(domain_within("mail.Acme.Test", "acme.test"));
  CHECK_FALSE(domain_within("notacme.test", "acme.test"));
  CHECK_FALSE(domain_within("acme.test", "mail.acme.test"));
  CHECK_FALSE(domain_within("", "acme.test"));
  CHECK(domain_of_address("Info@Acme.TEST") == "acme.test");
  CHECK(domain_of_address("nobody") == "");

  CHECK(reply_token("abcdefghij234567abcdefghij@shopper.test") == "abcdefghij");
  CHECK(reply_token("short@shopper.test") == "");
  CHECK(reply_token("ABC.DEFGHIJKLMN@x.test") == "");  // not new_message_id()'s letters
  CHECK(plus_address("anna.berger@shopper.test", "abcdefghij") == "anna.berger+abcdefghij@shopper.test");
  CHECK(plus_address("anna.berger@shopper.test", "") == "anna.berger@shopper.test");
  CHECK(token_of_address("anna.berger+abcdefghij@shopper.test") == "abcdefghij");
  CHECK(token_of_address("anna+x+ABCDEFGHIJ@shopper.test") == "abcdefghij");
  CHECK(token_of_address("anna+abcdefghi@shopper.test") == "");
  CHECK(token_of_address("anna@shopper.test") == "");
}

}  // TEST_SUITE
