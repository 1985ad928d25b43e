#pragma once
// The inquiries' references (Ledger::for_each_inquiry_reference) held for inquiries.csv: a
// million Message-IDs in one string with their ends, not a million strings, so that the file
// can be written on a thread of its own while the ledger streams replies.csv on another.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/ledger.hpp"
#include "util/result.hpp"

namespace respbench {

class InquiryReferences {
 public:
  // Every reference in `ledger`, room made for `expected` of them at once (growing a million
  // entries step by step copies them over and over); fails on a database error.
  static Result<InquiryReferences> read(Ledger& ledger, std::size_t expected = 0);

  // Adds the reference of inquiry `id`; ids come in ascending order.
  void add(std::int64_t id, std::string_view reference);
  // The reference of inquiry `id`; "" when it has none. Asked in id order, each is found
  // where the last one was; otherwise by binary search. Not for two threads at once.
  std::string_view of(std::int64_t id) const;
  std::size_t size() const { return m_ids.size(); }

 private:
  std::vector<std::int64_t> m_ids;
  std::vector<std::size_t> m_ends;  // m_text's end of each reference
  std::string m_text;
  mutable std::size_t m_next = 0;
};

}  // namespace respbench
