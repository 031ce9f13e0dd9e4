// Internal to the views: each screen's body as lines, and the filtered rows the screens,
// Enter and the movement keys agree on. Declared apart so view.cpp (the frame) and
// screens.cpp (the bodies) stay small.
#pragma once

#include <string>
#include <vector>

#include "console/tui/view.hpp"

namespace constellation::console::tui::detail {

std::vector<const NodeRow*> filtered_nodes(const ClusterModel& model, const std::string& filter);
std::vector<const ServiceRow*> filtered_services(const ClusterModel& model,
                                                 const std::string& filter);
std::vector<const Event*> filtered_events(const ClusterModel& model, const std::string& filter);

/// Names of every node that appears in the nodes or in the services, sorted: the matrix columns.
std::vector<std::string> matrix_nodes(const ClusterModel& model);

/// One body of `height` lines or fewer for the current screen.
std::vector<Line> screen_body(const ClusterModel& model, const ViewState& state, const Frame& frame,
                              int height);

/// "5s ago", "3m ago", "2h ago", "4d ago"; "-" when `then_ms` is 0.
std::string age(std::int64_t now_ms, std::int64_t then_ms);
/// Style for a member state or a health status (alive/healthy good, suspect/starting warn...).
Style status_style(const std::string& status);
/// Greedy word wrap into lines of at most `width` columns.
std::vector<std::string> wrap(const std::string& text, std::size_t width);

}  // namespace constellation::console::tui::detail
