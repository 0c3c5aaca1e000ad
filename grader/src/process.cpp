#include "process.h"

#include "errors.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace gradlab::grader {

namespace {

using Clock = std::chrono::steady_clock;

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

// The child side of the fork: new process group, pipes, limits, exec. Only
// async-signal-safe calls from here on.
[[noreturn]] void exec_child(char* const* argv, const char* cwd, const ProcessLimits& limits,
                             int out_fd, int err_fd) {
  ::setpgid(0, 0);
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
  if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);  // -1: keep the grader's (pass_through_output)
  if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
  set_limit(RLIMIT_CORE, 0, 0);
  if (limits.cpu_seconds > 0) {
    const auto seconds = static_cast<rlim_t>(std::ceil(limits.cpu_seconds));
    set_limit(RLIMIT_CPU, seconds, seconds + 1);
  }
  if (limits.memory_mb > 0) {
    const auto bytes = static_cast<rlim_t>(limits.memory_mb) * 1024 * 1024;
    set_limit(RLIMIT_AS, bytes, bytes);
  }
  if (cwd != nullptr && ::chdir(cwd) != 0) child_fail("cannot enter", cwd);
  ::execvp(argv[0], argv);
  child_fail("cannot execute", argv[0]);
  _exit(127);  // not reached
}

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

// Waits up to timeout_ms for output on the pipes still open, then reads what came.
void read_pipes(const int fds[2], bool open[2], std::string* const texts[2], std::size_t& total, std::size_t cap,
                int timeout_ms, bool& exceeded) {
  pollfd polls[2];
  int n_polls = 0;
  for (int i = 0; i < 2; ++i)
    if (open[i]) polls[n_polls++] = pollfd{fds[i], POLLIN, 0};
  ::poll(polls, static_cast<nfds_t>(n_polls), timeout_ms);
  for (int i = 0; i < 2; ++i)
    if (open[i]) open[i] = drain(fds[i], *texts[i], total, cap, exceeded);
}

double seconds_of(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; }

// The process group running now. The child is not in the terminal's foreground group,
// so Ctrl-C reaches only the grader: pass it on, so that no test outlives the grader.
volatile sig_atomic_t running_group = 0;

void on_interrupt(int signal) {
  if (running_group != 0) ::kill(-running_group, SIGKILL);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
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

}  // namespace

bool ProcessResult::cpu_exceeded() const {
  if (signal == SIGXCPU) return true;
  // The hard limit (one second after the soft one) ends in SIGKILL.
  return signal == SIGKILL && !timed_out && !output_exceeded && cpu_limit > 0 &&
         cpu_seconds >= cpu_limit - 0.05;
}

ProcessResult run_process(const ProcessRequest& request) {
  if (request.argv.empty()) throw InfrastructureError("run_process: empty command line");
  std::vector<char*> argv;
  for (const std::string& arg : request.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::string cwd = request.cwd.string();

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw InfrastructureError("cannot create a pipe");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw InfrastructureError("cannot create a pipe");
  }

  ProcessResult result;
  result.cpu_limit = request.limits.cpu_seconds;
  if (request.pass_through_output) {  // what we printed so far comes before the child's output
    std::fflush(stdout);
    std::fflush(stderr);
  }
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    throw InfrastructureError(std::string("cannot fork: ") + std::strerror(errno));
  }
  // Passing the output through, the child does not use the pipes: they close on exec,
  // and the loop below just sees them end.
  if (pid == 0) exec_child(argv.data(), cwd.empty() ? nullptr : cwd.c_str(), request.limits,
                           request.pass_through_output ? -1 : out_pipe[1],
                           request.pass_through_output ? -1 : err_pipe[1]);

  ::setpgid(pid, pid);  // also here, so that the group exists before we might kill it
  forward_interrupts();
  running_group = pid;
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  int fds[2] = {out_pipe[0], err_pipe[0]};
  std::string* texts[2] = {&result.out, &result.err};
  for (int fd : fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);

  const std::size_t cap = static_cast<std::size_t>(request.limits.output_kb) * 1024;
  std::size_t total = 0;
  bool open[2] = {true, true};
  auto kill_group = [&] { ::kill(-pid, SIGKILL); };

  // Watch the pipes and the clock until the child has exited (without reaping it,
  // so that its pid, which names the process group, cannot be reused meanwhile).
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid)
      break;
    int timeout_ms = 50;
    if (request.limits.wall_seconds > 0) {
      const double left = request.limits.wall_seconds -
                          std::chrono::duration<double>(Clock::now() - start).count();
      if (left <= 0) {
        result.timed_out = true;
        kill_group();
        break;
      }
      timeout_ms = std::min(timeout_ms, static_cast<int>(left * 1000) + 1);
    }
    read_pipes(fds, open, texts, total, cap, timeout_ms, result.output_exceeded);
    if (result.output_exceeded) {
      kill_group();
      break;
    }
  }

  // Whatever the child left behind in its group (sleeping grandchildren holding our
  // pipes, a fork that never exits) goes with it.
  kill_group();
  running_group = 0;
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.started = true;
  result.cpu_seconds = seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  if (result.exit_code == 127 && result.err.starts_with("grader: cannot ")) result.started = false;

  // Collect the rest of the output; the killed processes close their ends as they die.
  const auto drain_until = Clock::now() + std::chrono::milliseconds(500);
  bool ignored_exceeded = false;
  while ((open[0] || open[1]) && Clock::now() < drain_until) {
    read_pipes(fds, open, texts, total, cap, 50, ignored_exceeded);
  }
  ::close(fds[0]);
  ::close(fds[1]);
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
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
    default: return ::strsignal(signal);
  }
}

}  // namespace gradlab::grader
