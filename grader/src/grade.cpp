#include "grade.h"

#include "build.h"
#include "errors.h"
#include "inspect.h"
#include "plot.h"
#include "process.h"
#include "runner.h"
#include "text.h"
#include "working_build.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <random>
#include <string>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

LabResult start_result(const Manifest& m, const GradeRequest& q) {
  LabResult r;
  r.lab = m.id;
  r.slug = m.slug;
  r.title = m.title;
  r.variant = q.variant();
  r.checked_at = now_iso8601();
  r.plots_checked = q.plots;
  r.hidden_checked = q.hidden && m.has_hidden_tests();
  r.files = stamp_student_files(m, q.files_dir);  // before building: a later edit makes the result stale
  r.max = m.test_points(q.hidden) + (q.plots ? m.match_points() : 0) + (q.bench ? m.bench_points : 0);
  return r;
}

std::string tests_program_name(const Manifest& m, bool hidden, const std::string& variant) {
  return fmt::format("lab{}_{}tests_{}", m.id, hidden ? "hidden_" : "", variant);
}

// The reference's test executables that list the graded tests (trusted results).
std::vector<std::string> reference_tests(const Manifest& m, const GradeRequest& q) {
  std::vector<std::string> targets{tests_program_name(m, false, "reference")};
  if (q.hidden && m.has_hidden_tests()) targets.push_back(tests_program_name(m, true, "reference"));
  return targets;
}

std::vector<std::string> build_list(const Manifest& m, const GradeRequest& q) {
  std::vector<std::string> targets = lab_targets(m, q.variant(), q.plots);
  if (q.hidden && m.has_hidden_tests()) targets.push_back(tests_program_name(m, true, q.variant()));
  // A submission's working build: the reference's tests list the tests the student's
  // must run (trusted results); they are part of the trusted build.
  if (!q.reference && !q.work_dir.empty()) {
    for (const std::string& t : reference_tests(m, q)) targets.push_back(t);
  }
  if (m.has_bench && q.bench && !q.work_dir.empty()) targets.push_back("gradlab-bench");
  return targets;
}

// A submission's working build: the trusted targets as usual (the reference's
// executables), then the student's relinked with the submission's objects.
std::optional<CompileError> build_working(const Manifest& m, const GradeRequest& q, const std::vector<std::string>& targets,
                                          std::vector<CompiledFile>& compiled) {
  const fs::path log = q.out_dir / "build-student.log";
  if (auto error = build_targets(q.build, q.source, targets, log))
    throw InfrastructureError(fmt::format("the trusted tree does not build ({}): see {}", error->message, log.string()));
  std::vector<std::string> student;
  std::copy_if(targets.begin(), targets.end(), std::back_inserter(student),
               [](const std::string& t) { return t.ends_with("_student") || t == "gradlab-bench"; });
  return build_working_copy(m, {q.build, q.source, q.files_dir, q.work_dir}, student, log, &compiled);
}

// The static checks (inspect.h) on every compilation of the graded files: what they
// include, call, define and run before main. The first violation, as a CompileError
// with forbidden = true.
std::optional<CompileError> static_checks(const Manifest& m, const GradeRequest& q, std::vector<CompiledFile> compiled) {
  // (A student edition has no solutions of the labs it does not reveal: their
  // reference objects are shipped prebuilt, trusted, and not compiled here.)
  if (q.reference && !fs::is_directory(q.source / "solutions" / m.slug)) return std::nullopt;
  // The sandbox's own tests run attacks these checks would stop first (the grader's
  // environment, which a submission graded by autograde cannot set).
  if (const char* off = std::getenv("GRADLAB_STATIC_CHECKS"); off != nullptr && std::string(off) == "off") return std::nullopt;
  if (q.work_dir.empty()) compiled = lab_compiled_files(m, q.source, q.build, q.variant());
  const StaticPolicy policy =
      static_policy(m, q.source, q.build, q.reference ? q.source / "solutions" / m.slug : q.files_dir);
  const fs::path shown_from = q.files_dir.empty() ? q.source : q.files_dir;
  for (const CompiledFile& file : compiled)
    if (auto violation = check_compiled_file(file, policy, shown_from)) return violation;
  return std::nullopt;
}

