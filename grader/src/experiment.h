// Running a lab's experiment (labNN_experiment_<variant> --out FILE) under limits and
// reading the series it wrote; the reference's series cached by the reference's
// content, so that a student's check runs only the student's variant.
#pragma once

#include "manifest.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief One curve of an experiment; a JSON null becomes NaN (a gap in the plot).
struct Series {
  std::vector<double> x;
  std::vector<double> y;
};

/// \brief A part of an experiment that did not finish (its series are missing).
struct FailedPart {
  std::string part;   ///< the experiment's name for it, e.g. "curve_gelu"
  std::string error;  ///< e.g. "not implemented: lab 02: gelu_forward", or a crash
};

/// \brief What one run of an experiment produced.
struct ExperimentRun {
  std::string variant;                   ///< "student" or "reference"
  bool ok = false;                       ///< ran and wrote readable JSON (some parts may have failed)
  std::string problem;                   ///< why not, in one or two lines
  std::filesystem::path json;            ///< the file it wrote
  std::map<std::string, Series> series;  ///< by name
  std::map<std::string, double> scalars;
  std::vector<FailedPart> failed_parts;  ///< the parts whose series are missing
  bool cached = false;                   ///< read from the reference cache, not run now
  double cpu_seconds = 0;                ///< CPU time of the run (0 when cached)

  /// \brief The series \p name, or nullptr when the experiment did not write it.
  const Series* find(const std::string& name) const;
};

/// \brief Runs experiment \p e of lab \p m in \p variant from \p bin_dir, writing its
/// JSON into \p out_dir, under the lab's memory and output limits and the
/// experiment's cpu_seconds (the wall clock is only a generous backstop).
///
/// Never throws for what the experiment does: a NotImplemented in one part leaves
/// that part's series missing (ExperimentRun::failed_parts); when the whole process
/// crashes, each part is run again in its own process, so that one crashing kernel
/// costs only its own curves; a timeout or a failure outside any part is an
/// ExperimentRun with ok = false.
ExperimentRun run_experiment(const Manifest& m, const Experiment& e, const std::string& variant,
                             const std::filesystem::path& bin_dir, const std::filesystem::path& out_dir);

/// \brief The reference's run of experiment \p e: read from \p cache_dir when a run
/// of the same reference executable (same content hash) is there, else run now and,
/// when it fully succeeded, stored there for next time.
ExperimentRun reference_experiment(const Manifest& m, const Experiment& e, const std::filesystem::path& bin_dir,
                                   const std::filesystem::path& out_dir, const std::filesystem::path& cache_dir);

/// \brief Why the output of \p run (experiment \p e of lab \p m) cannot be believed, or
/// empty: a series with x and y of different lengths or more than a million points,
/// an infinite value, a y outside the experiment's [y_min, y_max] (lab.toml), or a
/// series that a plot draws missing while no part of the experiment failed. A run
/// that fails it counts as not run (ok = false, problem says why).
std::string experiment_problem(const Manifest& m, const Experiment& e, const ExperimentRun& run);

/// \brief Reads an experiment's JSON into \p run; false (with run.problem) when malformed.
bool load_experiment_json(const std::string& text, ExperimentRun& run);

}  // namespace gradlab::grader
