// `respbench run` against the real mail rig (Postfix + Dovecot on loopback): the whole loop
// send → answer → poll, the Sent copy, reply times, bounces, UIDVALIDITY changes, servers that
// are down or refuse the login — and crash injection at every step of a run, counted in the
// mailboxes and the ledger.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <map>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "ledger/ledger.hpp"
#include "ledger/sqlite_ledger.hpp"
#include "mail_rig.hpp"
#include "realtime_smtp.hpp"
#include "support.hpp"

using namespace respbench;
using namespace respbench::test;
using company_sim::SimCompany;
using company_sim::answer_inquiries;
using company_sim::SimAnswer;
namespace fs = std::filesystem;

namespace {

constexpr const char* k_password_env = "RESPBENCH_TEST_MAIL_PASSWORD";

// One analyst mailbox per study, so that studies sharing the rig never read each other's mail.
const std::vector<RigUser>& run_rig_users() {
  static const std::vector<RigUser> users = [] {
    std::vector<RigUser> list = {{"info@acme.test", "secret-acme"}, {"service@globex.test", "secret-globex"}};
    for (int i = 1; i <= 40; ++i) list.push_back({fmt::format("analyst{}@shopper.test", i), fmt::format("pw-{}", i)});
    return list;
  }();
  return users;
}

MailRig& run_rig() {
  static MailRig rig(run_rig_users(), {"bounce.test"});
  return rig;
}

const std::vector<SimCompany> k_companies = {{"info@acme.test", "secret-acme", 1.0},
                                             {"service@globex.test", "secret-globex", 1.0}};

// A study of three companies — two that exist on the rig and one whose address the server
// refuses — asked two questions each by email, planned three weeks ago so all are due now.
struct RigStudy {
  TempDir dir;
  RigUser analyst;

  explicit RigStudy(int smtp_port = 0, int imap_port = 0) {
    // A fresh analyst mailbox for every study, also when doctest re-enters a test for a subcase.
    static std::size_t next_analyst = 2;
    REQUIRE(next_analyst < run_rig_users().size());
    analyst = run_rig_users()[next_analyst++];
    auto& rig = run_rig();
    const auto start = date::floor<date::days>(std::chrono::system_clock::now()) - date::days{21};
    write_text(dir / "respbench.conf",
               fmt::format("[study]\nname = Rig study\nstart = {}\nprobes_per_channel = 2\n"
                           "[email]\nsmtp_url = smtp://127.0.0.1:{}\nimap_url = imaps://127.0.0.1:{}\n"
                           "user = {}\npassword_env = {}\nca_file = {}\npause_seconds = 0\nmax_per_run = 50\n"
                           "[personas]\npersona = Anna Berger <{}>\n",
                           date::format("%F", start), smtp_port ? smtp_port : rig.port("SMTP_PORT"),
                           imap_port ? imap_port : rig.port("IMAPS_PORT"), analyst.address, k_password_env,
                           rig.ca_file(), analyst.address));
    write_text(dir / "companies.csv",
               "id,name,sector,email,facebook\n"
               "acme,Acme GmbH,retail,info@acme.test,\n"
               "globex,Globex AG,retail,service@globex.test,\n"
               "ghost,Ghost KG,retail,nobody@acme.test,\n");
    write_text(dir / "probes/opening.txt",
               "Subject: Frage zu Ihren Servicezeiten\nChannels: email\nSectors: *\nLanguage: de\n\n"
               "Guten Tag,\n\nwann ist Ihr Service erreichbar?\n\nViele Grüße\n{persona.name}\n");
    write_text(dir / "probes/delivery.txt",
               "Subject: Lieferzeit einer Bestellung\nChannels: email\nSectors: *\nLanguage: de\n\n"
               "Hallo {company.name},\n\nwie lange dauert die Lieferung?\n\nGrüße\n{persona.name}\n");
    ::setenv(k_password_env, analyst.password.c_str(), 1);
    const auto plan_now = date::format("%FT18:00", start - date::days{1});
    REQUIRE(run_cli({"plan", "--study", path(), "--now", plan_now, "--quiet"}).exit_code == 0);
  }

