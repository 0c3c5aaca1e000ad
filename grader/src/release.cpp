#include "release.h"

#include "build.h"
#include "errors.h"
#include "experiment.h"
#include "manifest.h"
#include "process.h"
#include "result.h"
#include "text.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <unistd.h>

namespace gradlab::grader {

namespace fs = std::filesystem;

namespace {

// The instruction-set levels the kernels of an unrevealed lab are compiled for
// (GCC's -march names; cmake/Prebuilt.cmake picks the best one a machine runs): the
// x86-64 baseline always, and for a timed lab the levels its reference is fast at.
std::vector<std::string> kernel_levels(const Manifest& m) {
  if (m.has_bench) return {"x86-64", "x86-64-v3", "x86-64-v4"};
  return {"x86-64"};
}

// Never copied into an edition: version control, build and result folders, and what
// the release writes itself.
bool excluded(const fs::path& relative) {
  static const std::set<std::string> top{".git", "build", "results", "solutions", "prebuilt", "reference-series"};
  const std::string first = relative.begin()->string();
  return top.count(first) > 0 || first.starts_with("build-") || first.starts_with(".cache");
}

void copy_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);  // keeps the permission bits (./grade)
}

// Compiles the reference kernels of \p labs at \p level in a build directory of their
// own under the instructor's build (kept, so the next release recompiles only what
// changed), and copies the object files to edition/prebuilt/<level>/NN_topic/.
void write_prebuilt_kernels(const ReleaseOptions& o, const std::string& level, const std::vector<const Manifest*>& labs,
                            const fs::path& edition) {
  const fs::path dir = o.build / "release-kernels" / level;
  const fs::path log = o.build / "release-kernels" / (level + ".log");
  fs::create_directories(dir);
  std::vector<std::string> configure{"cmake", "-S", o.source.string(), "-B", dir.string(), "-G", "Ninja",
                                     "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_CXX_FLAGS_RELEASE=-O3",
                                     "-DCMAKE_CXX_FLAGS=-march=" + level + " -mtune=generic", "-DGRADLAB_NATIVE=OFF"};
  for (const char* part : {"LABS", "TESTS", "GRADER", "BENCH", "DOCS", "EXAMPLES"})
    configure.push_back(fmt::format("-DGRADLAB_BUILD_{}=OFF", part));
  configure.push_back("-DGRADLAB_INSTALL=OFF");
  std::vector<std::string> build{"cmake", "--build", dir.string(), "--target"};
  for (const Manifest* m : labs) build.push_back(fmt::format("lab{}_reference", m->id));
  std::string output;
  for (const auto& command : {configure, build}) {
    const ProcessResult p = run_process({command, {}, {}});
    output += p.out + p.err;
    write_file_atomically(log, output);
    if (!p.ok())
      throw InfrastructureError(fmt::format("compiling the reference kernels for {} failed: see {}", level, log.string()));
  }
  for (const Manifest* m : labs) {
    const fs::path objects = dir / "CMakeFiles" / fmt::format("lab{}_reference.dir", m->id);
    int copied = 0;
    for (const auto& entry : fs::recursive_directory_iterator(objects)) {
      if (entry.is_regular_file() && entry.path().extension() == ".o") {
        copy_into(entry.path(), edition / "prebuilt" / level / m->slug / entry.path().filename());
        ++copied;
      }
    }
    if (copied == 0) throw InfrastructureError(fmt::format("no object files of lab {} under {}", m->id, objects.string()));
  }
}

