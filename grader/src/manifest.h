// A lab's manifest, labs/NN_topic/lab.toml: what the grader runs and how it scores.
// Parsing validates everything up front, so that a typo in a manifest is one clear
// error naming the file, the key and the problem, never a half-graded lab.
#pragma once

#include "result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief The wall-clock backstop of a process allowed \p cpu_seconds of CPU time.
///
/// CPU time decides; the wall clock only catches a process that waits instead of
/// computing (a sleep, a deadlock). It is generous so that a machine busy with other
/// work (a build on both cores, other students) never turns into lost points: a
/// single-threaded process sharing two cores with two others still gets 2/3 of a
/// core, so 3x + 10 s leaves a wide margin.
inline double wall_backstop(double cpu_seconds) { return 3 * cpu_seconds + 10; }

/// \brief [limits]: per test-group process.
struct Limits {
  double cpu_seconds = 60;  ///< what decides (RLIMIT_CPU); the wall clock is wall_backstop() of it
  long memory_mb = 2048;
  long output_kb = 512;
};

/// \brief One [[tests]] entry: a group of GoogleTest tests run in one child process.
struct TestGroup {
  std::string name;
  std::string filter;  ///< a --gtest_filter pattern
  double points = 0;
  /// Hints in tiers, revealed one at a time by `grader hint`: a nudge, then the
  /// formula, then the shape of the code (never the code). `check` shows the first.
  std::vector<std::string> hints;
  /// A hidden group (hidden = true): its tests live in solutions/NN_topic/hidden_tests/
  /// and build into labNN_hidden_tests_<variant>; it runs only in instructor grading
  /// (check --hidden, the Gradescope runner), never in a student's check.
  bool hidden = false;
  /// Who sees the group's result on Gradescope: visibility = "hidden" |
  /// "after_due_date" | "after_published" | "visible" (default: "after_due_date" for a
  /// hidden group, "visible" otherwise).
  Visibility visibility = Visibility::Visible;
};

/// \brief One [[experiments]] entry: labNN_experiment_{student,reference} --out FILE.
struct Experiment {
  std::string name;
  double cpu_seconds = 120;  ///< what decides; the wall clock is wall_backstop() of it
  /// The range every finite y value of every series must lie in (y_min, y_max; default:
  /// any finite value). A run outside it counts as not run (validate_experiment).
  double y_min = -1e300;
  double y_max = 1e300;
};

/// \brief One [[plots]] entry: series of an experiment, student against reference.
struct Plot {
  std::string name;        ///< file stem: results/NN_topic/<name>.svg
  std::string experiment;  ///< the name of an [[experiments]] entry
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<std::string> series;          ///< drawn for student and reference
  std::vector<std::string> reference_only;  ///< drawn once, from the reference
  std::string style = "lines";              ///< "lines", "points" or "heatmap" (see draw_plot)
  double match_points = 0;                  ///< awarded when the student matches the reference
  double match_tolerance = 1e-6;            ///< largest relative deviation allowed
};

/// \brief A lab: its manifest and where it lives.
struct Manifest {
  std::filesystem::path file;  ///< the lab.toml it was read from
  std::filesystem::path dir;   ///< labs/NN_topic
  std::string slug;            ///< "01_backprop"
  std::string id;              ///< "01"
  std::string title;
  std::vector<std::string> student_files;  ///< relative to dir
  std::string notes_page;
  Limits limits;
  std::vector<TestGroup> tests;
  std::vector<Experiment> experiments;
  std::vector<Plot> plots;
  bool has_bench = false;  ///< a [bench] section: `grader check` also runs the timed bench (lab 10)
  double bench_points = 0; ///< the bench's points ([bench.score] points)
  double bench_wall_seconds = 900; ///< the bench process's wall-clock limit ([bench] wall_seconds)
  /// [bench.score] full_at and zero_at: the speed ratio (student / reference) that earns
  /// all the bench's points and the one that earns none, linear between. The grader
  /// computes the points itself from the validated figures (bench_command.h).
  double bench_full_at = 1.0;
  double bench_zero_at = 0.0;
  /// Symbols the lab's files may not use or instantiate (forbidden_symbols = [...]):
  /// globs, or prefixes of demangled names (inspect.h), on top of the grader's own rules.
  std::vector<std::string> forbidden_symbols;
  std::string forbidden_reason;  ///< forbidden_reason = "...": why, for the student's message
  /// Symbols the grader's own rules forbid but this lab's task needs (allowed_symbols =
  /// [...], same patterns): lab 11 saves checkpoints, so it may use file streams.
  std::vector<std::string> allowed_symbols;

  /// \brief Total points of the test groups (the hidden ones only when \p with_hidden).
  double test_points(bool with_hidden = false) const;
  /// \brief True when a [[tests]] group is hidden.
  bool has_hidden_tests() const;
  /// \brief Total points for matching plots.
  double match_points() const;
  /// \brief The experiment named \p name (the manifest was validated, so it exists).
  const Experiment& experiment(const std::string& name) const;
};

/// \brief Reads and validates \p file (a lab.toml inside labs/NN_topic/).
///
/// Throws InfrastructureError naming the file and the problem: toml++'s parse error
/// with line:column, a missing or mistyped key, an id that does not match the folder,
/// a plot naming an unknown experiment, a student file that does not exist.
Manifest load_manifest(const std::filesystem::path& file);

/// \brief Every lab under \p source/labs (folders NN_topic with a lab.toml), by id.
///
/// A malformed manifest throws (the error names it).
std::vector<Manifest> discover_labs(const std::filesystem::path& source);

/// \brief The lab \p id ("1", "01" or "01_backprop") under \p source; throws UsageError
/// listing the known ids when there is none.
Manifest find_lab(const std::filesystem::path& source, const std::string& id);

}  // namespace gradlab::grader
