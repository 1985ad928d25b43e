#include "util/files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace fs = std::filesystem;

namespace respbench {

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return fail(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  return out.str();
}

namespace {

// Closes a POSIX file descriptor on every path out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int get() const { return m_fd; }
  // Closes now and reports whether the close succeeded (it can fail on write-back).
  bool close() {
    int fd = m_fd;
    m_fd = -1;
    return ::close(fd) == 0;
  }

 private:
  int m_fd;
};

}  // namespace

Result<void> write_file_atomic(const fs::path& path, std::string_view content) {
  fs::path temp = path;
  temp += fmt::format(".tmp{}", ::getpid());
  auto failure = [&](std::string_view what) {
    auto message = fmt::format("cannot write {}: {} ({})", path.string(), std::strerror(errno), what);
    std::error_code ignored;
    fs::remove(temp, ignored);
    return fail(message);
  };
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) return failure("create");
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return failure("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return failure("fsync");
  if (!fd.close()) return failure("close");
  if (::rename(temp.c_str(), path.c_str()) != 0) return failure("rename");
  return {};
}

AtomicFile::AtomicFile(fs::path path) : m_path(std::move(path)), m_temp(m_path) {
  m_temp += fmt::format(".tmp{}", ::getpid());
  m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (m_fd < 0) m_error = fmt::format("{} (create)", std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (m_fd >= 0) ::close(m_fd);
  if (!m_temp.empty()) {
    std::error_code ignored;
    fs::remove(m_temp, ignored);
  }
}

void AtomicFile::append(std::string_view bytes) {
  while (m_error.empty() && !bytes.empty()) {
    ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      m_error = fmt::format("{} (write)", std::strerror(errno));
      break;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

Result<void> AtomicFile::commit() {
  if (m_error.empty() && ::fsync(m_fd) != 0) m_error = fmt::format("{} (fsync)", std::strerror(errno));
  if (m_fd >= 0) {
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0 && m_error.empty()) m_error = fmt::format("{} (close)", std::strerror(errno));
  }
  if (m_error.empty() && ::rename(m_temp.c_str(), m_path.c_str()) != 0) {
    m_error = fmt::format("{} (rename)", std::strerror(errno));
  }
  if (!m_error.empty()) return fail(fmt::format("cannot write {}: {}", m_path.string(), m_error));
  m_temp.clear();  // renamed: nothing to remove
  return {};
}

}  // namespace respbench
