// The reference's performance targets: each one judged on the figures of one run.
#include "gradlab/bench/bench.h"

#include <fmt/core.h>

#include <algorithm>

namespace gradlab::bench {

std::vector<TargetCheck> check_targets(const Targets& targets, const TargetFigures& figures) {
  std::vector<TargetCheck> checks;
  const auto add = [&](std::string what, double goal, double measured, const char* unit) {
    checks.push_back({std::move(what), goal, measured, measured >= 0.0 && measured >= goal, unit});
  };
  // The figure at square size n, or -1 when n was not timed (or the figure not measured).
  const auto at = [&](const std::vector<double>& values, Index n) {
    const auto it = std::find(figures.sizes.begin(), figures.sizes.end(), n);
    const auto i = static_cast<std::size_t>(it - figures.sizes.begin());
    return it == figures.sizes.end() || i >= values.size() ? -1.0 : values[i];
  };
  const std::string threads = fmt::format("{} thread{}", figures.threads, figures.threads == 1 ? "" : "s");
  for (Index n : targets.peak_sizes) {
    add(fmt::format("% of peak, {}, n = {}", threads, n), targets.percent_of_peak,
        at(figures.percent_of_peak, n), "%");
  }
  for (Index n : targets.peak_sizes) {
    add(fmt::format("reference / Eigen, {}, n = {}", threads, n), targets.over_eigen, at(figures.over_eigen, n), "x");
  }
  if (targets.scaling_threads > 1) {
    add(fmt::format("{} threads / 1 thread, n = {}", targets.scaling_threads, targets.scaling_size), targets.scaling,
        figures.scaling, "x");
  }
  add("odd sizes, average % of peak", targets.odd_percent_of_peak, figures.odd_percent_of_peak, "%");
  return checks;
}

}  // namespace gradlab::bench
