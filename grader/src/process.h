// The sandboxed child runner: runs a program in its own process group under CPU,
// memory, output and wall-clock limits, and reports how it ended.
//
// The grader runs student code this way, so that a crash, a hang, a runaway
// allocation or a child that forks and never exits costs the grader nothing but
// the time limit: the whole process group is killed at the end of every run.
#pragma once

#include <chrono>
#include <filesystem>
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
};

/// \brief How the child ended.
struct ProcessResult {
  bool started = false;         ///< false when the program could not be executed at all
  int exit_code = -1;           ///< exit status when it exited normally, else -1
  int signal = 0;               ///< the signal that killed it, else 0
  bool timed_out = false;       ///< killed by the grader at the wall-clock limit
  bool output_exceeded = false; ///< killed by the grader at the output limit
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
/// process left in its group is killed with SIGKILL. Never throws for anything the
/// child does; throws gradlab::grader::InfrastructureError when the grader itself
/// cannot fork or make pipes.
ProcessResult run_process(const ProcessRequest& request);

/// \brief "SIGSEGV", "SIGABRT", … for a signal number ("signal 42" when unknown).
std::string signal_name(int signal);

/// \brief A one-line explanation of a crash by \p signal for a student.
std::string signal_explanation(int signal);

}  // namespace gradlab::grader
