#pragma once
// A plain text table for terminals: columns sized to their widest cell (in characters, so
// "Versicherungen" and "Energieversorger" line up), numbers right-aligned.

#include <string>
#include <vector>

namespace respbench {

enum class Align { left, right };

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});
  void add_row(std::vector<std::string> row);
  void add_rule();  // a line of dashes, e.g. above a total row
  std::string render() const;

 private:
  std::vector<std::string> m_header;
  std::vector<Align> m_align;
  std::vector<std::vector<std::string>> m_rows;  // an empty row stands for a rule
};

}  // namespace respbench
