// A submission's working build, derived from one prepared build: the student's files
// are compiled with the exact commands the prepared build uses for the lab's student
// kernels, and the lab's student executables are relinked against the prepared
// build's other objects. A submission thus recompiles only its own files, writes only
// into its own folder, and never touches the trusted tree or its build directory.
//
// It reads the commands from Ninja (`ninja -t commands TARGET`), so the prepared build
// must use the Ninja generator (the presets do) and have built TARGET once.
#pragma once

#include "inspect.h"
#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief Where a working build takes its inputs and puts its outputs.
struct WorkingBuild {
  std::filesystem::path build;      ///< the prepared (trusted) build directory
  std::filesystem::path source;     ///< the trusted tree it was configured for
  std::filesystem::path files_dir;  ///< the lab folder holding the submission's student files
  std::filesystem::path work_dir;   ///< objects go to work_dir/obj, executables to work_dir/bin
};

/// \brief Compiles the student files of lab \p m in \p w.files_dir and links \p targets
/// (e.g. lab01_tests_student) into w.work_dir/bin, writing every command's output to
/// \p log_file. Nullopt on success, the first compiler error on failure. On success,
/// \p compiled (when given) receives every compilation of a student file: its object
/// and the files the compiler read (its -MD dependency file), for the static checks.
///
/// Throws InfrastructureError when the prepared build cannot be used (not Ninja, a
/// target unknown to it, a target that does not link the lab's student objects).
std::optional<CompileError> build_working_copy(const Manifest& m, const WorkingBuild& w,
                                               const std::vector<std::string>& targets,
                                               const std::filesystem::path& log_file,
                                               std::vector<CompiledFile>* compiled = nullptr);

/// \brief Every occurrence of \p from in \p text replaced by \p to.
std::string replace_all(std::string text, const std::string& from, const std::string& to);

}  // namespace gradlab::grader
