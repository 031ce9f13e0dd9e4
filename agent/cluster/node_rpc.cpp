// NodeRpc (node_rpc.hpp): the payload codec, call correlation, deadlines and dispatch.
#include "agent/cluster/node_rpc.hpp"

namespace constellation::cluster {
namespace {

Error bad(std::string what) {
  return Error{ErrorCode::invalid_argument, "malformed node RPC payload: " + std::move(what)};
}

}  // namespace

std::vector<std::uint8_t> encode_rpc(const RpcMessage& message) {
  nlohmann::json json;
  if (const auto* request = std::get_if<RpcRequest>(&message)) {
    json = {{"t", "req"},
            {"id", request->id},
            {"from", request->from},
            {"method", request->method},
            {"params", request->params}};
  } else {
    const auto& response = std::get<RpcResponse>(message);
    json = {{"t", "res"}, {"id", response.id}, {"from", response.from}};
    if (response.result) {
      json["ok"] = true;
      json["result"] = *response.result;
    } else {
      json["ok"] = false;
      json["error"] = {{"code", std::string(error_code_name(response.result.error().code))},
                       {"message", response.result.error().message}};
    }
  }
  std::vector<std::uint8_t> bytes{kRpcType};
  nlohmann::json::to_msgpack(json, bytes);
  return bytes;
}

Result<RpcMessage> decode_rpc(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes.front() != kRpcType)
    return std::unexpected(bad("it does not start with the RPC type byte"));
  auto json = nlohmann::json::from_msgpack(bytes.begin() + 1, bytes.end(), true, false);
  if (json.is_discarded() || !json.is_object()) return std::unexpected(bad("not a msgpack map"));
  const auto string_at = [&json](const char* key) -> const std::string* {
    auto it = json.find(key);
    return it != json.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
  };
  const auto* kind = string_at("t");
  const auto* from = string_at("from");
  auto id = json.find("id");
  if (!kind || !from || id == json.end() || !id->is_number_unsigned())
    return std::unexpected(bad("it needs t, id and from"));
  if (*kind == "req") {
    const auto* method = string_at("method");
    if (!method) return std::unexpected(bad("a request needs a method"));
    return RpcRequest{.id = id->get<std::uint64_t>(),
                      .from = *from,
                      .method = *method,
                      .params = json.value("params", nlohmann::json::object())};
  }
  if (*kind != "res") return std::unexpected(bad("unknown kind '" + *kind + "'"));
  RpcResponse response{.id = id->get<std::uint64_t>(), .from = *from};
  auto ok = json.find("ok");
  if (ok == json.end() || !ok->is_boolean()) return std::unexpected(bad("an answer needs ok"));
  if (ok->get<bool>()) {
    response.result = json.value("result", nlohmann::json());
    return response;
  }
  auto error = json.find("error");
  if (error == json.end() || !error->is_object() || !error->contains("code") ||
      !(*error)["code"].is_string() || !error->contains("message") ||
      !(*error)["message"].is_string())
    return std::unexpected(bad("a failed answer needs error{code,message}"));
  response.result = fail(error_code_from_name((*error)["code"].get<std::string>()),
                         (*error)["message"].get<std::string>());
  return response;
}

NodeRpc::NodeRpc(std::string self, Send send, std::uint64_t first_id)
    : self_(std::move(self)), send_(std::move(send)), next_id_(first_id == 0 ? 1 : first_id) {}

void NodeRpc::handle(std::string method, Handler handler) {
  handlers_[std::move(method)] = std::move(handler);
}

void NodeRpc::call(Clock::time_point now, const std::string& node, std::string method,
                   nlohmann::json params, Clock::time_point deadline, Done done) {
  const std::uint64_t id = next_id_++;
  auto sent = send_(
      node, encode_rpc(RpcRequest{.id = id, .from = self_, .method = method, .params = params}));
  if (!sent) {
    done(std::unexpected(sent.error()));
    return;
  }
  calls_.emplace(id, Call{.node = node,
                          .method = std::move(method),
                          .started = now,
                          .deadline = deadline,
                          .done = std::move(done)});
}

void NodeRpc::on_message(std::span<const std::uint8_t> bytes) {
  auto message = decode_rpc(bytes);
  if (!message) {
    ++malformed_;
    return;
  }
  if (auto* request = std::get_if<RpcRequest>(&*message)) {
    serve(std::move(*request));
    return;
  }
  auto& response = std::get<RpcResponse>(*message);
  auto it = calls_.find(response.id);
  if (it == calls_.end() || it->second.node != response.from) {
    ++dropped_answers_;
    return;
  }
  Done done = std::move(it->second.done);
  calls_.erase(it);
  done(std::move(response.result));
}

void NodeRpc::serve(RpcRequest request) {
  auto handler = handlers_.find(request.method);
  if (handler == handlers_.end()) {
    std::string known;
    for (const auto& [name, unused] : handlers_) known += (known.empty() ? "" : ", ") + name;
    answer(request.from, request.id,
           fail(ErrorCode::not_found, "node " + self_ + " has no RPC method '" + request.method +
                                          "' (it serves: " + known + "; is it an older version?)"));
    return;
  }
  // The reply may outlive this call (handlers answer after I/O); it carries what it needs.
  handler->second(request.from, std::move(request.params),
                  [this, alive = std::weak_ptr<int>(alive_), to = request.from,
                   id = request.id](Result<nlohmann::json> result) {
                    if (!alive.expired()) answer(to, id, std::move(result));
                  });
}

void NodeRpc::answer(const std::string& to, std::uint64_t id, Result<nlohmann::json> result) {
  // A failed send is the caller's timeout to report: it cannot be told anything else.
  (void)send_(to, encode_rpc(RpcResponse{.id = id, .from = self_, .result = std::move(result)}));
}

void NodeRpc::expire(Clock::time_point now) {
  std::vector<std::pair<Call, std::uint64_t>> due;
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.deadline <= now) {
      due.emplace_back(std::move(it->second), it->first);
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [call, id] : due) {
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(call.deadline - call.started);
    call.done(fail(ErrorCode::timeout, "no answer from node " + call.node + " to " + call.method +
                                           " within " + std::to_string(waited.count()) +
                                           " ms (is its agent running and reachable?)"));
  }
}

std::optional<NodeRpc::Clock::time_point> NodeRpc::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [id, call] : calls_)
    if (!earliest || call.deadline < *earliest) earliest = call.deadline;
  return earliest;
}

}  // namespace constellation::cluster
