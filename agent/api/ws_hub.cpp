// WebSocket fan-out: sequencing, bounded queues, resync on overflow, ping/pong.
#include "agent/api/ws_hub.hpp"

#include "shared/version.hpp"

namespace constellation::api {

WsHub::WsHub(Options options, std::function<nlohmann::json()> status)
    : options_(std::move(options)), status_(std::move(status)) {
  if (options_.queue_limit < 1) options_.queue_limit = 1;
}

std::string WsHub::dump(const nlohmann::json& message) {
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json WsHub::hello() const {
  return {{"type", "hello"},
          {"versions",
           {{"agent", std::string(kVersion)},
            {"api", std::string(kApiVersion)},
            {"ws", kWsProtocolVersion}}},
          {"node", options_.node}};
}

nlohmann::json WsHub::snapshot() const {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : recent_) events.push_back(to_json(event));
  return {{"type", "snapshot"},
          {"seq", seq_},
          {"status", status_ ? status_() : nlohmann::json::object()},
          {"events", std::move(events)}};
}

WsHub::ClientId WsHub::connect(std::function<void()> wake) {
  ClientId id = next_id_++;
  Client& client = clients_[id];
  client.wake = std::move(wake);
  enqueue(client, dump(hello()));
  enqueue(client, dump(snapshot()));
  return id;
}

void WsHub::disconnect(ClientId id) {
  clients_.erase(id);
}

std::optional<std::string> WsHub::pop(ClientId id) {
  auto it = clients_.find(id);
  if (it == clients_.end() || it->second.queue.empty()) return std::nullopt;
  std::string message = std::move(it->second.queue.front());
  it->second.queue.pop_front();
  return message;
}

std::size_t WsHub::queued(ClientId id) const {
  auto it = clients_.find(id);
  return it == clients_.end() ? 0 : it->second.queue.size();
}

void WsHub::enqueue(Client& client, std::string message) {
  client.queue.push_back(std::move(message));
  if (client.wake) client.wake();
}

void WsHub::receive(ClientId id, std::string_view text) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  nlohmann::json message = nlohmann::json::parse(text, nullptr, false);
  // Compare against a json value, not value<std::string>(), so {"type":5} cannot throw.
  if (message.is_object() && message.contains("type") && message["type"] == "ping") {
    nlohmann::json pong = {{"type", "pong"},
                           {"id", message.contains("id") ? message["id"] : nlohmann::json()}};
    enqueue(it->second, dump(pong));
    return;
  }
  enqueue(it->second, dump({{"type", "error"},
                            {"message",
                             "unsupported message; the only client message is "
                             "{\"type\":\"ping\",\"id\":X}"}}));
}

void WsHub::broadcast(const Event& event) {
  ++seq_;
  recent_.push_back(event);
  while (recent_.size() > options_.recent_events) recent_.pop_front();
  const std::string text = dump({{"type", "event"}, {"seq", seq_}, {"event", to_json(event)}});
  std::string resync_text;  // built once, only if some client fell behind
  for (auto& [id, client] : clients_) {
    if (client.queue.size() < options_.queue_limit) {
      enqueue(client, text);
      continue;
    }
    ++resyncs_;
    client.queue.clear();
    if (resync_text.empty()) resync_text = dump(snapshot());
    enqueue(client, dump({{"type", "resync"}, {"seq", seq_}, {"reason", "client fell behind"}}));
    enqueue(client, resync_text);
  }
}

void WsHub::seed(const std::vector<Event>& events) {
  // Seeding may complete after live broadcasts began: merge by journal id, oldest first.
  std::map<std::int64_t, Event> by_id;
  for (const auto& event : recent_) by_id.emplace(event.id, event);
  for (const auto& event : events) by_id.emplace(event.id, event);
  recent_.clear();
  for (auto& [id, event] : by_id) recent_.push_back(std::move(event));
  while (recent_.size() > options_.recent_events) recent_.pop_front();
}

}  // namespace constellation::api
