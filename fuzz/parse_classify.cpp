// libFuzzer target: any bytes through parse_message and classify must neither crash, nor hang,
// nor trip AddressSanitizer or UndefinedBehaviorSanitizer. Built and run by scripts/fuzz.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mail/classify.hpp"
#include "mail/html_text.hpp"
#include "mail/message.hpp"
#include "mail/quoted_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace respbench;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  const ParsedMessage message = parse_message(raw);
  const Classification classification = classify(message);
  if (classification.kind == ReplyKind::unclassified) __builtin_trap();  // classify always decides

  // The size bound and the part bound, on the same input: headers only.
  ParseLimits small;
  small.max_size = size / 2;
  small.max_parts = 3;
  small.max_depth = 2;
  (void)classify(parse_message(raw, small));

  // The text helpers on their own, with input that did not have to pass GMime.
  (void)html_to_text(raw);
  (void)strip_quoted_history(raw);
  return 0;
}
