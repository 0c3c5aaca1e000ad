/// \file
/// \brief The timed part of lab 10: GEMM speed of the student's kernel, the reference
/// and Eigen, the machine's peak, the score, plots and JSON (`gradlab-bench`,
/// `grader bench`).
#pragma once

#include "gradlab/core.h"

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

/// \brief The GEMM benchmark behind `grader bench` and `gradlab-bench`.
namespace gradlab::bench {

/// \brief One product to time: \f$ C_{m\times n} \leftarrow \mathrm{op}(A)\,\mathrm{op}(B) \f$.
struct Shape {
  std::string label;        ///< how the table names it, e.g. `"512"` or `"fc1 dW"`
  Index m = 0;              ///< rows of C
  Index n = 0;              ///< columns of C
  Index k = 0;              ///< the inner dimension
  bool trans_a = false;     ///< op(A) = Aᵀ
  bool trans_b = false;     ///< op(B) = Bᵀ
  bool square() const { return m == n && n == k && !trans_a && !trans_b; }  ///< an n³ size
  double flops() const { return 2.0 * double(m) * double(n) * double(k); }  ///< 2mnk
};

/// \brief The score rule of `lab.toml`'s `[bench.score]`.
///
/// With r the geometric mean over all shapes of student GFLOP/s ÷ reference GFLOP/s,
/// \f[ \text{score} = \text{points}\cdot\min\Bigl(1, \max\Bigl(0,
///     \frac{r - \text{zero\_at}}{\text{full\_at} - \text{zero\_at}}\Bigr)\Bigr), \f]
/// and 0 when any product of the student's kernel is wrong.
struct ScoreRule {
  double points = 40.0;   ///< full marks
  double full_at = 0.5;   ///< ratio to the reference that earns full marks
  double zero_at = 0.0;   ///< ratio at which the linear ramp starts from 0
  /// \brief The score for geometric-mean ratio \p ratio (correct kernel).
  double score(double ratio) const;
};

/// \brief The reference kernel's performance targets, `lab.toml`'s `[bench.targets]`.
///
/// Checked when the reference is timed alone (`grader check 10 --reference`,
/// `gradlab-bench --no-student`): the bench prints each one with the figure of this
/// run and says whether it is met or by how much it is missed.
struct Targets {
  bool present = false;              ///< the manifest declares targets
  std::vector<Index> peak_sizes;     ///< square sizes held to the two targets below
  double percent_of_peak = 85.0;     ///< at each of peak_sizes, one thread
  double over_eigen = 1.1;           ///< reference GFLOP/s ÷ Eigen GFLOP/s at each of peak_sizes
  Index scaling_size = 2048;         ///< the size of the thread-scaling measurement
  int scaling_threads = 2;           ///< threads compared with one thread
  double scaling = 1.8;              ///< GFLOP/s with scaling_threads ÷ GFLOP/s with one
  double odd_percent_of_peak = 70.0; ///< average % of peak over the odd square sizes
  std::string explained_in;          ///< where a reader learns why a target is missed
};

/// \brief The figures of one run that the targets are judged on (negative: not measured).
struct TargetFigures {
  int threads = 1;                     ///< threads of the main table
  std::vector<Index> sizes;            ///< square sizes timed
  std::vector<double> percent_of_peak; ///< the reference's % of peak at each size
  std::vector<double> over_eigen;      ///< the reference ÷ Eigen at each size
  double scaling = -1.0;               ///< T threads ÷ 1 thread at Targets::scaling_size
  double odd_percent_of_peak = -1.0;   ///< average over the odd sizes
};

/// \brief One target judged: what was asked, what was measured, and the verdict.
struct TargetCheck {
  std::string what;      ///< e.g. "% of peak, 1 thread, n = 1024"
  double goal = 0.0;     ///< the target value
  double measured = -1;  ///< the figure of this run (negative: not measured in this run)
  bool met = false;      ///< measured >= goal
  std::string unit;      ///< "%" (a shortfall in points) or "x" (a ratio)
};

/// \brief Judges \p figures against \p targets: one TargetCheck per size and per target.
std::vector<TargetCheck> check_targets(const Targets& targets, const TargetFigures& figures);

/// \brief What to measure and where to write it.
struct Options {
  std::vector<Shape> shapes;            ///< the products to time (lab.toml's list by default)
  int threads = 1;                      ///< threads for every contender (fixed, stated)
  int samples = 5;                      ///< timed samples per contender and shape (median)
  double min_sample_seconds = 0.02;     ///< each sample repeats the product for at least this
  double max_seconds_per_shape = 4.0;   ///< per contender: stop sampling after this much time
  bool student = true;                  ///< time the student's kernel
  bool eigen = true;                    ///< time Eigen's product
  bool peak = true;                     ///< measure the FMA peak
  std::vector<int> peak_threads;        ///< thread counts for the peak (empty: 1 .. threads, and all cores)
  ScoreRule score;                      ///< the lab.toml formula
  Targets targets;                      ///< the reference's targets (checked with student = false)
  std::filesystem::path json;           ///< write every figure here (empty: no file)
  std::filesystem::path plot_dir;       ///< write gemm_gflops.{svg,png} here (empty: no files)
  bool terminal_plot = true;            ///< draw the chart in the terminal (gnuplot dumb)
  /// \brief Measure process CPU time instead of wall-clock time.
  ///
  /// For a machine shared with other jobs: a time-shared process is charged only the
  /// time it ran. Meaningful for one thread (with several, the threads' times add up and
  /// the figures assume they all ran at once). The output says which clock was used.
  bool cpu_clock = false;
  std::filesystem::path train_student;    ///< training executable linked with the student's gemm
  std::filesystem::path train_reference;  ///< the same linked with the reference gemm
};

/// \brief Reads `[bench]` of a lab 10 manifest (sizes, shapes, samples, score) into \p options.
///
/// Throws gradlab::Error naming the file and the key on a malformed manifest.
void load_manifest(const std::filesystem::path& lab_toml, Options& options);

/// \brief Parses `"31,32,33"` into square shapes. Throws gradlab::Error on bad input.
std::vector<Shape> parse_sizes(const std::string& list);

/// \brief The machine: CPU name and vector extensions from /proc/cpuinfo.
struct CpuInfo {
  std::string name;                     ///< "model name"
  std::vector<std::string> extensions;  ///< vector/FMA flags the CPU reports
  int cores = 1;                        ///< logical CPUs available
};
/// \brief Reads /proc/cpuinfo (empty fields where it is unavailable).
CpuInfo cpu_info();

/// \brief Double-precision FMA throughput in GFLOP/s with \p threads threads, using the
/// widest vectors this build targets (best of several runs of a register-only FMA loop).
/// With \p cpu_clock, per CPU-second times \p threads (see Options::cpu_clock).
double measure_peak_gflops(int threads, bool cpu_clock = false);
/// \brief Seconds on the chosen clock: steady wall-clock time, or this process's CPU time.
double clock_seconds(bool cpu_clock);
/// \brief The vector width the peak loop uses, e.g. `"AVX-512 (8 doubles)"`.
std::string peak_vector_name();

/// \brief A timing: the median of several samples.
struct Timing {
  double seconds = 0.0;           ///< median seconds per product
  int samples = 0;                ///< samples taken
  int calls_per_sample = 0;       ///< products per sample
  std::vector<double> all;        ///< every sample's seconds per product
};

/// \brief Times several contenders on one product, interleaved: sample i of every
/// contender is taken before sample i + 1 of any. One untimed warm-up call each; each
/// sample repeats the call for at least Options::min_sample_seconds.
std::vector<Timing> time_interleaved(const std::vector<std::function<void()>>& contenders,
                                     const Options& options);

/// \brief Runs the whole benchmark and prints it to \p out. Returns 0 when the
/// student's kernel is correct on every shape (or was not timed), 1 when it is wrong,
/// 2 on an error (message printed).
int run(const Options& options, std::ostream& out);

}  // namespace gradlab::bench
