#include "sandbox.h"

#include "errors.h"
#include "process.h"

#include <fmt/core.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

constexpr uid_t kNobody = 65534;

// The system folders a program needs: its loader and libraries, /etc for the loader's
// cache and locale data. A symbolic link (/lib -> usr/lib on merged-/usr systems) is
// recreated as the link, a folder mounted read-only; a missing one is left out.
void add_system(std::vector<std::string>& args) {
  for (const char* dir : {"/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc"}) {
    std::error_code ec;
    const auto status = fs::symlink_status(dir, ec);
    if (ec || !fs::exists(status)) continue;
    if (fs::is_symlink(status)) args.insert(args.end(), {"--symlink", fs::read_symlink(dir, ec).string(), dir});
    else args.insert(args.end(), {"--ro-bind", dir, dir});
  }
}

SandboxSupport probe() {
  SandboxSupport support;
  const char* mode = std::getenv("GRADLAB_SANDBOX");
  if (mode != nullptr && std::strcmp(mode, "off") == 0) {
    support.why = "GRADLAB_SANDBOX=off";
    return support;
  }
  const Scratch scratch;
  ProcessRequest request;
  request.argv = {"true"};
  request.limits = {10, 30, 0, 64};
  request.sandbox = SandboxSpec{scratch.path(), {}, {}};
  request.probe_sandbox = true;
  // A root grader: as nobody if unprivileged user namespaces work, else as root.
  request.probe_as_nobody = ::geteuid() == 0;
  ProcessResult p = run_process(request);
  if (!p.ok() && request.probe_as_nobody) {
    request.probe_as_nobody = false;
    p = run_process(request);
  }
  if (p.ok()) {
    support.isolated = true;
    support.as_nobody = request.probe_as_nobody;
    return support;
  }
  std::string why = p.err.substr(0, p.err.find('\n'));
  if (!p.started || why.find("cannot execute bwrap") != std::string::npos)
    why = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap";
  else
    why = fmt::format("bubblewrap cannot create a sandbox here ({}): are user namespaces disabled?",
                      why.empty() ? fmt::format("exit code {}", p.exit_code) : why);
  support.why = why;
  return support;
}

}  // namespace

const SandboxSupport& sandbox_support() {
  static const SandboxSupport support = [] {
    SandboxSupport s = probe();
    if (!s.isolated)
      fmt::print(stderr, "grader: student code runs NOT ISOLATED (CPU, memory and output limits only): {}\n", s.why);
    return s;
  }();
  return support;
}

bool sandbox_isolated() { return sandbox_support().isolated; }

namespace {
std::vector<fs::path>& hidden_everywhere() {
  static std::vector<fs::path> folders;
  return folders;
}
}  // namespace

void hide_in_every_sandbox(const std::vector<fs::path>& folders) {
  for (const fs::path& f : folders) hidden_everywhere().push_back(fs::absolute(f).lexically_normal());
}

uid_t sandbox_uid() { return ::geteuid() == 0 ? kNobody : ::geteuid(); }
gid_t sandbox_gid() { return ::geteuid() == 0 ? static_cast<gid_t>(kNobody) : ::getegid(); }

std::vector<std::string> bwrap_command(const SandboxSpec& spec, const std::vector<std::string>& command) {
  std::vector<std::string> args{"bwrap",         "--unshare-pid",    "--unshare-ipc",   "--unshare-uts",
                                "--unshare-net", "--unshare-cgroup-try", "--die-with-parent", "--new-session",
                                "--hostname",    "gradlab-sandbox"};
  add_system(args);
  args.insert(args.end(), {"--proc", "/proc", "--dev", "/dev"});
  // /tmp is the scratch folder's tmp/ (programs that write to /tmp by name), on disk.
  // First: the source tree, the program and the scratch folder may themselves lie
  // under /tmp (a clone in /tmp), and are then mounted on top of it.
  if (fs::is_directory(spec.scratch / "tmp")) args.insert(args.end(), {"--bind", (spec.scratch / "tmp").string(), "/tmp"});
  std::vector<std::string> empty;  // folders replaced by an empty tmpfs, made read-only at the end
  if (!spec.source.empty()) {
    const fs::path source = fs::absolute(spec.source).lexically_normal();
    args.insert(args.end(), {"--ro-bind", source.string(), source.string()});
    // The reference solutions and the hidden tests, the build and the working copies.
    std::vector<fs::path> hide{source / "solutions"};
    for (const fs::path& h : spec.hidden)
      if (!h.empty()) hide.push_back(fs::absolute(h).lexically_normal());
    hide.insert(hide.end(), hidden_everywhere().begin(), hidden_everywhere().end());
    // Parents first; a folder inside one already hidden is hidden with it (a second
    // tmpfs on top would bury the first, whose read-only remount would then fail).
    std::sort(hide.begin(), hide.end());
    for (const fs::path& h : hide) {
      const fs::path rel = h.lexically_relative(source);
      if (rel.empty() || rel == "." || rel.native().starts_with("..") || !fs::is_directory(h)) continue;
      const bool covered = std::any_of(empty.begin(), empty.end(), [&](const std::string& e) {
        const fs::path inside = h.lexically_relative(e);
        return !inside.empty() && !inside.native().starts_with("..");
      });
      if (covered) continue;
      args.insert(args.end(), {"--tmpfs", h.string()});
      empty.push_back(h.string());
    }
  }
  for (const fs::path& p : spec.read_only) {
    const std::string path = fs::absolute(p).lexically_normal().string();
    args.insert(args.end(), {"--ro-bind-try", path, path});  // a missing program: "could not be started"
  }
  for (const std::string& e : empty) args.insert(args.end(), {"--remount-ro", e});
  const std::string scratch = spec.scratch.string();
  // pid 1 is a shell that waits for the program: a pid 1 ignores the signals it has no
  // handler for (a SIGABRT, SIGXCPU or SIGXFSZ would not end the program), and
  // bubblewrap's own init is not reaped by bubblewrap, so that the program's CPU time
  // would not reach the grader. The shell's exit code is the program's (128 + signal).
  args.insert(args.end(), {"--bind", scratch, scratch, "--chdir", scratch, "--as-pid-1", "--",
                           "/bin/sh", "-c", "\"$@\"; exit $?", "gradlab-sandbox"});
  args.insert(args.end(), command.begin(), command.end());
  return args;
}

Scratch::Scratch() {
  std::string pattern = (fs::temp_directory_path() / "gradlab-run-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw InfrastructureError("cannot create a scratch folder in " + fs::temp_directory_path().string() + ": " +
                              std::strerror(errno));
  path_ = pattern;
  std::error_code ec;
  fs::create_directory(path_ / "tmp", ec);  // the sandbox's /tmp
  // The sandbox's user (nobody under a root grader) must be able to write them.
  for (const fs::path& dir : {path_, path_ / "tmp"})
    if (::geteuid() == 0 && ::chown(dir.c_str(), sandbox_uid(), sandbox_gid()) != 0)
      throw InfrastructureError("cannot hand " + dir.string() + " to the sandbox's user: " + std::strerror(errno));
}

Scratch::~Scratch() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace gradlab::grader
