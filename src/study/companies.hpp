#pragma once
// companies.csv: the panel. Header `id,name,sector,email,facebook` plus optional
// `reply_domains,website,country,notes`; an empty channel cell means the company does not
// offer that channel.

#include <filesystem>
#include <string>
#include <vector>

#include "study/model.hpp"
#include "util/diagnostics.hpp"

namespace respbench {

// Parses companies.csv's `text` (shown as `file`). Every problem goes to `diags`; the companies
// that were read are returned either way (the caller refuses the study when diags has errors).
std::vector<Company> parse_companies(std::string_view text, const std::string& file, Diagnostics& diags);

}  // namespace respbench
