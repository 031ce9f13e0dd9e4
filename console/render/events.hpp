// Events as people read them: the TIME NODE KIND SUBJECT DETAIL table for `events`, and a
// fixed-width line for `events --follow`, where rows arrive one by one and column widths
// cannot be measured in advance. Pure functions over shared/event.hpp's Event.
#pragma once

#include <string>
#include <vector>

#include "console/command/output.hpp"
#include "shared/event.hpp"

namespace constellation::console {

/// The DETAIL cell: detail["message"] when it is a string, then the other fields as
/// key=value (strings unquoted, others as compact JSON), in key order; "" for an empty detail.
std::string event_detail_text(const Event& event);

/// Columns TIME NODE KIND SUBJECT DETAIL, one row per event, in the given order.
Table events_table(const std::vector<Event>& events);

/// The heading line for `events --follow` in table format (same widths as follow_line).
std::string follow_heading();

/// One streamed event as a line with fixed column widths (long cells push the rest right).
std::string follow_line(const Event& event);

}  // namespace constellation::console
