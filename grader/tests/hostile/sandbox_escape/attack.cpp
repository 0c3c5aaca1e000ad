// The real solution, plus attacks on everything around the test process. None of them
// changes a result, so the submission must score exactly what the solution scores,
// except where the sandbox's limits stop a test (the 2 GB file: CRASHED).
// @PREAMBLE
namespace hostile {

// Writes into the trusted tree, the grader's sources, the results, the working copy;
// leaves a process (new session) that keeps rewriting the results for 8 s.
inline void tamper() {
  static bool done = false;
  if (done) return;
  done = true;
  for (const char* path : {"@SOURCE@/labs/01_backprop/tests/matmul_test.cpp", "@SOURCE@/labs/01_backprop/lab.toml",
                           "@SOURCE@/solutions/01_backprop/backprop.cpp", "@SOURCE@/grader/src/grade.cpp",
                           "@SOURCE@/results/01_backprop/result.json", "@RESULTS@", "@JSON@",
                           "@WORK@/01_backprop/labs/01_backprop/lab.toml", "@WORK@/01_backprop/out/planted.txt"})
    try_write(path);
  const pid_t child = ::fork();
  if (child == 0) {
    ::setsid();
    if (::fork() == 0) {
      mark();
      for (int i = 0; i < 40; ++i) {
        ::usleep(200000);
        try_write("@RESULTS@");
        try_write("@JSON@");
      }
    }
    _exit(0);
  }
  if (child > 0) ::waitpid(child, nullptr, 0);
}

// Stops and kills the parent, every other process, pid 1.
inline void signal_everyone() {
  static bool done = false;
  if (done || !in_sandbox()) return;
  done = true;
  ::kill(::getppid(), SIGSTOP);
  ::kill(::getppid(), SIGKILL);
  ::kill(1, SIGKILL);
  ::kill(-1, SIGSTOP);
}

// A grandchild in its own session that keeps stdout and stderr open for 10 minutes.
inline void hold_pipes() {
  static bool done = false;
  if (done) return;
  done = true;
  const pid_t child = ::fork();
  if (child == 0) {
    ::setsid();
    if (::fork() == 0) {
      mark();
      ::sleep(600);
    }
    _exit(0);
  }
  if (child > 0) ::waitpid(child, nullptr, 0);
}

// As many sleeping processes as it can make (up to 3000).
inline void fork_bomb() {
  static bool done = false;
  if (done || !in_sandbox()) return;
  done = true;
  for (int i = 0; i < 3000; ++i) {
    const pid_t pid = ::fork();
    if (pid < 0) break;
    if (pid == 0) {
      mark();
      ::pause();
      _exit(0);
    }
  }
}

// A 2 GB file in the working directory.
inline void big_file() {
  if (!in_sandbox()) return;
  std::vector<char> megabyte(1 << 20, 'x');
  const int fd = ::open("big.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (int i = 0; i < 2048 && fd >= 0; ++i)
    if (::write(fd, megabyte.data(), megabyte.size()) < 0) break;
  if (fd >= 0) ::close(fd);
}

}  // namespace hostile
// @INJECT matmul_backward
hostile::tamper();
// @INJECT exp_backward
hostile::signal_everyone();
// @INJECT log_backward
hostile::hold_pipes();
// @INJECT sqrt_backward
hostile::fork_bomb();
// @INJECT pow_backward
hostile::big_file();
