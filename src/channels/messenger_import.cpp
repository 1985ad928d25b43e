#include "channels/messenger_import.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "channels/facebook_ref.hpp"
#include "mail/message.hpp"
#include "study/config.hpp"
#include "util/csv.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;

namespace respbench {
namespace {

// Instant replies and away messages come within seconds of the shopper's message; a person
// writing the same words later is a person.
constexpr std::chrono::minutes k_instant{5};

// Decodes one UTF-8 sequence at `at`; false for a malformed one (the caller has validated).
char32_t next_code_point(std::string_view s, std::size_t& at) {
  const auto b = static_cast<unsigned char>(s[at]);
  const int length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
  for (int i = 1; i < length && at + static_cast<std::size_t>(i) < s.size(); ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]) & 0x3F);
  }
  at += static_cast<std::size_t>(length);
  return cp;
}

// "file:line:column" for a byte offset of `text`; the column counts characters.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string string_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return decode_facebook_text(std::string_view(it->value.GetString(), it->value.GetStringLength()));
}

// Reads one message_N.json into `thread`; false (after reporting to `diags`) when it is not the
// expected JSON.
bool read_thread_file(const fs::path& file, MessengerThread& thread, Diagnostics& diags) {
  auto text = read_file(file);
  if (!text) {
    diags.add(file.string(), 0, 0, text.error().message);
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError()) {
    auto [line, column] = line_and_column(*text, doc.GetErrorOffset());
    diags.add(file.string(), line, column,
              fmt::format("not valid JSON: {}; expected Facebook's message_N.json", GetParseError_En(doc.GetParseError())));
    return false;
  }
  auto problem = [&](std::string what) {
    diags.add(file.string(), 0, 0, fmt::format("{}; expected Facebook's message_N.json with participants and messages", what));
    return false;
  };
  if (!doc.IsObject()) return problem("the file is not a JSON object");
  auto participants = doc.FindMember("participants");
  auto messages = doc.FindMember("messages");
  if (participants == doc.MemberEnd() || !participants->value.IsArray()) return problem("no participants array");
  if (messages == doc.MemberEnd() || !messages->value.IsArray()) return problem("no messages array");
  std::vector<std::string> names;
  for (const auto& p : participants->value.GetArray()) {
    if (!p.IsObject()) return problem("a participant is not an object");
    names.push_back(string_member(p, "name"));
  }
  std::vector<MessengerMessage> read;
  rapidjson::SizeType index = 0;
  for (const auto& m : messages->value.GetArray()) {
    auto timestamp = m.IsObject() ? m.FindMember("timestamp_ms") : rapidjson::Value::ConstMemberIterator();
    if (!m.IsObject() || timestamp == m.MemberEnd() || !timestamp->value.IsInt64()
        || m.FindMember("sender_name") == m.MemberEnd()) {
      return problem(fmt::format("messages[{}] has no sender_name or timestamp_ms", index));
    }
    MessengerMessage& message = read.emplace_back();
    message.sender = string_member(m, "sender_name");
    message.timestamp_ms = timestamp->value.GetInt64();
    message.content = string_member(m, "content");
    if (message.content.empty()) {
      for (const char* kind : {"photos", "videos", "audio_files", "files", "gifs", "sticker", "share"}) {
        if (m.HasMember(kind)) message.what = kind;
      }
    }
    ++index;
  }
  for (auto& name : names) {
    if (std::find(thread.participants.begin(), thread.participants.end(), name) == thread.participants.end()) {
      thread.participants.push_back(std::move(name));
    }
  }
  std::move(read.begin(), read.end(), std::back_inserter(thread.messages));
  return true;
}

// message_1.json, message_2.json, … in their numeric order.
std::vector<fs::path> thread_files(const fs::path& folder) {
  std::vector<std::pair<long, fs::path>> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.starts_with("message_") || !name.ends_with(".json")) continue;
    const auto number = name.substr(8, name.size() - 8 - 5);
    if (number.empty() || !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    files.emplace_back(std::stol(number), entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<fs::path> out;
  for (auto& f : files) out.push_back(std::move(f.second));
  return out;
}

// Comparable form of a name: lower case, letters and digits only ("Nordlicht Bank" and
// "NordlichtBank" are the same page).
std::string name_key(std::string_view name) {
  std::string key;
  for (char c : to_lower_ascii(name)) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) key += c;
  }
  return key;
}

bool has_any(std::string_view lower_text, std::initializer_list<std::string_view> phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return lower_text.find(p) != std::string_view::npos; });
}

