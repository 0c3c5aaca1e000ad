// The sandbox student code runs in: bubblewrap with new PID, IPC, UTS and network
// namespaces, the system and the source tree read-only (without solutions/), the
// program itself read-only, and one fresh scratch folder as the only writable place.
//
//   grader ──fork──> child: rlimits, (root: become nobody), exec bwrap ──> program
//
// When the sandbox's first process dies, the kernel kills every process of its PID
// namespace: nothing the submission starts outlives its run. Where bubblewrap cannot
// run, the grader says so once on stderr and runs with the rlimits alone
// ("not isolated"); GRADLAB_SANDBOX=off forces that mode (tests).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace gradlab::grader {

/// \brief What one sandboxed run may see and write.
struct SandboxSpec {
  /// The only writable folder (fresh per run: a Scratch); also HOME, TMPDIR and the
  /// working directory. Outputs the grader reads (GoogleTest's JSON, an experiment's
  /// --out) go here and are read after the sandbox has exited.
  std::filesystem::path scratch;
  /// The source tree, read-only, with solutions/ (reference code, hidden tests)
  /// replaced by an empty read-only folder; empty: not mounted.
  std::filesystem::path source;
  /// Further files or folders mounted read-only at the same path (the program).
  std::vector<std::filesystem::path> read_only;
  /// Folders inside the source tree replaced by an empty read-only folder: the build
  /// directory (the reference's executables and objects), the working copies. The
  /// read_only paths inside them stay visible.
  std::vector<std::filesystem::path> hidden = {};
};

/// \brief Whether bubblewrap can be used here, and if not, why.
struct SandboxSupport {
  bool isolated = false;  ///< runs go through bubblewrap
  /// A root grader's sandbox runs as nobody (RLIMIT_NPROC binds); false when only a
  /// root bubblewrap works here (no unprivileged user namespaces): isolated, but the
  /// process count is then bounded by the wall clock alone.
  bool as_nobody = false;
  std::string why;        ///< when not isolated: the reason (one line)
};

/// \brief Probes bubblewrap once per process (`bwrap … true` under the same mounts
/// and user as the real runs) and prints, the first time it is not usable, one line
/// on stderr naming why and what to install. GRADLAB_SANDBOX=off: never isolated.
const SandboxSupport& sandbox_support();

/// \brief Shorthand for sandbox_support().isolated.
bool sandbox_isolated();

/// \brief Folders every sandbox of this process hides as well, when they lie inside the
/// mounted source tree (folders outside it are not mounted at all): `grader report`
/// names its output folder and the class's submissions, so that one submission's code
/// can read no other's.
void hide_in_every_sandbox(const std::vector<std::filesystem::path>& folders);

/// \brief The bwrap command line that runs \p command inside the sandbox \p spec.
std::vector<std::string> bwrap_command(const SandboxSpec& spec, const std::vector<std::string>& command);

/// \brief The user the sandbox runs as: nobody (65534) when the grader is root (so that
/// RLIMIT_NPROC applies and nothing is writable by ownership; see SandboxSupport::as_nobody),
/// else the grader's own.
uid_t sandbox_uid();
/// \brief The group of sandbox_uid().
gid_t sandbox_gid();

/// \brief A fresh private folder for one run, writable by the sandbox's user, removed
/// with everything in it when destroyed. Its tmp/ is the sandbox's /tmp.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gradlab::grader
