#include "net/curl_handle.hpp"

#include <algorithm>
#include <cctype>

namespace respbench::curl {

Result<void> global_init() {
  // A function-local static is initialised exactly once even when threads race here; libcurl
  // asks that curl_global_init run once, before any other thread uses libcurl.
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) return fail(fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
  return {};
}

// Easy ----------------------------------------------------------------------------------------

Result<Easy> Easy::create() {
  if (auto r = global_init(); !r) return std::unexpected(r.error());
  CURL* raw = curl_easy_init();
  if (raw == nullptr) return fail("cannot create a libcurl handle (out of memory?)");
  auto error = std::make_unique<char[]>(CURL_ERROR_SIZE);
  error[0] = '\0';
  Easy easy(raw, std::move(error));
  if (auto r = easy.set(CURLOPT_ERRORBUFFER, easy.m_error.get()); !r) return std::unexpected(r.error());
  return easy;
}

Easy& Easy::operator=(Easy&& other) noexcept {
  if (this != &other) {
    if (m_handle != nullptr) curl_easy_cleanup(m_handle);
    m_handle = std::exchange(other.m_handle, nullptr);
    m_error = std::move(other.m_error);
  }
  return *this;
}

Easy::~Easy() {
  if (m_handle != nullptr) curl_easy_cleanup(m_handle);
}

std::string Easy::error_text(CURLcode code) const {
  std::string text = m_error ? std::string(m_error.get()) : std::string();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) text = curl_easy_strerror(code);
  return text;
}

// StringList ----------------------------------------------------------------------------------

StringList& StringList::operator=(StringList&& other) noexcept {
  if (this != &other) {
    curl_slist_free_all(m_list);
    m_list = std::exchange(other.m_list, nullptr);
  }
  return *this;
}

StringList::~StringList() {
  curl_slist_free_all(m_list);
}

Result<void> StringList::append(const std::string& text) {
  // On failure curl_slist_append returns NULL and leaves the old list alone.
  curl_slist* longer = curl_slist_append(m_list, text.c_str());
  if (longer == nullptr) return fail("cannot extend a libcurl list (out of memory?)");
  m_list = longer;
  return {};
}

void StringList::clear() {
  curl_slist_free_all(m_list);
  m_list = nullptr;
}

// URLs ----------------------------------------------------------------------------------------

namespace {

// Owner of a CURLU (libcurl's URL parser).
class UrlHandle {
 public:
  UrlHandle() : m_url(curl_url()) {}
  UrlHandle(const UrlHandle&) = delete;
  UrlHandle& operator=(const UrlHandle&) = delete;
  ~UrlHandle() { curl_url_cleanup(m_url); }
  CURLU* get() const { return m_url; }

 private:
  CURLU* m_url;
};

// A part of `url` (owned copy); empty when absent or unparsable.
std::string url_part(std::string_view url, CURLUPart part, unsigned int flags) {
  if (auto r = global_init(); !r) return {};
  UrlHandle handle;
  if (handle.get() == nullptr) return {};
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return {};
  char* value = nullptr;
  if (curl_url_get(handle.get(), part, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string result(value);
  curl_free(value);
  return result;
}

}  // namespace

std::string server_address(std::string_view url) {
  std::string host = url_part(url, CURLUPART_HOST, 0);
  if (host.empty()) return "(unparsable URL)";
  const std::string port = url_part(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  return port.empty() ? host : host + ":" + port;
}

std::string url_scheme(std::string_view url) {
  std::string scheme = url_part(url, CURLUPART_SCHEME, 0);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme;
}

bool is_certificate_error(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_ISSUER_ERROR ||
         code == CURLE_SSL_PINNEDPUBKEYNOTMATCH || code == CURLE_SSL_INVALIDCERTSTATUS;
}

std::string option_name(CURLoption option) {
  const curl_easyoption* known = curl_easy_option_by_id(option);
  if (known != nullptr && known->name != nullptr) return std::string("CURLOPT_") + known->name;
  return fmt::format("libcurl option {}", static_cast<int>(option));
}


Result<void> set_mail_server(Easy& easy, const MailServer& server, const char* protocols) {
  Result<void> ok;
  const auto set = [&](CURLoption option, auto value) {
    if (ok) ok = easy.set(option, value);
  };
  set(CURLOPT_URL, server.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, protocols);
  set(CURLOPT_NOSIGNAL, 1L);
  // Without a user libcurl would still try AUTH, with empty credentials.
  if (!server.user.empty()) {
    set(CURLOPT_USERNAME, server.user.c_str());
    set(CURLOPT_PASSWORD, server.password.c_str());
  }
  set(CURLOPT_USE_SSL, static_cast<long>(server.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  set(CURLOPT_SSL_VERIFYPEER, 1L);
  set(CURLOPT_SSL_VERIFYHOST, 2L);
  if (!server.ca_file.empty()) set(CURLOPT_CAINFO, server.ca_file.c_str());
  return ok;
}

}  // namespace respbench::curl
