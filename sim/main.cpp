// company-sim: see sim/cli.hpp.
#include "cli.hpp"

int main(int argc, char** argv) { return company_sim::main_cli(argc, argv); }
