#pragma once
// One writer per study at a time (DESIGN §6): an advisory lock (flock) on a file in the study
// folder. The kernel drops it when the process ends, however it ends, so a crash never leaves
// a stale lock behind.

#include <filesystem>
#include <optional>

#include "util/result.hpp"

namespace respbench {

class StudyLock {
 public:
  StudyLock(StudyLock&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
  StudyLock& operator=(StudyLock&& other) noexcept;
  StudyLock(const StudyLock&) = delete;
  StudyLock& operator=(const StudyLock&) = delete;
  ~StudyLock();

  // Takes the lock on `path` without waiting. nullopt when another process holds it; fails
  // when the lock file cannot be opened.
  static Result<std::optional<StudyLock>> try_acquire(const std::filesystem::path& path);

 private:
  explicit StudyLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

}  // namespace respbench
