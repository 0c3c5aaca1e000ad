// The GFLOP/s chart of the bench (internal to gradlab_bench).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::bench {

struct PlotData {
  std::vector<double> n;                    // x: the square sizes
  std::vector<std::string> names;           // one per contender
  std::vector<std::vector<double>> gflops;  // [contender][size]
  double peak = 0.0;                        // drawn as a dashed line (0: none)
  int threads = 1;
};

// Writes gemm_gflops.{svg,png,dat} into dir (when not empty) and, when terminal is not
// null, appends the dumb-terminal chart to it. Returns false when gnuplot failed or is
// missing (the bench goes on without the chart).
bool draw(const PlotData& data, const std::filesystem::path& dir, std::string* terminal);

}  // namespace gradlab::bench
