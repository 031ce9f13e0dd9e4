// Private to agent/gossip: go-msgpack's conventions expressed as a field table per struct.
// One row per Go field {wire name, omitempty, write, read}; the same table encodes (keys
// sorted bytewise, as Go emits them) and decodes (map by name, or array by position).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>

#include <msgpack.hpp>

#include "agent/gossip/messages.hpp"
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip::detail {

/// msgpack::packer output stream that appends to a Bytes buffer it does not own.
class ByteSink {
 public:
  explicit ByteSink(Bytes& out) : out_(out) {}
  void write(const char* data, std::size_t size) {
    out_.insert(out_.end(), reinterpret_cast<const std::uint8_t*>(data),
                reinterpret_cast<const std::uint8_t*>(data) + size);
  }

 private:
  Bytes& out_;
};
using Packer = msgpack::packer<ByteSink>;

/// Strings and []byte both use the old raw family (a0|n, da, db), as go-msgpack writes them.
inline void pack_raw(Packer& p, const void* data, std::size_t size) {
  p.pack_v4raw(static_cast<std::uint32_t>(size));
  p.pack_v4raw_body(static_cast<const char*>(data), static_cast<std::uint32_t>(size));
}

// --- value writers: one overload per Go field type ------------------------------------------
inline void write_value(Packer& p, std::uint64_t v) {
  p.pack_uint64(v);
}
inline void write_value(Packer& p, std::uint32_t v) {
  p.pack_uint64(v);
}
inline void write_value(Packer& p, std::uint16_t v) {
  p.pack_uint64(v);
}
inline void write_value(Packer& p, std::uint8_t v) {
  p.pack_uint64(v);
}
inline void write_value(Packer& p, std::int64_t v) {
  if (v >= 0) {
    p.pack_uint64(static_cast<std::uint64_t>(v));  // go-msgpack writes non-negative ints as uint
  } else {
    p.pack_int64(v);
  }
}
inline void write_value(Packer& p, bool v) {
  v ? p.pack_true() : p.pack_false();
}
inline void write_value(Packer& p, const std::string& v) {
  pack_raw(p, v.data(), v.size());
}
inline void write_value(Packer& p, const Bytes& v) {
  if (v.empty()) {
    p.pack_nil();  // a nil Go slice; memberlist never sends a non-nil empty address
  } else {
    pack_raw(p, v.data(), v.size());
  }
}
inline void write_value(Packer& p, const std::optional<Bytes>& v) {
  if (!v) {
    p.pack_nil();
  } else {
    pack_raw(p, v->data(), v->size());
  }
}
inline void write_value(Packer& p, const VersionVector& v) {
  const std::uint8_t raw[6] = {v.pmin, v.pmax, v.pcur, v.dmin, v.dmax, v.dcur};
  pack_raw(p, raw, sizeof raw);
}
inline void write_value(Packer& p, NodeState v) {
  p.pack_uint64(static_cast<std::uint64_t>(v));
}

/// Go's omitempty test: zero number, empty string or slice. Only used for omitempty fields.
template <typename V>
bool is_empty_value(const V& v) {
  if constexpr (requires { v.empty(); }) {
    return v.empty();
  } else if constexpr (requires { v.has_value(); }) {
    return !v.has_value() || v->empty();
  } else {
    return v == V{};
  }
}

// --- value readers: accept every encoding go-msgpack's decoder accepts for the type ---------
template <typename U>
requires std::is_unsigned_v<U>
bool read_value(const msgpack::object& o, U& out) {
  if (o.type == msgpack::type::NIL) {
    out = 0;
    return true;
  }
  if (o.type != msgpack::type::POSITIVE_INTEGER) return false;
  if (o.via.u64 > std::numeric_limits<U>::max()) return false;
  out = static_cast<U>(o.via.u64);
  return true;
}
inline bool read_value(const msgpack::object& o, std::int64_t& out) {
  if (o.type == msgpack::type::NIL) {
    out = 0;
  } else if (o.type == msgpack::type::POSITIVE_INTEGER) {
    if (o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return false;
    }
    out = static_cast<std::int64_t>(o.via.u64);
  } else if (o.type == msgpack::type::NEGATIVE_INTEGER) {
    out = o.via.i64;
  } else {
    return false;
  }
  return true;
}
inline bool read_value(const msgpack::object& o, bool& out) {
  if (o.type == msgpack::type::NIL) {
    out = false;
    return true;
  }
  if (o.type != msgpack::type::BOOLEAN) return false;
  out = o.via.boolean;
  return true;
}
/// String fields must be str/raw; bin is rejected there, as Go does.
inline bool read_value(const msgpack::object& o, std::string& out) {
  if (o.type == msgpack::type::NIL) {
    out.clear();
    return true;
  }
  if (o.type != msgpack::type::STR) return false;
  out.assign(o.via.str.ptr, o.via.str.size);
  return true;
}
inline bool read_bytes(const msgpack::object& o, Bytes& out) {
  if (o.type == msgpack::type::STR) {
    out.assign(o.via.str.ptr, o.via.str.ptr + o.via.str.size);
  } else if (o.type == msgpack::type::BIN) {
    out.assign(o.via.bin.ptr, o.via.bin.ptr + o.via.bin.size);
  } else {
    return false;
  }
  return true;
}
inline bool read_value(const msgpack::object& o, Bytes& out) {
  if (o.type == msgpack::type::NIL) {
    out.clear();
    return true;
  }
  return read_bytes(o, out);
}
inline bool read_value(const msgpack::object& o, std::optional<Bytes>& out) {
  if (o.type == msgpack::type::NIL) {
    out.reset();
    return true;
  }
  Bytes bytes;
  if (!read_bytes(o, bytes)) return false;
  out = std::move(bytes);
  return true;
}
/// Vsn: nil or empty leaves zeros (the core then ignores the versions); otherwise exactly 6.
inline bool read_value(const msgpack::object& o, VersionVector& out) {
  Bytes raw;
  if (!read_value(o, raw)) return false;
  if (raw.empty()) {
    out = VersionVector{};
    return true;
  }
  if (raw.size() != 6) return false;
  out = VersionVector{raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]};
  return true;
}
inline bool read_value(const msgpack::object& o, NodeState& out) {
  std::uint8_t v = 0;
  if (!read_value(o, v) || v > static_cast<std::uint8_t>(NodeState::left)) return false;
  out = static_cast<NodeState>(v);
  return true;
}

