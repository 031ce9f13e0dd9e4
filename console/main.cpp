// The `constellation` executable: agent and console in one binary; everything lives in the
// console library (console/cli/cli.hpp).
#include "console/cli/cli.hpp"

int main(int argc, char** argv) {
  return constellation::console::main(argc, argv);
}
