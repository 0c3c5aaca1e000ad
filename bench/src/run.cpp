// The bench from start to end: the machine, every shape timed for the three contenders,
// the correctness gate, the score, the chart, "train with your kernel", the JSON.
#include "contenders.h"
#include "gradlab/bench/bench.h"
#include "gradlab/files.h"
#include "gradlab/random.h"
#include "plot.h"

#include <Eigen/Core>
#include <fmt/core.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <ostream>
#include <set>

namespace gradlab::bench {
namespace {

using kernels::Trans;
using Gemm = void (*)(Trans, Trans, Index, Index, Index, Scalar, const Scalar*, Index,
                      const Scalar*, Index, Scalar, Scalar*, Index);

// The operands of one shape, stored as gemm reads them (op(A) = Aᵀ stores A as [k, m]).
struct Problem {
  Shape shape;
  Matrix a, b;  // stored operands
  Trans ta() const { return shape.trans_a ? Trans::Yes : Trans::No; }
  Trans tb() const { return shape.trans_b ? Trans::Yes : Trans::No; }
  void call(Gemm gemm, Matrix& c, Scalar beta = 0.0) const {
    gemm(ta(), tb(), shape.m, shape.n, shape.k, 1.0, a.data(), a.cols(), b.data(), b.cols(),
         beta, c.data(), c.cols());
  }
};

Problem make_problem(const Shape& shape, Rng& rng) {
  Problem p{shape, Matrix(shape.trans_a ? shape.k : shape.m, shape.trans_a ? shape.m : shape.k),
            Matrix(shape.trans_b ? shape.n : shape.k, shape.trans_b ? shape.k : shape.n)};
  for (Index i = 0; i < p.a.size(); ++i) p.a.data()[i] = rng.uniform(-1.0, 1.0);
  for (Index i = 0; i < p.b.size(); ++i) p.b.data()[i] = rng.uniform(-1.0, 1.0);
  return p;
}

// Eigen's product of the same operands, with the same transposes.
void eigen_product(const Problem& p, Matrix& c) {
  if (!p.shape.trans_a && !p.shape.trans_b) c.noalias() = p.a * p.b;
  if (!p.shape.trans_a && p.shape.trans_b) c.noalias() = p.a * p.b.transpose();
  if (p.shape.trans_a && !p.shape.trans_b) c.noalias() = p.a.transpose() * p.b;
  if (p.shape.trans_a && p.shape.trans_b) c.noalias() = p.a.transpose() * p.b.transpose();
}

// Fresh operands for every timed call. A kernel that remembers its last inputs and
// returns the remembered product would otherwise be timed on a cache lookup. Each call
// changes one element of A, at a place taken in turn from a ring of random positions,
// by an amount that never repeats (a Weyl sequence), and restores it afterwards; one
// element of the result, in the row the change reaches, is checked against its exact
// expected value, which is linear in the change:
//     C_ij = base_ij + delta * op(B)_pj     (p: the changed column of op(A), i its row)
// so the check costs O(1) per call (the bases are computed once, before timing).
struct FreshCalls {
  struct Probe {
    Index a_row, a_col;   // the changed element of the stored A
    Index i, j, p;        // the checked element of C; p: the changed column of op(A)
    Scalar base, magnitude;  // C_ij and sum_p |op(A)_ip op(B)_pj| without the change
  };
  Problem problem;        // a private copy: the calls change its A
  std::vector<Probe> ring;
  std::uint64_t calls = 0;
  std::string failure;    // the first wrong result, empty while all are right

