// `constellation keygen`: a new random AES-256 gossip key, base64 as `serf keygen` prints it,
// for the gossip_keyring file. Local: needs no agent. The key goes to standard output only.
#include <sys/random.h>

#include <array>
#include <cstdint>

#include "console/command/context.hpp"
#include "console/command/output.hpp"
#include "console/commands/commands.hpp"
#include "shared/base64.hpp"

namespace constellation::console::commands {
namespace {
constexpr std::size_t kKeyBytes = 32;  // AES-256

int exec_keygen(Context& context, const ParsedArgs&) {
  std::array<std::uint8_t, kKeyBytes> key{};
  if (::getrandom(key.data(), key.size(), 0) != static_cast<ssize_t>(key.size()))
    return report(context, Error{ErrorCode::internal, "the kernel gave no random bytes"});
  std::string text = encode_base64(key);
  if (context.format == OutputFormat::json) {
    print_json(context, {{"key", text}, {"bytes", kKeyBytes}});
    return exit_codes::ok;
  }
  context.out << text << '\n';
  return exit_codes::ok;
}

}  // namespace

const CommandSpec kKeygen{
    .name = "keygen",
    .summary = "print a new random gossip encryption key (base64 AES-256, as serf keygen)",
    .examples =
        "constellation keygen\n"
        "constellation keygen >> /etc/constellation/secrets/gossip.keys  # then chmod 600",
    .exec = exec_keygen,
};

}  // namespace constellation::console::commands
