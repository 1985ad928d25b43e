#pragma once
// `company-sim rig-users`: the mail rig's USERS_FILE for a simulated study
// (tests/mail-rig/README.md): the study mailbox, its persona addresses as aliases of it, every
// company mailbox that exists, and a bounce domain for each company whose mailbox is missing.

#include <cstdint>
#include <string>

#include "profile.hpp"
#include "study/study.hpp"

namespace company_sim {

// The password of the study mailbox on the rig.
inline constexpr const char* k_study_mailbox_password = "demo-mailbox";

// The users file's text.
std::string rig_users(const respbench::Study& study, const Profiles& profiles, std::uint64_t seed);

}  // namespace company_sim
