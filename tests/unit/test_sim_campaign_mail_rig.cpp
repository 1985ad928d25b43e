// A tiny company-sim campaign against the real mail rig: two companies (one answers everything
// and acknowledges every inquiry, one has no mailbox and bounces), respbench run in-process
// every 30 simulated minutes — and respbench's ledger agrees with the simulator's truth to the
// second: answers, acknowledgements, the re-dated bounce.
#include <doctest/doctest.h>

#include <unistd.h>

#include <map>

#include <fmt/format.h>

#include "campaign.hpp"
#include "ledger/ledger.hpp"
#include "mail_rig.hpp"
#include "profile.hpp"
#include "rig_users.hpp"
#include "study/study.hpp"
#include "support.hpp"
#include "truth.hpp"
#include "util/csv.hpp"

using namespace respbench;
using namespace respbench::test;

namespace {

// The truth file's rows as maps of column → value.
std::vector<std::map<std::string, std::string>> read_truth(const std::filesystem::path& path) {
  const auto text = read_text(path);
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find("\r\n", pos);
    const auto line = text.substr(pos, end - pos);
    pos = end + 2;
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {  // the test's truth has no quoted cells (checked below)
      auto comma = line.find(',', start);
      cells.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (header.empty()) {
      header = cells;
      continue;
    }
    REQUIRE(cells.size() == header.size());
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("company-sim campaign on the mail rig: the ledger records the truth to the second") {
  TempDir dir;
  const auto study_dir = dir / "study";
  int graph_port = 0;
  ::close(listen_on_loopback(1, graph_port));  // a free port for the in-process Graph emulator

  // The companies: acme answers everything and acknowledges; ghost's mailbox is missing.
  write_text(dir / "sim.profiles",
             "[*.email]\nmissing_mailbox_share = 0\nooo_share = 0\nticket_share = 0\n"
             "[retail.email]\ndiligent_share = 1\ndiligent_answer = 1\nsporadic_share = 0\nack_share = 1\n"
             "late_share = 0\ndelay_median = 2h\n"
             "[energy.email]\nmissing_mailbox_share = 1\n");
  write_text(study_dir / "companies.csv",
             "id,name,sector,email,facebook\n"
             "acme,Acme Handel GmbH,retail,info@acme-handel.test,\n"
             "ghost,Ghost Energie AG,energy,service@ghost-energie.test,\n");
  write_text(study_dir / "probes/opening.txt",
             "Subject: Frage zu Ihren Servicezeiten\nChannels: email\nSectors: *\nLanguage: de\n\n"
             "Guten Tag,\n\nwann ist Ihr Service erreichbar?\n\nViele Grüße\n{persona.name}\n");
  write_text(study_dir / "probes/delivery.txt",
             "Subject: Lieferzeit einer Bestellung\nChannels: email\nSectors: *\nLanguage: de\n\n"
             "Hallo {company.name},\n\nwie lange dauert die Lieferung?\n\nGrüße\n{persona.name}\n");
  const auto conf = [&](int smtp, int imaps, const std::string& ca) {
    return fmt::format(
        "[study]\nname = Sim test\nstart = 2026-03-02\nanswer_window = 2d\nprobes_per_channel = 2\nseed = 5\n"
        "[schedule]\nbusiness_days = 2\nmin_spacing = 1d\n"
        "[email]\nsmtp_url = smtp://127.0.0.1:{}\nimap_url = imaps://127.0.0.1:{}\nuser = study@shopper-sim.test\n"
        "password_env = RESPBENCH_SIM_TEST_PASSWORD\nca_file = {}\npause_seconds = 0\n"
        "[facebook]\ngraph_url = http://127.0.0.1:{}/v21.0\ntoken_env = RESPBENCH_SIM_TEST_TOKEN\n"
        "[personas]\npersona = Anna Berger <study@shopper-sim.test>\n",
        smtp, imaps, ca, graph_port);
  };
  write_text(study_dir / "respbench.conf", conf(1, 1, ""));

  // The rig's users, as `company-sim rig-users` makes them.
  Diagnostics diags;
  auto study = load_study(study_dir, diags);
  REQUIRE(study);
  auto profiles = company_sim::Profiles::load((dir / "sim.profiles").string());
  REQUIRE(profiles);
  const std::string users = company_sim::rig_users(*study, *profiles, 5);
  CHECK(users.find("study@shopper-sim.test demo-mailbox\n") != std::string::npos);
  CHECK(users.find("info@acme-handel.test sim-acme\n") != std::string::npos);
  CHECK(users.find("@ghost-energie.test bounce held\n") != std::string::npos);
  CHECK(users.find("service@ghost-energie.test") == std::string::npos);
  MailRig rig({{"study@shopper-sim.test", "demo-mailbox"}, {"info@acme-handel.test", "sim-acme"}},
              {}, {"ghost-energie.test"});
  write_text(study_dir / "respbench.conf", conf(rig.port("SMTP_PORT"), rig.port("IMAPS_PORT"), rig.ca_file()));
  ::setenv("RESPBENCH_SIM_TEST_PASSWORD", "demo-mailbox", 1);

  auto plan = run_cli({"--study", study_dir.string(), "--now", "2026-03-01T18:00", "plan"});
  REQUIRE_MESSAGE(plan.exit_code == 0, plan.err);

  company_sim::CampaignOptions o;
  o.study = study_dir;
  o.rig = rig.value("RIG_DIR");
  o.truth = dir / "truth.csv";
  o.profiles = (dir / "sim.profiles").string();
  o.seed = 5;
  o.step = std::chrono::minutes(30);
  std::atomic<bool> stop{false};
  REQUIRE(company_sim::run_campaign(o, stop) == 0);

  const auto truth = read_truth(dir / "truth.csv");
  auto ledger = open_sqlite_ledger(study_dir / "respbench.db", LedgerOpen::existing);
  REQUIRE(ledger);
  std::map<std::string, InquiryRecord> inquiries;  // by Message-ID
  const auto all_inquiries = (*ledger)->inquiries({});
  REQUIRE(all_inquiries);
  for (const auto& i : *all_inquiries) inquiries[i.message_id] = i;
  REQUIRE(inquiries.size() == 4);
  std::map<std::int64_t, std::vector<StoredReply>> replies;
  const auto all_replies = (*ledger)->replies({});
  REQUIRE(all_replies);
  for (const auto& r : *all_replies) {
    REQUIRE(r.inquiry_id.has_value());  // nothing unmatched
    CHECK(r.review.empty());
    replies[*r.inquiry_id].push_back(r);
  }

  std::map<std::string, int> events;
  for (const auto& row : truth) {
    CAPTURE(row.at("reference"));
    CAPTURE(row.at("event"));
    ++events[row.at("event")];
    REQUIRE(inquiries.contains(row.at("reference")));
    const auto& inquiry = inquiries[row.at("reference")];
    const auto at = parse_instant(row.at("at"), nullptr).value();
    const auto& got = replies[inquiry.id];
    auto kind_at = [&](ReplyKind kind) {
      for (const auto& r : got) {
        if (r.kind == kind && r.received_at == at) return true;
      }
      return false;
    };
    const std::string& event = row.at("event");
    if (event == "received") {
      CHECK(inquiry.sent_at == at);
    } else if (event == "answer") {
      CHECK(inquiry.state == InquiryState::answered);
      CHECK(inquiry.answered_at == at);
      CHECK(kind_at(ReplyKind::human));
    } else if (event == "auto_ack") {
      CHECK(kind_at(ReplyKind::auto_ack));
    } else if (event == "bounce") {
      CHECK(inquiry.company_id == "ghost");
      CHECK(inquiry.state == InquiryState::undeliverable);
      CHECK(kind_at(ReplyKind::bounce));
    } else {
      FAIL("unexpected event " << event);
    }
  }
  CHECK(events["received"] == 2);
  CHECK(events["answer"] == 2);
  CHECK(events["auto_ack"] == 2);
  CHECK(events["bounce"] == 2);
  const auto profiles_csv = read_text(company_sim::TruthLog::profiles_path(dir / "truth.csv"));
  // energy keeps the default email mixture: (0.45 · 0.97 + 0.50 · 0.72) · (1 − 0.01 late).
  const double energy_rate = (0.45 * 0.97 + 0.50 * 0.72) * (1 - 0.01);
  CHECK(profiles_csv == fmt::format("sector,channel,companies,true_answer_rate\r\nretail,email,1,1.0000\r\n"
                                    "energy,email,1,{:.4f}\r\n",
                                    energy_rate));
}
