#include "net/password.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <fmt/format.h>

namespace respbench {

namespace {

constexpr std::size_t k_max_secret = 64 * 1024;  // more is not a password; stop reading

struct PipeCloser {
  void operator()(std::FILE* pipe) const {
    if (pipe != nullptr) ::pclose(pipe);
  }
};

Result<std::string> run_secret_command(std::string_view command) {
  const std::string text(command);
  // popen runs "/bin/sh -c text". The command's stderr stays ours: it may say why it failed.
  std::FILE* raw = ::popen(text.c_str(), "r");
  if (raw == nullptr) return fail(fmt::format("cannot run the password command `{}`", command));
  std::unique_ptr<std::FILE, PipeCloser> pipe(raw);

  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  bool too_long = false;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0) {
    // Keep reading to the end so that the command does not die of SIGPIPE.
    if (output.size() + n > k_max_secret) too_long = true;
    if (!too_long) output.append(buffer, n);
  }
  const int status = ::pclose(pipe.release());
  if (status == -1) return fail(fmt::format("cannot run the password command `{}`", command));
  if (WIFSIGNALED(status)) {
    return fail(fmt::format("the password command `{}` was killed by signal {}", command, WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail(fmt::format("the password command `{}` failed (exit status {})", command,
                            WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  if (too_long) {
    return fail(fmt::format("the password command `{}` printed more than {} bytes", command, k_max_secret));
  }
  if (output.ends_with("\r\n")) {
    output.resize(output.size() - 2);
  } else if (output.ends_with('\n')) {
    output.pop_back();
  }
  if (output.empty()) return fail(fmt::format("the password command `{}` printed nothing", command));
  return output;
}

}  // namespace

Result<std::string> read_secret(std::string_view command, std::string_view env_name) {
  if (!command.empty() && !env_name.empty()) {
    return fail("give either a password command or a password environment variable, not both");
  }
  if (!command.empty()) return run_secret_command(command);
  if (env_name.empty()) return fail("no password command or password environment variable given");
  const std::string name(env_name);
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return fail(fmt::format("the environment variable {} is not set", name));
  if (*value == '\0') return fail(fmt::format("the environment variable {} is empty", name));
  return std::string(value);
}

}  // namespace respbench
