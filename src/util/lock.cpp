#include "util/lock.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

namespace respbench {

StudyLock& StudyLock::operator=(StudyLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = other.m_fd;
    other.m_fd = -1;
  }
  return *this;
}

StudyLock::~StudyLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing releases the flock
}

Result<std::optional<StudyLock>> StudyLock::try_acquire(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail(fmt::format("cannot open the lock file {}: {}", path.string(), std::strerror(errno)));
  StudyLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return std::optional<StudyLock>();
    return fail(fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
  }
  return std::optional<StudyLock>(std::move(lock));
}

}  // namespace respbench
