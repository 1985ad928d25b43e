// The labelled corpus of replies (tests/corpus) is itself sound: every message is labelled and
// every label has its message, the kinds are known, every message parses and carries From,
// Subject and Date, line ends are CRLF as a mail store keeps them, the mix of kinds stays as
// planned, and a bounce's labelled original Message-ID, recipient and status are in the file.
// How well the classifier does on it is corpus_eval's business (ctest `corpus`).

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "mail/message.hpp"
#include "study/model.hpp"
#include "support.hpp"
#include "util/csv.hpp"
#include "util/diagnostics.hpp"
#include "util/strings.hpp"

namespace fs = std::filesystem;
using namespace respbench;
using respbench::test::read_text;
using respbench::test::source_dir;

namespace {

struct CorpusLabel {
  std::string file, kind, original_message_id, recipient, status;
};

fs::path corpus_dir() { return source_dir() / "tests" / "corpus"; }

std::vector<CorpusLabel> corpus_labels() {
  Diagnostics diags;
  const fs::path path = corpus_dir() / "labels.csv";
  auto records = parse_csv(read_text(path), path.string(), diags);
  for (const auto& d : diags.items()) FAIL_CHECK(format_diagnostic(d));
  REQUIRE_FALSE(records.empty());
  std::vector<std::string> header;
  for (const auto& f : records.front().fields) header.push_back(f.value);
  CHECK(header == std::vector<std::string>{"file", "kind", "original_message_id", "recipient", "status", "notes"});
  std::vector<CorpusLabel> labels;
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& f = records[i].fields;
    INFO("labels.csv line " << records[i].line);
    REQUIRE(f.size() == 6);
    labels.push_back({f[0].value, f[1].value, f[2].value, f[3].value, f[4].value});
  }
  return labels;
}

std::set<std::string> corpus_files() {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(corpus_dir() / "messages")) {
    if (entry.is_regular_file()) files.insert(entry.path().filename().string());
  }
  return files;
}

}  // namespace

TEST_SUITE("mail corpus") {
  TEST_CASE("every message is labelled once and every label has its message") {
    const auto labels = corpus_labels();
    const auto files = corpus_files();
    std::set<std::string> labelled;
    for (const auto& l : labels) {
      INFO(l.file);
      CHECK(labelled.insert(l.file).second);
      CHECK(files.contains(l.file));
    }
    for (const auto& f : files) {
      INFO(f);
      CHECK(f.ends_with(".eml"));
      CHECK(labelled.contains(f));
    }
  }

  TEST_CASE("kinds are known and the mix of kinds is as planned") {
    const std::map<std::string, std::pair<int, int>> planned = {
        {"human", {55, 75}},         {"auto_ack", {12, 22}}, {"ticket_ack", {16, 26}},
        {"out_of_office", {12, 22}}, {"bounce", {26, 40}},   {"other", {12, 22}}};
    std::map<std::string, int> count;
    const auto labels = corpus_labels();
    for (const auto& l : labels) {
      INFO(l.file);
      auto kind = parse_reply_kind(l.kind);
      REQUIRE(kind.has_value());
      CHECK(*kind != ReplyKind::unclassified);
      CHECK(planned.contains(l.kind));
      ++count[l.kind];
    }
    CHECK(labels.size() >= 150);
    for (const auto& [kind, range] : planned) {
      INFO(kind << ": " << count[kind]);
      CHECK(count[kind] >= range.first);
      CHECK(count[kind] <= range.second);
    }
  }

  TEST_CASE("every message parses, has From, Subject and Date, and CRLF line ends") {
    for (const auto& file : corpus_files()) {
      INFO(file);
      const std::string raw = read_text(corpus_dir() / "messages" / file);
      bool bare_lf = false, bare_cr = false;
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) bare_lf = true;
        if (raw[i] == '\r' && (i + 1 == raw.size() || raw[i + 1] != '\n')) bare_cr = true;
      }
      CHECK_FALSE(bare_lf);
      CHECK_FALSE(bare_cr);
      CHECK(raw.find("\r\n\r\n") != std::string::npos);
      const ParsedMessage m = parse_message(raw);
      CHECK_FALSE(m.malformed);
      CHECK_FALSE(m.from_address.empty());
      CHECK_FALSE(m.subject.empty());
      CHECK(m.header("Date") != nullptr);
    }
  }

  TEST_CASE("bounce labels name what the bounce carries; other labels name nothing") {
    for (const auto& l : corpus_labels()) {
      INFO(l.file);
      if (l.kind != "bounce") {
        CHECK(l.original_message_id.empty());
        CHECK(l.recipient.empty());
        CHECK(l.status.empty());
        continue;
      }
      const std::string raw = read_text(corpus_dir() / "messages" / l.file);
      CHECK_FALSE(l.recipient.empty());
      CHECK(l.original_message_id.find('<') == std::string::npos);
      if (!l.original_message_id.empty()) CHECK(raw.find(l.original_message_id) != std::string::npos);
      if (!l.recipient.empty()) CHECK(to_lower_ascii(raw).find(to_lower_ascii(l.recipient)) != std::string::npos);
      if (!l.status.empty()) {
        CHECK((l.status[0] == '4' || l.status[0] == '5'));
        CHECK(raw.find(l.status) != std::string::npos);
      }
    }
  }
}
