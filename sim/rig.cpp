#include "rig.hpp"

#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "util/files.hpp"

namespace company_sim {

respbench::Result<Rig> Rig::load(const std::filesystem::path& dir) {
  auto text = respbench::read_file(dir / "rig.env");
  if (!text) return std::unexpected(text.error());
  Rig rig;
  rig.dir = dir;
  std::size_t pos = 0;
  while (pos < text->size()) {
    auto end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(pos, end - pos);
    pos = end + 1;
    const auto eq = line.find('=');
    if (eq != std::string::npos) rig.env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  for (const char* key : {"IMAP_PORT", "SMTP_PORT", "POSTFIX_CONF"}) {
    if (!rig.env.contains(key)) return respbench::fail(fmt::format("{}: no {}", (dir / "rig.env").string(), key));
  }
  return rig;
}

respbench::MailServer Rig::imap(const std::string& user, const std::string& password) const {
  respbench::MailServer s;
  s.url = fmt::format("imap://127.0.0.1:{}", env.at("IMAP_PORT"));
  s.user = user;
  s.password = password;
  s.require_tls = false;
  // Dovecot offers STARTTLS and libcurl takes it when offered, so the rig's self-signed
  // certificate must be trusted even on imap://.
  if (auto ca = env.find("CA_FILE"); ca != env.end()) s.ca_file = ca->second;
  s.timeout = std::chrono::seconds(20);
  return s;
}

respbench::Result<void> Rig::wait_queue(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string command = fmt::format("postqueue -c '{}' -j 2>&1", env.at("POSTFIX_CONF"));
  for (;;) {
    // postqueue -j prints one JSON line per queued message, nothing when the queue is empty.
    std::string out;
    {
      std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
      if (!pipe) return respbench::fail("cannot run postqueue");
      char buffer[4096];
      std::size_t n = 0;
      while ((n = fread(buffer, 1, sizeof buffer, pipe.get())) > 0) out.append(buffer, n);
    }
    if (out.empty()) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      return respbench::fail("the rig's mail queue is not empty after the wait: " + out.substr(0, 500));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace company_sim
