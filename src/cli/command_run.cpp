// respbench run: one round of the study's work, as cron calls it every few minutes — plan what
// is new, settle what an earlier run left open, send what is due, read the answers, close the
// inquiries whose answer window has ended. One run per study at a time.

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "channels/email_channel.hpp"
#include "cli/report_access.hpp"
#include "cli/study_access.hpp"
#include "net/password.hpp"
#include "plan/planner.hpp"

namespace fs = std::filesystem;

namespace respbench {
namespace {

// The mail servers from the configuration, or why email cannot run.
Result<std::pair<MailServer, MailServer>> mail_servers(const Study& study) {
  const auto& e = study.config.email;
  for (auto [key, value] : {std::pair{"email.smtp_url", &e.smtp_url}, {"email.imap_url", &e.imap_url}, {"email.user", &e.user}}) {
    if (value->empty()) return fail(fmt::format("email is not configured: {} is empty in respbench.conf", key));
  }
  if (e.password_command.empty() && e.password_env.empty()) {
    return fail("email is not configured: set email.password_command or email.password_env in respbench.conf");
  }
  auto password = read_secret(e.password_command, e.password_env);
  if (!password) return fail(fmt::format("email: {}", password.error().message));
  MailServer smtp;
  smtp.url = e.smtp_url;
  smtp.user = e.user;
  smtp.password = *password;
  if (!e.ca_file.empty()) smtp.ca_file = fs::absolute(study.dir / e.ca_file).string();
  smtp.require_tls = e.require_tls;
  MailServer imap = smtp;
  imap.url = e.imap_url;
  return std::pair{smtp, imap};
}

bool offers_email(const Study& study) {
  return std::any_of(study.companies.begin(), study.companies.end(), [](const Company& c) { return c.offers(Channel::email); });
}

}  // namespace

void declare_run(po::options_description&, po::positional_options_description&) {}

int run_run(Context& context) {
  Study study = load_valid_study(context);
  const Instant now = context.now(study.config.zone);
  auto lock = lock_study(context);
  if (!lock) return k_exit_locked;
  auto ledger = open_ledger(study, LedgerOpen::create_if_missing);

  RunSummary summary;
  const auto run_id = value_or_throw(ledger->begin_run(now));

  // New companies or channels in the study files are planned as `plan` would.
  auto existing = value_or_throw(ledger->inquiries({}));
  auto planned = plan_inquiries(study, existing, now);
  if (!planned) {
    summary.errors.push_back(fmt::format("planning: {}", planned.error().message));
  } else if (!planned->empty() || existing.empty()) {
    const int added = value_or_throw(ledger->record_plan(study.companies, study.probes, *planned));
    if (added > 0) context.say(fmt::format("planned {} new inquiries\n", added));
  }

  if (offers_email(study)) {
    auto servers = mail_servers(study);
    if (!servers) {
      summary.errors.push_back(servers.error().message);
    } else {
      MailConnections connections{[smtp = servers->first] { return make_smtp_sender(smtp); },
                                  [imap = servers->second] { return connect_imap(imap); }};
      EmailChannel email(study, *ledger, connections);
      auto r = email.run(now);
      summary.sent += r.sent;
      summary.fetched += r.fetched;
      summary.errors.insert(summary.errors.end(), r.errors.begin(), r.errors.end());
      context.say(fmt::format("email: sent {}, deferred {}, undeliverable {}, settled {} from earlier runs, {} need "
                              "attention; read {} new messages ({} matched)\n",
                              r.sent, r.deferred, r.undeliverable, r.resumed, r.attention, r.fetched, r.matched));
    }
  }

  auto closed = ledger->close_expired(now, study.config.answer_window);
  if (closed) summary.closed = *closed;
  else summary.errors.push_back(closed.error().message);
  if (summary.closed > 0) context.say(fmt::format("closed {} inquiries whose answer window ended\n", summary.closed));

  // Everything above is committed already: a failing report costs the run nothing but an error.
  if (study.config.report.on_run) {
    try {
      const ReportOptions options = report_options(study, nullptr);
      auto written = write_report(figures_for(study, *ledger, now), *ledger, options);
      if (written) context.say(fmt::format("report: wrote {} files to {}\n", written->size(), options.out_dir.string()));
      else summary.errors.push_back(fmt::format("report: {}", written.error().message));
    } catch (const std::exception& e) {
      summary.errors.push_back(fmt::format("report: {}", e.what()));
    }
  }

  summary.exit_code = summary.errors.empty() ? k_exit_ok : k_exit_failure;
  for (const auto& e : summary.errors) fmt::print(context.err, "respbench: error: {}\n", e);
  const auto finished = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  value_or_throw(ledger->finish_run(run_id, finished, summary));
  return summary.exit_code;
}

}  // namespace respbench
