// The static checks of a student's compiled files, run after compiling and before
// anything the student wrote is executed:
//
//   includes  every file the compiler opened (its dependency output) lies in the
//             framework's public headers, the lab folder's own headers or the system
//             headers; never a .cpp, never solutions/, never anything else;
//   symbols   every function or variable the object uses from elsewhere is on one
//             allow-list (the math library, the standard library's and Eigen's
//             templates, operator new/delete, the C++ runtime, the framework's API),
//             none is a process, file, signal, environment, dynamic-loading or socket
//             call, and none matches the lab's own forbidden_symbols (lab.toml);
//   code      no inline system call (syscall, sysenter, int $0x80), no global
//             constructor (.init_array, _GLOBAL__sub_I_*) and no definition that
//             would replace a C library, GoogleTest or standard library function.
//
// A violation becomes a CompileError with forbidden = true, naming the file, the line
// when it is known, the header or symbol and why: the lab's status is ForbiddenCall.
//
// The allow-list and the deny-list are data, in one place: kSymbolRules in inspect.cpp.
#pragma once

#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief One compilation of a student file: the source, the object it produced and
/// every file the compiler read for it (from the dependency file or Ninja's log).
struct CompiledFile {
  std::filesystem::path source;  ///< the student file that was compiled
  std::filesystem::path object;  ///< the .o it produced
  /// Every file the compiler opened (the source included), absolute: a dependency
  /// file's relative paths are relative to the build directory the compiler ran in.
  std::vector<std::filesystem::path> headers;
};

/// \brief What the static checks of one lab allow.
struct StaticPolicy {
  /// Any file below one of these may be included: the framework's public headers and
  /// the build's precompiled header. (System headers: /usr/include, /usr/local/include,
  /// /usr/lib — always.)
  std::vector<std::filesystem::path> include_roots;
  /// Headers (.h, .hh, .hpp) below these may be included: the lab folder, and the
  /// folder the submission's files were taken from.
  std::vector<std::filesystem::path> header_dirs;
  /// The lab's forbidden_symbols: globs (fnmatch) or, without '*', '?' and '[', prefixes
  /// of demangled names; matched against every symbol the object uses or defines.
  std::vector<std::string> forbidden_symbols;
  std::string forbidden_reason;  ///< lab.toml's forbidden_reason: why, for the message
  /// The lab's allowed_symbols: patterns that lift the grader's deny rules (not the
  /// lab's own forbidden_symbols) for a lab whose task needs them.
  std::vector<std::string> allowed_symbols;
};

/// \brief The policy of lab \p m: the framework headers of \p source, the precompiled
/// headers of \p build, the lab folder and \p files_dir (when not empty), the lab's
/// forbidden symbols.
StaticPolicy static_policy(const Manifest& m, const std::filesystem::path& source, const std::filesystem::path& build,
                           const std::filesystem::path& files_dir);

/// \brief Runs every check on \p file; nullopt when it passes, else the first violation
/// as a CompileError (forbidden = true). \p display_root: paths inside it are shown
/// relative to it.
///
/// Throws InfrastructureError when nm or objdump cannot be run (binutils missing).
std::optional<CompileError> check_compiled_file(const CompiledFile& file, const StaticPolicy& policy,
                                                const std::filesystem::path& display_root);

/// \brief The #include check alone (dependency output against \p policy).
std::optional<CompileError> check_includes(const CompiledFile& file, const StaticPolicy& policy,
                                           const std::filesystem::path& display_root);

/// \brief The object check alone (nm and objdump of file.object against \p policy).
std::optional<CompileError> check_object(const CompiledFile& file, const StaticPolicy& policy,
                                         const std::filesystem::path& display_root);

/// \brief Why a symbol (demangled) that an object uses from elsewhere is forbidden,
/// or empty when it is allowed: the lab's forbidden_symbols, then its allowed_symbols,
/// then kSymbolRules's deny and allow rules; what no rule allows is forbidden.
std::string why_forbidden(const std::string& symbol, const StaticPolicy& policy);

/// \brief The files a make-style dependency file (g++ -MD) names after its target.
std::vector<std::filesystem::path> read_depfile(const std::string& text);

/// \brief The compilations of \p sources (absolute paths) among the commands Ninja
/// runs for \p targets in \p build, with the headers Ninja recorded for each object
/// (`ninja -t deps`). A source not compiled by these targets is left out.
std::vector<CompiledFile> compiled_files_in_build(const std::filesystem::path& build,
                                                  const std::vector<std::string>& targets,
                                                  const std::vector<std::filesystem::path>& sources);

/// \brief The objects of \p variant ("student" or "reference") of lab \p m in \p build:
/// labNN_<variant>, or with \p bench the bench's own copy of them (gradlab_bench_gemm_<variant>,
/// compiled with other macros: a file could behave differently there).
std::vector<CompiledFile> lab_compiled_files(const Manifest& m, const std::filesystem::path& source,
                                             const std::filesystem::path& build, const std::string& variant,
                                             bool bench = false);

}  // namespace gradlab::grader
