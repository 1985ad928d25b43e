#include "mail_rig.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace respbench::test {

namespace {

fs::path rig_script(std::string_view name) {
  return source_dir() / "tests" / "mail-rig" / name;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

CommandOutput run_shell(const std::string& command) {
  CommandOutput result;
  const std::string full = command + " 2>&1";
  std::FILE* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return result;
}

MailRig::MailRig(const std::vector<RigUser>& users, const std::vector<std::string>& bounce_domains,
                 const std::vector<std::string>& held_bounce_domains) {
  // The rig's daemons run as other users; they need to reach the folder.
  fs::permissions(m_dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
  if (run_shell("command -v postfix && command -v dovecot && command -v doveadm").exit_code != 0) {
    const CommandOutput install = run_shell(shell_quote(rig_script("install").string()));
    if (install.exit_code != 0) {
      throw std::runtime_error("tests/mail-rig/install failed:\n" + install.output);
    }
  }
  const fs::path rig_dir = m_dir / "rig";
  std::string command = shell_quote(rig_script("start").string()) + " " + shell_quote(rig_dir.string());
  if (!users.empty() || !bounce_domains.empty() || !held_bounce_domains.empty()) {
    std::string list;
    for (const RigUser& user : users) list += user.address + " " + user.password + "\n";
    for (const std::string& domain : bounce_domains) list += "@" + domain + " bounce\n";
    for (const std::string& domain : held_bounce_domains) list += "@" + domain + " bounce held\n";
    write_text(m_dir / "users", list);
    command += " " + shell_quote((m_dir / "users").string());
  }
  // start prints the path of rig.env; its daemons get no stdout of ours, so this returns.
  const CommandOutput start = run_shell(command);
  m_started = true;  // stop is idempotent; call it even after a partial start
  if (start.exit_code != 0) {
    run_shell(shell_quote(rig_script("stop").string()) + " " + shell_quote(rig_dir.string()));
    m_started = false;
    throw std::runtime_error("tests/mail-rig/start failed:\n" + start.output);
  }
  std::ifstream env(rig_dir / "rig.env");
  std::string line;
  while (std::getline(env, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) m_env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (!m_env.contains("SMTP_PORT") || !m_env.contains("IMAPS_PORT")) {
    // A constructor that throws gets no destructor: stop the daemons here, or they outlive us.
    run_shell(shell_quote(rig_script("stop").string()) + " " + shell_quote(rig_dir.string()));
    m_started = false;
    throw std::runtime_error("tests/mail-rig/start wrote no usable rig.env:\n" + start.output);
  }
}

MailRig::~MailRig() {
  if (!m_started) return;
  const CommandOutput stop =
      run_shell(shell_quote(rig_script("stop").string()) + " " + shell_quote((m_dir / "rig").string()));
  if (stop.exit_code != 0) std::cerr << "tests/mail-rig/stop failed:\n" << stop.output;
}

const std::string& MailRig::value(std::string_view key) const {
  const auto it = m_env.find(key);
  if (it == m_env.end()) throw std::runtime_error("rig.env has no " + std::string(key));
  return it->second;
}

int MailRig::port(std::string_view key) const {
  return std::stoi(value(key));
}

void MailRig::wait_queue(int timeout_seconds) const {
  const CommandOutput wait = run_shell(shell_quote(rig_script("wait-queue").string()) + " " +
                                       shell_quote(value("RIG_DIR")) + " " + std::to_string(timeout_seconds));
  if (wait.exit_code != 0) throw std::runtime_error("tests/mail-rig/wait-queue failed:\n" + wait.output);
}

MailServer MailRig::server(std::string_view scheme, const RigUser& user) const {
  std::string port_key;
  if (scheme == "smtp") port_key = "SMTP_PORT";
  if (scheme == "smtps") port_key = "SMTPS_PORT";
  if (scheme == "imap") port_key = "IMAP_PORT";
  if (scheme == "imaps") port_key = "IMAPS_PORT";
  if (port_key.empty()) throw std::runtime_error("unknown scheme " + std::string(scheme));
  MailServer server;
  server.url = std::string(scheme) + "://" + value("RIG_HOST") + ":" + value(port_key);
  server.user = user.address;
  server.password = user.password;
  server.ca_file = ca_file();
  server.require_tls = true;
  server.timeout = std::chrono::seconds(10);
  return server;
}

std::string MailRig::doveadm(const std::string& args) const {
  const CommandOutput out = run_shell("doveadm -c " + shell_quote(value("DOVECOT_CONF")) + " " + args);
  if (out.exit_code != 0) throw std::runtime_error("doveadm " + args + " failed:\n" + out.output);
  return out.output;
}

const std::vector<RigUser>& rig_users() {
  static const std::vector<RigUser> users = [] {
    std::vector<RigUser> list = {
        {"analyst@shopper.test", "secret-analyst"},
        {"info@acme.test", "secret-acme"},
        {"service@globex.test", "secret-globex"},
        {"contact@bounce.test", "secret-bounce"},
    };
    for (const char* name : {"smtps", "reuse", "examine", "fetch", "seen", "search", "append", "fbrun"}) {
      list.push_back({std::string(name) + "@acme.test", std::string("secret-") + name});
    }
    return list;
  }();
  return users;
}

const RigUser& rig_user(std::string_view address) {
  for (const RigUser& user : rig_users()) {
    if (user.address == address) return user;
  }
  throw std::runtime_error("no rig user " + std::string(address));
}

MailRig& shared_mail_rig() {
  // A rig that failed to start is not tried again for every test.
  static std::string failure;
  static const std::unique_ptr<MailRig> rig = []() -> std::unique_ptr<MailRig> {
    try {
      return std::make_unique<MailRig>(rig_users(), std::vector<std::string>{"bounce.test"});
    } catch (const std::exception& e) {
      failure = e.what();
      return nullptr;
    }
  }();
  if (!rig) throw std::runtime_error(failure);
  return *rig;
}

}  // namespace respbench::test
