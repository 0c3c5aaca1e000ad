#include "build.h"

#include "errors.h"
#include "process.h"
#include "result.h"
#include "text.h"

#include <fmt/core.h>

#include <regex>

namespace fs = std::filesystem;

namespace gradlab::grader {

std::vector<std::string> lab_targets(const Manifest& m, const std::string& variant, bool with_experiments) {
  std::vector<std::string> targets{fmt::format("lab{}_tests_{}", m.id, variant)};
  if (m.experiments.empty() || !with_experiments) return targets;
  targets.push_back(fmt::format("lab{}_experiment_{}", m.id, variant));
  // The student's plots are drawn against the reference's series: its executable is
  // needed even when they come from the cache (its content hash is the cache's key).
  if (variant != "reference") targets.push_back(fmt::format("lab{}_experiment_reference", m.id));
  return targets;
}

std::optional<CompileError> parse_compile_error(const std::string& output, const fs::path& source) {
  // g++:  file:line:col: error: message        (also "fatal error:")
  // ld:   file.o: in function `f': / file.cpp:(.text+0x1a): undefined reference to `g'
  static const std::regex with_column(R"(^(.+?):(\d+):(\d+): (?:fatal )?error: (.*)$)");
  static const std::regex without_column(R"(^(.+?):(\d+): (?:fatal )?error: (.*)$)");
  static const std::regex header(R"(^\S.*:\d+:(\d+:)? (error|warning|fatal error): .*$)");
  const auto lines = lines_of(output);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    CompileError error;
    if (std::regex_match(lines[i], m, with_column)) {
      error = {display_path(m[1].str(), source), std::stoi(m[2].str()), std::stoi(m[3].str()), m[4].str(), "", ""};
    } else if (std::regex_match(lines[i], m, without_column)) {
      error = {display_path(m[1].str(), source), std::stoi(m[2].str()), 0, m[3].str(), "", ""};
    } else if (lines[i].find("undefined reference to") != std::string::npos) {
      const auto at = lines[i].find("undefined reference to");
      error.message = lines[i].substr(at);
      error.context = i > 0 ? lines[i - 1] + "\n" : "";
      return error;
    } else {
      continue;
    }
    // The source line and caret that g++ prints below, and the notes, up to the
    // next diagnostic or the end of this compiler run.
    for (std::size_t j = i + 1; j < lines.size() && j < i + 7; ++j) {
      if (std::regex_match(lines[j], header) && lines[j].find(": note: ") == std::string::npos) break;
      if (lines[j].starts_with("FAILED:") || lines[j].starts_with("ninja:") || lines[j].starts_with("[")) break;
      error.context += lines[j] + "\n";
    }
    return error;
  }
  return std::nullopt;
}

fs::path configured_source(const fs::path& build_dir) {
  // CMakeCache.txt lines are NAME:TYPE=VALUE.
  static const std::regex entry(R"(^(CMAKE_HOME_DIRECTORY|gradlab_SOURCE_DIR):[A-Z]+=(.*)$)");
  fs::path home, project;
  for (const std::string& line : lines_of(read_text(build_dir / "CMakeCache.txt"))) {
    std::smatch m;
    if (!std::regex_match(line, m, entry)) continue;
    (m[1] == "CMAKE_HOME_DIRECTORY" ? home : project) = m[2].str();
  }
  return home.empty() ? project : home;
}

void require_build_for_source(const fs::path& build_dir, const fs::path& source) {
  const fs::path configured = configured_source(build_dir);
  if (configured.empty()) return;
  std::error_code ec1, ec2;
  const fs::path a = fs::weakly_canonical(configured, ec1);
  const fs::path b = fs::weakly_canonical(source, ec2);
  if (!ec1 && !ec2 && a == b) return;
  throw UsageError(fmt::format(
      "the build directory {} was configured for the source tree {}, not for --source {}: its executables would "
      "grade the other tree's code. Give the build directory of {} (or configure one: cmake -S {} -B DIR)",
      build_dir.string(), configured.string(), source.string(), source.string(), source.string()));
}

std::optional<CompileError> build_targets(const fs::path& build_dir, const fs::path& source,
                                          const std::vector<std::string>& targets, const fs::path& log_file) {
  if (!fs::is_regular_file(build_dir / "CMakeCache.txt"))
    throw InfrastructureError(fmt::format(
        "{} is not a configured build directory (no CMakeCache.txt): run `cmake --preset default` in {} first",
        build_dir.string(), source.string()));
  ProcessRequest request;
  request.argv = {"cmake", "--build", build_dir.string(), "--target"};
  request.argv.insert(request.argv.end(), targets.begin(), targets.end());
  request.limits.wall_seconds = 3600;
  request.limits.output_kb = 64 * 1024;
  const ProcessResult run = run_process(request);
  if (!run.started) throw InfrastructureError("cannot run cmake: is it installed? (sudo apt-get install cmake)");
  const std::string output = run.out + run.err;
  write_file_atomically(log_file, output);
  if (run.ok()) return std::nullopt;

  static const std::regex unknown_target(R"(ninja: error: unknown target '([^']+)')");
  std::smatch m;
  if (std::regex_search(output, m, unknown_target) ||
      output.find("No rule to make target") != std::string::npos)
    throw InfrastructureError(fmt::format(
        "CMake does not know the target {} (is the build directory {} configured for this source tree? "
        "try `cmake --preset default` again)\n{}",
        m.empty() ? targets.front() : m[1].str(), build_dir.string(), tail(output, 5)));
  if (auto error = parse_compile_error(output, source)) {
    error->log = log_file.string();
    return error;
  }
  CompileError error;
  error.message = run.timed_out ? "the build did not finish within an hour" : "the build failed";
  error.context = tail(output, 15);
  error.log = log_file.string();
  return error;
}

}  // namespace gradlab::grader
