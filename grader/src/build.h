// Building a lab through CMake, and reading the first compiler error out of the
// build's output so that a student sees "backprop.cpp:42: error: …", not 300 lines.
#pragma once

#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief The executables of lab \p m in \p variant ("student" or "reference"):
/// labNN_tests_<variant> and, when the lab has experiments and they are wanted, labNN_experiment_<variant>
/// (for the student's variant also labNN_experiment_reference: the plots compare with it).
std::vector<std::string> lab_targets(const Manifest& m, const std::string& variant, bool with_experiments = true);

/// \brief Runs `cmake --build BUILD --target T…`, writing the whole output to
/// \p log_file. Returns nullopt on success, the first compiler error on failure.
///
/// Throws InfrastructureError when \p build_dir is not a configured build directory
/// or CMake does not know a target (the message says what to run).
std::optional<CompileError> build_targets(const std::filesystem::path& build_dir,
                                          const std::filesystem::path& source,
                                          const std::vector<std::string>& targets,
                                          const std::filesystem::path& log_file);

/// \brief Throws UsageError naming both paths when \p build_dir was configured for
/// another source tree than \p source: its CMakeCache.txt's CMAKE_HOME_DIRECTORY (or
/// gradlab_SOURCE_DIR), compared with \p source as canonical paths. A folder without a
/// CMakeCache.txt is not judged (prebuilt executables, or not configured yet).
void require_build_for_source(const std::filesystem::path& build_dir, const std::filesystem::path& source);

/// \brief The source tree a configured build directory was made for (empty when
/// \p build_dir has no readable CMakeCache.txt or it names none).
std::filesystem::path configured_source(const std::filesystem::path& build_dir);

/// \brief The first error in a compiler's or linker's \p output (g++ / ld format),
/// with the file made relative to \p source when it is inside it, and the next few
/// lines as context. Nullopt when there is no recognizable error line.
std::optional<CompileError> parse_compile_error(const std::string& output, const std::filesystem::path& source);

}  // namespace gradlab::grader