// --- the field table ---------------------------------------------------------------------------
template <typename T>
struct FieldSpec {
  std::string_view name;  ///< Go field name == msgpack map key
  bool omitempty;
  void (*write)(Packer&, const T&);
  bool (*is_empty)(const T&);
  bool (*read)(const msgpack::object&, T&);
};

template <typename M>
struct MemberTraits;
template <typename C, typename V>
struct MemberTraits<V C::*> {
  using Class = C;
};

/// One row: `field<&Ping::seq_no>("SeqNo")`.
template <auto Member>
constexpr FieldSpec<typename MemberTraits<decltype(Member)>::Class> field(std::string_view name,
                                                                          bool omitempty = false) {
  using C = typename MemberTraits<decltype(Member)>::Class;
  return {name, omitempty, [](Packer& p, const C& v) { write_value(p, v.*Member); },
          [](const C& v) { return is_empty_value(v.*Member); },
          [](const msgpack::object& o, C& v) { return read_value(o, v.*Member); }};
}

/// Writes `value` as a map with keys sorted bytewise, leaving out empty omitempty fields.
/// Each struct has exactly one table, so the sorted order is computed once per T.
template <typename T, std::size_t N>
void write_map(Packer& p, const T& value, const std::array<FieldSpec<T>, N>& fields) {
  static const std::array<const FieldSpec<T>*, N> order = [&fields] {
    std::array<const FieldSpec<T>*, N> sorted{};
    for (std::size_t i = 0; i < N; ++i) sorted[i] = &fields[i];
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
    return sorted;
  }();
  std::array<bool, N> skip{};
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < N; ++i) {
    skip[i] = order[i]->omitempty && order[i]->is_empty(value);
    count += skip[i] ? 0 : 1;
  }
  p.pack_map(count);
  for (std::size_t i = 0; i < N; ++i) {
    if (skip[i]) continue;
    pack_raw(p, order[i]->name.data(), order[i]->name.size());
    order[i]->write(p, value);
  }
}