// Ninja recompiles an object only when a source is newer than it, so a student file
// replaced by an older copy (cp -p, unpacked from an archive, a restored backup) would
// keep its old object and be graded as code it no longer holds. The grader records the
// student files' hashes at each build of the student's tree; a file whose content
// differs from the record (or that has none yet) gets a fresh modification time,
// which Ninja cannot miss.
void refresh_changed_sources(const Manifest& m, const GradeRequest& q) {
  if (q.reference || !q.work_dir.empty()) return;
  const fs::path record = q.build / "grader-built-files" / (m.id + ".txt");
  const std::vector<std::string> before = fs::is_regular_file(record) ? lines_of(read_text(record))
                                                                     : std::vector<std::string>{};
  std::string now;
  for (const FileStamp& f : stamp_student_files(m, q.files_dir)) {
    const std::string line = f.path + " " + f.hash;
    now += line + "\n";
    const fs::path file = (q.files_dir.empty() ? m.dir : q.files_dir) / f.path;
    std::error_code ec;
    if (std::find(before.begin(), before.end(), line) == before.end() && fs::exists(file))
      fs::last_write_time(file, fs::file_time_type::clock::now(), ec);
  }
  write_file_atomically(record, now);
}

// build: the lab's executables (and the hidden tests' when asked); the first
// compiler error when it fails.
std::optional<CompileError> build_stage(const Manifest& m, const GradeRequest& q, GradeObserver& observer,
                                        bool& lister_built) {
  const std::vector<std::string> targets = build_list(m, q);
  observer.build_started();
  refresh_changed_sources(m, q);
  const auto start = Clock::now();
  std::vector<CompiledFile> compiled;
  auto error = q.work_dir.empty()
                   ? build_targets(q.build, q.source, targets, q.out_dir / fmt::format("build-{}.log", q.variant()))
                   : build_working(m, q, targets, compiled);
  if (!error) error = static_checks(m, q, std::move(compiled));
  // In a tree with the lab's solution, the reference's tests too, when they build: they
  // list the tests (else the student's executable lists its own).
  if (!error && q.work_dir.empty() && !q.reference && fs::is_directory(q.source / "solutions" / m.slug)) {
    try {
      lister_built = !build_targets(q.build, q.source, reference_tests(m, q), q.out_dir / "build-reference-tests.log");
    } catch (const Interrupted&) {
      throw;
    } catch (const InfrastructureError&) {  // a build that does not know them
      lister_built = false;
    }
  }
  observer.build_finished(seconds_since(start), error);
  return error;
}

fs::path tests_program(const Manifest& m, const GradeRequest& q, bool hidden) {
  const fs::path program = q.variant_bin() / tests_program_name(m, hidden, q.variant());
  if (fs::is_regular_file(program)) return program;
  if (hidden)
    throw InfrastructureError(fmt::format("{} does not exist: the hidden tests of lab {} are built from "
                                          "solutions/{}/hidden_tests/, which this tree lacks or which was not built",
                                          program.string(), m.id, m.slug));
  throw InfrastructureError(fmt::format("{} does not exist: build it first ({})", program.string(),
                                        q.build_first ? "is the build directory right?" : "run without --no-build"));
}

// The hidden tests' seed: the one asked for, else a fresh one, so that a submission
// cannot be tuned to one run's shapes. Children inherit it through the environment.
std::uint64_t choose_test_seed(const GradeRequest& q) {
  const std::uint64_t seed = q.test_seed ? *q.test_seed : std::random_device{}() % 1000000000u;
  ::setenv("GRADLAB_TEST_SEED", std::to_string(seed).c_str(), 1);
  return seed;
}

// run + score: every test group in its own process; the hidden ones only when asked.
void test_stage(const Manifest& m, const GradeRequest& q, GradeObserver& observer, LabResult& r, bool use_lister) {
  if (r.hidden_checked) r.test_seed = choose_test_seed(q);
  std::map<std::string, std::vector<std::string>> trusted_lists;
  for (const TestGroup& group : m.tests) {
    if (group.hidden && !q.hidden) continue;
    const fs::path lister = q.build / "bin" / tests_program_name(m, group.hidden, "reference");
    const TestProgram program{tests_program(m, q, group.hidden), use_lister ? lister : fs::path(), q.source,
                              {q.build, q.work_dir, q.out_dir}, &trusted_lists, &r.isolated};
    const std::vector<TestResult> tests = run_test_group(group, m.limits, program);
    const GroupScore g = score_group(group, tests);
    observer.group_graded(m, group, g, tests);
    r.tests.insert(r.tests.end(), tests.begin(), tests.end());
    r.groups.push_back(g);
    r.score += g.score;
  }
}

