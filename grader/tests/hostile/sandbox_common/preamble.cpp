// @PREAMBLE
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace hostile {

// The word the attacks write, built at run time so that no file of the submission or
// its objects holds it.
inline std::string token() {
  std::string t = "ELITSOHLG";
  std::reverse(t.begin(), t.end());
  return t;
}

// Inside the sandbox only: its UTS namespace's hostname, and its pid 1 (the shell
// that runs the program, named gradlab-sandbox).
inline bool in_sandbox() {
  char host[64] = {};
  ::gethostname(host, sizeof host - 1);
  std::ifstream in("/proc/1/cmdline", std::ios::binary);
  std::stringstream pid1;
  pid1 << in.rdbuf();
  return std::strcmp(host, "gradlab-sandbox") == 0 && pid1.str().find("gradlab-sandbox") != std::string::npos &&
         ::getpid() != 1;
}

// A process the test can find afterwards (/proc/PID/comm).
inline void mark() { ::prctl(PR_SET_NAME, "glhostile"); }

inline void try_write(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return;
  const std::string text = "\n" + token() + "\n";
  const ssize_t ignored = ::write(fd, text.data(), text.size());
  (void)ignored;
  ::close(fd);
}

// This process's command line.
inline std::vector<std::string> my_args() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  std::vector<std::string> args;
  std::string arg;
  for (char c : all.str()) {
    if (c == '\0') {
      args.push_back(arg);
      arg.clear();
    } else {
      arg += c;
    }
  }
  return args;
}

// Runs this program again with \p env set and --gtest_filter replaced by \p filter
// (kept when empty), once.
inline void reexec(const std::vector<std::pair<const char*, const char*>>& env, const std::string& filter) {
  if (std::getenv("GLH_REEXECUTED") != nullptr) return;
  ::setenv("GLH_REEXECUTED", "1", 1);
  for (const auto& [name, value] : env) ::setenv(name, value, 1);
  std::vector<std::string> args = my_args();
  if (!filter.empty())
    for (std::string& a : args)
      if (a.rfind("--gtest_filter=", 0) == 0) a = "--gtest_filter=" + filter;
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::execv("/proc/self/exe", argv.data());
}

// The path of this process's GoogleTest JSON report.
inline std::string report_path() {
  for (const std::string& a : my_args())
    if (a.rfind("--gtest_output=json:", 0) == 0) return a.substr(20);
  return "";
}

}  // namespace hostile
