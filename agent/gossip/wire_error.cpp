// Names for drop reasons and the mapping onto the project-wide Error.
#include "agent/gossip/wire_error.hpp"

namespace constellation::gossip {

std::string_view drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::truncated:
      return "truncated";
    case DropReason::oversized:
      return "oversized";
    case DropReason::bad_crc:
      return "bad_crc";
    case DropReason::decrypt_failed:
      return "decrypt_failed";
    case DropReason::unknown_type:
      return "unknown_type";
    case DropReason::malformed:
      return "malformed";
    case DropReason::bad_label:
      return "bad_label";
  }
  return "malformed";
}

Error to_error(const WireError& error) {
  const ErrorCode code =
      error.reason == DropReason::oversized ? ErrorCode::too_large : ErrorCode::invalid_argument;
  return Error{code, "gossip packet dropped (" + std::string(drop_reason_name(error.reason)) +
                         "): " + error.detail};
}

}  // namespace constellation::gossip
