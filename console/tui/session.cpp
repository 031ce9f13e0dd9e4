// Session: feed messages and detail fetches applied to the model (see session.hpp).
#include "console/tui/session.hpp"

#include "shared/api_paths.hpp"

namespace constellation::console::tui {

void Session::on_message(const nlohmann::json& message) {
  const std::string type = message.value("type", "");
  if (type == "hello") {
    model.agent_node = message.value("node", "");
  } else if (type == "snapshot") {
    resync(message);
  } else if (type == "event") {
    auto event = event_from_json(message.value("event", nlohmann::json::object()));
    if (event) refresh(model.apply_event(*event));
  } else if (type == "down") {
    model.link = Link{.connected = false,
                      .error = message.value("error", ""),
                      .attempt = message.value("attempt", 1),
                      .retry_in_ms = message.value("retry_in_ms", 0)};
    client_.reset();
    pending_snapshot_.reset();  // the next connection brings its own snapshot
  }
}

void Session::tick() {
  if (pending_snapshot_ && !model.link.connected) resync(*pending_snapshot_);
}

void Session::fetch_detail(const Reaction& reaction) {
  auto body = get(reaction.path);
  if (body)
    view.detail = Detail{.title = reaction.title, .body = std::move(*body)};
  else
    view.message = reaction.title + ": " + body.error().message;
}

Result<nlohmann::json> Session::get(const std::string& path) {
  if (!client_) {
    auto client = connect_();
    if (!client) return std::unexpected(client.error());
    client_ = std::move(*client);
  }
  return client_->get(path);
}

void Session::resync(const nlohmann::json& snapshot) {
  auto nodes = get(std::string(api_paths::nodes));
  auto services = get(std::string(api_paths::services));
  auto events = get(std::string(api_paths::events) + "?limit=" + std::to_string(kSnapshotEvents));
  if (!nodes || !services || !events) {
    const Error& error = !nodes ? nodes.error() : !services ? services.error() : events.error();
    model.link = Link{.connected = false, .error = error.message, .attempt = 1};
    pending_snapshot_ = snapshot;
    client_.reset();
    return;
  }
  pending_snapshot_.reset();
  model.load_nodes(*nodes, clock_());
  model.load_services(*services);
  model.load_events(events->value("events", nlohmann::json::array()));
  model.load_events(snapshot.value("events", nlohmann::json::array()));
  model.link = Link{.connected = true};
}

void Session::refresh(const Refresh& refresh) {
  if (refresh.kind == Refresh::Kind::node) {
    if (auto node = get(std::string(api_paths::nodes) + "/" + refresh.name))
      model.apply_node(*node, clock_());
  } else if (refresh.kind == Refresh::Kind::service) {
    auto service = get(std::string(api_paths::services) + "/" + refresh.name);
    if (service)
      model.apply_service(*service);
    else if (service.error().code == ErrorCode::not_found)
      model.remove_service(refresh.name);
  }
}

}  // namespace constellation::console::tui
