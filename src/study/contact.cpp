#include "study/contact.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "util/strings.hpp"

namespace respbench {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

bool is_dot_atom(std::string_view s) {
  constexpr std::string_view k_atext_specials = "!#$%&'*+/=?^_`{|}~-";
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return is_alnum(c) || c == '.' || k_atext_specials.find(c) != std::string_view::npos;
  });
}

bool is_page_name(std::string_view s) {
  return s.size() >= 5 && s.front() != '.' && s.back() != '.' &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '.'; });
}

bool is_number(std::string_view s) {
  return !s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), is_digit);
}

}  // namespace

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  int labels = 0;
  std::string_view rest = domain;
  while (true) {
    auto dot = rest.find('.');
    auto label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  // The last label is a top-level domain: never all digits.
  auto tld = domain.substr(domain.rfind('.') + 1);
  return labels >= 2 && !std::all_of(tld.begin(), tld.end(), is_digit);
}

bool is_valid_email(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || address.size() > 254) return false;
  auto local = address.substr(0, at);
  return local.size() <= 64 && is_dot_atom(local) && is_valid_domain(address.substr(at + 1));
}

std::optional<std::string> normalize_facebook_page(std::string_view reference) {
  std::string_view ref = trim(reference);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (ref.starts_with(scheme)) ref.remove_prefix(scheme.size());
  }
  bool is_url = false;
  for (std::string_view host : {"www.facebook.com/", "m.facebook.com/", "facebook.com/", "de-de.facebook.com/"}) {
    if (to_lower_ascii(ref.substr(0, host.size())) == host) {
      ref.remove_prefix(host.size());
      is_url = true;
      break;
    }
  }
  if (is_url) {
    constexpr std::string_view k_profile = "profile.php?id=";
    if (ref.starts_with(k_profile)) {
      auto id = ref.substr(k_profile.size());
      return is_number(id) ? std::optional<std::string>(id) : std::nullopt;
    }
    if (ref.starts_with("pages/")) {  // old form: pages/Some-Name/123456789
      auto id = ref.substr(ref.rfind('/') + 1);
      return is_number(id) ? std::optional<std::string>(id) : std::nullopt;
    }
    while (ref.ends_with('/')) ref.remove_suffix(1);
    if (auto q = ref.find('?'); q != std::string_view::npos) ref = ref.substr(0, q);
  } else if (reference.find('/') != std::string_view::npos) {
    return std::nullopt;  // a URL of some other site
  }
  if (is_number(ref) || is_page_name(ref)) return std::string(ref);
  return std::nullopt;
}

}  // namespace respbench
