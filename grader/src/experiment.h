// Running a lab's experiment (labNN_experiment_<variant> --out FILE) under limits and
// reading the series it wrote.
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

/// \brief What one run of an experiment produced.
struct ExperimentRun {
  std::string variant;                   ///< "student" or "reference"
  bool ok = false;                       ///< ran and wrote readable JSON
  std::string problem;                   ///< why not, in one or two lines
  std::filesystem::path json;            ///< the file it wrote
  std::map<std::string, Series> series;  ///< by name
  std::map<std::string, double> scalars;

  /// \brief The series \p name, or nullptr when the experiment did not write it.
  const Series* find(const std::string& name) const;
};

/// \brief Runs experiment \p e of lab \p m in \p variant from \p bin_dir, writing its
/// JSON into \p out_dir, under the lab's memory and output limits and the
/// experiment's wall_seconds (also its CPU limit). Never throws for what the
/// experiment does: a crash or a NotImplemented is an ExperimentRun with ok = false.
ExperimentRun run_experiment(const Manifest& m, const Experiment& e, const std::string& variant,
                             const std::filesystem::path& bin_dir, const std::filesystem::path& out_dir);

/// \brief Reads an experiment's JSON into \p run; false (with run.problem) when malformed.
bool load_experiment_json(const std::string& text, ExperimentRun& run);

}  // namespace gradlab::grader
