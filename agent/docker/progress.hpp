// Sans-IO parsing of the JSON message streams that /build and /images/create return with
// HTTP 200: progress text, the built image id, and errors, which arrive *inside* the 200
// stream ({"error":…,"errorDetail":…}) and must fail the operation.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/docker/line_splitter.hpp"
#include "agent/docker/types.hpp"
#include "shared/error.hpp"

namespace constellation::docker {

/// One decoded line of a progress stream.
struct ProgressMessage {
  std::string stream;                ///< build output text ("Step 1/2 : FROM …\n")
  std::string status;                ///< pull/import status ("sha256:…", "Downloading")
  std::string id;                    ///< layer id for status lines
  std::string aux_id;                ///< aux.ID: the image built
  std::optional<std::string> error;  ///< error / errorDetail.message
};

/// Decodes one line; invalid_argument when it is not a JSON object.
Result<ProgressMessage> parse_progress_line(std::string_view line);

/// Consumes a progress stream fragment by fragment. The first error message (or malformed
/// line) is remembered and makes finish() fail; later lines are still reported.
class ProgressStream {
 public:
  using Callback = std::function<void(const ProgressMessage&)>;
  /// `what` names the operation in messages ("docker build of app:1").
  ProgressStream(std::string what, Callback on_message);

  /// Feeds a body fragment; fails only when a line is absurdly long.
  Status feed(std::string_view fragment);
  /// Ends the stream: ok with the image id and collected text, or the error seen.
  Result<BuildResult> finish();

 private:
  void on_line(std::string_view line);

  std::string what_;
  Callback on_message_;
  LineSplitter splitter_;
  BuildResult result_;
  std::optional<Error> error_;
};

}  // namespace constellation::docker
