#include "process.h"

#include "errors.h"

#include <fmt/core.h>

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------- the child side

// Writes a message to stderr from the forked child (no allocation, no stdio).
void child_fail(const char* what, const char* arg) {
  const char* parts[] = {"grader: ", what, " ", arg, ": ", std::strerror(errno), "\n"};
  for (const char* p : parts) {
    ssize_t ignored = ::write(STDERR_FILENO, p, std::strlen(p));
    (void)ignored;
  }
  _exit(127);
}

void set_limit(int resource, rlim_t soft, rlim_t hard) {
  const rlimit limit{soft, hard};
  ::setrlimit(resource, &limit);
}

// Everything the forked child needs, prepared by the parent (the child may only make
// async-signal-safe calls).
struct Launch {
  std::vector<std::string> argv;  // what is executed (bwrap … -- program … in the sandbox)
  std::vector<std::string> env;   // NAME=value
  std::string cwd;                // empty: the grader's
  ProcessLimits limits;
  bool sandboxed = false;   // student code: NPROC and FSIZE limits too
  bool drop_to_nobody = false;  // a root grader: the sandbox runs as nobody
  rlim_t nproc = 0;
  int out_fd = -1, err_fd = -1;  // -1: keep the grader's (pass_through_output)
};

void apply_limits(const Launch& l) {
  set_limit(RLIMIT_CORE, 0, 0);
  if (l.limits.cpu_seconds > 0) {
    const auto seconds = static_cast<rlim_t>(std::ceil(l.limits.cpu_seconds));
    set_limit(RLIMIT_CPU, seconds, seconds + 1);
  }
  if (l.limits.memory_mb > 0) {
    const auto bytes = static_cast<rlim_t>(l.limits.memory_mb) * 1024 * 1024;
    set_limit(RLIMIT_AS, bytes, bytes);
  }
  if (l.sandboxed) {
    set_limit(RLIMIT_FSIZE, static_cast<rlim_t>(kSandboxFileMb) << 20, static_cast<rlim_t>(kSandboxFileMb) << 20);
    set_limit(RLIMIT_NPROC, l.nproc, l.nproc);
  }
}

// The child side of the fork: new process group, pipes, limits, user, exec.
[[noreturn]] void exec_child(const Launch& l, char* const* argv, char* const* envp) {
  ::setpgid(0, 0);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  if (l.out_fd >= 0) ::dup2(l.out_fd, STDOUT_FILENO);
  if (l.err_fd >= 0) ::dup2(l.err_fd, STDERR_FILENO);
  // Signals the grader ignores or handles must not stay so in the child.
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(s, SIG_DFL);
  apply_limits(l);
  if (!l.cwd.empty() && ::chdir(l.cwd.c_str()) != 0) child_fail("cannot enter", l.cwd.c_str());
  if (l.drop_to_nobody) {
    // RLIMIT_NPROC does not bind root, and root owns the trees: the sandbox runs as nobody.
    if (::setgroups(0, nullptr) != 0 || ::setresgid(sandbox_gid(), sandbox_gid(), sandbox_gid()) != 0 ||
        ::setresuid(sandbox_uid(), sandbox_uid(), sandbox_uid()) != 0)
      child_fail("cannot become the sandbox's user", "nobody");
  }
  ::execvpe(argv[0], argv, envp);
  child_fail("cannot execute", argv[0]);
  _exit(127);  // not reached
}

// ---------------------------------------------------------------- the environment

// Variables that change what GoogleTest runs or where it reports: set by the grader
// on the command line only, never inherited.
bool gtest_variable(const std::string& name) {
  return name.starts_with("GTEST_") || name.starts_with("TEST_SHARD") || name == "TEST_TOTAL_SHARDS" ||
         name == "TEST_PREMATURE_EXIT_FILE" || name == "XML_OUTPUT_FILE" || name == "TESTBRIDGE_TEST_ONLY";
}

std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& set) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(set.begin(), set.end(), [&](const auto& kv) { return kv.first == name; });
    if (!gtest_variable(name) && !replaced) env.push_back(entry);
  }
  for (const auto& [name, value] : set) env.push_back(name + "=" + value);
  return env;
}

