// WebSocket fan-out latency: N clients subscribe to an agent's /ws over its unix socket, then
// each round posts one note and measures the time until the last client has received the
// event. Usage: ws_fanout SOCKET [CLIENTS] [ROUNDS] -> one JSON line on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "shared/asio.hpp"

namespace asio = boost::asio;

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using Socket = asio::local::stream_protocol::socket;

namespace {

struct Round {
  Clock::time_point posted;
  int remaining = 0;
  Clock::time_point last_arrival;
};

asio::awaitable<void> subscriber(std::string path, int rounds, std::vector<Round>& results,
                                 int& ready) {
  auto executor = co_await asio::this_coro::executor;
  websocket::stream<Socket> ws(executor);
  co_await ws.next_layer().async_connect(asio::local::stream_protocol::endpoint(path),
                                         asio::use_awaitable);
  co_await ws.async_handshake("localhost", "/ws", asio::use_awaitable);
  beast::flat_buffer buffer;
  int seen = 0;
  bool counted = false;
  while (seen < rounds) {
    buffer.clear();
    co_await ws.async_read(buffer, asio::use_awaitable);
    auto message = nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
    const auto type = message.value("type", "");
    if (type == "snapshot" && !counted) {
      counted = true;
      ++ready;
    } else if (type == "event" && message["event"].value("kind", "") == "note.bench") {
      auto& round = results[static_cast<std::size_t>(seen++)];
      round.last_arrival = Clock::now();
      --round.remaining;
    }
  }
  co_await ws.async_close(websocket::close_code::normal, asio::use_awaitable);
}

asio::awaitable<void> post_note(std::string path, int round) {
  auto executor = co_await asio::this_coro::executor;
  beast::basic_stream<asio::local::stream_protocol> stream(executor);
  co_await stream.async_connect(asio::local::stream_protocol::endpoint(path), asio::use_awaitable);
  http::request<http::string_body> request{http::verb::post, "/api/v1/events", 11};
  request.set(http::field::host, "localhost");
  request.set(http::field::content_type, "application/json");
  request.body() = nlohmann::json{
      {"message", "fan-out round " + std::to_string(round)},
      {"kind",
       "note.bench"}}.dump();
  request.prepare_payload();
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  co_await http::async_read(stream, buffer, response, asio::use_awaitable);
}

asio::awaitable<void> driver(std::string path, int clients, int rounds, std::vector<Round>& results,
                             int& ready) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  while (ready < clients) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::use_awaitable);
  }
  for (int i = 0; i < rounds; ++i) {
    auto& round = results[static_cast<std::size_t>(i)];
    round.remaining = clients;
    round.posted = Clock::now();
    co_await post_note(path, i);
    while (round.remaining > 0) {
      timer.expires_after(std::chrono::microseconds(200));
      co_await timer.async_wait(asio::use_awaitable);
    }
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ws_fanout SOCKET [CLIENTS] [ROUNDS]\n");
    return 2;
  }
  const std::string path = argv[1];
  const int clients = argc > 2 ? std::stoi(argv[2]) : 200;
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 20;
  std::vector<Round> results(static_cast<std::size_t>(rounds));
  int ready = 0;
  asio::io_context io;
  bool failed = false;
  auto on_error = [&](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ws_fanout: %s\n", e.what());
      failed = true;
      io.stop();
    }
  };
  for (int i = 0; i < clients; ++i)
    asio::co_spawn(io, subscriber(path, rounds, results, ready), on_error);
  asio::co_spawn(io, driver(path, clients, rounds, results, ready), on_error);
  io.run();
  if (failed) return 1;
  std::vector<double> latencies;
  for (const auto& round : results)
    latencies.push_back(
        std::chrono::duration<double, std::milli>(round.last_arrival - round.posted).count());
  std::sort(latencies.begin(), latencies.end());
  std::printf("{\"clients\":%d,\"rounds\":%d,\"median_ms\":%.3f,\"max_ms\":%.3f}\n", clients,
              rounds, latencies[latencies.size() / 2], latencies.back());
  return 0;
}
