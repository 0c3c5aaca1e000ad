/// \file
/// \brief What an experiment writes: named (x, y) series and scalars, as JSON for the grader.
#pragma once

#include "gradlab/core.h"

#include <map>
#include <string>
#include <vector>

/// \brief Support for lab experiments.
namespace gradlab::experiment {

/// \brief One curve: matching x and y values.
struct Series {
  std::vector<double> x;  ///< abscissae
  std::vector<double> y;  ///< ordinates, same length as x
};

/// \brief Collects an experiment's results and writes them as JSON.
///
/// The file has the form
/// `{"lab": "01", "experiment": "fit", "series": {"loss": {"x": [...], "y": [...]}}, "scalars": {...}}`;
/// the grader plots the series named in the lab's `lab.toml`. Non-finite values are
/// written as null (JSON has no NaN) and drawn as gaps.
class Recorder {
 public:
  /// \brief A recorder for experiment \p name of lab \p lab (two digits).
  Recorder(std::string lab, std::string name);
  /// \brief Appends the point (\p x, \p y) to \p series (creating it if needed).
  void add(const std::string& series, double x, double y);
  /// \brief Sets a scalar result, e.g. the final accuracy.
  void scalar(const std::string& name, double value);
  /// \brief The series recorded so far (empty if none).
  const Series& series(const std::string& name) const;
  /// \brief Writes the JSON to \p path atomically (temporary file, then rename).
  void write(const std::string& path) const;

 private:
  std::string lab_;
  std::string name_;
  std::map<std::string, Series> series_;
  std::map<std::string, double> scalars_;
};

/// \brief The value of `--out FILE` in \p argv, or \p fallback when absent.
///
/// Every experiment executable accepts `--out FILE`; an unknown argument throws
/// gradlab::Error with a usage line.
std::string output_path(int argc, char** argv, const std::string& fallback);

}  // namespace gradlab::experiment
