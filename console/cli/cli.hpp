// The one-shot front end: `constellation COMMAND ...` with stdout/stderr, the process
// environment, the libcurl client and the in-process agent runner wired into a Context.
#pragma once

namespace constellation::console {

/// The program's main: runs one command line and returns the process exit code.
int main(int argc, char** argv);

}  // namespace constellation::console
