// Every Facebook reference form end to end: `respbench sent --ref FORM` stores its normal form,
// and the Graph poller reads exactly the object that form names from what was stored. A form
// `sent` accepts but the poller cannot read would let an inquiry go silently unpolled.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "assisted_support.hpp"
#include "channels/facebook_channel.hpp"
#include "study/study.hpp"

using namespace respbench;
using respbench::test::run_cli;
using respbench::test::TempDir;

namespace {

// When all 15 inquiries of the assisted study are due.
const std::string k_now = "2026-03-21T12:00";
const std::string k_weissbach_page = "1002003004";

// Answers with no comments and records what it was asked to read.
class RecordingSource : public FacebookSource {
 public:
  explicit RecordingSource(std::set<std::string>& read) : m_read(read) {}
  std::vector<ObjectComments> comments_under(const std::vector<std::string>& object_ids) override {
    std::vector<ObjectComments> out;
    for (const auto& id : object_ids) {
      m_read.insert(id);
      out.push_back(ObjectComments{id, {}, std::nullopt});
    }
    return out;
  }
  std::vector<PageLookup> page_ids(const std::vector<std::string>& names) override {
    std::vector<PageLookup> out;
    for (const auto& name : names) out.push_back({name, name == "WeissbachKabel" ? k_weissbach_page : "", {}});
    return out;
  }
  std::uint64_t requests_made() const override { return 1; }

 private:
  std::set<std::string>& m_read;
};

struct Form {
  const char* company;  // whose inquiry it is registered for
  const char* ref;      // what the operator passes to --ref
  const char* stored;   // what `sent` keeps
  const char* read;     // the Graph object the poller reads ("" for a Messenger thread)
};

// Forms whose ids name a page go to other companies than weissbach-kabel, whose page the poller
// must look up by name for its named post permalink.
const Form k_forms[] = {
    {"nordlicht-bank", "19292868552_10158349356748553", "19292868552_10158349356748553",
     "19292868552_10158349356748553"},
    {"weissbach-kabel", " 10158371930463553 ", "10158371930463553", "10158371930463553"},
    {"weissbach-kabel", "https://m.facebook.com/WeissbachKabel/posts/20000000001?__tn__=R#x",
     "https://www.facebook.com/WeissbachKabel/posts/20000000001", "1002003004_20000000001"},
    {"nordlicht-bank", "https://www.facebook.com/19292868552/posts/20000000002/",
     "https://www.facebook.com/19292868552/posts/20000000002", "19292868552_20000000002"},
    {"nordlicht-bank", "facebook.com/NordlichtBank/posts/20000000003?comment_id=456&ref=notif",
     "https://www.facebook.com/NordlichtBank/posts/20000000003?comment_id=456", "20000000003_456"},
    {"nordlicht-bank", "https://www.facebook.com/NordlichtBank/posts/20000000004?comment_id=456&reply_comment_id=789",
     "https://www.facebook.com/NordlichtBank/posts/20000000004?comment_id=456&reply_comment_id=789",
     "20000000004_789"},
    {"nordlicht-bank",
     "https://www.facebook.com/NordlichtBank/posts/10158371815748553?comment_id="
     "Y29tbWVudDoxMDE1ODM3MTgxNTc0ODU1M18xMDE1ODM3MTkzMDQ2MzU1Mw%3D%3D",
     "https://www.facebook.com/NordlichtBank/posts/10158371815748553?comment_id=10158371815748553_10158371930463553",
     "10158371815748553_10158371930463553"},
    {"stadtwerke-auenbruch", "https://www.facebook.com/permalink.php?id=1000123&story_fbid=555&comment_id=77",
     "https://www.facebook.com/permalink.php?story_fbid=555&id=1000123&comment_id=77", "555_77"},
    {"stadtwerke-auenbruch", "https://m.facebook.com/story.php?story_fbid=556&id=1000123",
     "https://www.facebook.com/permalink.php?story_fbid=556&id=1000123", "1000123_556"},
    {"weissbach-kabel", "https://WWW.Facebook.com/photo/?fbid=987654&set=a.1",
     "https://www.facebook.com/photo/?fbid=987654", "987654"},
    {"weissbach-kabel", "https://m.facebook.com/photo.php?fbid=987655&comment_id=321",
     "https://www.facebook.com/photo/?fbid=987655&comment_id=321", "987655_321"},
    {"stadtwerke-auenbruch", "https://www.messenger.com/t/100087654321",
     "https://www.facebook.com/messages/t/100087654321", ""},
};

std::vector<std::string> cli(const TempDir& tmp, std::vector<std::string> args) {
  args.insert(args.end(), {"--study", tmp.path().string(), "--now", k_now});
  return args;
}

}  // namespace

