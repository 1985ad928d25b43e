// Messages per second for respbench's parse_message + classify, next to a bare GMime parse
// (g_mime_parser_construct_message only) of the same messages. See README.md.
//
// Usage: bench_parse_classify [--count N] [--rounds R] DIR...
//   DIR: folders of message files (every regular file is one message)
//   --count N: messages per round, the files repeated (default 10000)
//   --rounds R: rounds per measurement; the best is reported (default 3)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gmime/gmime.h>

#include "mail/classify.hpp"
#include "mail/message.hpp"

namespace fs = std::filesystem;
using namespace respbench;

namespace {

std::vector<std::string> load_messages(const std::vector<std::string>& dirs) {
  std::vector<fs::path> files;
  for (const auto& dir : dirs) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> messages;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    messages.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return messages;
}

// Bare GMime: a stream over the bytes, a parser, the message object; nothing read from it.
std::size_t gmime_parse(std::string_view raw) {
  GMimeStream* stream = g_mime_stream_mem_new_with_buffer(raw.data(), raw.size());
  GMimeParser* parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  const std::size_t ok = message != nullptr ? 1 : 0;
  if (message != nullptr) g_object_unref(message);
  g_object_unref(parser);
  g_object_unref(stream);
  return ok;
}

std::size_t respbench_parse(std::string_view raw) { return parse_message(raw).headers.size() > 0 ? 1 : 0; }

std::size_t respbench_parse_classify(std::string_view raw) {
  const ParsedMessage m = parse_message(raw);
  return classify(m).kind == ReplyKind::unclassified ? 0 : 1;
}

struct Figure {
  double seconds;
  std::size_t checksum;
};

Figure measure(const std::vector<const std::string*>& batch, int rounds, const std::function<std::size_t(std::string_view)>& work) {
  Figure best{1e300, 0};
  for (int r = 0; r < rounds; ++r) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t checksum = 0;
    for (const std::string* raw : batch) checksum += work(*raw);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() < best.seconds) best = {took.count(), checksum};
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 10000;
  int rounds = 3;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--count" && i + 1 < argc) count = std::strtoul(argv[++i], nullptr, 10);
    else if (a == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (a.starts_with("-")) {
      std::fprintf(stderr, "usage: bench_parse_classify [--count N] [--rounds R] DIR...\n");
      return 2;
    } else dirs.emplace_back(a);
  }
  if (dirs.empty()) {
    std::fprintf(stderr, "usage: bench_parse_classify [--count N] [--rounds R] DIR...\n");
    return 2;
  }
  const auto messages = load_messages(dirs);
  if (messages.empty()) {
    std::fprintf(stderr, "bench_parse_classify: no messages in the given folders\n");
    return 1;
  }
  std::vector<const std::string*> batch;
  std::size_t bytes = 0;
  while (batch.size() < count) {
    for (const auto& m : messages) {
      if (batch.size() == count) break;
      batch.push_back(&m);
      bytes += m.size();
    }
  }

  g_mime_init();
  (void)respbench_parse_classify(*batch.front());  // warm up: GMime's tables, the rule patterns

  std::printf("%zu distinct messages, repeated to %zu (%.1f MB, %.1f KB on average); best of %d rounds\n\n",
              messages.size(), batch.size(), static_cast<double>(bytes) / 1e6,
              static_cast<double>(bytes) / static_cast<double>(batch.size()) / 1e3, rounds);
  std::printf("%-34s %10s %12s %10s %10s\n", "", "seconds", "messages/s", "MB/s", "µs/message");
  const std::pair<const char*, std::size_t (*)(std::string_view)> cases[] = {
      {"GMime: construct_message only", gmime_parse},
      {"respbench: parse_message", respbench_parse},
      {"respbench: parse_message+classify", respbench_parse_classify},
  };
  double base = 0;
  for (const auto& [name, fn] : cases) {
    const Figure f = measure(batch, rounds, fn);
    if (base == 0) base = f.seconds;
    const auto n = static_cast<double>(batch.size());
    std::printf("%-34s %10.3f %12.0f %10.1f %10.1f   (%.1f× GMime's time; %zu read)\n", name, f.seconds, n / f.seconds,
                static_cast<double>(bytes) / 1e6 / f.seconds, f.seconds * 1e6 / n, f.seconds / base, f.checksum);
  }
  return 0;
}
