// The Prometheus registry, checked by parsing its text output back: HELP/TYPE before
// samples, label escaping that round-trips, histograms, collectors and misuse accounting.
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "agent/api/metrics.hpp"
#include "shared/version.hpp"

namespace constellation::api {
namespace {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value;
};

struct Exposition {
  std::map<std::string, std::string> help, type;
  std::vector<Sample> samples;
  std::vector<std::string> problems;  ///< format violations found while parsing
};

/// Parses `{a="x",b="y\"z"}` starting at text[pos] == '{'; returns the position after '}'.
std::size_t parse_labels(const std::string& text, std::size_t pos,
                         std::map<std::string, std::string>& labels, bool& ok) {
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    auto eq = text.find("=\"", pos);
    if (eq == std::string::npos) return ok = false, text.size();
    std::string name = text.substr(pos, eq - pos), value;
    pos = eq + 2;
    for (; pos < text.size() && text[pos] != '"'; ++pos) {
      if (text[pos] == '\\' && pos + 1 < text.size()) {
        char next = text[++pos];
        value += next == 'n' ? '\n' : next;
      } else {
        value += text[pos];
      }
    }
    labels[name] = value;
    ++pos;  // closing quote
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  return pos + 1;
}

/// The family a sample belongs to (histogram suffixes stripped when the base is declared).
std::string family_of(const std::string& name, const Exposition& parsed) {
  for (auto suffix : {"_bucket", "_sum", "_count"})
    if (name.ends_with(suffix)) {
      auto base = name.substr(0, name.size() - std::string(suffix).size());
      if (parsed.type.contains(base)) return base;
    }
  return name;
}

Exposition parse(const std::string& text) {
  Exposition parsed;
  if (text.empty() || text.back() != '\n') parsed.problems.push_back("no trailing newline");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# HELP ")) {
      auto rest = line.substr(7);
      auto space = rest.find(' ');
      parsed.help[rest.substr(0, space)] = rest.substr(space + 1);
    } else if (line.starts_with("# TYPE ")) {
      auto rest = line.substr(7);
      auto space = rest.find(' ');
      auto name = rest.substr(0, space);
      if (!parsed.help.contains(name)) parsed.problems.push_back("TYPE before HELP: " + name);
      parsed.type[name] = rest.substr(space + 1);
    } else {
      Sample sample;
      auto brace = line.find('{');
      auto space = line.rfind(' ');
      bool ok = space != std::string::npos;
      std::size_t after = space;
      if (brace != std::string::npos && brace < space) {
        sample.name = line.substr(0, brace);
        after = parse_labels(line, brace, sample.labels, ok);
      } else {
        sample.name = line.substr(0, space);
      }
      if (!ok || after != space) parsed.problems.push_back("bad sample line: " + line);
      sample.value = line.substr(space + 1);
      if (!parsed.type.contains(family_of(sample.name, parsed)))
        parsed.problems.push_back("sample before its TYPE: " + line);
      parsed.samples.push_back(std::move(sample));
    }
  }
  return parsed;
}

const Sample* find(const Exposition& parsed, const std::string& name,
                   const std::map<std::string, std::string>& labels) {
  for (const auto& sample : parsed.samples)
    if (sample.name == name && sample.labels == labels) return &sample;
  return nullptr;
}

TEST(Metrics, FreshRegistryExposesBuildInfoWithVersion) {
  Metrics metrics;
  auto parsed = parse(metrics.render());
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  EXPECT_EQ(parsed.type["constellation_build_info"], "gauge");
  auto sample = find(parsed, "constellation_build_info", {{"version", std::string(kVersion)}});
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->value, "1");
}

TEST(Metrics, LabelValuesAreEscapedAndRoundTrip) {
  Metrics metrics;
  ASSERT_TRUE(metrics.describe("constellation_test_total", MetricType::counter,
                               "Help with \\ and\nnewline"));
  const std::string nasty = "quote\" back\\slash new\nline";
  metrics.add("constellation_test_total", {{"path", nasty}, {"a", "first"}}, 2);
  auto text = metrics.render();
  EXPECT_NE(text.find(R"(path="quote\" back\\slash new\nline")"), std::string::npos) << text;
  EXPECT_NE(text.find("# HELP constellation_test_total Help with \\\\ and\\nnewline\n"),
            std::string::npos);
  auto parsed = parse(text);
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  auto sample = find(parsed, "constellation_test_total", {{"a", "first"}, {"path", nasty}});
  ASSERT_TRUE(sample) << text;
  EXPECT_EQ(sample->value, "2");
  EXPECT_EQ(parsed.type["constellation_test_total"], "counter");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Metrics metrics;
  ASSERT_TRUE(metrics.describe("constellation_latency_seconds", MetricType::histogram, "Latency",
                               {0.1, 1}));
  for (double value : {0.05, 0.5, 0.7, 3.0})
    metrics.observe("constellation_latency_seconds", {}, value);
  auto parsed = parse(metrics.render());
  EXPECT_TRUE(parsed.problems.empty()) << ::testing::PrintToString(parsed.problems);
  EXPECT_EQ(find(parsed, "constellation_latency_seconds_bucket", {{"le", "0.1"}})->value, "1");
  EXPECT_EQ(find(parsed, "constellation_latency_seconds_bucket", {{"le", "1"}})->value, "3");
  EXPECT_EQ(find(parsed, "constellation_latency_seconds_bucket", {{"le", "+Inf"}})->value, "4");
  EXPECT_EQ(find(parsed, "constellation_latency_seconds_count", {})->value, "4");
  EXPECT_EQ(std::stod(find(parsed, "constellation_latency_seconds_sum", {})->value), 4.25);
}

TEST(Metrics, GaugeDeclaresOnFirstUseAndCollectorsRunAtRender) {
  Metrics metrics;
  int scrapes = 0;
  metrics.add_collector([&](Metrics& m) {
    ++scrapes;
    m.gauge("constellation_things", "Things.", {{"kind", "a"}}, scrapes * 1.5);
  });
  metrics.render();
  auto parsed = parse(metrics.render());
  EXPECT_EQ(scrapes, 2);
  EXPECT_EQ(parsed.type["constellation_things"], "gauge");
  EXPECT_EQ(parsed.help["constellation_things"], "Things.");
  EXPECT_EQ(find(parsed, "constellation_things", {{"kind", "a"}})->value, "3");
}

TEST(Metrics, MisuseIsCountedInsteadOfFailing) {
  Metrics metrics;
  metrics.add("constellation_undeclared_total", {});
  metrics.observe("constellation_build_info", {}, 1);  // a gauge, not a histogram
  metrics.gauge("bad name", "x", {}, 1);
  auto parsed = parse(metrics.render());
  EXPECT_EQ(find(parsed, "constellation_metrics_misuse_total", {})->value, "3");
  EXPECT_FALSE(parsed.type.contains("bad name"));
}

TEST(Metrics, DescribeRefusesBadNamesAndTypeChanges) {
  Metrics metrics;
  EXPECT_FALSE(metrics.describe("requests_total", MetricType::counter, "x"));
  EXPECT_FALSE(metrics.describe("constellation_requests", MetricType::counter, "x"));
  EXPECT_FALSE(metrics.describe("constellation_build_info", MetricType::counter, "x"));
  EXPECT_TRUE(metrics.describe("constellation_build_info", MetricType::gauge, "x"));
  EXPECT_FALSE(metrics.describe("constellation_h", MetricType::histogram, "x", {1, 0.5}));
}

TEST(Metrics, ValuesAreFormattedAsPrometheusExpects) {
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
}

}  // namespace
}  // namespace constellation::api