  FreshCalls(const Problem& p, Rng& rng) : problem(p) {
    const Shape& s = p.shape;
    if (s.m == 0 || s.n == 0 || s.k == 0) return;
    const auto op_a = [&](Index i, Index q) { return s.trans_a ? p.a(q, i) : p.a(i, q); };
    const auto op_b = [&](Index q, Index j) { return s.trans_b ? p.b(j, q) : p.b(q, j); };
    for (int r = 0; r < 16; ++r) {
      Probe probe{};
      probe.i = static_cast<Index>(rng.uniform(0.0, 1.0) * static_cast<double>(s.m)) % s.m;
      probe.p = static_cast<Index>(rng.uniform(0.0, 1.0) * static_cast<double>(s.k)) % s.k;
      probe.j = static_cast<Index>(rng.uniform(0.0, 1.0) * static_cast<double>(s.n)) % s.n;
      probe.a_row = s.trans_a ? probe.p : probe.i;
      probe.a_col = s.trans_a ? probe.i : probe.p;
      for (Index q = 0; q < s.k; ++q) {
        probe.base += op_a(probe.i, q) * op_b(q, probe.j);
        probe.magnitude += std::abs(op_a(probe.i, q) * op_b(q, probe.j));
      }
      ring.push_back(probe);
    }
  }