// How many processes the sandbox's user may have: for nobody under a root grader a
// fixed number; for an ordinary user, what it runs already plus that many (the limit
// counts all of the user's processes and threads). The number leaves room for
// `report` grading one submission per core, each test with a thread per core.
rlim_t nproc_limit() {
  static const rlim_t limit = [] {
    const rlim_t cores = std::max(1u, std::thread::hardware_concurrency());
    const rlim_t kMargin = 1024 + 2 * cores * cores;
    if (::geteuid() == 0) return kMargin;
    rlim_t mine = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
      struct stat st {};
      if (::stat(entry.path().c_str(), &st) == 0 && st.st_uid == ::geteuid())
        for (auto it = fs::directory_iterator(entry.path() / "task", ec); !ec && it != fs::directory_iterator(); it.increment(ec))
          ++mine;
    }
    return mine + kMargin;
  }();
  return limit;
}

// True when a user who is neither owner nor group can reach \p path (every folder on
// the way searchable by others, the path itself readable): nobody can mount it.
bool others_can_reach(const fs::path& path) {
  fs::path at = fs::absolute(path).lexically_normal();
  struct stat st {};
  if (::stat(at.c_str(), &st) != 0 || (st.st_mode & S_IROTH) == 0) return false;
  for (at = at.parent_path(); ; at = at.parent_path()) {
    if (::stat(at.c_str(), &st) != 0 || (st.st_mode & S_IXOTH) == 0) return false;
    if (at == at.root_path()) return true;
  }
}

// A root grader drops to nobody in the sandbox when that works here and nobody can
// read what the run mounts; else bubblewrap runs as root (still isolated, but
// RLIMIT_NPROC does not bind).
bool drop_for(const ProcessRequest& r) {
  if (::geteuid() != 0) return false;
  if (r.probe_sandbox) return r.probe_as_nobody;
  if (!sandbox_support().as_nobody) return false;
  if (!r.sandbox->source.empty() && !others_can_reach(r.sandbox->source)) return false;
  return std::all_of(r.sandbox->read_only.begin(), r.sandbox->read_only.end(),
                     [](const fs::path& p) { return !fs::exists(p) || others_can_reach(p); });
}

Launch prepare_launch(const ProcessRequest& r) {
  Launch l;
  l.cwd = r.cwd.string();
  l.limits = r.limits;
  std::vector<std::pair<std::string, std::string>> env = r.env;
  if (r.sandbox) {
    const std::string scratch = r.sandbox->scratch.string();
    env.insert(env.end(), {{"HOME", scratch}, {"TMPDIR", scratch}});
    l.sandboxed = true;
    l.nproc = nproc_limit();
    l.cwd = scratch;
    if (r.probe_sandbox || sandbox_isolated()) {
      l.argv = bwrap_command(*r.sandbox, r.argv);
      l.drop_to_nobody = drop_for(r);
    }
  }
  if (l.argv.empty()) l.argv = r.argv;
  l.env = child_environment(env);
  return l;
}

// ---------------------------------------------------------------- the parent side

// Reads what is available on fd into text; returns false at end of file.
bool drain(int fd, std::string& text, std::size_t& total, std::size_t cap, bool& exceeded) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      const std::size_t room = cap == 0 ? static_cast<std::size_t>(n)
                                        : (total >= cap ? 0 : std::min<std::size_t>(cap - total, n));
      text.append(buffer, room);
      total += static_cast<std::size_t>(n);
      if (cap != 0 && total > cap) exceeded = true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;  // nothing more for now
  }
}

// The grader's ends of the child's stdout and stderr, and what came through them.
struct Pipes {
  int fds[2] = {-1, -1};
  bool open[2] = {true, true};
  std::string* texts[2] = {nullptr, nullptr};
  std::size_t total = 0;
  std::size_t cap = 0;

  // Waits up to timeout_ms for output on the pipes still open, then reads what came.
  void read(int timeout_ms, bool& exceeded) {
    pollfd polls[2];
    int n_polls = 0;
    for (int i = 0; i < 2; ++i)
      if (open[i]) polls[n_polls++] = pollfd{fds[i], POLLIN, 0};
    ::poll(polls, static_cast<nfds_t>(n_polls), timeout_ms);
    for (int i = 0; i < 2; ++i)
      if (open[i]) open[i] = drain(fds[i], *texts[i], total, cap, exceeded);
  }
};

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; }