// The wording of Messenger's instant replies and away messages (English and German), as pages
// configure them. nullopt: not such wording.
std::optional<ReplyKind> automatic_wording(std::string_view content) {
  const std::string text = to_lower_ascii(content);  // ASCII only: "ä" stays as it is
  if (has_any(text, {"we're away", "we are away", "not available right now", "currently unavailable",
                     "outside our business hours", "outside of our business hours", "outside our opening hours",
                     "außerhalb unserer servicezeiten", "außerhalb unserer geschäftszeiten",
                     "außerhalb unserer öffnungszeiten", "gerade nicht erreichbar", "derzeit nicht erreichbar",
                     "momentan nicht erreichbar"})) {
    return ReplyKind::out_of_office;
  }
  if (has_any(text, {"thanks for getting in touch", "thanks for messaging us", "thank you for messaging us",
                     "thanks for your message", "thank you for your message", "we'll get back to you",
                     "we will get back to you", "we'll reply as soon as", "we will reply as soon as",
                     "typically replies", "danke für deine nachricht", "danke für ihre nachricht",
                     "vielen dank für deine nachricht", "vielen dank für ihre nachricht", "wir melden uns so schnell",
                     "wir melden uns schnellstmöglich", "wir antworten so schnell", "antworten in der regel"})) {
    return ReplyKind::auto_ack;
  }
  return std::nullopt;
}

std::string excerpt_of(const MessengerMessage& m) {
  if (m.content.empty()) return m.what.empty() ? "(no text)" : fmt::format("({})", m.what);
  return utf8_prefix(m.content, k_excerpt_size);
}

std::int64_t seconds_of(std::int64_t timestamp_ms) {
  return timestamp_ms >= 0 ? timestamp_ms / 1000 : -((-timestamp_ms + 999) / 1000);
}

}  // namespace

std::string decode_facebook_text(std::string_view text) {
  if (!is_valid_utf8(text)) return std::string(text);
  std::string bytes;
  bytes.reserve(text.size());
  bool any_high = false;
  for (std::size_t at = 0; at < text.size();) {
    const char32_t cp = next_code_point(text, at);
    if (cp > 0xFF) return std::string(text);  // a real character beyond Latin-1: not double-encoded
    any_high = any_high || cp >= 0x80;
    bytes += static_cast<char>(cp);
  }
  if (!any_high || !is_valid_utf8(bytes)) return std::string(text);
  return bytes;
}

Result<std::vector<MessengerThread>> read_messenger_export(const fs::path& folder, Diagnostics& diags) {
  std::error_code ec;
  fs::path base;
  for (const auto& candidate : {folder / "messages", folder}) {
    if (fs::is_directory(candidate / "inbox", ec)) base = candidate;
  }
  std::vector<fs::path> thread_roots;
  if (!base.empty()) {
    for (const char* name : {"inbox", "archived_threads"}) {
      if (fs::is_directory(base / name, ec)) thread_roots.push_back(base / name);
    }
  } else if (folder.filename() == "inbox" && fs::is_directory(folder, ec)) {
    thread_roots.push_back(folder);
  } else {
    return fail(fmt::format("{} is not a Facebook data export: expected a folder with messages/inbox/", folder.string()));
  }
  std::vector<fs::path> thread_folders;
  for (const auto& root : thread_roots) {
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (entry.is_directory()) thread_folders.push_back(entry.path());
    }
    if (ec) return fail(fmt::format("cannot read {}: {}", root.string(), ec.message()));
  }
  std::sort(thread_folders.begin(), thread_folders.end());
  std::vector<MessengerThread> threads;
  for (const auto& thread_folder : thread_folders) {
    MessengerThread thread;
    thread.name = thread_folder.filename().string();
    bool whole = true;
    const auto files = thread_files(thread_folder);
    for (const auto& file : files) whole = read_thread_file(file, thread, diags) && whole;
    if (!whole || files.empty()) continue;
    // The export lists the newest first; the files of a long thread follow each other backwards.
    std::stable_sort(thread.messages.begin(), thread.messages.end(),
                     [](const auto& a, const auto& b) { return a.timestamp_ms < b.timestamp_ms; });
    threads.push_back(std::move(thread));
  }
  return threads;
}

