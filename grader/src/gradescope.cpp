#include "gradescope.h"

#include "build.h"
#include "console_report.h"
#include "errors.h"
#include "grade.h"
#include "manifest.h"
#include "process.h"
#include "release.h"
#include "sandbox.h"
#include "renderers.h"
#include "text.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <map>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// ---------------------------------------------------------------- the bundle

std::string setup_script(const std::vector<Manifest>& labs, const fs::path& source) {
  std::vector<std::string> targets{"grader"};
  std::vector<std::string> ids;
  for (const Manifest& m : labs) {
    for (const std::string& t : autograder_targets(m, source)) targets.push_back(t);
    ids.push_back(m.id);
  }
  return fmt::format(R"SH(#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image: the
# Debian packages gradlab needs (the list in scripts/bootstrap.sh, installed by it),
# then the trusted tree in /autograder/source, built portable (no -march=native: the
# image may run on another CPU than the one that built it).
set -euo pipefail
cd "$(dirname "${{BASH_SOURCE[0]}}")"
source scripts/bootstrap.sh
gradlab_bootstrap
cmake -S . -B build/gradescope -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O3 -DGRADLAB_NATIVE=OFF
cmake --build build/gradescope --target {}
# The reference's experiment series, computed once into the image (a submission's
# grading then runs only the student's experiment).
build/gradescope/bin/grader --source . --build build/gradescope check {} --reference --hidden --no-bench --no-build \
  --out /tmp/gradlab-warm-up > /dev/null || true
chmod +x run_autograder
)SH", fmt::join(targets, " "), fmt::join(ids, " "));
}

std::string run_script(const std::vector<Manifest>& labs, bool allow_unisolated) {
  std::vector<std::string> ids;
  for (const Manifest& m : labs) ids.push_back(m.id);
  return fmt::format(R"SH(#!/usr/bin/env bash
# Gradescope runs this for every submission (working directory /autograder): the
# student's files of labs {0} are graded, hidden groups included, by the same grading
# function as `grader check`; /autograder/results/results.json is always written.
#   GRADLAB_AUTOGRADER_ROOT    instead of /autograder (tests: a simulated layout)
#   GRADLAB_AUTOGRADER_SOURCE  the trusted tree (default ROOT/source)
#   GRADLAB_AUTOGRADER_BUILD   its prepared build (default SOURCE/build/gradescope)
#   GRADLAB_ALLOW_UNISOLATED=1 grade even where the sandbox (bubblewrap) cannot run
set -uo pipefail
ROOT="${{GRADLAB_AUTOGRADER_ROOT:-/autograder}}"
SOURCE="${{GRADLAB_AUTOGRADER_SOURCE:-$ROOT/source}}"
BUILD="${{GRADLAB_AUTOGRADER_BUILD:-$SOURCE/build/gradescope}}"
RESULTS="$ROOT/results/results.json"
{1}mkdir -p "$ROOT/results"
rm -f "$RESULTS"
"$BUILD/bin/grader" --color never --source "$SOURCE" --build "$BUILD" autograde --labs {0} \
  --submission "$ROOT/submission" --work "$ROOT/work" --results "$RESULTS" \
  ${{GRADLAB_ALLOW_UNISOLATED:+--allow-unisolated}}
code=$?
if [ ! -s "$RESULTS" ]; then
  printf '{{"score": 0.0, "execution_time": 0, "output": "The autograder failed before it could grade (exit code %s). Please tell your instructor.", "tests": []}}\n' "$code" > "$RESULTS"
fi
exit 0
)SH", fmt::join(ids, ","),
                     allow_unisolated ? "# Built with --allow-unisolated: graded even where the sandbox cannot run.\n"
                                        "export GRADLAB_ALLOW_UNISOLATED=1\n"
                                      : "");
}

void copy_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

}  // namespace

std::vector<std::string> autograder_targets(const Manifest& m, const fs::path& source) {
  std::vector<std::string> targets;
  for (const char* variant : {"student", "reference"}) {
    targets.push_back(fmt::format("lab{}_tests_{}", m.id, variant));
    if (!m.experiments.empty()) targets.push_back(fmt::format("lab{}_experiment_{}", m.id, variant));
    if (m.has_hidden_tests() && fs::is_directory(source / "solutions" / m.slug / "hidden_tests"))
      targets.push_back(fmt::format("lab{}_hidden_tests_{}", m.id, variant));
  }
  if (m.has_bench) targets.push_back("gradlab-bench");
  return targets;
}