// The process groups running now (several when `report` grades in threads), and the
// signal that asked the grader to stop. The children are not in the terminal's
// foreground group, so Ctrl-C reaches only the grader: the handler kills them all.
// Then the grader dies of the signal, as before, unless interrupts are deferred
// (autograde): run_process throws Interrupted and the grading still writes its result.
// A second signal ends the grader at once.
constexpr int kSlots = 64;
std::atomic<pid_t> running_groups[kSlots];
volatile sig_atomic_t stop_signal = 0;
volatile sig_atomic_t deferred = 0;

void on_interrupt(int signal) {
  for (auto& group : running_groups) {
    const pid_t pid = group.load();
    if (pid != 0) ::kill(-pid, SIGKILL);
  }
  if (stop_signal != 0 || deferred == 0) {
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  }
  stop_signal = signal;
}

void forward_interrupts() {
  static const bool installed = [] {
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction action {};
      action.sa_handler = on_interrupt;
      ::sigemptyset(&action.sa_mask);
      ::sigaction(signal, &action, nullptr);
    }
    return true;
  }();
  (void)installed;
}

// Records \p pid as running (for the handler) while it lives.
class RunningGroup {
 public:
  explicit RunningGroup(pid_t pid) {
    for (int i = 0; i < kSlots; ++i) {
      pid_t free = 0;
      if (running_groups[i].compare_exchange_strong(free, pid)) {
        slot_ = i;
        return;
      }
    }
  }
  ~RunningGroup() { release(); }
  void release() {
    if (slot_ >= 0) running_groups[slot_].store(0);
    slot_ = -1;
  }
  RunningGroup(const RunningGroup&) = delete;
  RunningGroup& operator=(const RunningGroup&) = delete;

 private:
  int slot_ = -1;
};

void throw_if_interrupted() {
  if (stop_signal != 0)
    throw Interrupted(fmt::format("interrupted by {} (the running program was stopped)", signal_name(stop_signal)));
}

// Watches the pipes and the clock until the child has exited (without reaping it, so
// that its pid, which names the process group, cannot be reused meanwhile), or until
// a limit or an interrupt ends it.
void watch(pid_t pid, const ProcessLimits& limits, Clock::time_point start, Pipes& pipes, ProcessResult& result) {
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) return;
    if (stop_signal != 0) return;
    int timeout_ms = 50;
    if (limits.wall_seconds > 0) {
      const double left = limits.wall_seconds - std::chrono::duration<double>(Clock::now() - start).count();
      if (left <= 0) {
        result.timed_out = true;
        return;
      }
      timeout_ms = std::min(timeout_ms, static_cast<int>(left * 1000) + 1);
    }
    pipes.read(timeout_ms, result.output_exceeded);
    if (result.output_exceeded) return;
  }
}

// How the child ended, from its wait status. bubblewrap reports its program's death
// by a signal as exit code 128 + signal, and its own failure to start as exit code 1
// with "bwrap: …" on stderr.
void record_status(int status, const rusage& usage, bool isolated, ProcessResult& result) {
  result.started = true;
  result.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.exit_code == 127 && result.err.starts_with("grader: cannot ")) result.started = false;
  if (!isolated) return;
  if (result.exit_code > 128 && result.exit_code < 128 + 65) {
    result.signal = result.exit_code - 128;
    result.exit_code = -1;
  } else if (result.exit_code == 1 && result.err.starts_with("bwrap: ")) {
    result.started = false;
  }
}

// The child's stdout and stderr pipes (both ends, close-on-exec).
struct ChildPipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
};

ChildPipes open_pipes() {
  ChildPipes p;
  if (::pipe2(p.out, O_CLOEXEC) != 0) throw InfrastructureError("cannot create a pipe");
  if (::pipe2(p.err, O_CLOEXEC) != 0) {
    ::close(p.out[0]);
    ::close(p.out[1]);
    throw InfrastructureError("cannot create a pipe");
  }
  return p;
}

