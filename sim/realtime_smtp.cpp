#include "realtime_smtp.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "mail/compose.hpp"
#include "mail/message.hpp"
#include "util/random.hpp"

namespace company_sim {

using namespace respbench;

std::vector<SimAnswer> answer_inquiries(const std::vector<SimCompany>& companies, const MailServer& smtp,
                                        const MailServer& imap, const std::vector<std::string>& ours,
                                        std::vector<std::string>& answered) {
  std::vector<SimAnswer> out;
  for (const auto& company : companies) {
    MailServer in = imap;
    in.user = company.address;
    in.password = company.password;
    auto session = connect_imap(in);
    if (!session) throw std::runtime_error("company sim: " + session.error().message);
    auto status = (*session)->examine("INBOX");
    if (!status) throw std::runtime_error("company sim: " + status.error().message);
    if (status->exists == 0) continue;
    auto uids = (*session)->uid_search("ALL");
    if (!uids) throw std::runtime_error("company sim: " + uids.error().message);
    auto messages = (*session)->fetch(*uids, 1 << 20);
    if (!messages) throw std::runtime_error("company sim: " + messages.error().message);

    MailServer out_server = smtp;
    out_server.user = company.address;
    out_server.password = company.password;
    auto sender = make_smtp_sender(out_server);
    for (const auto& m : *messages) {
      const auto inquiry = parse_message(m.raw);
      if (inquiry.message_id.empty() || std::find(ours.begin(), ours.end(), inquiry.message_id) == ours.end() ||
          std::find(answered.begin(), answered.end(), inquiry.message_id) != answered.end())
        continue;
      // Decided by the Message-ID, so a second pass over the same mailbox decides the same.
      const double roll = static_cast<double>(stable_hash(inquiry.message_id) % 10000) / 10000.0;
      if (roll >= company.answer_share) continue;
      const auto reply_id = new_message_id(company.address.substr(company.address.find('@') + 1));
      const std::string reply = fmt::format(
          "From: Kundenservice <{}>\r\nTo: {}\r\nSubject: AW: {}\r\nMessage-ID: <{}>\r\n"
          "In-Reply-To: <{}>\r\nReferences: <{}>\r\nMIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag,\r\n\r\nvielen Dank für Ihre Anfrage. "
          "Gern beantworten wir Ihre Frage ...\r\n\r\nMit freundlichen Grüßen\r\nIhr Kundenservice\r\n",
          company.address, inquiry.from_address, inquiry.subject, reply_id, inquiry.message_id, inquiry.message_id);
      auto sent = sender->send(company.address, inquiry.from_address, reply, [] {});
      if (!sent) throw std::runtime_error("company sim: " + sent.error().message);
      answered.push_back(inquiry.message_id);
      out.push_back({inquiry.message_id, reply_id, company.address});
    }
  }
  return out;
}

}  // namespace company_sim
