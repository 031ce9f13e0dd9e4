// The Tailscale status document (`tailscale status --json`, LocalAPI /localapi/v0/status:
// ipnstate.Status) read into the few facts discovery needs, and the peer filter. Sans-IO and
// stateless: callers bring the bytes (fetch.hpp) and get values back; safe on any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/error.hpp"

namespace constellation::discovery {

/// One node of the tailnet as the status document describes it.
struct TailnetPeer {
  std::string name;               ///< HostName (the OS host name; not unique)
  std::string dns_name;           ///< DNSName without its trailing dot ("" if absent)
  std::vector<std::string> ips;   ///< TailscaleIPs in document order (IPv4 and IPv6)
  std::vector<std::string> tags;  ///< Tags ("tag:server"); empty when the field is omitted
  bool online = false;            ///< Online, as the control plane reports it
  /// The first IPv4 address of `ips`, "" if there is none.
  std::string ipv4() const;
};

/// The parts of ipnstate.Status that discovery uses.
struct TailnetStatus {
  std::string backend_state;         ///< "Running", "NeedsLogin", "Stopped"...
  TailnetPeer self;                  ///< Self (this node)
  std::vector<TailnetPeer> peers{};  ///< Peer map values, ordered by DNS name then host name
};

/// Parses the document. invalid_argument naming the problem when it is not JSON, not an
/// object, or a field has the wrong type; unknown fields are ignored (the format is marked
/// "subject to change"). Does not judge BackendState (see require_running).
Result<TailnetStatus> parse_tailnet_status(std::string_view json);

/// unavailable with a message saying what to do when BackendState is not "Running"
/// (e.g. NeedsLogin: run `tailscale up`).
Status require_running(const TailnetStatus& status);

/// Which peers discovery keeps. Empty fields do not filter.
struct PeerFilter {
  std::string tag{};           ///< the peer must carry this tag, e.g. "tag:constellation"
  std::string name_pattern{};  ///< fnmatch(3) glob on the host name or on the DNS name
};

/// The online peers (never Self) that have an address and pass `filter`, in parsed order.
std::vector<TailnetPeer> select_peers(const TailnetStatus& status, const PeerFilter& filter);

/// Whether `name` matches the shell glob `pattern` (*, ?, [...]); case-insensitive.
bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace constellation::discovery