/// Reads a struct sent as a map (unknown keys skipped, missing keys zero) or as an array
/// (positional, declaration order).
template <typename T, std::size_t N>
WireResult<T> read_struct(const msgpack::object& o, const std::array<FieldSpec<T>, N>& fields,
                          std::string_view what) {
  T value{};
  auto bad_field = [&](std::string_view name) {
    return wire_fail(DropReason::malformed,
                     std::string(what) + "." + std::string(name) + " has the wrong type");
  };
  if (o.type == msgpack::type::MAP) {
    for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
      const msgpack::object_kv& kv = o.via.map.ptr[i];
      if (kv.key.type != msgpack::type::STR) {
        return wire_fail(DropReason::malformed, std::string(what) + " has a non-string key");
      }
      const std::string_view key(kv.key.via.str.ptr, kv.key.via.str.size);
      for (const auto& f : fields) {
        if (f.name != key) continue;
        if (!f.read(kv.val, value)) return bad_field(f.name);
        break;
      }
    }
    return value;
  }
  if (o.type == msgpack::type::ARRAY) {
    const std::size_t n = std::min<std::size_t>(o.via.array.size, N);
    for (std::size_t i = 0; i < n; ++i) {
      if (!fields[i].read(o.via.array.ptr[i], value)) return bad_field(fields[i].name);
    }
    return value;
  }
  return wire_fail(DropReason::malformed, std::string(what) + " is not a map");
}

/// Parses one msgpack value starting at `offset`, advancing it. Never throws: lengths that
/// run past the input are `truncated`, anything else msgpack-cxx rejects is `malformed`.
/// Containers are capped by the input size, so a lying header cannot allocate much.
WireResult<msgpack::object_handle> unpack_one(std::span<const std::uint8_t> input,
                                              std::size_t& offset);

}  // namespace constellation::gossip::detail

namespace constellation::gossip::detail {

/// Bodies (the msgpack map after the type byte), defined in message_codec.cpp from the tables.
void write_body(Packer& p, const Ping& v);
void write_body(Packer& p, const IndirectPing& v);
void write_body(Packer& p, const AckResp& v);
void write_body(Packer& p, const NackResp& v);
void write_body(Packer& p, const ErrResp& v);
void write_body(Packer& p, const Suspect& v);
void write_body(Packer& p, const Alive& v);
void write_body(Packer& p, const Dead& v);
void write_body(Packer& p, const Compress& v);
void write_body(Packer& p, const PushPullHeader& v);
void write_body(Packer& p, const PushNodeState& v);
void write_body(Packer& p, const UserMsgHeader& v);

/// Tag type selecting the body to read: `read_body(obj, As<Ping>{})`.
template <typename T>
struct As {};
WireResult<Ping> read_body(const msgpack::object& o, As<Ping>);
WireResult<IndirectPing> read_body(const msgpack::object& o, As<IndirectPing>);
WireResult<AckResp> read_body(const msgpack::object& o, As<AckResp>);
WireResult<NackResp> read_body(const msgpack::object& o, As<NackResp>);
WireResult<ErrResp> read_body(const msgpack::object& o, As<ErrResp>);
WireResult<Suspect> read_body(const msgpack::object& o, As<Suspect>);
WireResult<Alive> read_body(const msgpack::object& o, As<Alive>);
WireResult<Dead> read_body(const msgpack::object& o, As<Dead>);
WireResult<Compress> read_body(const msgpack::object& o, As<Compress>);
WireResult<PushPullHeader> read_body(const msgpack::object& o, As<PushPullHeader>);
WireResult<PushNodeState> read_body(const msgpack::object& o, As<PushNodeState>);
WireResult<UserMsgHeader> read_body(const msgpack::object& o, As<UserMsgHeader>);

/// Reads the next msgpack value from `input` at `offset` as a T.
template <typename T>
WireResult<T> read_next(std::span<const std::uint8_t> input, std::size_t& offset) {
  auto handle = unpack_one(input, offset);
  if (!handle) return std::unexpected(handle.error());
  return read_body(handle->get(), As<T>{});
}

}  // namespace constellation::gossip::detail
