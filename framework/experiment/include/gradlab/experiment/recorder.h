/// \file
/// \brief What an experiment writes: named (x, y) series and scalars, as JSON for the grader.
#pragma once

#include "gradlab/core.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

/// \brief Support for lab experiments.
namespace gradlab::experiment {

/// \brief One curve: matching x and y values.
struct Series {
  std::vector<double> x;  ///< abscissae
  std::vector<double> y;  ///< ordinates, same length as x
};

/// \brief A part of the experiment that threw instead of finishing.
struct FailedPart {
  std::string part;   ///< the name given to Recorder::part
  std::string error;  ///< the exception's message, e.g. "not implemented: lab 02: gelu_forward"
};

/// \brief Collects an experiment's results and writes them as JSON.
///
/// The file has the form
/// `{"lab": "01", "experiment": "fit", "series": {"loss": {"x": [...], "y": [...]}},
///   "scalars": {...}, "failed_parts": [{"part": "gelu", "error": "..."}]}`;
/// the grader plots the series named in the lab's `lab.toml`. Non-finite values are
/// written as null (JSON has no NaN) and drawn as gaps.
///
/// An experiment is split into *parts* (Recorder::part) that fail one at a time: a
/// student who has not written GELU yet still gets every other curve drawn and
/// compared with the reference.
class Recorder {
 public:
  /// \brief A recorder for experiment \p name of lab \p lab (two digits).
  Recorder(std::string lab, std::string name);

  /// \brief Runs \p body as one independent part of the experiment.
  ///
  /// When \p body throws, the failure is recorded under \p name, whatever series and
  /// scalars the part had started are dropped (a half-drawn curve would look like a
  /// wrong one), and the experiment goes on with the next part. Returns false when the
  /// part failed or was skipped (see only_part()).
  bool part(const std::string& name, const std::function<void()>& body);
  /// \brief Runs only the part named \p name; every other part() call is skipped.
  /// With an empty name no part runs at all, and part() only collects the names.
  void only_part(std::optional<std::string> name) { only_ = std::move(name); }
  /// \brief The names of the parts met so far, in order.
  const std::vector<std::string>& parts() const { return parts_; }
  /// \brief The parts that threw.
  const std::vector<FailedPart>& failures() const { return failures_; }

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
  std::vector<std::string> parts_;
  std::vector<FailedPart> failures_;
  std::optional<std::string> only_;
  // What the running part has written, to drop when it fails.
  std::set<std::string> touched_series_, touched_scalars_;
};

/// \brief The whole `main` of an experiment program.
///
/// Reads the command line (`--out FILE`, `--part NAME` to run one part alone,
/// `--list-parts` to print the part names and run none), runs \p body with a
/// Recorder, and writes the JSON. Returns the exit code: 0 when the file was written
/// (failed parts are listed in it and on stderr), 1 when the experiment failed outside
/// any part, 2 on a usage error.
int run_main(int argc, char** argv, const std::string& lab, const std::string& experiment,
             const std::function<void(Recorder&)>& body);

}  // namespace gradlab::experiment