// The reference's results of every experiment of \p m, as data for the edition.
void write_reference_series(const ReleaseOptions& o, const Manifest& m, const fs::path& edition) {
  if (m.experiments.empty()) return;
  const fs::path log = o.build / "release-kernels" / fmt::format("lab{}_experiment.log", m.id);
  if (const auto error = build_targets(o.build, o.source, {fmt::format("lab{}_experiment_reference", m.id)}, log))
    throw InfrastructureError(fmt::format("building lab {}'s reference experiment failed: {}:{}: {} (log: {})", m.id,
                                          error->file, error->line, error->message, log.string()));
  const fs::path scratch = o.build / "release-kernels" / "series" / m.slug;
  fs::create_directories(scratch);
  for (const Experiment& e : m.experiments) {
    const ExperimentRun run = reference_experiment(m, e, o.build / "bin", scratch, o.build / "reference-series");
    if (!run.ok || !run.failed_parts.empty())
      throw InfrastructureError(fmt::format("lab {}'s reference experiment \"{}\" did not run completely: {}", m.id,
                                            e.name, run.problem.empty() ? "some parts failed" : run.problem));
    copy_into(run.json, edition / "reference-series" / m.slug / (e.name + ".json"));
  }
}

// Throws when a fingerprint line of an unrevealed solution is in a file of the edition.
void check_no_solution_text(const fs::path& source, const std::vector<const Manifest*>& hidden, const fs::path& edition) {
  std::vector<std::pair<std::string, fs::path>> needles;  // line, the solution file it identifies
  for (const Manifest* m : hidden)
    for (const auto& entry : fs::directory_iterator(source / "solutions" / m->slug))
      if (entry.is_regular_file())
        for (const std::string& line : solution_fingerprints(read_text(entry.path())))
          needles.emplace_back(line, fs::relative(entry.path(), source));
  for (const auto& entry : fs::recursive_directory_iterator(edition)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".o") continue;
    const std::string text = read_text(entry.path());
    for (const auto& [line, solution] : needles)
      if (text.find(line) != std::string::npos)
        throw InfrastructureError(fmt::format(
            "{} contains a line of {}, whose lab is not revealed:\n  {}\nRemove it (or reveal the lab); nothing was written.",
            fs::relative(entry.path(), edition).string(), solution.string(), line));
  }
}

std::string edition_notes(const std::vector<const Manifest*>& revealed, const std::vector<const Manifest*>& hidden) {
  const auto list = [](const std::vector<const Manifest*>& labs) {
    std::string text;
    for (const Manifest* m : labs) text += fmt::format("- lab {}: {}\n", m->id, m->title);
    return text.empty() ? "- none\n" : text;
  };
  return fmt::format(
      "# gradlab, student edition\n\n"
      "Made by `grader release` on {}. It builds and grades with the same two commands as\n"
      "the README's: `./grade` and `./run-tests`.\n\n"
      "Labs whose reference solution is included (`solutions/`):\n\n{}\n"
      "Labs whose reference solution is not included: their reference kernels are in\n"
      "`prebuilt/`, compiled for Linux on x86-64, so every lab still links with the\n"
      "reference of the others. Every lab's reference experiment results are in\n"
      "`reference-series/`: `./grade check NN` draws and matches against them.\n\n{}",
      now_iso8601(), list(revealed), list(hidden));
}

}  // namespace

