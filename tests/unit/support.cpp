#include "support.hpp"

#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include <stdlib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <doctest/doctest.h>

#include "cli/cli.hpp"

namespace fs = std::filesystem;

namespace respbench::test {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "respbench-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder");
  m_path = pattern;
}

TempDir::~TempDir() {
  if (current_test_failed() || std::uncaught_exceptions() > 0) {
    std::cerr << "test failed: keeping " << m_path << " for inspection\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

void write_text(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path source_dir() { return RESPBENCH_SOURCE_DIR; }

void copy_sample_study(const fs::path& dir) {
  fs::copy_file(source_dir() / "respbench.conf", dir / "respbench.conf", fs::copy_options::overwrite_existing);
  fs::copy_file(source_dir() / "companies.csv", dir / "companies.csv", fs::copy_options::overwrite_existing);
  fs::copy(source_dir() / "probes", dir / "probes", fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

int listen_on_loopback(int backlog, int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, backlog) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  port = ntohs(address.sin_port);
  return fd;
}

CliResult run_cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliResult r;
  r.exit_code = respbench::run_cli(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace respbench::test
