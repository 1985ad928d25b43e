#pragma once
// Reading and writing whole files. Files that people read (reports, exports, the study files
// `init` writes) are written to a temporary name and renamed (STYLE.md, habit 12), so that a
// reader never sees half a file.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace respbench {

// The file's bytes; fails with the path and the system's reason.
Result<std::string> read_file(const std::filesystem::path& path);

// Writes `content` to `path` through a temporary file in the same folder, flushed to disk
// before the rename.
Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace respbench
