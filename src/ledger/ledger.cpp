#include "ledger/ledger.hpp"

#include <iterator>
#include <utility>

namespace respbench {

namespace {

// The names stored in the ledger and shown to users; changing one needs a schema migration.
constexpr std::pair<InquiryState, std::string_view> k_state_names[] = {
    {InquiryState::planned, "planned"},
    {InquiryState::sending, "sending"},
    {InquiryState::sent, "sent"},
    {InquiryState::todo, "todo"},
    {InquiryState::answered, "answered"},
    {InquiryState::unanswered, "unanswered"},
    {InquiryState::undeliverable, "undeliverable"},
    {InquiryState::attention, "attention"},
};

static_assert(std::size(k_state_names) == std::size(k_all_inquiry_states),
              "every InquiryState needs a name");

}  // namespace

std::string_view to_string(InquiryState s) {
  for (const auto& [state, name] : k_state_names) {
    if (state == s) return name;
  }
  return "unknown";  // only for a value cast from outside the enum
}

std::optional<InquiryState> parse_inquiry_state(std::string_view name) {
  for (const auto& [state, state_name] : k_state_names) {
    if (state_name == name) return state;
  }
  return std::nullopt;
}

}  // namespace respbench