// Forks the child (which never returns from exec_child) in its own process group.
pid_t spawn(const Launch& launch, const ChildPipes& pipes) {
  std::vector<char*> argv, envp;
  for (const std::string& arg : launch.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : launch.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {pipes.out[0], pipes.out[1], pipes.err[0], pipes.err[1]}) ::close(fd);
    throw InfrastructureError(std::string("cannot fork: ") + std::strerror(errno));
  }
  if (pid == 0) exec_child(launch, argv.data(), envp.data());
  ::setpgid(pid, pid);  // also here, so that the group exists before we might kill it
  return pid;
}

// The grader's ends of the pipes, non-blocking, reading into the result.
Pipes parent_ends(const ChildPipes& pipes, ProcessResult& result, long output_kb) {
  ::close(pipes.out[1]);
  ::close(pipes.err[1]);
  Pipes reader;
  reader.fds[0] = pipes.out[0];
  reader.fds[1] = pipes.err[0];
  reader.texts[0] = &result.out;
  reader.texts[1] = &result.err;
  reader.cap = static_cast<std::size_t>(output_kb) * 1024;
  for (int fd : reader.fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return reader;
}

// Collects the rest of the output for at most half a second (the killed processes
// close their ends as they die), then closes the pipes.
void drain_rest(Pipes& reader) {
  const auto drain_until = Clock::now() + std::chrono::milliseconds(500);
  bool ignored_exceeded = false;
  while ((reader.open[0] || reader.open[1]) && Clock::now() < drain_until) reader.read(50, ignored_exceeded);
  ::close(reader.fds[0]);
  ::close(reader.fds[1]);
}

}  // namespace

int interrupted_by() { return stop_signal; }

void defer_interrupts() {
  deferred = 1;
  forward_interrupts();
}

bool ProcessResult::cpu_exceeded() const {
  if (signal == SIGXCPU) return true;
  // The hard limit (one second after the soft one) ends in SIGKILL.
  return signal == SIGKILL && !timed_out && !output_exceeded && cpu_limit > 0 &&
         cpu_seconds >= cpu_limit - 0.05;
}

ProcessResult run_process(const ProcessRequest& request) {
  if (request.argv.empty()) throw InfrastructureError("run_process: empty command line");
  forward_interrupts();
  throw_if_interrupted();
  Launch launch = prepare_launch(request);
  ChildPipes pipes = open_pipes();
  // Passing the output through, the child does not use the pipes: they close on exec,
  // and the loop below just sees them end.
  if (!request.pass_through_output) {
    launch.out_fd = pipes.out[1];
    launch.err_fd = pipes.err[1];
  } else {  // what we printed so far comes before the child's output
    std::fflush(stdout);
    std::fflush(stderr);
  }
  ProcessResult result;
  result.cpu_limit = request.limits.cpu_seconds;
  result.isolated = launch.argv.front() == "bwrap";
  const auto start = Clock::now();
  const pid_t pid = spawn(launch, pipes);
  RunningGroup running(pid);
  Pipes reader = parent_ends(pipes, result, request.limits.output_kb);

  watch(pid, request.limits, start, reader, result);
  // Whatever the child left behind in its group (sleeping grandchildren holding our
  // pipes, a fork that never exits) goes with it; in the sandbox, bubblewrap's death
  // takes its whole PID namespace along.
  ::kill(-pid, SIGKILL);
  running.release();
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  drain_rest(reader);
  record_status(status, usage, result.isolated, result);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  throw_if_interrupted();
  return result;
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGKILL: return "SIGKILL";
    case SIGXCPU: return "SIGXCPU";
    case SIGTERM: return "SIGTERM";
    case SIGTRAP: return "SIGTRAP";
    case SIGPIPE: return "SIGPIPE";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "signal " + std::to_string(signal);
  }
}

std::string signal_explanation(int signal) {
  switch (signal) {
    case SIGSEGV: return "an invalid memory access: an index out of range, or a null or dangling pointer?";
    case SIGBUS: return "an invalid memory access (misaligned or unmapped)";
    case SIGABRT: return "the program aborted: a failed assertion (Eigen checks shapes and indices) or an uncaught exception";
    case SIGFPE: return "an arithmetic error such as an integer division by zero";
    case SIGILL: return "an illegal instruction";
    case SIGKILL: return "killed";
    case SIGXCPU: return "the CPU time limit was reached";
    case SIGXFSZ: return "wrote a file larger than the limit (64 MB)";
    default: return ::strsignal(signal);
  }
}

}  // namespace gradlab::grader
