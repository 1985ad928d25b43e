#include "rig_users.hpp"

#include <set>

#include <fmt/format.h>

#include "email_actor.hpp"
#include "util/strings.hpp"

namespace company_sim {

std::string rig_users(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed) {
  const auto user = respbench::to_lower_ascii(study.config.email.user);
  std::string out = fmt::format("# company-sim rig-users: {} (seed {})\n# the study mailbox\n{} {}\n",
                                study.config.name, seed, user, k_study_mailbox_password);
  std::set<std::string> aliased = {user};
  for (const auto& persona : study.config.personas) {
    const auto address = respbench::to_lower_ascii(persona.email);
    if (aliased.insert(address).second) out += fmt::format("alias {} {}\n", address, user);
  }
  out += "# the companies' mailboxes\n";
  std::set<std::string> bounce_domains;
  for (const auto& company : study.companies) {
    if (!company.offers(respbench::Channel::email)) continue;
    const auto address = respbench::to_lower_ascii(company.email);
    if (email_traits(study, profiles, seed, company).missing_mailbox) {
      bounce_domains.insert(address.substr(address.find('@') + 1));
      continue;
    }
    out += fmt::format("{} {}\n", address, company_password(company));
  }
  if (!bounce_domains.empty()) out += "# missing mailboxes: their domains bounce unknown users (a real DSN)\n";
  for (const auto& domain : bounce_domains) out += fmt::format("@{} bounce\n", domain);
  return out;
}

}  // namespace company_sim
