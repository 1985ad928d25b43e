// respbench run: one round of the study's work, as cron calls it every few minutes — plan what
// is new, settle what an earlier run left open, send what is due, read the answers, close the
// inquiries whose answer window has ended. One run per study at a time.

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "channels/assisted_channel.hpp"
#include "channels/email_channel.hpp"
#include "channels/facebook_channel.hpp"
#include "cli/report_access.hpp"
#include "cli/study_access.hpp"
#include "net/graph_client.hpp"
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

// The Graph API source from the configuration and the environment, or why it cannot be made.
Result<std::unique_ptr<FacebookSource>> graph_source(const Study& study) {
  const auto& f = study.config.facebook;
  if (f.token_env.empty()) return fail("facebook.token_env is empty in respbench.conf: no Graph API token to use");
  auto token = read_secret("", f.token_env);
  if (!token) return fail(fmt::format("cannot read the Graph API token: {}", token.error().message));
  GraphSettings settings;
  settings.base_url = f.graph_url;
  settings.token = *token;
  settings.token_env = f.token_env;
  // The app secret is optional: with a Page token no appsecret_proof is needed.
  if (const char* secret = f.app_secret_env.empty() ? nullptr : std::getenv(f.app_secret_env.c_str())) {
    settings.app_secret = secret;
  }
  settings.timeout = f.timeout;
  return make_graph_source(std::move(settings));
}

bool any_offers(const Study& study, Channel channel) {
  return std::any_of(study.companies.begin(), study.companies.end(),
                     [channel](const Company& c) { return c.offers(channel); });
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

  // Assisted channels first: a person can post while email is still sending.
  auto assisted = put_due_on_todo(*ledger, now);
  summary.errors.insert(summary.errors.end(), assisted.errors.begin(), assisted.errors.end());
  if (assisted.moved > 0) {
    context.say(fmt::format("put {} due inquir{} on the to-do list (see `respbench todo`)\n", assisted.moved,
                            assisted.moved == 1 ? "y" : "ies"));
  }

  if (any_offers(study, Channel::email)) {
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

  // Facebook after email, and whatever became of email: one channel's failure never stops another.
  // Without Graph API access (poll = auto and no token) the answers are imported or entered by
  // hand, and a run says so instead of failing every time.
  const auto& fb = study.config.facebook;
  const bool has_token = !fb.token_env.empty() && std::getenv(fb.token_env.c_str()) != nullptr;
  if (!any_offers(study, Channel::facebook)) {
    // nothing to read
  } else if (fb.poll == "auto" && !has_token) {
    context.say(fmt::format("facebook: not polled: {} is not set (facebook.poll = auto); enter answers with "
                            "`respbench reply` or `respbench import-messenger`\n",
                            fb.token_env));
  } else if (fb.poll != "no") {
    FacebookChannel facebook(study, *ledger, [&study] { return graph_source(study); });
    auto r = facebook.run(now);
    summary.fetched += r.fetched;
    summary.errors.insert(summary.errors.end(), r.errors.begin(), r.errors.end());
    for (const auto& note : r.notes) context.say(note + "\n");
    if (r.requests > 0 || r.polled > 0 || r.waiting > 0 || r.attention > 0) {
      context.say(fmt::format("facebook: read {} registered inquiries in {} Graph API requests, {} new replies; {} "
                              "wait for a later run, {} need attention\n",
                              r.polled, r.requests, r.fetched, r.waiting, r.attention));
    }
  }

  auto closed = ledger->close_expired(now, study.config.answer_window);
  if (closed) summary.closed = *closed;
  else summary.errors.push_back(closed.error().message);
  if (summary.closed > 0) context.say(fmt::format("closed {} inquiries whose answer window ended\n", summary.closed));

  // Everything above is committed already: a failing report costs the run nothing but an error.
  if (study.config.report.on_run) {
    try {
      const ReportOptions options = report_options(study.config, study.dir, nullptr);
      auto written = write_report(figures_for(study.config, *ledger, now), *ledger, options);
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
