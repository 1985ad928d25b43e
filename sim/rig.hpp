#pragma once
// The mail rig as company-sim sees it (tests/mail-rig/README.md): its rig.env and its queue.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "net/mail_transport.hpp"
#include "util/result.hpp"

namespace company_sim {

struct Rig {
  std::filesystem::path dir;
  std::map<std::string, std::string> env;  // rig.env's KEY=value lines

  // Reads DIR/rig.env; fails when it is missing or lacks a port.
  static respbench::Result<Rig> load(const std::filesystem::path& dir);

  // The rig's IMAP server for `user`: plain IMAP on loopback (Dovecot allows the login there),
  // no TLS: the simulator logs in for every mailbox it reads, and a handshake each time would
  // cost more than the read.
  respbench::MailServer imap(const std::string& user, const std::string& password) const;

  // Waits until Postfix's queue is empty (every accepted message delivered or bounced, the
  // DSN delivered too); fails after `timeout`. What tests/mail-rig/wait-queue does, without
  // starting a shell every time.
  respbench::Result<void> wait_queue(std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;
};

}  // namespace company_sim
