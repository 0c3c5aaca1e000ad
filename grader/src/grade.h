// The grading core: one function grades one lab of one tree and returns a typed
// LabResult. It prints nothing: what happens along the way goes to a GradeObserver
// (the console renderer prints it; the Gradescope runner and `report` may ignore it).
//
//   prepare (the request: which tree, which executables) → build → run each test
//   group → score → experiments and plots → bench (lab 10) → LabResult
//
// `check`, the Gradescope runner and `report` all call grade_lab; only what they do
// with the result differs (renderers: console, --json, JUnit XML, Gradescope).
#pragma once

#include "bench_command.h"
#include "experiment.h"
#include "manifest.h"
#include "result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What to grade, and where.
struct GradeRequest {
  std::filesystem::path source;   ///< the trusted tree (labs/, solutions/)
  std::filesystem::path build;    ///< its CMake build directory (reference executables, caches)
  /// Where the graded variant's executables are; empty: build/bin. A submission's
  /// working build (working_build.h) puts the student's here and keeps the
  /// reference's in build/bin.
  std::filesystem::path student_bin;
  /// Where the student files are; empty: the lab's folder in source.
  std::filesystem::path files_dir;
  /// A submission's working build (working_build.h): when set, the build stage
  /// compiles the student files in files_dir into work_dir/obj and links the
  /// student's executables into work_dir/bin (set student_bin to it), leaving the
  /// trusted tree and build untouched.
  std::filesystem::path work_dir;
  std::filesystem::path out_dir;  ///< plots, experiments' JSON, logs
  bool reference = false;         ///< grade the reference instead of the student's code
  bool build_first = true;        ///< run `cmake --build` for the lab's targets first
  bool plots = true;              ///< run the experiments and score the plots
  bool bench = true;              ///< run the timed part (a lab with [bench])
  bool hidden = false;            ///< also run the hidden groups (instructor grading)
  /// The seed the hidden tests draw their shapes and values from (GRADLAB_TEST_SEED in
  /// their environment); none: a fresh one per grading, recorded in the result.
  std::optional<std::uint64_t> test_seed;
  std::vector<std::string> bench_args;  ///< extra arguments for gradlab-bench

  /// \brief "reference" or "student".
  std::string variant() const { return reference ? "reference" : "student"; }
  /// \brief The folder of the graded variant's executables.
  std::filesystem::path variant_bin() const;
};

/// \brief Progress of one grading, reported as it happens. Every method does nothing
/// by default; a renderer overrides what it shows.
class GradeObserver {
 public:
  virtual ~GradeObserver() = default;
  virtual void lab_started(const Manifest&, const GradeRequest&) {}
  virtual void build_started() {}
  virtual void build_finished(double /*seconds*/, const std::optional<CompileError>&) {}
  virtual void group_graded(const Manifest&, const TestGroup&, const GroupScore&, const std::vector<TestResult>&) {}
  /// \p mine is \p reference itself when the reference is graded.
  virtual void experiment_ran(const Experiment&, const ExperimentRun& /*mine*/, const ExperimentRun& /*reference*/,
                              bool /*with_student*/) {}
  virtual void plots_started(const std::filesystem::path& /*dir*/, bool /*with_student*/) {}
  /// \p terminal: gnuplot's text rendering of the plot (empty without gnuplot).
  virtual void plot_drawn(const Plot&, const PlotResult&, const std::string& /*terminal*/) {}
  virtual void plots_finished(const Manifest&) {}
  virtual void bench_started(const Manifest&, bool /*reference*/) {}
  virtual void bench_finished(const Manifest&, const BenchFigures&, const BenchOutcome&, bool /*reference*/) {}
  /// \p experiments_complete: false when every test passes but an experiment did not run completely.
  virtual void lab_finished(const LabResult&, bool /*experiments_complete*/) {}
};

/// \brief Grades lab \p m as \p request says, reporting progress to \p observer.
///
/// Never throws for what the graded code does (a compile error, a crash, a wrong
/// answer are results); throws InfrastructureError when the grader cannot do its job
/// (no build directory, an executable missing under no-build).
LabResult grade_lab(const Manifest& m, const GradeRequest& request, GradeObserver& observer);

/// \brief The plots of a lab alone (no tests): what `grader plots` draws.
struct PlotsOutcome {
  std::vector<PlotResult> plots;
  bool complete = true;  ///< every part of the graded variant's experiments ran
};

/// \brief Runs the experiments of lab \p m and draws its plots into request.out_dir.
PlotsOutcome plot_lab(const Manifest& m, const GradeRequest& request, GradeObserver& observer);

/// \brief The lab's status from its tests, plots, experiments and bench: NotStarted
/// (every test still throws NotImplemented), Passing (full marks: every test passes,
/// every plot matches, the experiments ran completely and, for lab 10, the bench gave
/// all its points), CorrectButSlow (all that except the bench's points), else Failing.
LabStatus lab_status_of(const LabResult& r, bool experiments_complete, bool bench_short);

/// \brief A group's share: points × passed / total.
GroupScore score_group(const TestGroup& group, const std::vector<TestResult>& tests);

/// \brief The stamps (hashes) of \p m's student files in \p dir (default: the lab's folder).
std::vector<FileStamp> stamp_student_files(const Manifest& m, const std::filesystem::path& dir = {});

}  // namespace gradlab::grader