// The experiments of one grading: the variant under test and the reference, by name.
struct ExperimentRuns {
  std::map<std::string, ExperimentRun> student, reference;
  bool variant_complete = true;  ///< every part of the variant under test ran
};

// Runs the experiments the plots need (the student's now, the reference's from the
// cache when it has them).
ExperimentRuns run_experiments(const Manifest& m, const GradeRequest& q, GradeObserver& observer) {
  ExperimentRuns runs;
  const fs::path dir = q.out_dir / "experiments";
  const bool with_student = !q.reference;
  for (const Experiment& e : m.experiments) {
    const bool used = std::any_of(m.plots.begin(), m.plots.end(), [&](const Plot& p) { return p.experiment == e.name; });
    if (!used) continue;
    const ExperimentRun& reference = runs.reference[e.name] =
        reference_experiment(m, e, q.build / "bin", dir, q.build / "reference-series");
    const ExperimentRun* mine = &reference;
    if (with_student) mine = &(runs.student[e.name] = run_experiment(m, e, "student", q.variant_bin(), dir));
    observer.experiment_ran(e, *mine, reference, with_student);
    if (!mine->ok || !mine->failed_parts.empty()) runs.variant_complete = false;
  }
  return runs;
}

// One plot's match points: an equal share for each of its series that matches the
// reference, so that a plot with one curve still missing earns the others' share.
void score_plot(const Plot& plot, const ExperimentRun* student, const ExperimentRun& reference, PlotResult& r,
                std::vector<std::string>& problems) {
  if (student == nullptr) {  // the reference against itself
    if (reference.ok) r.deviation = 0.0;
    else problems.push_back("the reference experiment did not run: " + reference.problem);
    r.earned = reference.ok ? plot.match_points : 0;
    r.awarded = reference.ok;
    return;
  }
  const std::vector<SeriesDeviation> deviations = series_deviations(plot, *student, reference);
  std::size_t matched = 0;
  Grouped missing;  // why -> the series missing for that reason
  for (const SeriesDeviation& d : deviations) {
    if (d.deviation) r.deviation = std::max(r.deviation.value_or(0.0), *d.deviation);
    if (d.deviation && *d.deviation <= plot.match_tolerance) {
      ++matched;
    } else if (d.deviation) {
      // A plot worth no points is for looking at (a path in 2-D, a timing): no verdict.
      if (plot.match_points > 0)
        problems.push_back(fmt::format("{}: deviates by {:.3g} (tolerance {:g})", d.series, *d.deviation, plot.match_tolerance));
    } else {
      add_to_group(missing, d.note, d.series);
    }
  }
  for (const auto& [note, series] : missing) problems.push_back(fmt::format("{}: {}", fmt::join(series, ", "), note));
  r.earned = deviations.empty() ? 0 : plot.match_points * static_cast<double>(matched) / static_cast<double>(deviations.size());
  r.awarded = !deviations.empty() && matched == deviations.size();
}

// Draws every plot and decides its match points.
std::vector<PlotResult> draw_plots(const Manifest& m, const GradeRequest& q, const ExperimentRuns& runs,
                                   GradeObserver& observer) {
  const bool with_student = !q.reference;
  std::vector<PlotResult> plots;
  observer.plots_started(q.out_dir, with_student);
  for (const Plot& plot : m.plots) {
    const ExperimentRun& reference = runs.reference.at(plot.experiment);
    const ExperimentRun* student = with_student ? &runs.student.at(plot.experiment) : nullptr;
    std::string terminal;
    PlotResult r = draw_plot(m, plot, student, reference, q.out_dir, terminal);
    std::vector<std::string> problems;
    score_plot(plot, student, reference, r, problems);
    // Failed experiments were reported with the experiment: not again for every plot.
    std::erase_if(problems, [](const std::string& p) { return p.find("experiment did not run") != std::string::npos; });
    if (r.note.empty() && !problems.empty()) r.note = fmt::format("{}", fmt::join(problems, "\n"));
    observer.plot_drawn(plot, r, terminal);
    plots.push_back(std::move(r));
  }
  observer.plots_finished(m);
  return plots;
}

