// A scripted ApiClient for command tests: canned responses by "METHOD target", a record of
// every request, and an event stream that replays messages and then ends.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "console/client/address.hpp"
#include "console/client/api_client.hpp"

namespace constellation::console::testing {

struct Request {
  std::string method, target;
  nlohmann::json body;
};

class FakeStream final : public EventStream {
 public:
  explicit FakeStream(std::deque<nlohmann::json> messages) : messages_(std::move(messages)) {}
  Result<nlohmann::json> next() override {
    if (messages_.empty()) return fail(ErrorCode::unavailable, "the event stream ended");
    auto message = std::move(messages_.front());
    messages_.pop_front();
    return message;
  }

 private:
  std::deque<nlohmann::json> messages_;
};

/// Shared by the test and every client the factory makes.
struct FakeAgent {
  std::map<std::string, HttpResponse> responses;  ///< "GET /api/v1/status" -> response
  std::vector<Request> requests;
  std::deque<nlohmann::json> stream;
  bool unreachable = false;

  void answer(const std::string& key, int status, nlohmann::json body) {
    responses[key] = HttpResponse{status, body, body.dump()};
  }
};

class FakeClient final : public ApiClient {
 public:
  FakeClient(FakeAgent& agent, std::string address) : agent_(agent), address_(std::move(address)) {}

  Result<HttpResponse> send(std::string_view method, std::string_view target,
                            const nlohmann::json* body) override {
    agent_.requests.push_back({std::string(method), std::string(target), body ? *body : nullptr});
    if (agent_.unreachable)
      return std::unexpected(agent_unreachable(address_, "connection refused"));
    auto it = agent_.responses.find(std::string(method) + " " + std::string(target));
    if (it == agent_.responses.end())
      return HttpResponse{404, {{"error", {{"code", "not_found"}, {"message", "no route"}}}}, ""};
    return it->second;
  }
  Result<std::unique_ptr<EventStream>> subscribe() override {
    if (agent_.unreachable)
      return std::unexpected(agent_unreachable(address_, "connection refused"));
    return std::make_unique<FakeStream>(agent_.stream);
  }
  std::string address() const override { return address_; }

 private:
  FakeAgent& agent_;
  std::string address_;
};

}  // namespace constellation::console::testing
