#include "working_build.h"

#include "build.h"
#include "errors.h"
#include "inspect.h"
#include "process.h"
#include "text.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>

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

// Ninja's commands, rewritten for a submission. A command is "tainted" when it
// compiles one of the student files or reads an output of a tainted command; a tainted
// command is run again with the student file taken from files_dir and every tainted
// path (its own output included) moved under work_dir. Untainted commands are not run:
// their outputs already exist in the prepared build. Paths are rewritten as whole
// words (space-separated tokens), and a dependency file PATH.d follows its PATH.
class Rewriter {
 public:
  Rewriter(const Manifest& m, const WorkingBuild& w) : w_(w) {
    for (const std::string& file : m.student_files)
      sources_[(fs::weakly_canonical(w.source) / "labs" / m.slug / file).string()] = (w.files_dir / file).string();
  }

  /// The command rewritten, or empty when it is not tainted.
  std::string rewrite(const std::string& command) {
    std::vector<std::string> tokens = split(command);
    bool tainted = false;
    for (std::size_t i = 0; i < tokens.size(); ++i)
      tainted = tainted || sources_.contains(tokens[i]) || moved(tokens[i]) != tokens[i];
    if (!tainted) return "";
    std::string student_source, object;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {  // the output: -o OUT, or ar's qc OUT
      if (tokens[i] == "-o" || tokens[i] == "qc") move_output(tokens[i + 1]);
      if (tokens[i] == "-o") object = tokens[i + 1];
      if (tokens[i] == "-c" && sources_.contains(tokens[i + 1])) student_source = sources_.at(tokens[i + 1]);
    }
    // A compilation of a student file: its object and dependency file are inspected
    // after the build (inspect.h).
    if (!student_source.empty() && !object.empty()) {
      const fs::path moved_object = outputs_.at(object);
      if (std::none_of(compiled_.begin(), compiled_.end(), [&](const CompiledFile& f) { return f.object == moved_object; })) {
        compiled_.push_back({student_source, moved_object, {}});
        depfiles_.push_back(moved_object.string() + ".d");
      }
    }
    for (std::string& token : tokens) token = sources_.contains(token) ? sources_.at(token) : moved(token);
    std::string out;
    for (const std::string& token : tokens) out += (out.empty() ? "" : " ") + token;
    return out;
  }

  /// The compilations of student files among the rewritten commands, with the
  /// dependency file (-MD) each one writes.
  const std::vector<CompiledFile>& compiled() const { return compiled_; }
  const std::vector<fs::path>& depfiles() const { return depfiles_; }

  /// Where \p output (a path relative to the build, as Ninja names it) went, if it moved.
  std::optional<fs::path> moved_output(const std::string& output) const {
    const auto it = outputs_.find(output);
    return it == outputs_.end() ? std::nullopt : std::optional<fs::path>(it->second);
  }

 private:
  static std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> tokens;
    std::size_t begin = 0;
    for (std::size_t end = text.find(' '); ; end = text.find(' ', begin)) {
      tokens.push_back(text.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
      if (end == std::string::npos) break;
      begin = end + 1;
    }
    return tokens;
  }

  std::string moved(const std::string& token) const {
    if (const auto it = outputs_.find(token); it != outputs_.end()) return it->second.string();
    if (token.ends_with(".d"))
      if (const auto it = outputs_.find(token.substr(0, token.size() - 2)); it != outputs_.end()) return it->second.string() + ".d";
    return token;
  }

  void move_output(const std::string& output) {
    if (outputs_.contains(output)) return;
    const fs::path target = w_.work_dir / fs::path(output).relative_path();
    fs::create_directories(target.parent_path());
    outputs_[output] = target;
  }

  const WorkingBuild& w_;
  std::map<std::string, std::string> sources_;  // trusted student file -> the submission's
  std::map<std::string, fs::path> outputs_;     // build output -> its place in the work dir
  std::vector<CompiledFile> compiled_;
  std::vector<fs::path> depfiles_;
};

// Runs one rewritten command; the first compiler error when it fails.
std::optional<CompileError> run_rewritten(const WorkingBuild& w, const std::string& command, const fs::path& log_file,
                                          std::string& log) {
  const ProcessResult p = run_in_build(w.build, command);
  log += command + "\n" + p.out + p.err;
  if (p.ok()) return std::nullopt;
  write_file_atomically(log_file, log);
  CompileError error = parse_compile_error(p.out + p.err, w.work_dir)
                           .value_or(CompileError{"", 0, 0, "the build failed", tail(p.out + p.err, 15), ""});
  error.log = log_file.string();
  return error;
}

}  // namespace

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::optional<CompileError> build_working_copy(const Manifest& m, const WorkingBuild& w,
                                               const std::vector<std::string>& targets, const fs::path& log_file,
                                               std::vector<CompiledFile>* compiled) {
  // The prepared build's own objects must exist (a no-op when they are up to date).
  if (auto error = build_targets(w.build, w.source, targets, log_file))
    throw InfrastructureError("the prepared build itself does not build: " + error->message);
  Rewriter rewriter(m, w);
  std::vector<std::string> commands;  // rewritten, in Ninja's order, each once
  for (const std::string& target : targets) {
    for (const std::string& c : ninja_commands(w.build, target)) {
      const std::string rewritten = rewriter.rewrite(c);
      if (!rewritten.empty() && std::find(commands.begin(), commands.end(), rewritten) == commands.end())
        commands.push_back(rewritten);
    }
    const auto moved = rewriter.moved_output("bin/" + target);
    if (!moved || *moved != w.work_dir / "bin" / target)
      throw InfrastructureError(fmt::format("{} does not depend on lab {}'s student files: it cannot be rebuilt for a "
                                            "submission", target, m.id));
  }
  std::string log;
  for (const std::string& command : commands)
    if (auto error = run_rewritten(w, command, log_file, log)) return error;
  write_file_atomically(log_file, log);
  if (compiled != nullptr) {
    *compiled = rewriter.compiled();
    for (std::size_t i = 0; i < compiled->size(); ++i) {
      for (const fs::path& header : read_depfile(read_text(rewriter.depfiles()[i])))
        (*compiled)[i].headers.push_back(w.build / header);  // (absolute stays absolute)
      if ((*compiled)[i].headers.empty())
        throw InfrastructureError(fmt::format("the compiler wrote no dependency file {} (the prepared build's commands "
                                              "must use -MD, as CMake's Ninja generator does)",
                                              rewriter.depfiles()[i].string()));
    }
  }
  return std::nullopt;
}

}  // namespace gradlab::grader
