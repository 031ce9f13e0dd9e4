// The committed man page (man/constellation.1) documents every visible command of the table
// and each of its flags, the global flags, and the sections operators look for.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "console/command/table.hpp"

namespace constellation::console {
namespace {

/// The man page as plain text: roff's "\-" and "\(em"-style escapes undone enough for
/// substring checks.
std::string man_page_text() {
  std::ifstream file(std::string(CONSTELLATION_SOURCE_DIR) + "/man/constellation.1");
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::string text = buffer.str();
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '-') {
      plain += '-';
      ++i;
    } else if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'f') {
      i += 2;  // font change: \fB, \fI, \fR
    } else {
      plain += text[i];
    }
  }
  return plain;
}

TEST(ManPage, DocumentsEveryVisibleCommandAndEachOfItsFlags) {
  std::string page = man_page_text();
  ASSERT_FALSE(page.empty()) << "man/constellation.1 missing";
  for (const CommandSpec* command : command_table()) {
    if (command->hidden) continue;
    EXPECT_NE(page.find("constellation " + std::string(command->name)), std::string::npos)
        << "command not documented: " << command->name;
    for (const FlagSpec& flag : command->flags)
      EXPECT_NE(page.find("--" + std::string(flag.name)), std::string::npos)
          << "flag --" << flag.name << " of " << command->name << " not documented";
  }
}

TEST(ManPage, DocumentsGlobalFlagsEnvironmentAndExitCodes) {
  std::string page = man_page_text();
  for (const FlagSpec& flag : global_flags())
    EXPECT_NE(page.find("--" + std::string(flag.name)), std::string::npos) << flag.name;
  for (const char* section : {".SH ENVIRONMENT", ".SH EXIT STATUS", ".SH FILES", ".SH EXAMPLES",
                              ".SH SEE ALSO", "CONSTELLATION_AGENT", "CONSTELLATION_TOKEN_FILE",
                              ".BR constellation-agent (8)", ".BR constellation.conf (5)"})
    EXPECT_NE(page.find(section), std::string::npos) << section;
  for (const char* code : {".B 0\n", ".B 1\n", ".B 2\n", ".B 69\n", ".B 78\n"})
    EXPECT_NE(page.find(code), std::string::npos) << code;
}

TEST(ManPage, DoesNotDocumentHiddenCommands) {
  std::string page = man_page_text();
  for (const CommandSpec* command : command_table()) {
    if (!command->hidden) continue;
    EXPECT_EQ(page.find("constellation " + std::string(command->name)), std::string::npos)
        << command->name;
  }
}

}  // namespace
}  // namespace constellation::console
