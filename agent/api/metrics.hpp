// A small Prometheus registry for the agent: counters, gauges and histograms with labels,
// rendered in the text exposition format (version 0.0.4). Subsystems register collectors
// that refresh their gauges at scrape time. Loop thread only; no locking.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/error.hpp"

namespace constellation::api {

enum class MetricType { counter, gauge, histogram };

/// Label name/value pairs; order does not matter (they are sorted by name).
using Labels = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

class Metrics {
 public:
  /// Registers constellation_build_info{version=...} 1 and nothing else.
  Metrics();

  /// Declares a family. Names must match [a-zA-Z_][a-zA-Z0-9_]*, start with "constellation_",
  /// and counters must end in "_total"; otherwise invalid_argument. Declaring the same name
  /// again with the same type is a no-op. `buckets` (ascending upper bounds, +Inf implied)
  /// is used for histograms only; empty means the default latency buckets in seconds.
  Status describe(std::string name, MetricType type, std::string help,
                  std::vector<double> buckets = {});

  /// Adds to a counter (delta >= 0). Undeclared names or wrong types are ignored (and
  /// counted in constellation_metrics_misuse_total) rather than failing the caller.
  void add(std::string_view name, const Labels& labels, double delta = 1);
  /// Sets a gauge.
  void set(std::string_view name, const Labels& labels, double value);
  /// Records one observation in a histogram.
  void observe(std::string_view name, const Labels& labels, double value);
  /// Declares a gauge (if it is not yet declared) and sets one sample: the one-call form for
  /// collectors. A name that is invalid or declared with another type is counted as misuse.
  void gauge(std::string_view name, std::string_view help,
             const std::map<std::string, std::string>& labels, double value);
  /// Drops every sample of a family (for gauges whose label sets come and go).
  void clear(std::string_view name);

  /// Runs at the start of every render() to refresh gauges.
  void add_collector(std::function<void(Metrics&)> collector);

  /// Runs the collectors, then renders every family: HELP and TYPE lines before its
  /// samples, families contiguous and sorted by name, output ending in '\n'.
  std::string render();

 private:
  struct Histogram {
    std::vector<std::uint64_t> bucket_counts;  // per upper bound, non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    MetricType type;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, double> values;         // counters and gauges
    std::map<Labels, Histogram> histograms;  // histograms
  };
  Family* find(std::string_view name, MetricType type);

  std::map<std::string, Family, std::less<>> families_;
  std::vector<std::function<void(Metrics&)>> collectors_;
};

/// Formats a sample value as Prometheus (Go) expects: integers without a fraction, NaN,
/// +Inf, -Inf, otherwise the shortest round-trip representation.
std::string format_metric_value(double value);
/// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace constellation::api
