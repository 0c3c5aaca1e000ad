// `grader check` and `grader plots`: build a lab, run its test groups, score them,
// run its experiments for both variants and draw the plots; print it all, store the
// result for the status table, and optionally write it as JSON.
#pragma once

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
  /// Plots, logs and the result go here instead of results/NN_topic (the status table
  /// reads only results/NN_topic/result.json, so a check with --out leaves it alone).
  std::optional<std::filesystem::path> out_dir;
  std::optional<std::filesystem::path> json;     ///< also write the result(s) here
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

/// \brief The status word of a checked lab: "not started" (every test still throws
/// NotImplemented), "passing" (full marks: every test passes, every plot matches, the
/// experiments ran completely and, for lab 10, the bench gave all its points),
/// "correct but slow" (all that except the bench's points), else "failing".
std::string lab_status_word(const LabResult& r, bool experiments_complete, bool bench_short);

/// \brief The stamps (hashes) of \p m's student files, as stored in a result.
std::vector<FileStamp> stamp_student_files(const Manifest& m);

}  // namespace gradlab::grader
