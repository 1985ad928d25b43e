#pragma once
// probes/: one file per scripted question, written like a mail — header lines (Subject:,
// Channels:, Sectors:, Language:), a blank line, the body.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "study/model.hpp"
#include "util/diagnostics.hpp"

namespace respbench {

// Parses one probe file's `text`; `id` and `file` name it. Problems go to `diags`; nullopt when
// the file has any.
std::optional<Probe> parse_probe(const std::string& text, const std::string& id, const std::string& file,
                                 Diagnostics& diags);

// Every *.txt below `study_dir`/probes (subfolders included), sorted by id. The id is the path
// below probes/ without ".txt" ("de/banks-fees").
std::vector<Probe> load_probes(const std::filesystem::path& study_dir, Diagnostics& diags);

}  // namespace respbench
