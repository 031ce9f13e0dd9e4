// raft_recover on a stopped node's directory (raft_recover.hpp): a private libuv loop and
// raft_uv backend opened just long enough to load the log and append the new configuration.
#include "agent/consensus/raft_recover.hpp"

#include <set>

#include "agent/consensus/raft_api.hpp"
#include "agent/consensus/raft_log.hpp"

namespace constellation::consensus {
namespace {

/// The raft objects of one recovery, closed in reverse order on every path.
struct Offline {
  uv_loop_t loop{};
  raft_uv_transport transport{};
  raft_io io{};
  struct raft raft {};
  bool transport_ready = false, io_ready = false, raft_ready = false;

  ~Offline() {
    if (raft_ready) {
      raft.data = this;
      raft_close(&raft, [](struct raft* r) {
        auto* self = static_cast<Offline*>(r->data);
        raft_uv_close(&self->io);
        raft_uv_tcp_close(&self->transport);
      });
    } else {
      if (io_ready) raft_uv_close(&io);
      if (transport_ready) raft_uv_tcp_close(&transport);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }
};

Error raft_failure(const std::filesystem::path& dir, std::string_view what, int rv,
                   const char* detail) {
  std::string message =
      "raft recover in " + dir.string() + ": " + std::string(what) + ": " + raft_strerror(rv);
  if (detail != nullptr && *detail != '\0') message += " (" + std::string(detail) + ")";
  return Error{.code = ErrorCode::internal, .message = std::move(message)};
}

}  // namespace

Status recover_configuration(const std::filesystem::path& raft_dir,
                             const std::vector<Member>& voters) {
  if (voters.empty())
    return fail(ErrorCode::invalid_argument, "raft recover needs at least one surviving voter");
  std::set<std::uint64_t> ids;
  for (const Member& m : voters) {
    if (m.id == 0 || m.address.empty())
      return fail(ErrorCode::invalid_argument,
                  "raft recover: every voter needs a raft id and a HOST:PORT address");
    if (!ids.insert(m.id).second)
      return fail(ErrorCode::invalid_argument,
                  "raft recover: voter " + m.address + " is listed twice");
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(raft_dir, ec))
    return fail(ErrorCode::not_found, "no raft directory at " + raft_dir.string() +
                                          ": point --data-dir at the node's DATA_DIR");
  if (!std::filesystem::exists(raft_dir / "metadata1", ec) &&
      !std::filesystem::exists(raft_dir / "metadata2", ec))
    return fail(ErrorCode::not_found,
                raft_dir.string() +
                    " holds no raft state (no metadata1/metadata2): nothing to "
                    "recover on this node");

  Offline o;
  uv_loop_init(&o.loop);
  if (int rv = raft_uv_tcp_init(&o.transport, &o.loop); rv != 0)
    return std::unexpected(raft_failure(raft_dir, "transport", rv, nullptr));
  o.transport_ready = true;
  if (int rv = raft_uv_init(&o.io, &o.loop, raft_dir.c_str(), &o.transport); rv != 0)
    return std::unexpected(raft_failure(raft_dir, "open", rv, o.io.errmsg));
  o.io_ready = true;
  raft_uv_set_auto_recovery(&o.io, false);  // never truncate a damaged log here either
  const Member& self = voters.front();
  // raft_recover never applies anything; the FSM is only stored by raft_init.
  static struct raft_fsm no_fsm {};
  no_fsm.version = 1;
  if (int rv = raft_init(&o.raft, &o.io, &no_fsm, self.id, self.address.c_str()); rv != 0)
    return std::unexpected(raft_failure(raft_dir, "init", rv, o.raft.errmsg));
  o.raft_ready = true;

  raft_configuration conf;
  raft_configuration_init(&conf);
  int rv = 0;
  for (const Member& m : voters)
    if (rv == 0) rv = raft_configuration_add(&conf, m.id, m.address.c_str(), RAFT_VOTER);
  if (rv == 0) rv = raft_recover(&o.raft, &conf);
  raft_configuration_close(&conf);
  if (rv != 0)
    return std::unexpected(raft_failure(raft_dir, "rewrite the configuration", rv, o.raft.errmsg));
  return {};
}

Status recover_named_voters(const std::string& raft_dir,
                            const std::vector<std::pair<std::string, std::string>>& voters) {
  std::vector<Member> members;
  for (const auto& [node, address] : voters)
    members.push_back(Member{.id = raft_id_for(node), .address = address, .voter = true});
  return recover_configuration(raft_dir, members);
}

}  // namespace constellation::consensus
