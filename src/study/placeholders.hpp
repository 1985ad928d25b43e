#pragma once
// Placeholders in probe texts: "{company.name}", "{persona.first_name}" …; "{{" and "}}" stand
// for literal braces.

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "study/model.hpp"

namespace respbench {

// Every placeholder a probe may use.
std::span<const std::string_view> known_placeholders();

// Calls `report(offset, message)` for every unknown placeholder and unbalanced brace in `text`
// (offset in bytes from the start of `text`). Returns true when there was none.
bool check_placeholders(std::string_view text,
                        const std::function<void(std::size_t offset, std::string message)>& report);

// `text` with its placeholders filled in for this company and persona. Text that did not pass
// check_placeholders is copied unchanged where it is malformed.
std::string render_placeholders(std::string_view text, const Company& company, const Persona& persona);

}  // namespace respbench
