// The console renderer of a grading: prints each stage as grade_lab reports it (the
// build, every test group with its hints, the experiments, the plots, the bench) and
// the verdict. What `grader check` and `grader watch` show.
#pragma once

#include "grade.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief How much the console shows.
struct ConsoleOptions {
  std::filesystem::path source;  ///< paths are shown relative to it
  bool compact = false;          ///< one line per test group, no per-test lines (watch)
  bool all_text_plots = false;   ///< every plot as text, not only those that miss
  bool text_plots = true;        ///< print plots as text at all (`plots` does not)
  bool verdict = true;           ///< the closing "lab NN: status — score" line
};

/// \brief A GradeObserver that prints to stdout as the grading goes.
class ConsoleReport : public GradeObserver {
 public:
  explicit ConsoleReport(ConsoleOptions options) : options_(std::move(options)) {}

  void lab_started(const Manifest& m, const GradeRequest& request) override;
  void build_started() override;
  void build_finished(double seconds, const std::optional<CompileError>& error) override;
  void group_graded(const Manifest& m, const TestGroup& group, const GroupScore& score,
                    const std::vector<TestResult>& tests) override;
  void experiment_ran(const Experiment& e, const ExperimentRun& mine, const ExperimentRun& reference,
                      bool with_student) override;
  void plots_started(const std::filesystem::path& dir, bool with_student) override;
  void plot_drawn(const Plot& plot, const PlotResult& result, const std::string& terminal) override;
  void plots_finished(const Manifest& m) override;
  void bench_finished(const Manifest& m, const BenchFigures& figures, const BenchOutcome& outcome,
                      bool reference) override;
  void lab_finished(const LabResult& r, bool experiments_complete) override;

 private:
  ConsoleOptions options_;
  std::vector<std::string> shown_;  // text plots to print: those that miss their points
  std::string first_plot_;          // else the first one
  std::size_t plot_count_ = 0;
};

/// \brief Prints a compile error: file:line:col message, the compiler's context, the log.
void print_compile_error(const CompileError& e, const std::filesystem::path& source);

/// \brief The lab's closing line: "lab NN: status — score/max points".
void print_verdict(const LabResult& r);

}  // namespace gradlab::grader
