#pragma once
// Facebook Messenger answers from the shopper account's own data export ("Download your
// information", JSON): messages/inbox/<thread>/message_*.json. Facebook writes their text as
// UTF-8 bytes escaped one by one as \u00XX, so "Müller" comes as "M\u00c3\u00bcller"; it is
// decoded back here. Threads are matched to Facebook inquiries and the page's messages after
// an inquiry's send time become its replies.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ledger/ledger.hpp"
#include "study/study.hpp"
#include "util/diagnostics.hpp"

namespace respbench {

struct MessengerMessage {
  std::string sender;
  std::int64_t timestamp_ms = 0;
  std::string content;  // decoded; "" for a photo, sticker, …
  std::string what;     // "" for text, else what the message carries instead ("photos", "sticker", …)
};

struct MessengerThread {
  std::string name;                       // the thread's folder name
  std::vector<std::string> participants;  // decoded names
  std::vector<MessengerMessage> messages;  // oldest first, over all its files
};

// `text` with Facebook's double encoding undone: when every code point is at most U+00FF and
// those as bytes are valid UTF-8, those bytes; else `text` unchanged (it was not double-encoded).
std::string decode_facebook_text(std::string_view text);

// The threads of the export at `folder` (its root, its messages/ or messages/inbox/ folder):
// inbox and archived_threads. A file that is not the expected JSON is reported to `diags` as
// file:line:column and its whole thread is left out (nothing of it is imported, so that a
// missing file never makes a later message look like the first answer). Fails when `folder`
// has no such threads folder.
Result<std::vector<MessengerThread>> read_messenger_export(const std::filesystem::path& folder, Diagnostics& diags);

// What an import does with one thread.
struct ThreadImport {
  std::string thread;
  std::vector<std::string> participants;
  std::string company_id;        // "" when unmatched
  std::string matched_by;        // "ref" or "name"; "" when unmatched
  std::string problem;           // why it is not imported (unmatched, …), for a person to review
  std::vector<NewReply> replies;  // the page's messages after our inquiries' send times
  int before_inquiry = 0;         // the page's messages before any of our inquiries (not replies)
};

// Matches each thread to the Facebook inquiries it answers: by the inquiry's reference
// ("…/messages/t/THREAD", THREAD the folder name), else by a participant named like the
// company or its page (inquiries registered with a Messenger reference only). Each page message
// belongs to the last inquiry sent before it; the first one a person wrote answers it. Instant
// and away replies are recognised by their wording when they come within minutes.
std::vector<ThreadImport> match_messenger_threads(const std::vector<MessengerThread>& threads, const Study& study,
                                                  const std::vector<InquiryRecord>& inquiries);

}  // namespace respbench
