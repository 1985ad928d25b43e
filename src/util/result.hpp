#pragma once
// Errors as values (STYLE.md, habit 1): functions that can fail for expected reasons return
// Result<T>; exceptions only abort a command and are caught once in the dispatcher.

#include <expected>
#include <string>
#include <utility>

namespace respbench {

struct Error {
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

// An unexpected Error with the given text, for `return fail("...")`.
inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected<Error>(Error{std::move(message)});
}

}  // namespace respbench
