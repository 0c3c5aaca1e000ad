// The child runner: runs a program in its own process group under CPU, memory,
// output and wall-clock limits, and reports how it ended. A request with a sandbox
// (student code) runs inside bubblewrap (sandbox.h), with RLIMIT_NPROC and
// RLIMIT_FSIZE too, and an environment without GoogleTest's variables.
//
// The grader runs student code this way, so that a crash, a hang, a runaway
// allocation or a child that forks and never exits costs the grader nothing but
// the time limit: the whole process group (the whole PID namespace in the sandbox)
// is killed at the end of every run.
#pragma once

#include "errors.h"
#include "sandbox.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief The limits of one child process; 0 means "no limit".
struct ProcessLimits {
  double cpu_seconds = 0;    ///< RLIMIT_CPU (SIGXCPU, then SIGKILL one second later)
  double wall_seconds = 0;   ///< wall-clock time, then SIGKILL to the whole process group
  long memory_mb = 0;        ///< RLIMIT_AS, the address space
  long output_kb = 0;        ///< stdout + stderr together; the group is killed when exceeded
};

/// \brief What to run.
struct ProcessRequest {
  std::vector<std::string> argv;   ///< argv[0] is the program (searched in PATH if no '/')
  std::filesystem::path cwd;       ///< working directory; empty = the grader's
  ProcessLimits limits;
  /// The child writes straight to the grader's stdout and stderr (a long program whose
  /// progress the user watches, such as the bench): ProcessResult::out and err stay
  /// empty and output_kb is not enforced. Limits and Ctrl-C still apply.
  bool pass_through_output = false;
  /// Student code: run it in this sandbox (or, where bubblewrap cannot run, with the
  /// rlimits alone), with RLIMIT_NPROC, RLIMIT_FSIZE, HOME and TMPDIR set to the
  /// scratch folder, which is also the working directory.
  std::optional<SandboxSpec> sandbox = std::nullopt;
  /// Variables set in the child's environment (after the grader's own, minus every
  /// GTEST_* and test-sharding variable, which no child inherits).
  std::vector<std::pair<std::string, std::string>> env = {};
  /// Internal: the probe of sandbox.cpp, which uses bubblewrap before knowing it works.
  bool probe_sandbox = false;
  bool probe_as_nobody = false;  ///< internal: the probe tries a root grader's sandbox as nobody
};

/// \brief The limits every sandboxed run gets besides its request's.
inline constexpr long kSandboxFileMb = 64;  ///< RLIMIT_FSIZE: the largest file a run may write

/// \brief Thrown by run_process once the grader was asked to stop (SIGINT, SIGTERM,
/// SIGHUP): the running child has been killed; the caller still writes its result.
class Interrupted : public InfrastructureError {
 public:
  using InfrastructureError::InfrastructureError;
};

/// \brief The signal that asked the grader to stop, else 0.
int interrupted_by();

/// \brief From now on SIGINT, SIGTERM and SIGHUP kill the running children and make
/// run_process throw Interrupted instead of ending the grader, so that it still writes
/// its result (autograde). Without it the grader kills its children and dies of the signal.
void defer_interrupts();

/// \brief How the child ended.
struct ProcessResult {
  bool started = false;         ///< false when the program could not be executed at all
  int exit_code = -1;           ///< exit status when it exited normally, else -1
  int signal = 0;               ///< the signal that killed it, else 0
  bool timed_out = false;       ///< killed by the grader at the wall-clock limit
  bool output_exceeded = false; ///< killed by the grader at the output limit
  bool isolated = false;        ///< it ran inside bubblewrap
  std::string out;              ///< everything it wrote to stdout (up to the limit)
  std::string err;              ///< everything it wrote to stderr (up to the limit)
  double wall_seconds = 0;      ///< how long it ran
  double cpu_seconds = 0;       ///< CPU time it used (user + system)
  double cpu_limit = 0;         ///< the CPU limit it ran under (0 = none)

  /// \brief True when the child exited by itself (no signal, no grader kill).
  bool exited() const { return signal == 0 && !timed_out && !output_exceeded && started; }
  /// \brief True when it exited with code 0.
  bool ok() const { return exited() && exit_code == 0; }
  /// \brief True when the CPU limit stopped it (SIGXCPU, or SIGKILL at the hard limit).
  bool cpu_exceeded() const;
};

/// \brief Runs \p request to completion (or to a limit) and returns how it ended.
///
/// The child gets its own process group (setpgid), stdin from /dev/null, no core
/// dumps, and the limits of the request; when it ends (or a limit is hit) every
/// process left in its group is killed with SIGKILL, and the output still in the
/// pipes is read for at most half a second more (a grandchild that keeps them open
/// cannot hold the grader). Never throws for anything the child does; throws
/// InfrastructureError when the grader itself cannot fork or make pipes, and
/// Interrupted when the grader is asked to stop (the child is killed first).
ProcessResult run_process(const ProcessRequest& request);

/// \brief "SIGSEGV", "SIGABRT", … for a signal number ("signal 42" when unknown).
std::string signal_name(int signal);

/// \brief A one-line explanation of a crash by \p signal for a student.
std::string signal_explanation(int signal);

}  // namespace gradlab::grader
