#pragma once
// Input errors with their place in a file: "file:line:column: what is wrong, what was expected".
// A loader collects every problem in one pass so that the user fixes a study in one go.

#include <string>
#include <vector>

namespace respbench {

struct Diagnostic {
  std::string file;  // as the user should read it, e.g. "companies.csv"
  int line = 0;      // 1-based; 0 when the problem concerns the whole file
  int column = 0;    // 1-based; 0 when unknown or not useful
  std::string message;
};

class Diagnostics {
 public:
  void add(std::string file, int line, int column, std::string message);
  void add(Diagnostic d) { m_items.push_back(std::move(d)); }
  void append(const Diagnostics& other);

  bool empty() const { return m_items.empty(); }
  std::size_t size() const { return m_items.size(); }
  const std::vector<Diagnostic>& items() const { return m_items; }

  // Sorted by file, line, column: the order a reader fixes them in.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> m_items;
};

// "file:line:column: message" (line and column left out when 0).
std::string format_diagnostic(const Diagnostic& d);

}  // namespace respbench
