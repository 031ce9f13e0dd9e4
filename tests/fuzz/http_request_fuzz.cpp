// libFuzzer target: raw bytes through the server's HTTP parser (Beast's request_parser, with
// the server's limits) and then the real dispatcher and route table over a fake agent. Checks
// that nothing crashes, every answer has a sane status and JSON answers parse as JSON.
// Also compiled by g++ into fuzz_http_regression, which replays the committed corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/api/dispatcher.hpp"
#include "agent/api/handlers.hpp"
#include "agent/api/session.hpp"

namespace {

using namespace constellation;
using namespace constellation::api;

constexpr std::size_t kBodyLimit = 64 * 1024;

/// A fake agent with a tiny in-memory journal; enough for every handler to run.
struct FuzzAgent {
  std::vector<Event> journal;
  ApiContext context() {
    ApiContext context;
    context.status = [] { return nlohmann::json{{"node", "fuzz"}}; };
    context.health_problems = [] { return std::vector<std::string>{}; };
    context.query_events = [this](EventQuery query) -> asio::awaitable<Result<std::vector<Event>>> {
      std::vector<Event> out;
      for (const auto& event : journal)
        if (static_cast<int>(out.size()) < query.limit) out.push_back(event);
      co_return out;
    };
    context.publish = [this](Event event, std::function<void(Result<Event>)> done) {
      event.id = static_cast<std::int64_t>(journal.size()) + 1;
      if (journal.size() < 64) journal.push_back(event);
      done(event);
    };
    context.reload = [] { return Result<nlohmann::json>(nlohmann::json::object()); };
    return context;
  }
};

struct Harness {
  FuzzAgent agent;
  Metrics metrics;
  Dispatcher dispatcher{make_routes(HandlerDeps{agent.context(), "fuzz", &metrics}),
                        Auth(std::string("fuzz-token"), "/secrets/api-token"), metrics};
};

void check(const Response& response) {
  if (response.status < 200 || response.status > 599) std::abort();
  if (response.content_type == "application/json" &&
      nlohmann::json::parse(response.body, nullptr, false).is_discarded())
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto request = parse_http_request(bytes, kBodyLimit);
  if (!request) {
    check(error_response(request.error()));
    return 0;
  }
  // The input length picks the listener so both trust levels are explored.
  request->peer = size % 2 ? PeerKind::tcp : PeerKind::unix_socket;
  request->peer_address = request->peer == PeerKind::tcp ? "127.0.0.1" : "";
  asio::io_context io;
  bool answered = false;
  asio::co_spawn(io, harness.dispatcher.dispatch(std::move(*request)),
                 [&](std::exception_ptr error, Response response) {
                   if (error) std::abort();
                   check(response);
                   answered = true;
                 });
  io.run();
  if (!answered) std::abort();
  return 0;
}
