// A Google Benchmark reporter that prints the usual console output and then one table with
// each of our cases beside its anchor (the same work done by the bare library we build on),
// so every micro benchmark ends with "ours | anchor | ratio".
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

namespace constellation::bench {

class PairedReporter : public benchmark::ConsoleReporter {
 public:
  /// `pairs`: {our benchmark, anchor benchmark or nullptr}; names as registered ("BM_...").
  /// `unit`: the label of the time column; times are shown in the benchmarks' own time unit.
  PairedReporter(std::vector<std::pair<const char*, const char*>> pairs, std::string unit,
                 std::string anchor_label = "anchor")
      : benchmark::ConsoleReporter(::isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular),
        pairs_(std::move(pairs)),
        unit_(std::move(unit)),
        anchor_label_(std::move(anchor_label)) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs)
      if (run.run_type == Run::RT_Iteration && !run.error_occurred)
        times_[run.run_name.function_name] = run.GetAdjustedRealTime();
    ConsoleReporter::ReportRuns(runs);
  }

  void print_summary() const {
    std::printf("\n%-28s %12s %12s %8s\n", ("case (" + unit_ + ")").c_str(), "ours",
                anchor_label_.c_str(), "ratio");
    for (const auto& [ours, anchor] : pairs_) {
      auto a = times_.find(ours);
      if (a == times_.end()) continue;
      auto b = anchor ? times_.find(anchor) : times_.end();
      const char* name = ours + 3;  // without "BM_"
      if (b == times_.end())
        std::printf("%-28s %12.2f %12s %8s\n", name, a->second, "-", "-");
      else
        std::printf("%-28s %12.2f %12.2f %7.2fx\n", name, a->second, b->second,
                    b->second > 0 ? a->second / b->second : 0.0);
    }
  }

 private:
  std::vector<std::pair<const char*, const char*>> pairs_;
  std::string unit_, anchor_label_;
  std::map<std::string, double> times_;
};

/// The common main: run the registered benchmarks through a PairedReporter.
inline int run_paired(int argc, char** argv, PairedReporter& reporter) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_summary();
  benchmark::Shutdown();
  return 0;
}

}  // namespace constellation::bench
