// Open-loop HTTP/1.1 load at a fixed request rate, for latency percentiles that wrk (closed
// loop) cannot give: requests are scheduled at `rate` per second over keep-alive connections
// and each latency is measured from its scheduled start, so a stalled server is charged for
// the requests it delayed (no coordinated omission).
// Usage: http_load HOST PORT PATH RATE SECONDS [CONNECTIONS]  -> one JSON line on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "shared/asio.hpp"

namespace asio = boost::asio;

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

struct Load {
  std::deque<Clock::time_point> due;  ///< scheduled, not yet sent
  std::vector<double> latencies_ms;
  int errors = 0;
  bool done_scheduling = false;
};

asio::awaitable<void> connection(asio::ip::tcp::endpoint endpoint, std::string target, Load& load) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  beast::flat_buffer buffer;
  asio::steady_timer idle(executor);
  bool connected = false;
  for (;;) {
    if (load.due.empty()) {
      if (load.done_scheduling) co_return;
      idle.expires_after(std::chrono::microseconds(200));
      co_await idle.async_wait(asio::use_awaitable);
      continue;
    }
    const auto scheduled = load.due.front();
    load.due.pop_front();
    try {
      if (!connected) {
        co_await stream.async_connect(endpoint, asio::use_awaitable);
        stream.socket().set_option(asio::ip::tcp::no_delay(true));
        connected = true;
      }
      http::request<http::empty_body> request{http::verb::get, target, 11};
      request.set(http::field::host, "127.0.0.1");
      co_await http::async_write(stream, request, asio::use_awaitable);
      http::response<http::string_body> response;
      co_await http::async_read(stream, buffer, response, asio::use_awaitable);
      if (response.result_int() >= 400 && response.result_int() != 503) ++load.errors;
      load.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - scheduled).count());
    } catch (const std::exception&) {
      ++load.errors;
      connected = false;
      stream.close();
    }
  }
}

asio::awaitable<void> scheduler(double rate, double seconds, Load& load) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  const auto start = Clock::now();
  const auto total = static_cast<long>(rate * seconds);
  long issued = 0;
  while (issued < total) {
    const auto elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const long should = std::min(total, static_cast<long>(elapsed * rate));
    for (; issued < should; ++issued)
      load.due.push_back(start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(issued / rate)));
    timer.expires_after(std::chrono::microseconds(250));
    co_await timer.async_wait(asio::use_awaitable);
  }
  load.done_scheduling = true;
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
  return values[index];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: http_load HOST PORT PATH RATE SECONDS [CONNECTIONS]\n");
    return 2;
  }
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(argv[1]),
                                         static_cast<unsigned short>(std::stoi(argv[2])));
  const std::string target = argv[3];
  const double rate = std::stod(argv[4]);
  const double seconds = std::stod(argv[5]);
  const int connections = argc > 6 ? std::stoi(argv[6]) : 32;
  asio::io_context io;
  Load load;
  asio::co_spawn(io, scheduler(rate, seconds, load), asio::detached);
  for (int i = 0; i < connections; ++i)
    asio::co_spawn(io, connection(endpoint, target, load), asio::detached);
  const auto start = Clock::now();
  io.run();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  auto& l = load.latencies_ms;
  const double achieved = static_cast<double>(l.size()) / elapsed;
  const double p50 = percentile(l, 0.50), p99 = percentile(l, 0.99), p999 = percentile(l, 0.999);
  const double max = l.empty() ? 0 : *std::max_element(l.begin(), l.end());
  std::printf(
      "{\"requests\":%zu,\"errors\":%d,\"rate\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"p999_ms\":%.3f,\"max_ms\":%.3f}\n",
      l.size(), load.errors, achieved, p50, p99, p999, max);
  return 0;
}
