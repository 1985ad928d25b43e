#pragma once
// Checks for the contact cells of companies.csv and persona addresses.

#include <optional>
#include <string>
#include <string_view>

namespace respbench {

// True for a plausible mailbox "local@domain.tld": dot-atom local part, a domain of at least
// two DNS labels (letters, digits, hyphens; not starting or ending with a hyphen).
bool is_valid_email(std::string_view address);

// True for a DNS host name such as "helpdesk.example.test".
bool is_valid_domain(std::string_view domain);

// The page name or numeric id of a Facebook page reference: "https://www.facebook.com/NordBank",
// "facebook.com/NordBank/", "NordBank", "https://www.facebook.com/profile.php?id=1000123",
// "1000123". Page names are letters, digits and periods, at least 5 characters. nullopt when the
// reference is not of that form.
std::optional<std::string> normalize_facebook_page(std::string_view reference);

}  // namespace respbench