std::vector<fs::path> repository_files(const fs::path& source) {
  std::vector<fs::path> files;
  const ProcessResult git = run_process({{"git", "-C", source.string(), "ls-files", "--cached", "--others",
                                          "--exclude-standard", "-z"}, {}, {60, 120, 0, 65536}});
  if (git.ok()) {
    std::size_t begin = 0;
    for (std::size_t end = git.out.find('\0'); end != std::string::npos; begin = end + 1, end = git.out.find('\0', begin))
      if (fs::is_regular_file(source / git.out.substr(begin, end - begin))) files.emplace_back(git.out.substr(begin, end - begin));
  } else {
    for (auto it = fs::recursive_directory_iterator(source); it != fs::recursive_directory_iterator(); ++it) {
      const fs::path relative = fs::relative(it->path(), source);
      if (it->is_directory() && (excluded(relative) || fs::exists(it->path() / "CMakeCache.txt"))) it.disable_recursion_pending();
      else if (it->is_regular_file()) files.push_back(relative);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> solution_fingerprints(const std::string& solution_text) {
  std::vector<std::string> fingerprints;
  std::optional<std::string> longest;  // inside a region: its longest line so far
  for (const std::string& raw : lines_of(solution_text)) {
    const std::string line = trim(raw);
    if (line.starts_with("// BEGIN SOLUTION")) {
      longest = std::string();
    } else if (line.starts_with("// END SOLUTION") && longest) {
      if (longest->size() >= 16) fingerprints.push_back(*longest);
      longest.reset();
    } else if (longest && line.size() > longest->size()) {
      longest = line;
    }
  }
  return fingerprints;
}

int run_release(const ReleaseOptions& o) {
  const std::vector<Manifest> labs = discover_labs(o.source);
  for (const std::string& id : o.reveal)
    if (std::none_of(labs.begin(), labs.end(), [&](const Manifest& m) { return m.id == id; }))
      throw UsageError(fmt::format("release --reveal: there is no lab {}", id));
  std::vector<const Manifest*> revealed, hidden;
  for (const Manifest& m : labs) {
    const bool shown = std::find(o.reveal.begin(), o.reveal.end(), m.id) != o.reveal.end();
    (shown ? revealed : hidden).push_back(&m);
    if (!fs::is_directory(o.source / "solutions" / m.slug))
      throw UsageError(fmt::format("release needs the reference of every lab, and {} has no solutions/{}: "
                                   "make releases from the repository, not from an edition", o.source.string(), m.slug));
  }
  if (fs::exists(o.out) && !fs::is_empty(o.out))
    throw UsageError(fmt::format("release --out {}: the folder holds files; give a new or empty folder", o.out.string()));

  const fs::path staging = o.out.parent_path() / fmt::format(".{}.partial-{}", o.out.filename().string(), ::getpid());
  fs::remove_all(staging);
  try {
    std::vector<fs::path> files = repository_files(o.source);
    std::erase_if(files, excluded);
    fmt::print("release: copying {} files of {}\n", files.size(), o.source.string());
    for (const fs::path& f : files) copy_into(o.source / f, staging / f);
    for (const Manifest* m : revealed)
      for (const auto& entry : fs::directory_iterator(o.source / "solutions" / m->slug))
        if (entry.is_regular_file() && (entry.path().extension() == ".cpp" || entry.path().extension() == ".h"))
          copy_into(entry.path(), staging / "solutions" / m->slug / entry.path().filename());
    std::set<std::string> levels;
    for (const Manifest* m : hidden)
      for (const std::string& level : kernel_levels(*m)) levels.insert(level);
    for (const std::string& level : levels) {
      std::vector<const Manifest*> at_level;
      for (const Manifest* m : hidden) {
        const auto wanted = kernel_levels(*m);
        if (std::find(wanted.begin(), wanted.end(), level) != wanted.end()) at_level.push_back(m);
      }
      fmt::print("release: compiling the reference kernels of {} lab(s) for {}\n", at_level.size(), level);
      write_prebuilt_kernels(o, level, at_level, staging);
    }
    for (const Manifest& m : labs) {
      if (m.experiments.empty()) continue;
      fmt::print("release: lab {}: the reference's experiment results\n", m.id);
      write_reference_series(o, m, staging);
    }
    write_file_atomically(staging / "EDITION.md", edition_notes(revealed, hidden));
    check_no_solution_text(o.source, hidden, staging);
    if (fs::exists(o.out)) fs::remove(o.out);  // empty (checked above)
    fs::create_directories(o.out.parent_path());
    fs::rename(staging, o.out);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(staging, ec);
    throw;
  }
  fmt::print("release: wrote {} ({} lab(s) revealed, {} prebuilt)\n", o.out.string(), revealed.size(), hidden.size());
  return 0;
}

}  // namespace gradlab::grader
