// Small string helpers shared by agent and console: splitting, trimming, "did you mean".
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace constellation {

std::vector<std::string> split(std::string_view text, char separator);
std::string_view trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
std::string join(std::span<const std::string> parts, std::string_view separator);
/// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate closest to `word` if it is close enough to be a plausible typo, else "".
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace constellation
