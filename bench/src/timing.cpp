// Timing: warm-up, samples of at least min_sample_seconds, the median, contenders
// interleaved so that a machine that drifts (frequency, other jobs) affects them alike.
#include "gradlab/bench/bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include <time.h>

namespace gradlab::bench {
namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

}  // namespace

double clock_seconds(bool cpu_clock) {
  if (cpu_clock) {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double ScoreRule::score(double ratio) const {
  if (!(ratio > 0.0)) return 0.0;
  if (full_at <= zero_at) return ratio >= full_at ? points : 0.0;
  const double t = (ratio - zero_at) / (full_at - zero_at);
  return points * std::clamp(t, 0.0, 1.0);
}

std::vector<Shape> parse_sizes(const std::string& list) {
  std::vector<Shape> shapes;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    std::size_t used = 0;
    long n = 0;
    try {
      n = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || n < 1 || n > 20000) {
      throw Error("bench: bad size '" + item + "' in '" + list +
                  "': give comma-separated integers between 1 and 20000");
    }
    shapes.push_back({std::to_string(n), n, n, n, false, false});
  }
  if (shapes.empty()) throw Error("bench: the size list is empty");
  return shapes;
}

std::vector<Timing> time_interleaved(const std::vector<std::function<void()>>& contenders,
                                     const Options& options) {
  const std::size_t count = contenders.size();
  std::vector<Timing> timings(count);
  std::vector<double> spent(count, 0.0);
  std::vector<bool> done(count, false);
  const auto now_seconds = [&] { return clock_seconds(options.cpu_clock); };

  // Warm-up (caches, page faults, thread start-up), timed to size the samples.
  for (std::size_t c = 0; c < count; ++c) {
    const double start = now_seconds();
    contenders[c]();
    const double seconds = now_seconds() - start;
    spent[c] = seconds;
    timings[c].calls_per_sample =
        std::max(1, static_cast<int>(std::ceil(options.min_sample_seconds / std::max(seconds, 1e-9))));
    if (seconds >= options.max_seconds_per_shape) {
      // Too slow to repeat within the budget: the warm-up is the only sample.
      timings[c].all.push_back(seconds);
      done[c] = true;
    }
  }
  for (int s = 0; s < options.samples; ++s) {
    for (std::size_t c = 0; c < count; ++c) {
      if (done[c]) continue;
      const int calls = timings[c].calls_per_sample;
      const double start = now_seconds();
      for (int i = 0; i < calls; ++i) contenders[c]();
      const double seconds = now_seconds() - start;
      timings[c].all.push_back(seconds / calls);
      spent[c] += seconds;
      if (spent[c] >= options.max_seconds_per_shape) done[c] = true;
    }
  }
  for (auto& t : timings) {
    t.samples = static_cast<int>(t.all.size());
    t.seconds = median(t.all);
  }
  return timings;
}

}  // namespace gradlab::bench
