// `grader check` and `grader plots`: grade a lab through the grading core (grade.h)
// with the console renderer, store the result for the status table, and optionally
// write it as JSON, JUnit XML or Gradescope's results.json.
#pragma once

#include "grade.h"
#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What `check` and `plots` were asked to do.
struct CheckOptions {
  std::filesystem::path source;                  ///< the repository (labs/, results/)
  std::filesystem::path build;                   ///< the CMake build directory (bin/)
  bool reference = false;                        ///< grade the reference instead of the student's code
  bool no_build = false;                         ///< use the executables already in build/bin
  bool no_plots = false;                         ///< skip experiments and plots (and their match points)
  bool no_bench = false;                         ///< skip the timed part of a lab with a [bench] (lab 10)
  bool compact = false;                          ///< one line per test group, no per-test lines (watch)
  bool all_text_plots = false;                   ///< every plot as text, not only those that miss
  bool hidden = false;                           ///< also run the hidden test groups (instructor grading)
  std::optional<std::uint64_t> test_seed;        ///< the hidden tests' seed (--seed); default: a fresh one
  /// Plots, logs and the result go here instead of results/NN_topic (the status table
  /// reads only results/NN_topic/result.json, so a check with --out leaves it alone).
  std::optional<std::filesystem::path> out_dir;
  std::optional<std::filesystem::path> json;     ///< also write the result(s) here
  std::optional<std::filesystem::path> junit;    ///< also write JUnit XML here
  std::optional<std::filesystem::path> gradescope;  ///< also write Gradescope's results.json here
};

/// \brief results/NN_topic under \p source: where a lab's cached result and plots live.
std::filesystem::path results_dir(const std::filesystem::path& source, const Manifest& m);

/// \brief Grades one lab, printing as it goes. Stores the result in
/// results/NN_topic/result.json (student variant only; under --out DIR: DIR/result.json).
LabResult check_lab(const Manifest& m, const CheckOptions& options);

/// \brief `grader check ID…`: grades each lab in turn, prints a summary when there are
/// several; returns the exit code (0 only when every lab is fully correct).
int run_check(const std::vector<std::string>& ids, const CheckOptions& options);

/// \brief `grader plots ID`: runs the lab's experiment(s) and writes the plot files
/// into options.out_dir; returns the exit code.
int run_plots(const std::string& id, const CheckOptions& options);

/// \brief The grading request of a check: \p options as the core's GradeRequest.
GradeRequest grade_request(const Manifest& m, const CheckOptions& options);

}  // namespace gradlab::grader