// The timed part (lab 10): performance points, 0 whenever a product is wrong.
BenchFigures bench_stage(const Manifest& m, const GradeRequest& q, GradeObserver& observer) {
  observer.bench_started(m, q.reference);
  // A working build has built its gradlab-bench already.
  const bool no_build = !q.build_first || !q.work_dir.empty();
  BenchRequest request{q.source, q.build, q.out_dir, q.reference, no_build, q.bench_args, {}};
  if (!q.student_bin.empty()) request.program = q.student_bin / "gradlab-bench";
  const BenchOutcome bench = run_bench(m, request);
  const BenchFigures figures{bench.ran, bench.correct, bench.score, m.bench_points, bench.ratio, bench.gflops,
                             bench.message};
  observer.bench_finished(m, figures, bench, q.reference);
  return figures;
}

}  // namespace

fs::path GradeRequest::variant_bin() const {
  return reference || student_bin.empty() ? build / "bin" : student_bin;
}

GroupScore score_group(const TestGroup& group, const std::vector<TestResult>& tests) {
  GroupScore g{group.name, group.points, 0, static_cast<int>(tests.size()), 0, group.hidden, group.visibility};
  for (const TestResult& t : tests)
    if (counts_as_passed(t.status)) ++g.passed;
  g.score = g.total == 0 ? 0 : group.points * g.passed / g.total;
  return g;
}

LabStatus lab_status_of(const LabResult& r, bool experiments_complete, bool bench_short) {
  const auto all = [&](auto predicate) { return std::all_of(r.tests.begin(), r.tests.end(), predicate); };
  if (!r.tests.empty() && all([](const TestResult& t) { return t.status == TestStatus::NotStarted; }))
    return LabStatus::NotStarted;
  const bool tests_pass = all([](const TestResult& t) { return counts_as_passed(t.status); });
  const bool plots_match = std::all_of(r.plots.begin(), r.plots.end(),
                                       [](const PlotResult& p) { return p.match_points == 0 || p.awarded; });
  if (!tests_pass || !plots_match || !experiments_complete) return LabStatus::Failing;
  if (bench_short) return LabStatus::CorrectButSlow;
  return r.score >= r.max - 1e-9 ? LabStatus::Passing : LabStatus::Failing;
}

std::vector<FileStamp> stamp_student_files(const Manifest& m, const fs::path& dir) {
  const fs::path folder = dir.empty() ? m.dir : dir;
  std::vector<FileStamp> stamps;
  for (const std::string& file : m.student_files) stamps.push_back({file, hash_file(folder / file)});
  return stamps;
}

PlotsOutcome plot_lab(const Manifest& m, const GradeRequest& q, GradeObserver& observer) {
  const ExperimentRuns runs = run_experiments(m, q, observer);
  return {draw_plots(m, q, runs, observer), runs.variant_complete};
}

LabResult grade_lab(const Manifest& m, const GradeRequest& q, GradeObserver& observer) {
  const auto start = Clock::now();
  LabResult r = start_result(m, q);
  observer.lab_started(m, q);
  // Without building, an existing reference executable lists the tests.
  bool lister_built = !q.build_first || !q.work_dir.empty();
  if (q.build_first) {
    auto stage = Clock::now();
    r.compile_error = build_stage(m, q, observer, lister_built);
    r.timings.build = seconds_since(stage);
    if (r.compile_error) {
      r.status = r.compile_error->forbidden ? LabStatus::ForbiddenCall : LabStatus::CompileError;
      r.timings.total = seconds_since(start);
      observer.lab_finished(r, true);
      return r;
    }
  }
  auto stage = Clock::now();
  test_stage(m, q, observer, r, lister_built);
  r.timings.tests = seconds_since(stage);

  bool experiments_complete = true;
  if (q.plots && !m.plots.empty()) {
    stage = Clock::now();
    const ExperimentRuns runs = run_experiments(m, q, observer);
    experiments_complete = runs.variant_complete;
    r.plots = draw_plots(m, q, runs, observer);
    for (const PlotResult& p : r.plots) r.score += p.earned;
    r.timings.experiments = seconds_since(stage);
  }
  // A correct kernel short of the full performance points is "correct but slow":
  // "passing" means full marks.
  bool bench_short = false;
  if (m.has_bench && q.bench) {
    stage = Clock::now();
    r.bench = bench_stage(m, q, observer);
    r.score += r.bench->score;
    bench_short = r.bench->score < m.bench_points - 1e-9;
    r.timings.bench = seconds_since(stage);
  }
  r.status = lab_status_of(r, experiments_complete, bench_short);
  r.timings.total = seconds_since(start);
  observer.lab_finished(r, experiments_complete);
  return r;
}

}  // namespace gradlab::grader
