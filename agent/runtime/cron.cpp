// Cron tick and periodic tasks.
#include "agent/runtime/cron.hpp"

#include "shared/log.hpp"

namespace constellation::runtime {

Cron::Cron(asio::io_context& loop, std::chrono::milliseconds interval)
    : timer_(loop), interval_(interval) {}

void Cron::every(std::string name, std::chrono::milliseconds period, std::function<void()> task) {
  tasks_.push_back(Task{std::move(name), period, Clock::now() + period, std::move(task)});
}

void Cron::start() {
  running_ = true;
  auto now = Clock::now();
  for (auto& task : tasks_) task.next = now + task.period;
  arm();
}

void Cron::stop() {
  running_ = false;
  timer_.cancel();
}

void Cron::arm() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !running_) return;
    tick();
    arm();
  });
}

void Cron::tick() {
  ++ticks_;
  auto now = Clock::now();
  for (auto& task : tasks_) {
    if (now < task.next) continue;
    task.next = now + task.period;
    task.run();
  }
}

}  // namespace constellation::runtime
