#include "cli.hpp"

#include <cstdio>

namespace company_sim {

int main_cli(int, char**) {
  std::fprintf(stderr, "company-sim: not yet\n");
  return 2;
}

}  // namespace company_sim
