#pragma once
// Move-only owners for libcurl's C handles (STYLE.md, habit 4), in the manner of cpr's
// curlholder but checking every CURLcode. Private to the net room: only src/net/*.cpp include
// this header (it includes curl.h), so the rest of the program never sees libcurl.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <curl/curl.h>

#include "net/mail_transport.hpp"
#include <fmt/format.h>

#include "util/result.hpp"

namespace respbench::curl {

// Initialises libcurl once per process (thread-safe); fails with libcurl's reason when that
// failed, every time it is asked again.
Result<void> global_init();

// A libcurl easy handle with its own error buffer; cleans up on destruction.
class Easy {
 public:
  // Runs global_init() and creates a handle whose error buffer is installed; fails when
  // libcurl cannot be initialised or is out of memory.
  static Result<Easy> create();

  Easy(Easy&& other) noexcept
      : m_handle(std::exchange(other.m_handle, nullptr)), m_error(std::move(other.m_error)) {}
  Easy& operator=(Easy&& other) noexcept;
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;
  ~Easy();

  CURL* get() const { return m_handle; }

  // curl_easy_setopt, checked: fails with "cannot set CURLOPT_NAME: reason" (an option this
  // libcurl does not know, a value it refuses, out of memory).
  template <class T>
  Result<void> set(CURLoption option, T value);

  // curl_easy_getinfo, checked.
  template <class T>
  Result<T> info(CURLINFO what) const;

  // Empties the error buffer (before a transfer, so that a stale message is not reported).
  void clear_error() { m_error[0] = '\0'; }
  // What went wrong with `code`: libcurl's detailed message from the error buffer when there
  // is one, else its generic text for the code.
  std::string error_text(CURLcode code) const;

 private:
  Easy(CURL* handle, std::unique_ptr<char[]> error) : m_handle(handle), m_error(std::move(error)) {}

  CURL* m_handle = nullptr;
  // On the heap so that its address, which libcurl keeps, survives moves of the owner.
  std::unique_ptr<char[]> m_error;
};

// A curl_slist (recipients, headers); freed on destruction.
class StringList {
 public:
  StringList() = default;
  StringList(StringList&& other) noexcept : m_list(std::exchange(other.m_list, nullptr)) {}
  StringList& operator=(StringList&& other) noexcept;
  StringList(const StringList&) = delete;
  StringList& operator=(const StringList&) = delete;
  ~StringList();

  // Appends a copy of `text`; fails when out of memory (the list is unchanged then).
  Result<void> append(const std::string& text);
  void clear();
  curl_slist* get() const { return m_list; }

 private:
  curl_slist* m_list = nullptr;
};

// The parts of a URL that name a server, for messages: "host:port" with the scheme's default
// port filled in, and never the user name or password a URL may carry. Falls back to
// "(unparsable URL)" rather than echoing a URL that may hold credentials.
std::string server_address(std::string_view url);

// The options every mail connection shares: the URL, limited to `protocols` ("imap,imaps"),
// the login, TLS as the settings ask (STARTTLS required unless require_tls is off),
// certificate checks always on, and the extra CA file.
Result<void> set_mail_server(Easy& easy, const MailServer& server, const char* protocols);
// The URL's scheme in lower case ("smtps"); empty when it cannot be parsed.
std::string url_scheme(std::string_view url);

// True for the codes that mean "the server's certificate was not accepted" (or the CA file
// could not be read), so that messages can say so in plain words.
bool is_certificate_error(CURLcode code);

// The name libcurl gives `option` ("CURLOPT_URL"), for messages.
std::string option_name(CURLoption option);

// ---------------------------------------------------------------------------------------------

template <class T>
Result<void> Easy::set(CURLoption option, T value) {
  const CURLcode code = curl_easy_setopt(m_handle, option, value);
  if (code != CURLE_OK) {
    return fail(fmt::format("cannot set {}: {}", option_name(option), curl_easy_strerror(code)));
  }
  return {};
}

template <class T>
Result<T> Easy::info(CURLINFO what) const {
  T value{};
  const CURLcode code = curl_easy_getinfo(m_handle, what, &value);
  if (code != CURLE_OK) {
    return fail(fmt::format("cannot read transfer information {}: {}", static_cast<int>(what),
                            curl_easy_strerror(code)));
  }
  return value;
}

}  // namespace respbench::curl
