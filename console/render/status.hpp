// `constellation status` for people: the agent's /api/v1/status JSON as aligned fields plus a
// subsystem table. Tolerant of missing fields (an older or newer agent): absent values show
// as "-" rather than failing, since -o json is the exact form for scripts.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace constellation::console {

/// Renders the status document as text, ending with a newline.
std::string render_status(const nlohmann::json& status);

}  // namespace constellation::console
