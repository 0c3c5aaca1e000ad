// Gradescope: `grader gradescope` writes an autograder bundle (the trusted tree,
// setup.sh, run_autograder); `grader autograde` is what its run_autograder calls for
// each submission: the student's files into a working copy, graded with the hidden
// groups through the same grading function as `check`, results.json always written.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What `grader gradescope` bundles.
struct BundleRequest {
  std::filesystem::path source;   ///< the trusted tree (with solutions/ and hidden tests)
  std::vector<std::string> labs;  ///< lab ids, e.g. {"01", "02"}
  std::filesystem::path out;      ///< the zip to write
};

/// \brief Writes the autograder zip: the tree's files (git's list when it is a git
/// checkout, else every file but build/, results/ and .git/), setup.sh and
/// run_autograder at its root. Returns the exit code.
int run_gradescope_bundle(const BundleRequest& request);

/// \brief One submission's grading on Gradescope (run_autograder calls it).
struct AutogradeRequest {
  std::filesystem::path source;      ///< the trusted tree (/autograder/source)
  std::filesystem::path build;       ///< its prepared build
  std::vector<std::string> labs;     ///< lab ids
  std::filesystem::path submission;  ///< /autograder/submission
  std::filesystem::path work;        ///< a scratch folder for the working copies
  std::filesystem::path results;     ///< /autograder/results/results.json
};

/// \brief Grades the submission's files of each lab (found as labs/NN_topic/FILE,
/// NN_topic/FILE, FILE, or anywhere by name) with the hidden groups, and writes
/// Gradescope's results.json; a valid one even when nothing could be graded.
/// Returns 0 when results.json was written.
int run_autograde(const AutogradeRequest& request);

/// \brief The labs list "01,02" (commas or spaces) as ids.
std::vector<std::string> split_labs(const std::string& list);

}  // namespace gradlab::grader
