#include "report/inquiry_references.hpp"

#include <algorithm>

#include "util/memory.hpp"

namespace respbench {
namespace {

constexpr std::size_t k_expected_length = 32;  // "<random>@<the persona's domain>"

}  // namespace

Result<InquiryReferences> InquiryReferences::read(Ledger& ledger, std::size_t expected) {
  InquiryReferences references;
  reserve_huge(references.m_ids, expected);
  reserve_huge(references.m_ends, expected);
  references.m_text.reserve(expected * k_expected_length);
  advise_huge_pages(references.m_text.data(), references.m_text.capacity());
  auto read = ledger.for_each_inquiry_reference([&](std::int64_t id, std::string_view reference) -> Result<void> {
    references.add(id, reference);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return references;
}

void InquiryReferences::add(std::int64_t id, std::string_view reference) {
  m_ids.push_back(id);
  m_text.append(reference);
  m_ends.push_back(m_text.size());
}

std::string_view InquiryReferences::of(std::int64_t id) const {
  // In id order, `id` belongs at m_next or is missing; no search needed either way.
  std::size_t at = m_next;
  const bool in_order = (at == 0 || m_ids[at - 1] < id) && (at == m_ids.size() || m_ids[at] >= id);
  if (!in_order) at = static_cast<std::size_t>(std::lower_bound(m_ids.begin(), m_ids.end(), id) - m_ids.begin());
  m_next = at;
  if (at == m_ids.size() || m_ids[at] != id) return {};
  m_next = at + 1;
  const std::size_t begin = at == 0 ? 0 : m_ends[at - 1];
  return std::string_view(m_text).substr(begin, m_ends[at] - begin);
}

}  // namespace respbench
