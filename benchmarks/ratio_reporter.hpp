// A Google Benchmark reporter shared by the benchmark programs: it prints the usual console
// table, collects each benchmark's CPU time per iteration, and at the end prints the ratios
// of our implementation to the baselines measured in the same process. Ratios stay
// meaningful on a shared, noisy machine where absolute nanoseconds do not.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace twofactor_bench {

/// One line of the ratio table: benchmark `ours` against benchmark `baseline`.
struct ratio_line {
    std::string what;           ///< the operation, e.g. "HOTP-SHA1 code"
    std::string ours;           ///< the benchmark name of twofactor's implementation
    std::string baseline;       ///< the benchmark name of the baseline
    std::string baseline_name;  ///< how the table names the baseline
    std::string target = {};    ///< the ratio we aim for, e.g. "<= 1.0" (empty: none)
};

class ratio_reporter : public benchmark::ConsoleReporter {
public:
    explicit ratio_reporter(std::vector<ratio_line> lines) : lines_(std::move(lines)) {}

    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs)
            if (run.run_type == Run::RT_Iteration && !run.error_occurred)
                nanoseconds_[run.benchmark_name()] =
                    run.GetAdjustedCPUTime() * benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                    benchmark::GetTimeUnitMultiplier(run.time_unit);
    }

    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\nRatios (CPU time, same process; < 1 means twofactor is faster):\n");
        for (const ratio_line& line : lines_) print(line);
    }

private:
    void print(const ratio_line& line) const {
        const auto a = nanoseconds_.find(line.ours);
        const auto b = nanoseconds_.find(line.baseline);
        if (a == nanoseconds_.end() || b == nanoseconds_.end()) return;
        std::printf("  %-17s %7.1f ns vs %-26s %7.1f ns: ratio %5.2f  (1/%5.1f)%s%s\n", line.what.c_str(),
                    a->second, line.baseline_name.c_str(), b->second, a->second / b->second,
                    b->second / a->second, line.target.empty() ? "" : "  target ", line.target.c_str());
    }

    std::vector<ratio_line> lines_;
    std::map<std::string, double> nanoseconds_;
};

}  // namespace twofactor_bench
