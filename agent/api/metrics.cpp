// Prometheus text rendering: escaping, number formatting and histogram buckets.
#include "agent/api/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "shared/version.hpp"

namespace constellation::api {
namespace {

constexpr std::string_view kMisuse = "constellation_metrics_misuse_total";
const std::vector<double> kDefaultBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,   1,    2.5,   5,    10};

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
  }
  return "untyped";
}

std::string escape_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

Labels sorted(Labels labels) {
  std::sort(labels.begin(), labels.end());
  return labels;
}

std::string render_labels(const Labels& labels, const std::pair<std::string, std::string>* extra) {
  if (labels.empty() && !extra) return "";
  std::string out = "{";
  bool first = true;
  auto put = [&](const std::pair<std::string, std::string>& label) {
    if (!first) out += ',';
    first = false;
    out += label.first;
    out += "=\"";
    out += escape_label_value(label.second);
    out += '"';
  };
  for (const auto& label : labels) put(label);
  if (extra) put(*extra);
  out += '}';
  return out;
}

}  // namespace

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (ec != std::errc{}) return "NaN";
  return std::string(buffer, end);
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

Metrics::Metrics() {
  (void)describe(std::string(kMisuse), MetricType::counter,
                 "Metric updates dropped because the metric was undeclared or of another type");
  (void)describe("constellation_build_info", MetricType::gauge,
                 "Build information of the running agent; always 1");
  set("constellation_build_info", {{"version", std::string(kVersion)}}, 1);
}

Status Metrics::describe(std::string name, MetricType type, std::string help,
                         std::vector<double> buckets) {
  if (!valid_name(name) || !name.starts_with("constellation_"))
    return fail(ErrorCode::invalid_argument,
                "metric name '" + name +
                    "' must match [a-zA-Z_][a-zA-Z0-9_]* and start with constellation_");
  if (type == MetricType::counter && !name.ends_with("_total"))
    return fail(ErrorCode::invalid_argument, "counter '" + name + "' must end in _total");
  if (auto it = families_.find(name); it != families_.end()) {
    if (it->second.type != type)
      return fail(ErrorCode::invalid_argument, "metric '" + name + "' is already declared as a " +
                                                   std::string(type_name(it->second.type)));
    return {};
  }
  if (type == MetricType::histogram) {
    if (buckets.empty()) buckets = kDefaultBuckets;
    if (!std::is_sorted(buckets.begin(), buckets.end()) ||
        std::adjacent_find(buckets.begin(), buckets.end()) != buckets.end())
      return fail(ErrorCode::invalid_argument,
                  "histogram '" + name + "' buckets must be strictly ascending");
  } else {
    buckets.clear();
  }
  families_.emplace(std::move(name), Family{type, std::move(help), std::move(buckets), {}, {}});
  return {};
}

Metrics::Family* Metrics::find(std::string_view name, MetricType type) {
  auto it = families_.find(name);
  if (it == families_.end() || it->second.type != type) {
    if (name != kMisuse) add(kMisuse, {}, 1);
    return nullptr;
  }
  return &it->second;
}

void Metrics::add(std::string_view name, const Labels& labels, double delta) {
  if (delta < 0) return;
  if (auto* family = find(name, MetricType::counter)) family->values[sorted(labels)] += delta;
}

void Metrics::set(std::string_view name, const Labels& labels, double value) {
  if (auto* family = find(name, MetricType::gauge)) family->values[sorted(labels)] = value;
}

void Metrics::observe(std::string_view name, const Labels& labels, double value) {
  auto* family = find(name, MetricType::histogram);
  if (!family) return;
  auto& histogram = family->histograms[sorted(labels)];
  histogram.bucket_counts.resize(family->buckets.size());
  for (std::size_t i = 0; i < family->buckets.size(); ++i) {
    if (value <= family->buckets[i]) {
      ++histogram.bucket_counts[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += value;
}

void Metrics::gauge(std::string_view name, std::string_view help,
                    const std::map<std::string, std::string>& labels, double value) {
  if (!families_.contains(name))
    (void)describe(std::string(name), MetricType::gauge, std::string(help));
  set(name, Labels(labels.begin(), labels.end()), value);
}

void Metrics::clear(std::string_view name) {
  if (auto it = families_.find(name); it != families_.end()) {
    it->second.values.clear();
    it->second.histograms.clear();
  }
}

void Metrics::add_collector(std::function<void(Metrics&)> collector) {
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() {
  for (auto& collector : collectors_) collector(*this);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + escape_help(family.help) + "\n";
    out += "# TYPE " + name + " " + std::string(type_name(family.type)) + "\n";
    for (const auto& [labels, value] : family.values)
      out += name + render_labels(labels, nullptr) + " " + format_metric_value(value) + "\n";
    for (const auto& [labels, histogram] : family.histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < family.buckets.size(); ++i) {
        cumulative += i < histogram.bucket_counts.size() ? histogram.bucket_counts[i] : 0;
        std::pair<std::string, std::string> le{"le", format_metric_value(family.buckets[i])};
        out +=
            name + "_bucket" + render_labels(labels, &le) + " " + std::to_string(cumulative) + "\n";
      }
      std::pair<std::string, std::string> inf{"le", "+Inf"};
      out += name + "_bucket" + render_labels(labels, &inf) + " " +
             std::to_string(histogram.count) + "\n";
      out += name + "_sum" + render_labels(labels, nullptr) + " " +
             format_metric_value(histogram.sum) + "\n";
      out += name + "_count" + render_labels(labels, nullptr) + " " +
             std::to_string(histogram.count) + "\n";
    }
  }
  return out;
}

}  // namespace constellation::api
