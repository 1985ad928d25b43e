#pragma once
// The mail rig (tests/mail-rig: Postfix + Dovecot on loopback) for integration tests: started
// into a temporary folder by the constructor, stopped by the destructor (STYLE.md, habit 10).

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/mail_transport.hpp"
#include "support.hpp"

namespace respbench::test {

struct RigUser {
  std::string address;
  std::string password;
};

class MailRig {
 public:
  // Starts a rig with `users` (empty: the rig's defaults, see tests/mail-rig/start) and
  // `bounce_domains`. Runs tests/mail-rig/install first when Postfix or Dovecot is missing.
  // Throws std::runtime_error with the scripts' output when the rig does not start.
  // `held_bounce_domains`: bounce domains whose mail waits in Postfix's hold queue until
  // released (tests/mail-rig/README.md, "bounce held").
  explicit MailRig(const std::vector<RigUser>& users = {},
                   const std::vector<std::string>& bounce_domains = {},
                   const std::vector<std::string>& held_bounce_domains = {});
  MailRig(const MailRig&) = delete;
  MailRig& operator=(const MailRig&) = delete;
  ~MailRig();

  // A value of DIR/rig.env ("SMTP_PORT"); throws when absent.
  const std::string& value(std::string_view key) const;
  int port(std::string_view key) const;
  const std::filesystem::path& dir() const { return m_dir.path(); }
  std::string ca_file() const { return value("CA_FILE"); }

  // Blocks until Postfix has delivered (or bounced) everything it accepted; throws after
  // `timeout_seconds`.
  void wait_queue(int timeout_seconds = 10) const;

  // Server settings for `user`: "smtp" (STARTTLS), "smtps", "imap" (STARTTLS) or "imaps", with
  // the rig's CA and a 10 s timeout.
  MailServer server(std::string_view scheme, const RigUser& user) const;

  // Runs `doveadm -c CONF ARGS` and returns its output; throws when it fails.
  std::string doveadm(const std::string& args) const;

 private:
  TempDir m_dir;  // declared first: removed after the rig has stopped
  std::map<std::string, std::string, std::less<>> m_env;
  bool m_started = false;
};

// One rig for the whole test run (started on first use, stopped at exit), with the users of
// rig_users() and the bounce domain bounce.test: starting a rig takes seconds.
MailRig& shared_mail_rig();
// The shared rig's users: the rig's defaults plus one mailbox per test that needs its own.
const std::vector<RigUser>& rig_users();
// The user with this address among rig_users(); throws when there is none.
const RigUser& rig_user(std::string_view address);

struct CommandOutput {
  int exit_code = 0;
  std::string output;  // stdout and stderr together
};
// Runs `command` with /bin/sh -c.
CommandOutput run_shell(const std::string& command);

}  // namespace respbench::test
