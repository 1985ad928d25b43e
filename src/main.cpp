#include <iostream>

#include "cli/cli.hpp"

int main(int argc, char** argv) { return respbench::run_cli({argv + 1, argv + argc}, std::cout, std::cerr); }