TEST_CASE("every reference form sent accepts is stored normalised and read by the Graph poller") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  auto run = run_cli(cli(tmp, {"run"}));
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);

  std::map<std::string, std::vector<InquiryRecord>> todo;
  for (const auto& i : test::in_state(tmp.path(), InquiryState::todo)) todo[i.company_id].push_back(i);
  std::set<std::string> expected_reads;
  for (const Form& form : k_forms) {
    CAPTURE(form.ref);
    auto& free = todo[form.company];
    REQUIRE_FALSE(free.empty());
    const auto inquiry = free.back();
    free.pop_back();
    auto sent = run_cli(cli(tmp, {"sent", std::to_string(inquiry.id), "--ref", form.ref}));
    REQUIRE_MESSAGE(sent.exit_code == 0, sent.err);
    CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).external_ref == form.stored);
    if (*form.read != '\0') expected_reads.insert(form.read);
  }

  Diagnostics diags;
  auto study = load_study(tmp.path(), diags);
  REQUIRE(study);
  auto ledger = test::open_test_ledger(tmp.path());
  std::set<std::string> read;
  FacebookChannel channel(*study, *ledger, [&]() -> Result<std::unique_ptr<FacebookSource>> {
    return std::make_unique<RecordingSource>(read);
  });
  const auto result = channel.run(parse_instant(k_now, study->config.zone).value());
  INFO(fmt::format("{}", fmt::join(result.errors, "\n")));
  CHECK(result.errors.empty());
  CHECK(result.attention == 0);
  CHECK(result.polled == static_cast<int>(expected_reads.size()));
  CHECK(read == expected_reads);
}

TEST_CASE("sent refuses, saying which forms work, what the Graph poller could not read") {
  TempDir tmp;
  test::make_assisted_study(tmp.path());
  auto run = run_cli(cli(tmp, {"run"}));
  REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  const auto inquiry = test::first_inquiry(tmp.path(), "nordlicht-bank", InquiryState::todo);
  for (const char* bad : {"https://www.facebook.com/NordlichtBank/posts/pfbid02Abc9",
                          "https://www.facebook.com/permalink.php?story_fbid=pfbid02Abc9&id=1000123",
                          "https://www.facebook.com/photo/?fbid=abc",
                          "https://www.facebook.com/NordlichtBank/posts/1?comment_id=Y29tbWVudA%3D%3D",
                          "https://www.facebook.com/watch/?v=123"}) {
    CAPTURE(bad);
    auto sent = run_cli(cli(tmp, {"sent", std::to_string(inquiry.id), "--ref", bad}));
    CHECK(sent.exit_code == k_exit_invalid);
    CHECK(sent.err.find("--ref: '") != std::string::npos);
    CHECK(sent.err.find("expected a Graph object id") != std::string::npos);
    CHECK(sent.err.find("/photo/?fbid=NUMBER") != std::string::npos);
    CHECK(test::inquiry_by_id(tmp.path(), inquiry.id).state == InquiryState::todo);
  }
  auto pfbid = run_cli(cli(tmp, {"sent", std::to_string(inquiry.id), "--ref",
                                 "https://www.facebook.com/NordlichtBank/posts/pfbid02Abc9"}));
  CHECK(pfbid.err.find("a pfbid link hides the post's number") != std::string::npos);
}
