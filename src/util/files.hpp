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

namespace respbench {

// A file written piece by piece and renamed into place when whole (write_file_atomic for
// content too large to hold at once, e.g. a million-row CSV). The first failure is kept and
// returned by commit(); a file never committed leaves nothing behind.
class AtomicFile {
 public:
  // Creates the temporary file next to `path`.
  explicit AtomicFile(std::filesystem::path path);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void append(std::string_view bytes);
  // Flushes to disk and renames; fails with the path and the first failure's reason.
  Result<void> commit();

 private:
  std::filesystem::path m_path;
  std::filesystem::path m_temp;
  int m_fd = -1;
  std::string m_error;  // the first failure, "" while all is well
};

}  // namespace respbench
