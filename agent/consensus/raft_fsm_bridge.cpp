// libraft's fsm callbacks over an Applier. Results do not travel as heap objects (followers
// would leak them): the `result` pointer carries a sequence number, and the leader's apply
// callback looks the text up here right after the apply.
#include "agent/consensus/raft_fsm_bridge.hpp"

#include <cassert>
#include <cstring>

namespace constellation::consensus {

raft_buffer pad(std::string_view bytes) {
  const std::size_t len = (bytes.size() + 7) / 8 * 8;
  raft_buffer buf{.base = raft_malloc(len == 0 ? 8 : len), .len = len == 0 ? 8 : len};
  if (buf.base == nullptr) return raft_buffer{.base = nullptr, .len = 0};
  std::memset(buf.base, 0, buf.len);
  if (!bytes.empty()) std::memcpy(buf.base, bytes.data(), bytes.size());
  assert(buf.len % 8 == 0);
  return buf;
}

FsmBridge::FsmBridge(Applier& applier) : applier_(applier) {
  fsm_.version = 1;
  fsm_.data = this;
  fsm_.apply = &FsmBridge::apply;
  fsm_.snapshot = &FsmBridge::snapshot;
  fsm_.restore = &FsmBridge::restore;
}

std::optional<std::string> FsmBridge::take_result(void* result) {
  const auto seq = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(result));
  for (auto it = results_.begin(); it != results_.end(); ++it)
    if (it->first == seq) {
      std::string text = std::move(it->second);
      results_.erase(it);
      return text;
    }
  return std::nullopt;
}

int FsmBridge::apply(raft_fsm* fsm, const raft_buffer* buf, void** result) {
  auto* self = static_cast<FsmBridge*>(fsm->data);
  std::string_view command(static_cast<const char*>(buf->base), buf->len);
  while (!command.empty() && command.back() == '\0') command.remove_suffix(1);
  std::string text = self->applier_.apply(command);
  const std::uint64_t seq = ++self->seq_;
  if (self->hook_) self->hook_(command, text);
  self->results_.emplace_back(seq, std::move(text));
  while (self->results_.size() > kKeptResults) self->results_.pop_front();
  *result = reinterpret_cast<void*>(static_cast<std::uintptr_t>(seq));
  return 0;
}

int FsmBridge::snapshot(raft_fsm* fsm, raft_buffer* bufs[], unsigned* n_bufs) {
  auto* self = static_cast<FsmBridge*>(fsm->data);
  // Version 1: raft frees both the array and the buffer with raft_free.
  auto* array = static_cast<raft_buffer*>(raft_malloc(sizeof(raft_buffer)));
  if (array == nullptr) return RAFT_NOMEM;
  array[0] = pad(self->applier_.snapshot());
  if (array[0].base == nullptr) {
    raft_free(array);
    return RAFT_NOMEM;
  }
  *bufs = array;
  *n_bufs = 1;
  return 0;
}

int FsmBridge::restore(raft_fsm* fsm, raft_buffer* buf) {
  auto* self = static_cast<FsmBridge*>(fsm->data);
  auto status =
      self->applier_.restore(std::string_view(static_cast<const char*>(buf->base), buf->len));
  if (!status) return RAFT_CORRUPT;
  raft_free(buf->base);  // on success the FSM owns the buffer
  return 0;
}

}  // namespace constellation::consensus
