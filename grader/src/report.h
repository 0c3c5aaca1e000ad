// `grader report`: grades a whole class. Every submission × lab is graded by a child
// `grader autograde` (the Gradescope runner's grading, hidden groups included) in a
// working build of its own derived from one prepared build (working_build.h: a
// submission recompiles only its own files), and the results become a
// gradebook (CSV), one JSON result per submission and lab, and an HTML class report with
// a feedback page per student, and the pairs of submissions that are suspiciously alike
// (similarity.h). `--shard I/N` grades one slice; `--merge` combines slices.
#pragma once

#include "manifest.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What `grader report` was asked to do.
struct ReportOptions {
  std::filesystem::path source;  ///< the instructor's repository: tests, manifests and build files come from here
  std::filesystem::path build;   ///< its configured build directory (the prepared build)
  std::filesystem::path out;     ///< where the gradebook, the results and the HTML go
  std::vector<std::filesystem::path> submissions;  ///< folders, .zip or .tar.gz, named by student id
  std::vector<std::string> labs;  ///< lab ids (default: every lab)
  int jobs = 1;                   ///< gradings at once
  int shard_index = 1;            ///< grade the shard_index-th of shard_count slices (1-based)
  int shard_count = 1;
  bool regrade = false;           ///< grade again even when a submission's files did not change
  bool no_plots = false;          ///< skip experiments and plots (faster; no match points)
  bool allow_unisolated = false;  ///< grade even where the sandbox cannot run (passed to each autograde)
  double similarity_threshold = 0.7;  ///< list pairs of submissions at least this alike (similarity.h)
  std::vector<std::filesystem::path> merge;  ///< with --merge: the slices' output folders
};

/// \brief `grader report SUBMISSIONS… --out DIR` (or `--merge DIR…`); returns the exit code.
int run_report(const ReportOptions& options);

/// \brief "I/N" → (I, N); throws UsageError unless 1 ≤ I ≤ N.
std::pair<int, int> parse_shard(const std::string& text);

/// \brief A student id as a folder name: the submission's file or folder name without
/// `.zip` / `.tar.gz` / `.tgz`, every character outside [A-Za-z0-9._-] replaced by '_'.
std::string submission_id(const std::filesystem::path& submission);

/// \brief One line of a CSV file: fields quoted when they hold a comma, a quote or a line end.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace gradlab::grader