std::vector<ThreadImport> match_messenger_threads(const std::vector<MessengerThread>& threads, const Study& study,
                                                  const std::vector<InquiryRecord>& inquiries) {
  std::set<std::string> persona_keys;
  for (const auto& p : study.config.personas) persona_keys.insert(name_key(p.name));
  for (const auto& i : inquiries) {
    if (auto p = parse_persona(i.persona)) persona_keys.insert(name_key(p->name));
  }
  // Companies by the keys of their name and page name.
  std::map<std::string, const Company*> company_by_key;
  for (const auto& c : study.companies) {
    company_by_key.emplace(name_key(c.name), &c);
    if (!c.facebook.empty() && !std::all_of(c.facebook.begin(), c.facebook.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      company_by_key.emplace(name_key(c.facebook), &c);
    }
  }
  std::vector<const InquiryRecord*> sent;
  for (const auto& i : inquiries) {
    if (i.channel == Channel::facebook && i.sent_at) sent.push_back(&i);
  }

  std::vector<ThreadImport> out;
  for (const auto& thread : threads) {
    ThreadImport& result = out.emplace_back();
    result.thread = thread.name;
    result.participants = thread.participants;
    auto is_ours = [&](const std::string& name) { return persona_keys.contains(name_key(name)); };
    const Company* named = nullptr;
    for (const auto& p : thread.participants) {
      auto it = company_by_key.find(name_key(p));
      if (!is_ours(p) && it != company_by_key.end()) named = it->second;
    }

    std::vector<const InquiryRecord*> candidates;
    for (const auto* i : sent) {
      if (messenger_thread_of(i->external_ref) == thread.name) candidates.push_back(i);
    }
    if (!candidates.empty()) {
      result.matched_by = "ref";
    } else if (named != nullptr) {
      for (const auto* i : sent) {
        if (i->company_id == named->id && messenger_thread_of(i->external_ref)) candidates.push_back(i);
      }
      result.matched_by = "name";
      if (candidates.empty()) {
        result.company_id = named->id;
        result.problem = fmt::format("named like {}, but none of its Facebook inquiries is registered with a "
                                     "Messenger reference (messages/t/{})",
                                     named->id, thread.name);
        continue;
      }
    } else {
      result.problem = fmt::format("matches no Facebook inquiry: no inquiry is registered as messages/t/{}, and no "
                                   "participant is named like a company or its page",
                                   thread.name);
      continue;
    }
    result.company_id = candidates.front()->company_id;
    const bool any_ours = std::any_of(thread.participants.begin(), thread.participants.end(), is_ours);
    // Without one of our personas among the participants the shopper's own messages cannot be
    // told apart, so only senders named like the company count as the page.
    const Company* company = nullptr;
    for (const auto& c : study.companies) {
      if (c.id == result.company_id) company = &c;
    }
    auto is_page = [&](const std::string& sender) {
      if (is_ours(sender)) return false;
      if (any_ours) return true;
      auto it = company_by_key.find(name_key(sender));
      return it != company_by_key.end() && it->second == company;
    };
    std::sort(candidates.begin(), candidates.end(),
              [](const auto* a, const auto* b) { return std::tie(*a->sent_at, a->id) < std::tie(*b->sent_at, b->id); });

    std::optional<std::int64_t> last_ours;  // seconds
    for (const auto& m : thread.messages) {
      const std::int64_t at = seconds_of(m.timestamp_ms);
      if (!is_page(m.sender)) {
        if (is_ours(m.sender)) last_ours = at;
        continue;
      }
      const InquiryRecord* inquiry = nullptr;
      for (const auto* c : candidates) {
        if (c->sent_at->time_since_epoch().count() <= at) inquiry = c;
      }
      if (inquiry == nullptr) {
        ++result.before_inquiry;
        continue;
      }
      NewReply& reply = result.replies.emplace_back();
      reply.inquiry_id = inquiry->id;
      reply.channel = Channel::facebook;
      reply.source = "messenger:" + thread.name;
      reply.source_key = fmt::format("{}-{}", m.timestamp_ms, sha256_hex(m.sender + "\n" + m.content).substr(0, 16));
      reply.received_at = Instant(std::chrono::seconds(at));
      const std::int64_t asked = std::max(inquiry->sent_at->time_since_epoch().count(), last_ours.value_or(0));
      const auto wording = automatic_wording(m.content);
      const bool instant = at - asked <= std::chrono::seconds(k_instant).count();
      if (wording && instant) {
        reply.kind = *wording;
        reply.reasons = fmt::format("Messenger: the wording of an {} reply, {} s after our message",
                                    *wording == ReplyKind::out_of_office ? "away" : "instant", at - asked);
      } else {
        reply.kind = ReplyKind::human;
        reply.reasons = "Messenger: a message of the page";
        if (wording) {
          reply.review = fmt::format("reads like an automatic reply, but came {} min after our message",
                                     (at - asked) / 60);
        }
      }
      reply.counts_as_answer = counts_as_answer(reply.kind);
      reply.match_method = result.matched_by == "ref" ? "messenger_ref" : "messenger_name";
      reply.from_address = m.sender;
      reply.excerpt = excerpt_of(m);
      reply.raw = m.content;
      reply.size = m.content.size();
    }
  }
  return out;
}

}  // namespace respbench
