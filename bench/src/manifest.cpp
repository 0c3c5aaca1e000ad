// Reading lab 10's manifest: the [bench] section of labs/10_matmul/lab.toml, with the
// project's one TOML reader (gradlab/toml_reader.h): errors name the file, the line
// and the key, and an unknown key is an error, not a setting silently left at its
// default.
#include "gradlab/bench/bench.h"
#include "gradlab/toml_reader.h"

namespace gradlab::bench {
namespace {

constexpr long long kMaxSize = 1 << 16;  // n = 65536: a product of 2.8e14 FLOP, far past any sane bench

void read(const TomlTable& bench, Options& options) {
  options.threads = static_cast<int>(bench.integer("threads", options.threads, 1, 1024));
  options.samples = static_cast<int>(bench.integer("samples", options.samples, 1, 1000));
  options.min_sample_seconds = bench.number("min_sample_ms", options.min_sample_seconds * 1e3, 1e-3, 6e4) / 1e3;
  options.max_seconds_per_shape = bench.number("max_seconds_per_shape", options.max_seconds_per_shape, 1e-3, 3600);
  bench.allow("wall_seconds");  // the grader's: its limit for the whole bench process

  std::vector<Shape> shapes;
  for (long long n : bench.integers("sizes", 1, kMaxSize)) shapes.push_back({std::to_string(n), n, n, n, false, false});
  for (const TomlTable& t : bench.tables("shapes")) {
    Shape s;
    s.label = t.string("label");
    s.m = t.integer("m", 0, 1, kMaxSize);
    s.n = t.integer("n", 0, 1, kMaxSize);
    s.k = t.integer("k", 0, 1, kMaxSize);
    s.trans_a = t.boolean("trans_a", false);
    s.trans_b = t.boolean("trans_b", false);
    if (s.label.empty() || s.m < 1 || s.n < 1 || s.k < 1) t.fail(nullptr, "a shape needs a label and m, n, k >= 1");
    t.reject_unknown_keys();
    shapes.push_back(s);
  }
  if (shapes.empty()) bench.fail(nullptr, "no sizes or shapes to time");
  options.shapes = shapes;

  if (const auto score = bench.table("score")) {
    options.score.points = score->number("points", options.score.points, 0, 1e6);
    options.score.full_at = score->number("full_at", options.score.full_at, 1e-9, 1e6);
    options.score.zero_at = score->number("zero_at", options.score.zero_at, 0, 1e6);
    if (!(options.score.zero_at < options.score.full_at)) score->fail(nullptr, "zero_at must be below full_at");
    score->reject_unknown_keys();
  }

  if (const auto targets = bench.table("targets")) {
    Targets& t = options.targets;
    t.present = true;
    for (long long n : targets->integers("peak_sizes", 1, kMaxSize)) t.peak_sizes.push_back(n);
    t.percent_of_peak = targets->number("percent_of_peak", t.percent_of_peak, 0, 100);
    t.over_eigen = targets->number("over_eigen", t.over_eigen, 0, 1e3);
    t.scaling_size = targets->integer("scaling_size", t.scaling_size, 1, kMaxSize);
    t.scaling_threads = static_cast<int>(targets->integer("scaling_threads", t.scaling_threads, 1, 1024));
    t.scaling = targets->number("scaling", t.scaling, 0, 1024);
    t.odd_percent_of_peak = targets->number("odd_percent_of_peak", t.odd_percent_of_peak, 0, 100);
    t.explained_in = targets->string("explained_in", std::string());
    targets->reject_unknown_keys();
  }
  bench.reject_unknown_keys();
}

}  // namespace

void load_manifest(const std::filesystem::path& lab_toml, Options& options) {
  try {
    const toml::table root = TomlTable::parse(lab_toml);
    const TomlTable top(lab_toml, root, "");
    const auto bench = top.table("bench");
    if (!bench) throw Error(lab_toml.string() + ": no [bench] section");
    read(*bench, options);
  } catch (const TomlError& e) {
    throw Error(e.what());
  }
}

}  // namespace gradlab::bench
