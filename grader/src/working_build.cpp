#include "working_build.h"

#include "build.h"
#include "errors.h"
#include "process.h"
#include "text.h"

#include <fmt/core.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// Every command Ninja would run to build `target` from scratch, in order; the last
// one links it.
std::vector<std::string> ninja_commands(const fs::path& build, const std::string& target) {
  if (!fs::is_regular_file(build / "build.ninja"))
    throw InfrastructureError(fmt::format("{} is not a Ninja build directory (no build.ninja): a submission's working "
                                          "build reads its commands from Ninja (cmake -G Ninja, as the presets do)",
                                          build.string()));
  const ProcessResult p = run_process({{"ninja", "-C", build.string(), "-t", "commands", target}, {}, {30, 60, 0, 64 * 1024}});
  if (!p.ok()) throw InfrastructureError(fmt::format("ninja does not know the target {} in {}: {}", target, build.string(), tail(p.err + p.out, 3)));
  std::vector<std::string> commands;
  for (const std::string& line : lines_of(p.out))
    if (!line.empty()) commands.push_back(line);
  if (commands.empty()) throw InfrastructureError("ninja gives no command for " + target);
  return commands;
}

// Runs one command line in the build directory (Ninja's commands are relative to it).
ProcessResult run_in_build(const fs::path& build, const std::string& command) {
  ProcessRequest request{{"/bin/sh", "-c", command}, build, {600, 1200, 0, 4 * 1024}};
  return run_process(request);
}

struct Rewrite {
  std::string objects_from, objects_to;  // the student objects' folder, in the build and in the work dir
  std::string sources_from, sources_to;  // "-c <trusted lab folder>/" and "-c <files_dir>/"
};

Rewrite rewrite_for(const Manifest& m, const WorkingBuild& w) {
  return {fmt::format("CMakeFiles/lab{}_student.dir/", m.id), (w.work_dir / "obj").string() + "/",
          fmt::format("-c {}/", (w.source / "labs" / m.slug).string()), fmt::format("-c {}/", w.files_dir.string())};
}

}  // namespace

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::optional<CompileError> build_working_copy(const Manifest& m, const WorkingBuild& w,
                                               const std::vector<std::string>& targets, const fs::path& log_file) {
  // The prepared build's own objects must exist (a no-op when they are up to date).
  if (auto error = build_targets(w.build, w.source, targets, log_file))
    throw InfrastructureError("the prepared build itself does not build: " + error->message);
  const Rewrite r = rewrite_for(m, w);
  std::vector<std::string> compiles, links;
  for (const std::string& target : targets) {
    const std::vector<std::string> commands = ninja_commands(w.build, target);
    const std::string& link = commands.back();
    if (link.find(r.objects_from) == std::string::npos)
      throw InfrastructureError(fmt::format("{} does not link lab {}'s student objects directly: it cannot be rebuilt "
                                            "for a submission", target, m.id));
    for (const std::string& c : commands)
      if (c.find(r.sources_from) != std::string::npos && c.find(r.objects_from) != std::string::npos &&
          std::find(compiles.begin(), compiles.end(), c) == compiles.end())
        compiles.push_back(c);
    const std::string output = fmt::format(" -o bin/{} ", target);
    if (link.find(output) == std::string::npos)
      throw InfrastructureError(fmt::format("cannot find \"{}\" in the link command of {}", output, target));
    links.push_back(replace_all(replace_all(link, r.objects_from, r.objects_to), output,
                                fmt::format(" -o {} ", (w.work_dir / "bin" / target).string())));
  }
  fs::create_directories(w.work_dir / "bin");
  fs::create_directories(w.work_dir / "obj" / "labs" / m.slug);
  std::string log;
  for (const std::string& c : compiles) {
    const std::string command = replace_all(replace_all(c, r.objects_from, r.objects_to), r.sources_from, r.sources_to);
    const ProcessResult p = run_in_build(w.build, command);
    log += command + "\n" + p.out + p.err;
    if (p.ok()) continue;
    write_file_atomically(log_file, log);
    CompileError error = parse_compile_error(p.out + p.err, w.work_dir).value_or(CompileError{"", 0, 0, "the build failed", tail(p.out + p.err, 15), ""});
    error.log = log_file.string();
    return error;
  }
  for (const std::string& link : links) {
    const ProcessResult p = run_in_build(w.build, link);
    log += link + "\n" + p.out + p.err;
    if (p.ok()) continue;
    write_file_atomically(log_file, log);
    CompileError error = parse_compile_error(p.out + p.err, w.work_dir).value_or(CompileError{"", 0, 0, "linking failed", tail(p.out + p.err, 15), ""});
    error.log = log_file.string();
    return error;
  }
  write_file_atomically(log_file, log);
  return std::nullopt;
}

}  // namespace gradlab::grader
