// Gradescope: `grader gradescope` writes an autograder bundle (the trusted tree,
// setup.sh, run_autograder); `grader autograde` is what its run_autograder calls for
// each submission: the student's files into a working copy, graded with the hidden
// groups through the same grading function as `check`, results.json always written.
#pragma once

#include "manifest.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What `grader gradescope` bundles.
struct BundleRequest {
  std::filesystem::path source;   ///< the trusted tree (with solutions/ and hidden tests)
  std::vector<std::string> labs;  ///< lab ids, e.g. {"01", "02"}
  std::filesystem::path out;      ///< the zip to write
  /// run_autograder grades even where the sandbox cannot run (a Docker image without
  /// user namespaces): it sets GRADLAB_ALLOW_UNISOLATED=1.
  bool allow_unisolated = false;
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
  std::filesystem::path lab_results; ///< also the results in the grader's own JSON form, when set (`report` reads it)
  bool plots = true;                 ///< run the experiments and score the plots
  /// Grade even where the sandbox cannot run (rlimits only; results marked "isolated":
  /// false). Without it an unisolated grader refuses: a failure results.json, exit code 2.
  bool allow_unisolated = false;
};

/// \brief Grades the submission's files of each lab (found as labs/NN_topic/FILE,
/// NN_topic/FILE, FILE, or anywhere by name) with the hidden groups, and writes
/// Gradescope's results.json; a valid one even when nothing could be graded.
/// Returns 0 when results.json was written, 2 when it refused to grade unisolated.
int run_autograde(const AutogradeRequest& request);

/// \brief The submission's copy of one student file: labs/NN_topic/FILE,
/// NN_topic/FILE, FILE, else the only regular file of that name anywhere in it
/// (symbolic links are ignored); nullopt when there is none.
std::optional<std::filesystem::path> find_submitted(const std::filesystem::path& submission, const Manifest& m,
                                                    const std::string& file);

/// \brief The executables grading lab \p m needs in the prepared build (both variants'
/// tests, experiments and hidden tests; the bench for a timed lab).
std::vector<std::string> autograder_targets(const Manifest& m, const std::filesystem::path& source);

/// \brief The labs list "01,02" (commas or spaces) as ids.
std::vector<std::string> split_labs(const std::string& list);

}  // namespace gradlab::grader
