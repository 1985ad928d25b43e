#pragma once
// Shared test helpers: temporary folders, files, running the CLI in-process.

#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace respbench::test {

// True when an assertion of the running test case has failed.
bool current_test_failed();

// A fresh folder under the system's temp dir, removed at the end of the test unless the test
// failed: then it is kept and its path printed, for inspection.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

// Writes `content` to `path`, creating parent folders.
void write_text(const std::filesystem::path& path, const std::string& content);
std::string read_text(const std::filesystem::path& path);

// The repository's root folder (the sample study).
std::filesystem::path source_dir();

// Copies the sample study (respbench.conf, companies.csv, probes/) into `dir`.
void copy_sample_study(const std::filesystem::path& dir);

// A TCP socket listening on 127.0.0.1 at a port the kernel chose (for scripted fake servers);
// `port` gets the port. Fails the test when the socket cannot be set up.
int listen_on_loopback(int backlog, int& port);

struct CliResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};
// Runs `respbench ARGS…` in this process.
CliResult run_cli(const std::vector<std::string>& args);

}  // namespace respbench::test