  // One timed call: change, multiply (gemm, or Eigen when null), restore, check.
  void call(Gemm gemm, Matrix& c) {
    if (ring.empty()) {
      if (gemm != nullptr) problem.call(gemm, c);
      else eigen_product(problem, c);
      return;
    }
    const Probe& q = ring[calls % ring.size()];
    // 0.25 .. 0.75, never the same twice: the fractional parts of t * golden ratio.
    const double t = static_cast<double>(++calls) * 0.6180339887498949;
    const Scalar delta = 0.25 + 0.5 * (t - std::floor(t));
    Scalar& a = problem.a(q.a_row, q.a_col);
    const Scalar old = a;
    a = old + delta;
    if (gemm != nullptr) problem.call(gemm, c);
    else eigen_product(problem, c);
    a = old;
    const Scalar b = problem.shape.trans_b ? problem.b(q.j, q.p) : problem.b(q.p, q.j);
    const Scalar expected = q.base + delta * b;
    const Scalar bound = 8.0 * static_cast<Scalar>(problem.shape.k + 2) * std::numeric_limits<Scalar>::epsilon() *
                         (q.magnitude + std::abs(delta * b)) + 1e-300;
    if (failure.empty() && !(std::abs(c(q.i, q.j) - expected) <= bound))
      failure = fmt::format("C({}, {}) = {} but these operands give {} (is a result remembered from an earlier "
                            "call? every call must compute its own product)", q.i, q.j, c(q.i, q.j), expected);
  }
};

// The correctness gate: |C - C_ref| <= 4 (k + 2) eps (|A||B|) elementwise (the bound
// of the lab's tests). Returns an empty string when it holds, else what is wrong.
std::string check(const Problem& p, const Matrix& c, const Matrix& c_ref) {
  Problem abs_problem{p.shape, p.a.cwiseAbs(), p.b.cwiseAbs()};
  Matrix magnitude(p.shape.m, p.shape.n);
  abs_problem.call(kernels::gemm_reference, magnitude);
  const Scalar factor = 4.0 * static_cast<Scalar>(p.shape.k + 2) * std::numeric_limits<Scalar>::epsilon();
  for (Index i = 0; i < c.rows(); ++i)
    for (Index j = 0; j < c.cols(); ++j) {
      const Scalar error = std::abs(c(i, j) - c_ref(i, j));
      if (!(error <= factor * magnitude(i, j) + 1e-300)) {
        return fmt::format("C({}, {}) = {} but the reference gives {}", i, j, c(i, j), c_ref(i, j));
      }
    }
  return "";
}

double geometric_mean(const std::vector<double>& v) {
  if (v.empty()) return 0.0;
  double log_sum = 0.0;
  for (double x : v) {
    if (!(x > 0.0)) return 0.0;
    log_sum += std::log(x);
  }
  return std::exp(log_sum / static_cast<double>(v.size()));
}

// "Train with your kernel": runs a training executable (one fixed MLP, several epochs)
// and returns the epoch_seconds scalar of its JSON, or a negative value on failure.
double epoch_seconds(const std::filesystem::path& exe, int threads, std::ostream& out) {
  const auto json_path = std::filesystem::temp_directory_path() /
                         fmt::format("gradlab-bench-train-{}.json", exe.filename().string());
  const std::string command = fmt::format("OMP_NUM_THREADS={} '{}' --out '{}' >/dev/null 2>&1",
                                          threads, exe.string(), json_path.string());
  if (std::system(command.c_str()) != 0) {
    fmt::print(out, "  (training with {} failed)\n", exe.filename().string());
    return -1.0;
  }
  try {
    std::ifstream in(json_path);
    const auto json = nlohmann::json::parse(in);
    std::filesystem::remove(json_path);
    return json.at("scalars").at("epoch_seconds").get<double>();
  } catch (const std::exception& e) {
    fmt::print(out, "  (cannot read {}: {})\n", json_path.string(), e.what());
    return -1.0;
  }
}

// The reference on one thread and on `threads` threads, timed interleaved on an n^3
// product: (seconds with 1 thread) / (seconds with `threads`), from the best sample of
// each (like the peak) and from the medians.
struct Scaling {
  double best = 0.0, median = 0.0;
};
Scaling thread_scaling(Index n, int threads, const Options& options) {
  Rng rng(7);
  const Problem p = make_problem(Shape{"scaling", n, n, n, false, false}, rng);
  Matrix c1(n, n), ct(n, n);
  const std::vector<std::function<void()>> contenders{
      [&] { omp_set_num_threads(1); p.call(kernels::gemm_reference, c1); },
      [&] { omp_set_num_threads(threads); p.call(kernels::gemm_reference, ct); }};
  const std::vector<Timing> timings = time_interleaved(contenders, options);
  omp_set_num_threads(options.threads);
  const auto best = [](const Timing& t) { return *std::min_element(t.all.begin(), t.all.end()); };
  return {best(timings[0]) / best(timings[1]), timings[0].seconds / timings[1].seconds};
}

// Judges the reference's targets on this run: its figures in \p plot (the reference is
// contender 0, Eigen the last), the odd-size average already in \p json, and a thread-
// scaling measurement made here. Prints each target and adds it to the JSON.
void report_targets(const Options& options, const PlotData& plot, double peak, nlohmann::json& json,
                    std::ostream& out) {
  TargetFigures figures;
  figures.threads = options.threads;
  for (std::size_t r = 0; r < plot.n.size(); ++r) {
    figures.sizes.push_back(static_cast<Index>(plot.n[r]));
    figures.percent_of_peak.push_back(peak > 0 ? 100.0 * plot.gflops[0][r] / peak : -1.0);
    figures.over_eigen.push_back(options.eigen ? plot.gflops[0][r] / plot.gflops.back()[r] : -1.0);
  }
  if (json.contains("odd_sizes_percent_of_peak")) {
    figures.odd_percent_of_peak = json["odd_sizes_percent_of_peak"].value("reference", -1.0);
  }
  const Targets& t = options.targets;
  if (t.scaling_threads > 1 && !options.cpu_clock) {  // (CPU time would add the threads' times up)
    fmt::print(out, "\nThread scaling: the reference on 1 and on {} threads, n = {}, interleaved ...\n",
               t.scaling_threads, t.scaling_size);
    out.flush();
    // Judged on the best samples: on a shared machine the second core is sometimes
    // someone else's for seconds at a time, which says nothing about the kernel.
    const Scaling scaling = thread_scaling(t.scaling_size, t.scaling_threads, options);
    figures.scaling = scaling.best;
    json["thread_scaling"] = {{"n", t.scaling_size}, {"threads", t.scaling_threads},
                              {"speedup", scaling.best}, {"speedup_of_medians", scaling.median}};
    fmt::print(out, "  {:.2f}x from the best sample of each ({:.2f}x from the medians)", scaling.best, scaling.median);
    const auto peaks = json.value("peak_gflops", nlohmann::json::object());
    const std::string one = "1", many = std::to_string(t.scaling_threads);
    if (peaks.contains(one) && peaks.contains(many)) {
      fmt::print(out, "; the FMA peak itself scales {:.2f}x", peaks[many].get<double>() / peaks[one].get<double>());
    }
    fmt::print(out, "\n");
  }

  const std::vector<TargetCheck> checks = check_targets(t, figures);
  fmt::print(out, "\nTargets of the reference (lab.toml [bench.targets]), judged on this run:\n");
  int met = 0;
  for (const TargetCheck& c : checks) {
    const bool percent = c.unit == "%";
    const auto value = [&](double v) { return percent ? fmt::format("{:.1f}%", v) : fmt::format("{:.2f}x", v); };
    std::string verdict;
    if (c.measured < 0) {
      verdict = "not measured in this run";
    } else if (c.met) {
      verdict = "met";
      ++met;
    } else {
      verdict = percent ? fmt::format("MISSED by {:.1f} points", c.goal - c.measured)
                        : fmt::format("MISSED by {:.2f}", c.goal - c.measured);
    }
    fmt::print(out, "  {:<38} goal >= {:>6}  measured {:>7}  {}\n", c.what, value(c.goal),
               c.measured < 0 ? std::string("-") : value(c.measured), verdict);
    json["targets"].push_back({{"what", c.what}, {"goal", c.goal}, {"measured", c.measured},
                               {"met", c.met}, {"unit", c.unit}});
  }
  fmt::print(out, "  {} of {} targets met.\n", met, checks.size());
  if (met < static_cast<int>(checks.size()) && !t.explained_in.empty()) {
    fmt::print(out, "  Where the time goes, and why these figures fall short: {}\n", t.explained_in);
  }
  json["targets_met"] = met;
  json["targets_total"] = checks.size();
}

}  // namespace

int run(const Options& options, std::ostream& out) try {
  if (options.shapes.empty()) throw Error("bench: no shapes to time");
  if (options.threads < 1) throw Error(fmt::format("bench: threads = {} must be >= 1", options.threads));
  nlohmann::json json;
  json["threads"] = options.threads;
  // The reference timed alone is judged against its targets (lab.toml [bench.targets]).
  const bool judge_targets = !options.student && options.targets.present;
  json["samples"] = options.samples;
  json["min_sample_seconds"] = options.min_sample_seconds;

  // --- The machine and its peak.
  const CpuInfo cpu = cpu_info();
  // The extensions as lines of at most 80 columns.
  std::string extensions, line = "Vector extensions:";
  for (const auto& e : cpu.extensions) {
    if (line.size() + 1 + e.size() > 80) {
      extensions += line + "\n";
      line.clear();  // (not `line = " "`: GCC 12 warns falsely about that assignment)
      line += ' ';
    }
    line += " " + e;
  }
  extensions += cpu.extensions.empty() ? line + " unknown" : line;
  fmt::print(out, "CPU: {} ({} logical CPUs)\n{}\n", cpu.name, cpu.cores, extensions);
  json["cpu"] = {{"name", cpu.name}, {"extensions", cpu.extensions}, {"cores", cpu.cores}};
  double peak = 0.0;
  if (options.peak) {
    std::set<int> counts(options.peak_threads.begin(), options.peak_threads.end());
    if (counts.empty()) counts = {1, options.threads, cpu.cores};
    if (judge_targets) counts.insert(options.targets.scaling_threads);  // the scaling's context
    fmt::print(out, "Peak (measured, {}):\n", peak_vector_name());
    for (int t : counts) {
      const double g = measure_peak_gflops(t, options.cpu_clock);
      fmt::print(out, "  {} thread(s): {:7.1f} GFLOP/s\n", t, g);
      json["peak_gflops"][std::to_string(t)] = g;
      if (t == options.threads) peak = g;
    }
  }
  std::ifstream loadavg("/proc/loadavg");
  std::string load;
  std::getline(loadavg, load);
  if (!load.empty()) fmt::print(out, "Load average (1, 5, 15 min): {}\n", load.substr(0, load.find(' ', load.find(' ', load.find(' ') + 1) + 1)));
  json["loadavg"] = load;

  // --- Timing: threads fixed for every contender.
  omp_set_num_threads(options.threads);
  Eigen::setNbThreads(options.threads);
  fmt::print(out, "\nThreads: {} for every contender. Each figure: the median of {} samples of >= {} ms\nafter a warm-up, contenders interleaved. Clock: {}\n",
             options.threads, options.samples, options.min_sample_seconds * 1e3,
             options.cpu_clock ? "process CPU time (--cpu-clock: for a shared machine)" : "wall-clock time");
  json["clock"] = options.cpu_clock ? "cpu" : "wall";
#ifdef EIGEN_DONT_PARALLELIZE
  if (options.eigen && options.threads > 1) {
    fmt::print(out, "Eigen runs on 1 thread (the framework builds it with EIGEN_DONT_PARALLELIZE).\n");
  }
  json["eigen_threads"] = 1;
#else
  json["eigen_threads"] = options.threads;
#endif
  std::vector<std::string> names;
  if (options.student) names.push_back("student");
  names.push_back("reference");
  if (options.eigen) names.push_back("Eigen");
  // 80 columns: each contender's GFLOP/s and % of the measured peak under its name.
  const auto pct = [&](double g) { return peak > 0 ? fmt::format("{:3.0f}%", 100.0 * g / peak) : std::string("  -"); };
  std::string header = fmt::format("{:<12}{:>5}{:>5}{:>5} {:>2}", "shape", "m", "n", "k", "op");
  for (const auto& name : names) header += fmt::format(" | {:>11}", name.substr(0, 11));
  if (options.student) header += fmt::format(" | {:>5}", "ratio");
  fmt::print(out, "(under each name: GFLOP/s and % of the peak{})\n{}\n{}\n",
             options.student ? "; ratio: student / reference" : "", header, std::string(header.size(), '-'));

  Rng rng(2024);
  bool student_correct = true;
  std::string first_failure;
  std::vector<double> ratios, student_gflops, reference_gflops, eigen_gflops;
  PlotData plot;
  plot.names = names;
  plot.gflops.resize(names.size());
  plot.peak = peak;
  plot.threads = options.threads;
  // Judging the reference's targets needs its figures at the target sizes: any that the
  // list lacks are timed after it.
  std::vector<Shape> shapes = options.shapes;
  if (judge_targets) {
    for (Index n : options.targets.peak_sizes) {
      const bool listed = std::any_of(shapes.begin(), shapes.end(),
                                      [&](const Shape& s) { return s.square() && s.n == n; });
      if (!listed) shapes.push_back({std::to_string(n), n, n, n, false, false});
    }
  }
  for (const Shape& shape : shapes) {
    const Problem p = make_problem(shape, rng);
    const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
    Matrix c_student = Matrix::Constant(shape.m, shape.n, nan);  // beta = 0 must overwrite NaN
    Matrix c_reference = Matrix::Constant(shape.m, shape.n, nan);
    Matrix c_eigen(shape.m, shape.n);
    // Every timed call gets operands it has not seen (FreshCalls), and one element of
    // every result is checked, so that remembering earlier products earns nothing.
    FreshCalls fresh_student(p, rng), fresh_reference(p, rng), fresh_eigen(p, rng);
    std::vector<std::function<void()>> contenders;
    if (options.student) contenders.emplace_back([&] { fresh_student.call(kernels::gemm_student, c_student); });
    contenders.emplace_back([&] { fresh_reference.call(kernels::gemm_reference, c_reference); });
    if (options.eigen) contenders.emplace_back([&] { fresh_eigen.call(nullptr, c_eigen); });
    const std::vector<Timing> timings = time_interleaved(contenders, options);
    if (!fresh_reference.failure.empty() || !fresh_eigen.failure.empty())
      throw Error("bench: the reference's or Eigen's product failed its check: " + fresh_reference.failure +
                  fresh_eigen.failure);
    // The products compared in full: both kernels once more on the unperturbed operands.
    if (options.student) p.call(kernels::gemm_student, c_student);
    p.call(kernels::gemm_reference, c_reference);

    std::vector<double> gflops;
    for (const auto& t : timings) gflops.push_back(shape.flops() / t.seconds * 1e-9);
    const char* op = shape.trans_a ? (shape.trans_b ? "TT" : "TN") : (shape.trans_b ? "NT" : "NN");
    std::string row = fmt::format("{:<12}{:>5}{:>5}{:>5} {:>2}", shape.label, shape.m, shape.n, shape.k, op);
    for (double g : gflops) row += fmt::format(" | {:>6.1f} {}", g, pct(g));
    nlohmann::json entry = {{"label", shape.label}, {"m", shape.m}, {"n", shape.n}, {"k", shape.k},
                            {"trans_a", shape.trans_a}, {"trans_b", shape.trans_b}, {"flops", shape.flops()}};
    for (std::size_t i = 0; i < names.size(); ++i) {
      entry[names[i]] = {{"gflops", gflops[i]}, {"seconds", timings[i].seconds},
                         {"samples", timings[i].all}, {"calls_per_sample", timings[i].calls_per_sample},
                         {"percent_of_peak", peak > 0 ? 100.0 * gflops[i] / peak : 0.0}};
    }
    const std::size_t ref = options.student ? 1 : 0;
    reference_gflops.push_back(gflops[ref]);
    if (options.eigen) eigen_gflops.push_back(gflops.back());
    if (options.student) {
      std::string problem = fresh_student.failure.empty() ? check(p, c_student, c_reference)
                                                          : "a timed call: " + fresh_student.failure;
      const double ratio = gflops[0] / gflops[ref];
      ratios.push_back(ratio);
      student_gflops.push_back(gflops[0]);
      row += fmt::format(" | {:>5.3f}", ratio);
      if (!problem.empty()) {
        row += "  WRONG";
        if (student_correct) first_failure = shape.label + ": " + problem;
        student_correct = false;
      }
      entry["ratio_to_reference"] = ratio;
      entry["student_correct"] = problem.empty();
    }
    if (options.eigen) entry["reference_over_eigen"] = gflops[ref] / gflops.back();
    json["shapes"].push_back(entry);
    fmt::print(out, "{}\n", row);
    out.flush();
    if (shape.square()) {
      plot.n.push_back(static_cast<double>(shape.n));
      for (std::size_t i = 0; i < gflops.size(); ++i) plot.gflops[i].push_back(gflops[i]);
    }
  }

  // --- Summary, correctness gate and score.
  const double ref_geo = geometric_mean(reference_gflops);
  fmt::print(out, "\nGeometric mean GFLOP/s: reference {:.2f}", ref_geo);
  json["geomean_gflops"]["reference"] = ref_geo;
  if (options.eigen) {
    const double eigen_geo = geometric_mean(eigen_gflops);
    fmt::print(out, ", Eigen {:.2f} (reference / Eigen = {:.2f})", eigen_geo, ref_geo / eigen_geo);
    json["geomean_gflops"]["Eigen"] = eigen_geo;
  }
  int status = 0;
  if (options.student) {
    const double student_geo = geometric_mean(student_gflops);
    const double ratio = geometric_mean(ratios);
    const double score = student_correct ? options.score.score(ratio) : 0.0;
    fmt::print(out, ",\n  student {:.2f}\n", student_geo);
    fmt::print(out, "Student / reference, geometric mean over {} shapes: {:.3f}\n", ratios.size(), ratio);
    if (!student_correct) {
      fmt::print(out, "Correctness: WRONG ({}). The performance score is 0.\n", first_failure);
      status = 1;
    } else {
      fmt::print(out, "Correctness: every product matches the reference.\n");
    }
    fmt::print(out, "Performance score: {:.1f} / {:.0f} (full marks at >= {:.2f} of the reference,\n  linear from {:.2f})\n",
               score, options.score.points, options.score.full_at, options.score.zero_at);
    json["geomean_gflops"]["student"] = student_geo;
    json["leaderboard_gflops"] = student_geo;
    json["geomean_ratio_to_reference"] = ratio;
    json["student_correct"] = student_correct;
    if (!student_correct) json["first_failure"] = first_failure;
    json["score"] = {{"points", score}, {"max", options.score.points},
                     {"full_at", options.score.full_at}, {"zero_at", options.score.zero_at}};
  } else {
    fmt::print(out, "\n");
    json["leaderboard_gflops"] = ref_geo;
  }

  // --- Odd square sizes (the edge cases of every blocking): average % of peak.
  if (peak > 0) {
    std::vector<double> odd_sum(names.size(), 0.0);
    int odd_count = 0;
    for (std::size_t r = 0; r < plot.n.size(); ++r) {
      if (static_cast<long>(plot.n[r]) % 2 == 0) continue;
      ++odd_count;
      for (std::size_t i = 0; i < names.size(); ++i) odd_sum[i] += 100.0 * plot.gflops[i][r] / peak;
    }
    if (odd_count > 0) {
      fmt::print(out, "Odd sizes ({}), average % of peak:", odd_count);
      for (std::size_t i = 0; i < names.size(); ++i) {
        fmt::print(out, " {} {:.1f}%", names[i], odd_sum[i] / odd_count);
        json["odd_sizes_percent_of_peak"][names[i]] = odd_sum[i] / odd_count;
      }
      fmt::print(out, "\n");
    }
  }

  // --- The reference's targets (when it is timed alone).
  if (judge_targets) report_targets(options, plot, peak, json, out);

  // --- The chart, sizes in increasing order.
  {
    std::vector<std::size_t> order(plot.n.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return plot.n[x] < plot.n[y]; });
    PlotData sorted = plot;
    for (std::size_t r = 0; r < order.size(); ++r) {
      sorted.n[r] = plot.n[order[r]];
      for (std::size_t i = 0; i < plot.gflops.size(); ++i) sorted.gflops[i][r] = plot.gflops[i][order[r]];
    }
    plot = sorted;
  }
  std::string terminal;
  if (!plot.n.empty() && (options.terminal_plot || !options.plot_dir.empty())) {
    if (!draw(plot, options.plot_dir, options.terminal_plot ? &terminal : nullptr)) {
      fmt::print(out, "(gnuplot is missing or failed: no chart)\n");
    }
    if (!options.plot_dir.empty()) {
      fmt::print(out, "Chart: {}\n", (options.plot_dir / "gemm_gflops.{svg,png}").string());
      json["plots"] = {(options.plot_dir / "gemm_gflops.svg").string(), (options.plot_dir / "gemm_gflops.png").string()};
    }
    out << terminal;
  }

  // --- Train with your kernel.
  // (Only when the student's kernel is timed: with the reference alone there is nothing to compare.)
  if (options.student && !options.train_student.empty() && !options.train_reference.empty()) {
    fmt::print(out, "\nTrain with your kernel (one fixed MLP, median epoch time, {} thread(s)):\n", options.threads);
    const double s = epoch_seconds(options.train_student, options.threads, out);
    const double r = epoch_seconds(options.train_reference, options.threads, out);
    if (s > 0 && r > 0) {
      fmt::print(out, "  epoch with your gemm: {:.3f} s, with the reference: {:.3f} s, ratio {:.2f}x\n", s, r, s / r);
      json["train"] = {{"student_epoch_seconds", s}, {"reference_epoch_seconds", r}, {"ratio", s / r}};
    }
  }

  if (!options.json.empty()) {
    gradlab::write_file_atomically(options.json, json.dump(2) + "\n");
    fmt::print(out, "JSON: {}\n", options.json.string());
  }
  return status;
} catch (const std::exception& e) {
  out << "gradlab-bench: " << e.what() << '\n';
  return 2;
}

}  // namespace gradlab::bench
