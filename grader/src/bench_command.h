// `grader bench`, and the timed part of `grader check 10`: runs lab 10's benchmark
// (the gradlab-bench program, built with the student's gemm.cpp) in a child process
// and reads its score from the JSON it writes.
#pragma once

#include "manifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief Where and how to run the benchmark.
struct BenchRequest {
  std::filesystem::path source;          ///< the repository
  std::filesystem::path build;           ///< the CMake build directory
  std::filesystem::path out_dir;         ///< plots and bench.json go here
  bool reference = false;                ///< time only the reference and Eigen
  bool no_build = false;                 ///< use the executables already built
  std::vector<std::string> extra_args;   ///< passed on to gradlab-bench (e.g. --sizes)
  std::filesystem::path program;         ///< the bench executable; empty: build/bin/gradlab-bench
};

/// \brief The timed part's result.
struct BenchOutcome {
  bool ran = false;        ///< the bench finished and wrote its JSON
  bool correct = false;    ///< every product of the student's kernel was right
  double score = 0;        ///< performance points earned (0 when incorrect)
  double max = 0;          ///< performance points available
  double ratio = 0;        ///< geometric-mean speed relative to the reference
  double gflops = 0;       ///< geometric-mean GFLOP/s of the timed kernel (the student's, or the reference's)
  int targets_met = -1;    ///< the reference's targets met in this run (-1: not judged)
  int targets_total = 0;   ///< the reference's targets judged
  std::string message;     ///< why it did not run, when it did not
};

/// \brief The fastest a double-precision GEMM can plausibly run per thread (GFLOP/s):
/// twice an AVX-512 core with two FMA units at 4 GHz (64 GFLOP/s). Figures beyond it are
/// not believed.
inline constexpr double kMaxGflopsPerThread = 128;
/// \brief The largest plausible speed of a student's kernel relative to the reference
/// (a tuned kernel) on one shape.
inline constexpr double kMaxSpeedRatio = 8;

/// \brief The timed part's outcome from the figures the bench wrote (\p doc), checked:
/// every shape has finite, positive timings whose GFLOP/s agree with its flops and
/// seconds and stay below kMaxGflopsPerThread × threads and kMaxSpeedRatio × the
/// reference's; the grader computes the ratio and the points itself ([bench.score] of
/// \p m, capped at its points), 0 unless every product was right. Invalid figures:
/// ran = false and a message saying why.
BenchOutcome bench_outcome_from_json(const nlohmann::json& doc, const Manifest& m, bool reference);

/// \brief The grader's own record of a bench outcome (the bench.json it writes).
nlohmann::json validated_bench_json(const BenchOutcome& outcome);

/// \brief Builds (unless asked not to) and runs gradlab-bench for lab \p m, showing its
/// output as it goes; wall-clock limited by the manifest's `[bench] wall_seconds`.
BenchOutcome run_bench(const Manifest& m, const BenchRequest& request);

}  // namespace gradlab::grader