std::optional<fs::path> find_submitted(const fs::path& submission, const Manifest& m, const std::string& file) {
  const auto regular = [](const fs::path& p) { return fs::is_regular_file(fs::symlink_status(p)); };
  for (const fs::path& candidate : {submission / "labs" / m.slug / file, submission / m.slug / file, submission / file})
    if (regular(candidate)) return candidate;
  std::vector<fs::path> found;
  std::error_code ec;
  if (!fs::is_directory(submission)) return std::nullopt;
  for (auto it = fs::recursive_directory_iterator(submission, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (regular(it->path()) && it->path().filename() == fs::path(file).filename()) found.push_back(it->path());
  if (found.size() == 1) return found.front();
  return std::nullopt;
}

namespace {

// ---------------------------------------------------------------- one submission

// The lab folder of the working copy: the trusted lab's files (its stubs, headers,
// manifest), then the submission's student files over them. Notes what is missing.
fs::path prepare_lab_copy(const Manifest& m, const AutogradeRequest& q, const fs::path& lab_work, std::string& notes) {
  const fs::path files = lab_work / "labs" / m.slug;
  fs::remove_all(lab_work);
  fs::create_directories(files);
  for (const auto& entry : fs::directory_iterator(m.dir))
    if (entry.is_regular_file()) copy_into(entry.path(), files / entry.path().filename());
  for (const std::string& file : m.student_files) {
    const auto submitted = find_submitted(q.submission, m, file);
    if (submitted) {
      copy_into(*submitted, files / file);
      continue;
    }
    notes += fmt::format("lab {}: {} is not in your submission (looked for labs/{}/{} and {}): graded the "
                         "untouched stub.\n", m.id, file, m.slug, file, file);
  }
  return files;
}

LabResult grade_submission(const Manifest& m, const AutogradeRequest& q, std::string& notes) {
  const fs::path lab_work = q.work / m.slug;
  const fs::path files = prepare_lab_copy(m, q, lab_work, notes);
  GradeRequest request;
  request.source = q.source;
  request.build = q.build;
  request.files_dir = files;
  request.work_dir = lab_work;
  request.student_bin = lab_work / "bin";
  request.out_dir = lab_work / "out";
  request.hidden = true;
  request.plots = q.plots;
  // The bench's "train with your kernel" part would run the trusted tree's student
  // experiment, not this submission's: the timed part alone scores.
  request.bench_args = {"--no-train"};
  ConsoleReport console({q.source, false, false, false, true});
  return grade_lab(m, request, console);
}

void write_results(const fs::path& file, const nlohmann::json& results) {
  write_file_atomically(file, results.dump(2) + "\n");
}

}  // namespace

std::vector<std::string> split_labs(const std::string& list) {
  std::vector<std::string> ids;
  std::string current;
  for (const char c : list + ",") {
    if (c == ',' || c == ' ') {
      if (!current.empty()) ids.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return ids;
}

int run_gradescope_bundle(const BundleRequest& r) {
  if (r.labs.empty()) throw UsageError("gradescope: which labs? e.g. --labs 01,02");
  std::vector<Manifest> labs;
  for (const std::string& id : r.labs) labs.push_back(find_lab(r.source, id));
  for (const Manifest& m : labs)
    if (m.has_hidden_tests() && !fs::is_directory(r.source / "solutions" / m.slug / "hidden_tests"))
      throw UsageError(fmt::format("gradescope: lab {} has hidden groups but no solutions/{}/hidden_tests/: bundle "
                                   "from the instructor's tree", m.id, m.slug));
  const fs::path staging = fs::temp_directory_path() / fmt::format("gradlab-bundle-{}", ::getpid());
  fs::remove_all(staging);
  std::size_t count = 0;
  for (const fs::path& file : repository_files(r.source)) {
    copy_into(r.source / file, staging / file);
    ++count;
  }
  write_file_atomically(staging / "setup.sh", setup_script(labs, r.source));
  write_file_atomically(staging / "run_autograder", run_script(labs, r.allow_unisolated));
  for (const char* script : {"setup.sh", "run_autograder"})
    fs::permissions(staging / script, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                          fs::perms::others_read | fs::perms::others_exec);
  std::vector<std::string> argv{"cmake", "-E", "tar", "cf", fs::absolute(r.out).string(), "--format=zip"};
  std::vector<std::string> top;
  for (const auto& entry : fs::directory_iterator(staging)) top.push_back(entry.path().filename().string());
  std::sort(top.begin(), top.end());
  argv.insert(argv.end(), top.begin(), top.end());
  fs::create_directories(fs::absolute(r.out).parent_path());
  const ProcessResult zip = run_process({argv, staging, {300, 600, 0, 1024}});
  fs::remove_all(staging);
  if (!zip.ok()) throw InfrastructureError("writing the zip failed: " + tail(zip.out + zip.err, 5));
  fmt::print("wrote {} ({} files of the tree, setup.sh, run_autograder) for lab{} {}\n", r.out.string(), count,
             labs.size() > 1 ? "s" : "", fmt::join(r.labs, ", "));
  return 0;
}

int run_autograde(const AutogradeRequest& q) {
  // SIGTERM (Gradescope's timeout) or Ctrl-C: the sandbox is killed, and the
  // exception below still writes a results.json saying so.
  defer_interrupts();
  if (!sandbox_isolated() && !q.allow_unisolated) {
    const std::string why = fmt::format("the sandbox cannot run here ({}), and a submission is graded only "
                                        "isolated (--allow-unisolated overrides)", sandbox_support().why);
    fmt::print(stderr, "autograde: {}\n", why);
    write_results(q.results, gradescope_failure(fmt::format("The autograder refused to grade: {}. Please tell "
                                                            "your instructor.", why)));
    return 2;
  }
  try {
    if (q.labs.empty()) throw UsageError("autograde: which labs? e.g. --labs 01,02");
    std::vector<Manifest> labs;
    for (const std::string& id : q.labs) labs.push_back(find_lab(q.source, id));
    std::string notes;
    std::vector<LabResult> results;
    for (const Manifest& m : labs) results.push_back(grade_submission(m, q, notes));
    write_results(q.results, gradescope_results(results, {notes}));
    if (!q.lab_results.empty()) {
      nlohmann::json all = nlohmann::json::array();
      for (const LabResult& r : results) all.push_back(to_json(r));
      write_results(q.lab_results, all);
    }
  } catch (const std::exception& e) {
    // Never no result: the student sees this message, the instructor the log.
    fmt::print(stderr, "autograde: {}\n", e.what());
    write_results(q.results, gradescope_failure(fmt::format("The autograder could not grade this submission: {}. "
                                                            "Please tell your instructor.", e.what())));
  }
  return 0;
}

}  // namespace gradlab::grader