  std::string path() const { return dir.path().string(); }
  std::unique_ptr<Ledger> ledger() const { return std::move(*open_sqlite_ledger(dir / "respbench.db", LedgerOpen::existing)); }
  std::vector<InquiryRecord> inquiries() const { return *ledger()->inquiries({}); }
  MailServer imap_of(const RigUser& user) const { return run_rig().server("imaps", user); }
  MailServer smtp() const { return run_rig().server("smtp", {}); }
  MailServer imaps() const { return run_rig().server("imaps", {}); }
  std::vector<std::string> message_ids() const {
    std::vector<std::string> ids;
    for (const auto& i : inquiries()) {
      if (!i.message_id.empty()) ids.push_back(i.message_id);
    }
    return ids;
  }
  // The simulated companies answer this study's inquiries.
  std::vector<SimAnswer> companies_answer() const {
    run_rig().wait_queue();
    std::vector<std::string> answered;
    auto answers = answer_inquiries(k_companies, smtp(), imaps(), message_ids(), answered);
    run_rig().wait_queue();
    return answers;
  }
};

CliResult run(const RigStudy& study) { return run_cli({"run", "--study", study.path()}); }

// Runs the real binary, killed by itself at `step`; true when it died of SIGKILL.
bool run_crashing_at(const RigStudy& study, const std::string& step) {
  std::fflush(nullptr);  // or the child would write our buffered output a second time
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("RESPBENCH_CRASH_AT", step.c_str(), 1);
    std::freopen("/dev/null", "w", stdout);
    ::execl(RESPBENCH_BINARY, RESPBENCH_BINARY, "run", "--study", study.path().c_str(), "--quiet",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) MESSAGE("run exited with ", WEXITSTATUS(status), " instead of crashing at ", step);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

// How many messages with this Message-ID a mailbox holds.
std::size_t count_in(const MailServer& server, const std::string& mailbox, const std::string& message_id) {
  auto session = connect_imap(server);
  REQUIRE_MESSAGE(session.has_value(), (session ? "" : session.error().message));
  REQUIRE((*session)->examine(mailbox).has_value());
  auto uids = (*session)->uid_search(fmt::format("HEADER Message-ID \"<{}>\"", message_id));
  REQUIRE(uids.has_value());
  return uids->size();
}

const RigUser& company_user(const std::string& company_id) {
  return run_rig_users()[company_id == "acme" ? 0 : 1];
}

// The invariants after any sequence of runs: every inquiry reached its company at most once,
// exactly once unless it is flagged for the operator; every sent one has exactly one copy
// in Sent; every answer the simulator gave is recorded exactly once.
void check_exactly_once(const RigStudy& study, const std::vector<SimAnswer>& answers) {
  run_rig().wait_queue();
  std::size_t attention = 0;
  for (const auto& inquiry : study.inquiries()) {
    INFO("inquiry ", inquiry.id, " ", inquiry.company_id, " state ", to_string(inquiry.state));
    if (inquiry.company_id == "ghost") {
      CHECK(inquiry.state == InquiryState::undeliverable);
      continue;
    }
    REQUIRE_FALSE(inquiry.message_id.empty());
    const auto delivered = count_in(study.imap_of(company_user(inquiry.company_id)), "INBOX", inquiry.message_id);
    if (inquiry.state == InquiryState::attention) {
      ++attention;
      CHECK(delivered <= 1);
      continue;
    }
    CHECK(delivered == 1);
    CHECK(count_in(study.imap_of(study.analyst), "Sent", inquiry.message_id) == 1);
  }
  CHECK(attention <= 1);  // only the inquiry in flight when the crash came
  auto ledger = study.ledger();
  for (const auto& answer : answers) {
    auto inquiry = *ledger->inquiry_by_message_id(answer.inquiry_message_id);
    REQUIRE(inquiry.has_value());
    CHECK(*ledger->reply_count(inquiry->id) == 1);
    CHECK(inquiry->state == InquiryState::answered);
  }
  CHECK(*ledger->reply_count(std::nullopt) == static_cast<std::int64_t>(answers.size()));
}

}  // namespace

TEST_SUITE("mail-rig") {

TEST_CASE("run sends the due inquiries, files copies, and records the answers with their receipt time") {
  RigStudy study;
  auto first = run(study);
  INFO(first.out, first.err);
  CHECK(first.exit_code == k_exit_ok);
  CHECK(first.out.find("email: sent 4, deferred 0, undeliverable 2") != std::string::npos);

  auto answers = study.companies_answer();
  REQUIRE(answers.size() == 4);

  auto second = run(study);
  INFO(second.out, second.err);
  CHECK(second.exit_code == k_exit_ok);
  CHECK(second.out.find("read 4 new messages (4 matched)") != std::string::npos);
  check_exactly_once(study, answers);

  // The answer time is the reply's INTERNALDATE in the analyst's INBOX, not the poll's time.
  auto session = connect_imap(study.imap_of(study.analyst));
  REQUIRE(session.has_value());
  REQUIRE((*session)->examine("INBOX").has_value());
  auto uids = (*session)->uid_search("ALL");
  REQUIRE(uids.has_value());
  auto replies = (*session)->fetch(*uids, 1 << 20);
  REQUIRE(replies.has_value());
  std::map<std::string, Instant> received;  // inquiry Message-ID → INTERNALDATE
  for (const auto& r : *replies) {
    for (const auto& a : answers) {
      if (r.raw.find(a.reply_message_id) != std::string::npos) received[a.inquiry_message_id] = r.internal_date;
    }
  }
  for (const auto& inquiry : study.inquiries()) {
    if (inquiry.state != InquiryState::answered) continue;
    REQUIRE(inquiry.answered_at.has_value());
    CHECK(*inquiry.answered_at == received.at(inquiry.message_id));
  }

  SUBCASE("a third run finds nothing new and counts nothing twice") {
    auto third = run(study);
    CHECK(third.exit_code == k_exit_ok);
    CHECK(third.out.find("email: sent 0") != std::string::npos);
    check_exactly_once(study, answers);
  }
  SUBCASE("a changed UIDVALIDITY makes a full rescan that counts nothing twice") {
    run_rig().doveadm(fmt::format("mailbox update -u {} --uid-validity 4242 INBOX", study.analyst.address));
    auto third = run(study);
    INFO(third.out, third.err);
    CHECK(third.exit_code == k_exit_ok);
    CHECK(third.out.find("read 0 new messages") != std::string::npos);
    check_exactly_once(study, answers);
  }
}

TEST_CASE("an address the server refuses makes its inquiries undeliverable") {
  RigStudy study;
  CHECK(run(study).exit_code == k_exit_ok);
  for (const auto& inquiry : study.inquiries()) {
    if (inquiry.company_id == "ghost") CHECK(inquiry.state == InquiryState::undeliverable);
    else CHECK(inquiry.state == InquiryState::sent);
  }
  auto ledger = study.ledger();
  for (const auto& inquiry : study.inquiries()) {
    if (inquiry.company_id == "ghost") CHECK((*ledger->last_error(inquiry.id)).find("550") != std::string::npos);
  }
}

TEST_CASE("every run is logged in the ledger with its counts") {
  RigStudy study;
  REQUIRE(run(study).exit_code == k_exit_ok);
  auto answers = study.companies_answer();
  REQUIRE(run(study).exit_code == k_exit_ok);
  auto ledger = sqlite_ledger::open(study.dir / "respbench.db", LedgerOpen::existing, sqlite_ledger::migrations());
  REQUIRE(ledger.has_value());
  auto& db = (*ledger)->database();
  CHECK(*sqlite::query_int64(db, "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL AND exit_code = 0", "runs") == 2);
  CHECK(*sqlite::query_int64(db, "SELECT sent FROM runs WHERE id = 1", "first run") == 4);
  CHECK(*sqlite::query_int64(db, "SELECT fetched FROM runs WHERE id = 2", "second run") == 4);
}

TEST_CASE("a run sends at most email.max_per_run inquiries; the next run sends the rest") {
  RigStudy study;
  auto conf = read_text(study.dir / "respbench.conf");
  conf.replace(conf.find("max_per_run = 50"), 16, "max_per_run = 3");
  write_text(study.dir / "respbench.conf", conf);
  auto first = run(study);
  CHECK(first.exit_code == k_exit_ok);
  std::size_t planned = 0;
  for (const auto& inquiry : study.inquiries()) planned += inquiry.state == InquiryState::planned ? 1 : 0;
  CHECK(planned == 3);
  CHECK(run(study).exit_code == k_exit_ok);
  for (const auto& inquiry : study.inquiries()) CHECK(inquiry.state != InquiryState::planned);
}

TEST_CASE("an unknown user at a domain that accepts first brings Postfix's real bounce into the ledger") {
  RigStudy study;
  write_text(study.dir / "companies.csv", "id,name,sector,email,facebook\nnoone,Noone AG,retail,noone@bounce.test,\n");
  ::unlink((study.dir / "respbench.db").c_str());
  const auto start = date::floor<date::days>(std::chrono::system_clock::now()) - date::days{21};
  REQUIRE(run_cli({"plan", "--study", study.path(), "--now", date::format("%FT18:00", start - date::days{1})}).exit_code == 0);
  REQUIRE(run(study).exit_code == k_exit_ok);  // accepted at RCPT: sent
  run_rig().wait_queue();
  REQUIRE(run(study).exit_code == k_exit_ok);
  // The two DSNs are stored — by the first run or this one, as they arrive — and their text
  // names the inquiries' Message-IDs (the classifier that makes the inquiries undeliverable
  // comes with the issue "Understanding replies").
  auto ledger = sqlite_ledger::open(study.dir / "respbench.db", LedgerOpen::existing, sqlite_ledger::migrations());
  REQUIRE(ledger.has_value());
  auto& db = (*ledger)->database();
  CHECK(*sqlite::query_int64(db, "SELECT count(*) FROM replies WHERE from_address LIKE 'MAILER-DAEMON@%'", "dsn") == 2);
  for (const auto& inquiry : study.inquiries()) {
    CHECK(*sqlite::query_int64(
              db, fmt::format("SELECT count(*) FROM replies WHERE instr(raw, '{}') > 0", inquiry.message_id), "dsn") == 1);
  }
}

TEST_CASE("a temporary refusal is retried with back-off, then counts as undeliverable") {
  RigStudy study;
  // Only the company whose mailbox is always busy (450 at RCPT), one question, two tries.
  write_text(study.dir / "companies.csv", "id,name,sector,email,facebook\nbusy,Busy GmbH,retail,busy@acme.test,\n");
  auto conf = read_text(study.dir / "respbench.conf");
  conf.replace(conf.find("probes_per_channel = 2"), 22, "probes_per_channel = 1");
  conf += "[email]\nmax_attempts = 2\n";
  write_text(study.dir / "respbench.conf", conf);
  ::unlink((study.dir / "respbench.db").c_str());
  const auto start = date::floor<date::days>(std::chrono::system_clock::now()) - date::days{21};
  REQUIRE(run_cli({"plan", "--study", study.path(), "--now", date::format("%FT18:00", start - date::days{1})}).exit_code == 0);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

  auto first = run_cli({"run", "--study", study.path(), "--now", format_utc(now)});
  CHECK(first.out.find("deferred 1") != std::string::npos);
  auto inquiry = study.inquiries().at(0);
  CHECK(inquiry.state == InquiryState::planned);
  CHECK(inquiry.attempts == 1);
  CHECK((*study.ledger()->last_error(inquiry.id)).find("450") != std::string::npos);

  // Not due again before the back-off has passed …
  auto early = run_cli({"run", "--study", study.path(), "--now", format_utc(now + std::chrono::minutes(10))});
  CHECK(early.out.find("email: sent 0, deferred 0") != std::string::npos);
  CHECK(study.inquiries().at(0).attempts == 1);
  // … then tried once more, which is the last try.
  auto later = run_cli({"run", "--study", study.path(), "--now", format_utc(now + std::chrono::minutes(16))});
  CHECK(later.out.find("undeliverable 1") != std::string::npos);
  inquiry = study.inquiries().at(0);
  CHECK(inquiry.state == InquiryState::undeliverable);
  CHECK(inquiry.attempts == 2);
}

TEST_CASE("inquiries without an answer close as unanswered when their window ends") {
  RigStudy study;
  REQUIRE(run(study).exit_code == k_exit_ok);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto before = run_cli({"run", "--study", study.path(), "--now", format_utc(now + date::days{6})});
  CHECK(before.out.find("closed") == std::string::npos);
  auto after = run_cli({"run", "--study", study.path(), "--now", format_utc(now + date::days{7} + std::chrono::minutes(1))});
  CHECK(after.out.find("closed 4 inquiries") != std::string::npos);
  for (const auto& inquiry : study.inquiries()) {
    CHECK(inquiry.state == (inquiry.company_id == "ghost" ? InquiryState::undeliverable : InquiryState::unanswered));
  }
}

TEST_CASE("a server that is down skips the channel with a clear message and changes nothing") {
  RigStudy study(/*smtp_port=*/1, /*imap_port=*/1);  // nothing listens on port 1
  auto r = run(study);
  CHECK(r.exit_code == k_exit_failure);
  CHECK(r.err.find("email skipped this run") != std::string::npos);
  for (const auto& inquiry : study.inquiries()) CHECK(inquiry.state == InquiryState::planned);
}

TEST_CASE("a wrong password is a clear error that does not show the password") {
  RigStudy study;
  ::setenv(k_password_env, "wrong-secret-value", 1);
  auto r = run(study);
  CHECK(r.exit_code == k_exit_failure);
  CHECK(r.err.find("wrong-secret-value") == std::string::npos);
  CHECK(r.out.find("wrong-secret-value") == std::string::npos);
  CHECK_FALSE(r.err.empty());
  for (const auto& inquiry : study.inquiries()) CHECK(inquiry.state == InquiryState::planned);
}

TEST_CASE("a run killed at any step and run again sends every inquiry once and records every reply once") {
  const std::vector<std::string> send_steps = {"after-intent",    "before-data-end", "after-smtp",
                                               "before-append",   "after-append",    "after-intent:3",
                                               "after-smtp:2"};
  const std::vector<std::string> poll_steps = {"after-fetch", "after-watermark"};
  for (const auto& step : send_steps) {
    CAPTURE(step);
    RigStudy study;
    CHECK(run_crashing_at(study, step));
    auto again = run(study);
    INFO(again.out, again.err);
    CHECK(again.exit_code == k_exit_ok);
    auto answers = study.companies_answer();
    CHECK(run(study).exit_code == k_exit_ok);
    check_exactly_once(study, answers);
    if (step == "before-data-end") {
      // The one send in doubt is shown to the operator, with the reason.
      auto status = run_cli({"status", "--study", study.path(), "--json"});
      CHECK(status.out.find("\"attention\":[{\"id\":") != std::string::npos);
      CHECK(status.out.find("may or may not have been sent") != std::string::npos);
    }
  }
  for (const auto& step : poll_steps) {
    CAPTURE(step);
    RigStudy study;
    CHECK(run(study).exit_code == k_exit_ok);
    auto answers = study.companies_answer();
    CHECK(run_crashing_at(study, step));
    CHECK(run(study).exit_code == k_exit_ok);
    check_exactly_once(study, answers);
  }
}

}  // TEST_SUITE
