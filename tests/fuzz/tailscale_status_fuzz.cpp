// libFuzzer target: raw bytes as a Tailscale status document through the parser, the
// BackendState check and the peer filter (what the agent does with tailscaled's answer).
// Checks that nothing crashes and that every selected peer is online and has an address.
// Also compiled by g++ into fuzz_tailscale_regression, which replays the committed corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/discovery/discovery_service.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace constellation::discovery;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The input length picks the filter so filtered and unfiltered selection are both explored.
  PeerFilter filter;
  if (size % 3 == 1) filter.tag = "tag:constellation";
  if (size % 3 == 2) filter.name_pattern = "web-*";
  auto found = discover_from_document(bytes, filter);
  if (!found) {
    if (found.error().message.empty()) std::abort();
    return 0;
  }
  for (const auto& peer : found->peers)
    if (!peer.online || peer.ips.empty()) std::abort();
  (void)join_candidates(found->peers, 7946, {});
  return 0;
}
