// Parsing of the `leases` and `raft_initial_voters` options (see lease_config.hpp). The
// messages quote the whole entry because operators copy entries between nodes' files.
#include "agent/consensus/lease_config.hpp"

#include <charconv>
#include <set>

#include "shared/duration.hpp"

namespace constellation::consensus {
namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!name_char(c)) return false;
  return true;
}

std::unexpected<Error> bad_lease(std::string_view entry, const std::string& why) {
  return fail(ErrorCode::bad_config,
              "lease entry '" + std::string(entry) + "': " + why +
                  " (expected NAME:CAPABILITY:TTL, e.g. lb-leader:lb:1200ms)");
}

std::unexpected<Error> bad_voter(std::string_view entry, const std::string& why) {
  return fail(ErrorCode::bad_config,
              "initial voter '" + std::string(entry) + "': " + why +
                  " (expected NODE=HOST:PORT, e.g. alpha=100.64.0.1:8300, the same list on "
                  "every node)");
}

}  // namespace

Result<LeaseSpec> parse_lease_entry(std::string_view entry) {
  const auto first = entry.find(':');
  const auto second = first == std::string_view::npos ? first : entry.find(':', first + 1);
  if (second == std::string_view::npos) return bad_lease(entry, "missing ':'");
  if (entry.find(':', second + 1) != std::string_view::npos)
    return bad_lease(entry, "too many ':'");
  LeaseSpec spec{.name = std::string(entry.substr(0, first)),
                 .capability = std::string(entry.substr(first + 1, second - first - 1)),
                 .ttl_ms = 0};
  if (!valid_name(spec.name))
    return bad_lease(entry, "the name '" + spec.name + "' must be 1 to 63 of A-Z a-z 0-9 - _ .");
  if (!spec.capability.empty() && !valid_name(spec.capability))
    return bad_lease(entry, "the capability '" + spec.capability +
                                "' has characters other than "
                                "A-Z a-z 0-9 - _ .");
  const std::string_view ttl = entry.substr(second + 1);
  auto parsed = parse_duration(ttl);
  if (!parsed) return bad_lease(entry, parsed.error().message);
  if (parsed->count() < 100)
    return bad_lease(entry, "the TTL " + std::string(ttl) + " is below 100ms");
  spec.ttl_ms = parsed->count();
  return spec;
}

Result<std::vector<LeaseSpec>> parse_lease_entries(const std::vector<std::string>& entries) {
  std::vector<LeaseSpec> specs;
  std::set<std::string> names;
  for (const std::string& entry : entries) {
    auto spec = parse_lease_entry(entry);
    if (!spec) return std::unexpected(spec.error());
    if (!names.insert(spec->name).second)
      return bad_lease(entry, "lease " + spec->name + " is listed twice; keep one entry");
    specs.push_back(std::move(*spec));
  }
  return specs;
}

std::int64_t drift_margin_for(std::int64_t ttl_ms, std::int64_t configured_ms) {
  return configured_ms > 0 ? configured_ms : std::max<std::int64_t>(1, ttl_ms / 10);
}

Result<std::vector<LeaseSpec>> lease_specs(const std::vector<std::string>& entries,
                                           std::int64_t drift_margin_ms) {
  auto specs = parse_lease_entries(entries);
  if (!specs) return specs;
  for (const LeaseSpec& spec : *specs) {
    auto ok =
        validate_timing(HolderTiming{spec.ttl_ms, drift_margin_for(spec.ttl_ms, drift_margin_ms)});
    if (!ok)
      return fail(ErrorCode::bad_config, "lease " + spec.name + ": " + ok.error().message +
                                             " (lower lease_drift_margin or raise the TTL)");
  }
  return specs;
}

Result<std::vector<InitialVoter>> parse_initial_voters(const std::vector<std::string>& entries,
                                                       std::string_view self) {
  std::vector<InitialVoter> voters;
  std::set<std::string> nodes, addresses;
  bool has_self = false;
  for (const std::string& entry : entries) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos) return bad_voter(entry, "missing '='");
    InitialVoter v{.node = entry.substr(0, eq), .address = entry.substr(eq + 1)};
    if (!valid_name(v.node))
      return bad_voter(entry,
                       "the node name '" + v.node + "' must be 1 to 63 of A-Z a-z 0-9 - _ .");
    const auto colon = v.address.rfind(':');
    int port = 0;
    const char* digits = v.address.data() + (colon == std::string::npos ? 0 : colon + 1);
    const char* end = v.address.data() + v.address.size();
    auto [ptr, ec] = std::from_chars(digits, end, port);
    if (colon == std::string::npos || colon == 0 || ec != std::errc{} || ptr != end || port <= 0 ||
        port > 65535)
      return bad_voter(entry, "'" + v.address + "' is not HOST:PORT with a port 1 to 65535");
    if (!nodes.insert(v.node).second) return bad_voter(entry, v.node + " is listed twice");
    if (!addresses.insert(v.address).second)
      return bad_voter(entry, v.address + " is given to two nodes");
    has_self = has_self || v.node == self;
    voters.push_back(std::move(v));
  }
  if (!self.empty() && !voters.empty() && !has_self)
    return fail(ErrorCode::bad_config,
                "this node (" + std::string(self) +
                    ") is not in raft_initial_voters; list every initial voter, this node "
                    "included, with the same list on each of them");
  return voters;
}

}  // namespace constellation::consensus
