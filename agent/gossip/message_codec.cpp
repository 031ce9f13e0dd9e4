// Field tables for every memberlist struct (Go declaration order, which is also the array
// form's positional order) and the command-level encode/decode built on them.
#include "agent/gossip/message_codec.hpp"

#include <exception>

#include "agent/gossip/msgpack_fields.hpp"

namespace constellation::gossip {
namespace detail {
namespace {

constexpr std::array kPingFields{
    field<&Ping::seq_no>("SeqNo"),
    field<&Ping::node>("Node"),
    field<&Ping::source_addr>("SourceAddr", true),
    field<&Ping::source_port>("SourcePort", true),
    field<&Ping::source_node>("SourceNode", true),
};
constexpr std::array kIndirectPingFields{
    field<&IndirectPing::seq_no>("SeqNo"),
    field<&IndirectPing::target>("Target"),
    field<&IndirectPing::port>("Port"),
    field<&IndirectPing::node>("Node"),
    field<&IndirectPing::nack>("Nack"),
    field<&IndirectPing::source_addr>("SourceAddr", true),
    field<&IndirectPing::source_port>("SourcePort", true),
    field<&IndirectPing::source_node>("SourceNode", true),
};
constexpr std::array kAckFields{
    field<&AckResp::seq_no>("SeqNo"),
    field<&AckResp::payload>("Payload"),
};
constexpr std::array kNackFields{field<&NackResp::seq_no>("SeqNo")};
constexpr std::array kErrFields{field<&ErrResp::error>("Error")};
constexpr std::array kSuspectFields{
    field<&Suspect::incarnation>("Incarnation"),
    field<&Suspect::node>("Node"),
    field<&Suspect::from>("From"),
};
constexpr std::array kAliveFields{
    field<&Alive::incarnation>("Incarnation"),
    field<&Alive::node>("Node"),
    field<&Alive::addr>("Addr"),
    field<&Alive::port>("Port"),
    field<&Alive::meta>("Meta"),
    field<&Alive::vsn>("Vsn"),
};
constexpr std::array kDeadFields{
    field<&Dead::incarnation>("Incarnation"),
    field<&Dead::node>("Node"),
    field<&Dead::from>("From"),
};
constexpr std::array kCompressFields{
    field<&Compress::algo>("Algo"),
    field<&Compress::buf>("Buf"),
};
constexpr std::array kPushPullHeaderFields{
    field<&PushPullHeader::nodes>("Nodes"),
    field<&PushPullHeader::user_state_len>("UserStateLen"),
    field<&PushPullHeader::join>("Join"),
};
constexpr std::array kPushNodeStateFields{
    field<&PushNodeState::name>("Name"),
    field<&PushNodeState::addr>("Addr"),
    field<&PushNodeState::port>("Port"),
    field<&PushNodeState::meta>("Meta"),
    field<&PushNodeState::incarnation>("Incarnation"),
    field<&PushNodeState::state>("State"),
    field<&PushNodeState::vsn>("Vsn"),
};
constexpr std::array kUserMsgHeaderFields{field<&UserMsgHeader::user_msg_len>("UserMsgLen")};

template <typename T>
WireResult<T> check_meta(WireResult<T> decoded) {
  if (decoded && decoded->meta && decoded->meta->size() > kMaxMetaSize) {
    return wire_fail(DropReason::oversized,
                     "meta of " + std::to_string(decoded->meta->size()) + " bytes exceeds 512");
  }
  return decoded;
}

}  // namespace

void write_body(Packer& p, const Ping& v) {
  write_map(p, v, kPingFields);
}
void write_body(Packer& p, const IndirectPing& v) {
  write_map(p, v, kIndirectPingFields);
}
void write_body(Packer& p, const AckResp& v) {
  write_map(p, v, kAckFields);
}
void write_body(Packer& p, const NackResp& v) {
  write_map(p, v, kNackFields);
}
void write_body(Packer& p, const ErrResp& v) {
  write_map(p, v, kErrFields);
}
void write_body(Packer& p, const Suspect& v) {
  write_map(p, v, kSuspectFields);
}
void write_body(Packer& p, const Alive& v) {
  write_map(p, v, kAliveFields);
}
void write_body(Packer& p, const Dead& v) {
  write_map(p, v, kDeadFields);
}
void write_body(Packer& p, const Compress& v) {
  write_map(p, v, kCompressFields);
}
void write_body(Packer& p, const PushPullHeader& v) {
  write_map(p, v, kPushPullHeaderFields);
}
void write_body(Packer& p, const PushNodeState& v) {
  write_map(p, v, kPushNodeStateFields);
}
void write_body(Packer& p, const UserMsgHeader& v) {
  write_map(p, v, kUserMsgHeaderFields);
}

WireResult<Ping> read_body(const msgpack::object& o, As<Ping>) {
  return read_struct(o, kPingFields, "ping");
}
WireResult<IndirectPing> read_body(const msgpack::object& o, As<IndirectPing>) {
  return read_struct(o, kIndirectPingFields, "indirectPingReq");
}
WireResult<AckResp> read_body(const msgpack::object& o, As<AckResp>) {
  return read_struct(o, kAckFields, "ackResp");
}
WireResult<NackResp> read_body(const msgpack::object& o, As<NackResp>) {
  return read_struct(o, kNackFields, "nackResp");
}
WireResult<ErrResp> read_body(const msgpack::object& o, As<ErrResp>) {
  return read_struct(o, kErrFields, "errResp");
}
WireResult<Suspect> read_body(const msgpack::object& o, As<Suspect>) {
  return read_struct(o, kSuspectFields, "suspect");
}
WireResult<Alive> read_body(const msgpack::object& o, As<Alive>) {
  return check_meta(read_struct(o, kAliveFields, "alive"));
}
WireResult<Dead> read_body(const msgpack::object& o, As<Dead>) {
  return read_struct(o, kDeadFields, "dead");
}
WireResult<Compress> read_body(const msgpack::object& o, As<Compress>) {
  return read_struct(o, kCompressFields, "compress");
}
WireResult<PushPullHeader> read_body(const msgpack::object& o, As<PushPullHeader>) {
  return read_struct(o, kPushPullHeaderFields, "pushPullHeader");
}
WireResult<PushNodeState> read_body(const msgpack::object& o, As<PushNodeState>) {
  return check_meta(read_struct(o, kPushNodeStateFields, "pushNodeState"));
}
WireResult<UserMsgHeader> read_body(const msgpack::object& o, As<UserMsgHeader>) {
  return read_struct(o, kUserMsgHeaderFields, "userMsgHeader");
}

WireResult<msgpack::object_handle> unpack_one(std::span<const std::uint8_t> input,
                                              std::size_t& offset) {
  // Every element needs at least one input byte, so no honest container exceeds the input.
  const std::size_t cap = input.size();
  const msgpack::unpack_limit limit(cap, cap, cap, cap, cap, /*depth=*/32);
  try {
    return msgpack::unpack(reinterpret_cast<const char*>(input.data()), input.size(), offset,
                           nullptr, nullptr, limit);
  } catch (const msgpack::insufficient_bytes&) {
    return wire_fail(DropReason::truncated, "msgpack value runs past the end of the input");
  } catch (const msgpack::size_overflow&) {
    return wire_fail(DropReason::truncated, "msgpack length is larger than the input");
  } catch (const std::exception& e) {
    return wire_fail(DropReason::malformed, std::string("msgpack: ") + e.what());
  }
}

}  // namespace detail

namespace {

template <typename T>
Bytes encode_command(MessageType type, const T& body) {
  Bytes out;
  out.reserve(64);
  out.push_back(static_cast<std::uint8_t>(type));
  detail::ByteSink sink(out);
  detail::Packer packer(sink);
  detail::write_body(packer, body);
  return out;
}

template <typename T>
WireResult<Message> decode_body(std::span<const std::uint8_t> command) {
  std::size_t offset = 1;
  auto body = detail::read_next<T>(command, offset);
  if (!body) return std::unexpected(body.error());
  return Message{std::move(*body)};
}

}  // namespace

Bytes encode(const Ping& msg) {
  return encode_command(MessageType::ping, msg);
}
Bytes encode(const IndirectPing& msg) {
  return encode_command(MessageType::indirect_ping, msg);
}
Bytes encode(const AckResp& msg) {
  return encode_command(MessageType::ack_resp, msg);
}
Bytes encode(const NackResp& msg) {
  return encode_command(MessageType::nack_resp, msg);
}
Bytes encode(const ErrResp& msg) {
  return encode_command(MessageType::err, msg);
}
Bytes encode(const Suspect& msg) {
  return encode_command(MessageType::suspect, msg);
}
Bytes encode(const Dead& msg) {
  return encode_command(MessageType::dead, msg);
}
Bytes encode(const Compress& msg) {
  return encode_command(MessageType::compress, msg);
}

Bytes encode(const UserMsg& msg) {
  Bytes out;
  out.reserve(msg.payload.size() + 1);
  out.push_back(static_cast<std::uint8_t>(MessageType::user));
  out.insert(out.end(), msg.payload.begin(), msg.payload.end());
  return out;
}

WireResult<Bytes> encode(const Alive& msg) {
  if (msg.meta && msg.meta->size() > kMaxMetaSize) {
    return wire_fail(DropReason::oversized,
                     "meta of " + std::to_string(msg.meta->size()) + " bytes exceeds 512");
  }
  return encode_command(MessageType::alive, msg);
}

WireResult<Bytes> encode(const Message& msg) {
  return std::visit([](const auto& m) -> WireResult<Bytes> { return encode(m); }, msg);
}

WireResult<MessageType> peek_type(std::span<const std::uint8_t> command) {
  if (command.empty()) return wire_fail(DropReason::truncated, "empty command");
  return static_cast<MessageType>(command[0]);
}

WireResult<Message> decode_message(std::span<const std::uint8_t> command) {
  auto type = peek_type(command);
  if (!type) return std::unexpected(type.error());
  switch (*type) {
    case MessageType::ping:
      return decode_body<Ping>(command);
    case MessageType::indirect_ping:
      return decode_body<IndirectPing>(command);
    case MessageType::ack_resp:
      return decode_body<AckResp>(command);
    case MessageType::nack_resp:
      return decode_body<NackResp>(command);
    case MessageType::err:
      return decode_body<ErrResp>(command);
    case MessageType::suspect:
      return decode_body<Suspect>(command);
    case MessageType::alive:
      return decode_body<Alive>(command);
    case MessageType::dead:
      return decode_body<Dead>(command);
    case MessageType::user:
      return Message{UserMsg{Bytes(command.begin() + 1, command.end())}};
    default:
      break;
  }
  return wire_fail(DropReason::unknown_type,
                   "message type " + std::to_string(command[0]) + " is not a message body");
}

WireResult<Compress> decode_compress(std::span<const std::uint8_t> command) {
  auto type = peek_type(command);
  if (!type) return std::unexpected(type.error());
  if (*type != MessageType::compress) {
    return wire_fail(DropReason::unknown_type, "expected a compress envelope");
  }
  std::size_t offset = 1;
  return detail::read_next<Compress>(command, offset);
}

}  // namespace constellation::gossip
