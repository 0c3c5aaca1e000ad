// `grader release`: the student edition. A copy of the repository that builds and
// grades with the same two README commands but holds no solution source of the labs it
// does not reveal, no hidden tests and no mutants. Those labs' reference kernels ship
// compiled (prebuilt/, see cmake/Prebuilt.cmake) and every lab's reference experiment
// results ship as data (reference-series/), so a student's check still draws and
// matches the reference's curves.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief What `grader release` was asked to do.
struct ReleaseOptions {
  std::filesystem::path source;      ///< the instructor's repository (with solutions/)
  std::filesystem::path build;       ///< its configured build directory (runs the reference experiments)
  std::filesystem::path out;         ///< the edition's folder: must not exist, or be empty
  std::vector<std::string> reveal;   ///< ids of the labs whose solutions go in
};

/// \brief Writes the student edition; returns the exit code.
///
/// The edition is assembled in a hidden folder beside \p out and renamed to \p out only
/// when complete and checked, so a failure leaves nothing half-written. Throws
/// UsageError for an unknown lab in `reveal` or an \p out that holds files, and
/// InfrastructureError when compiling the kernels or running an experiment fails, or
/// when a line of an unrevealed solution turns up in the edition (naming the file).
int run_release(const ReleaseOptions& options);

/// \brief The repository's files, relative to \p source, sorted: what git tracks or
/// would track (ignored files left out), or, outside a git checkout, every file but
/// the build, result and version-control folders.
std::vector<std::filesystem::path> repository_files(const std::filesystem::path& source);

/// \brief A line of \p solution_text that identifies each `// BEGIN SOLUTION` … `// END
/// SOLUTION` region: the region's longest line, trimmed (regions of blank lines and
/// short lines only are skipped: nothing shorter than 16 characters identifies code).
std::vector<std::string> solution_fingerprints(const std::string& solution_text);

}  // namespace gradlab::grader
