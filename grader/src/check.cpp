#include "check.h"

#include "bench_command.h"
#include "build.h"
#include "console.h"
#include "errors.h"
#include "experiment.h"
#include "plot.h"
#include "runner.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

std::string variant_of(const CheckOptions& o) { return o.reference ? "reference" : "student"; }

// Where the plots, the experiments' JSON, the build log and the result go.
fs::path output_dir(const Manifest& m, const CheckOptions& o) {
  if (o.out_dir) return *o.out_dir;
  return o.reference ? results_dir(o.source, m) / "reference" : results_dir(o.source, m);
}

// A path as the student would type it: relative to the repository when inside it.
std::string display_path(const fs::path& path, const fs::path& source) {
  std::error_code ec;
  const fs::path relative = fs::weakly_canonical(path, ec).lexically_relative(fs::weakly_canonical(source, ec));
  if (ec || relative.empty() || relative.begin()->string() == "..") return path.string();
  return relative.string();
}

// A scratch folder for GoogleTest's JSON reports, removed when the check ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "gradlab-grader-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw InfrastructureError("cannot create a temporary folder in " + fs::temp_directory_path().string());
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Tone tone_of(TestStatus status) {
  switch (status) {
    case TestStatus::Pass: return Tone::Good;
    case TestStatus::Skipped:
    case TestStatus::NotStarted: return Tone::Warn;
    default: return Tone::Bad;
  }
}

// "C++ exception with description "not implemented: lab 01: f" thrown …" -> "not implemented: lab 01: f"
std::string short_message(const TestResult& t) {
  if (t.status == TestStatus::NotStarted) {
    static const std::regex what(R"(not implemented: lab [^"\n]*)");
    std::smatch m;
    if (std::regex_search(t.message, m, what)) return m.str();
  }
  return t.message;
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    out += prefix + text.substr(begin, end - begin) + "\n";
    begin = end + 1;
  }
  return out;
}

void print_test(const TestResult& t, bool with_message = true) {
  fmt::print("    {}  {}\n", paint(fmt::format("{:<15}", to_string(t.status)), tone_of(t.status)), t.name);
  const std::string message = short_message(t);
  if (with_message && !message.empty() && t.status != TestStatus::Pass) fmt::print("{}", indent(message, std::string(21, ' ')));
}

void print_compile_error(const CompileError& e, const fs::path& source) {
  fmt::print("  {}\n", paint("COMPILE ERROR", Tone::Bad));
  if (!e.file.empty())
    fmt::print("    {}:{}:{} {}\n", e.file, e.line, e.column > 0 ? fmt::format("{}:", e.column) : "", e.message);
  else
    fmt::print("    {}\n", e.message);
  if (!e.context.empty()) fmt::print("{}", indent(e.context.substr(0, e.context.find_last_not_of('\n') + 1), "    "));
  if (!e.log.empty()) fmt::print("  the whole build output: {}\n", display_path(e.log, source));
}

GroupScore score_group(const TestGroup& group, const std::vector<TestResult>& tests) {
  GroupScore g{group.name, group.points, 0, static_cast<int>(tests.size()), 0};
  for (const TestResult& t : tests)
    if (counts_as_passed(t.status)) ++g.passed;
  g.score = g.total == 0 ? 0 : group.points * g.passed / g.total;
  return g;
}

// Runs the experiments the plots need (student and reference, or the reference
// alone), draws every plot and decides the match points.
// \p variant_ran is set to false when an experiment of the variant under test failed.
std::vector<PlotResult> experiments_and_plots(const Manifest& m, const CheckOptions& o, bool with_student,
                                              bool print_terminal, bool& variant_ran) {
  variant_ran = true;
  const fs::path dir = output_dir(m, o);
  const fs::path bin = o.build / "bin";
  std::map<std::string, ExperimentRun> student_runs, reference_runs;
  for (const Experiment& e : m.experiments) {
    const bool used = std::any_of(m.plots.begin(), m.plots.end(), [&](const Plot& p) { return p.experiment == e.name; });
    if (!used) continue;
    const auto start = std::chrono::steady_clock::now();
    if (with_student) student_runs[e.name] = run_experiment(m, e, "student", bin, dir / "experiments");
    reference_runs[e.name] = run_experiment(m, e, "reference", bin, dir / "experiments");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto describe = [](const ExperimentRun& run) { return run.ok ? paint("ok", Tone::Good) : paint(run.problem, Tone::Bad); };
    fmt::print("  experiment {} ({:.1f} s): ", e.name, seconds);
    if (with_student) fmt::print("yours: {}; ", describe(student_runs[e.name]));
    fmt::print("reference: {}\n", describe(reference_runs[e.name]));
    if (!(with_student ? student_runs[e.name] : reference_runs[e.name]).ok) variant_ran = false;
    // The experiment's scalars (final loss, accuracy, …), side by side.
    const ExperimentRun& reference = reference_runs[e.name];
    for (const auto& [name, value] : reference.scalars) {
      const auto mine = with_student ? student_runs[e.name].scalars.find(name) : reference.scalars.end();
      if (with_student && mine != student_runs[e.name].scalars.end())
        fmt::print("    {:<26} yours {:<12.6g} reference {:.6g}\n", name, mine->second, value);
      else
        fmt::print("    {:<26} reference {:.6g}\n", name, value);
    }
  }

  std::vector<PlotResult> plots;
  std::string shown_terminal;
  bool shown_missed = false;
  fmt::print("  plots{} in {}/ (NAME.svg, NAME.png; NAME.gp redraws them)\n",
             with_student ? " (yours against the reference)" : "", display_path(dir, o.source));
  for (const Plot& plot : m.plots) {
    const ExperimentRun& reference = reference_runs[plot.experiment];
    const ExperimentRun* student = with_student ? &student_runs[plot.experiment] : nullptr;
    std::string terminal;
    PlotResult r = draw_plot(m, plot, student, reference, dir, terminal);
    std::string deviation_note;
    if (student != nullptr) {
      r.deviation = max_relative_deviation(plot, *student, reference, deviation_note);
    } else if (reference.ok) {
      r.deviation = 0.0;  // the reference against itself
    } else {
      deviation_note = "the reference experiment did not run: " + reference.problem;
    }
    r.awarded = plot.match_points > 0 && r.deviation && *r.deviation <= plot.match_tolerance;
    if (r.note.empty()) r.note = deviation_note;

    std::string verdict;
    if (student != nullptr && r.deviation)
      verdict = fmt::format("largest relative deviation from the reference: {:.3g}", *r.deviation);
    if (plot.match_points > 0)
      verdict += fmt::format("{}match: {}/{} points (tolerance {:g})", verdict.empty() ? "" : "; ",
                             points(r.awarded ? plot.match_points : 0), points(plot.match_points), plot.match_tolerance);
    fmt::print("    {:<28} {}\n", plot.name, r.awarded || plot.match_points == 0 ? verdict : paint(verdict, Tone::Bad));
    // A failed experiment was reported above; do not repeat it for every plot.
    const bool reported = r.note.starts_with("your experiment did not run") ||
                          r.note.starts_with("the reference experiment did not run");
    if (!r.note.empty() && !reported)
      fmt::print("{}", indent(r.note, "      "));
    // One plot in the terminal: the first that misses its match, else the first.
    const bool missed = plot.match_points > 0 && !r.awarded;
    if (!terminal.empty() && (shown_terminal.empty() || (missed && !shown_missed))) {
      shown_terminal = terminal;
      shown_missed = missed;
    }
    plots.push_back(std::move(r));
  }
  if (print_terminal && !shown_terminal.empty()) {
    fmt::print("{}", shown_terminal);
    if (m.plots.size() > 1)
      fmt::print("  (the others as text: cd {} && gnuplot -e \"terminal='dumb'\" NAME.gp)\n", display_path(dir, o.source));
  }
  return plots;
}

void store_result(const LabResult& r, const CheckOptions& o, const Manifest& m) {
  if (r.variant != "student") return;  // the status table is about the student's work
  write_file_atomically(output_dir(m, o) / "result.json", to_json(r).dump(2) + "\n");
}

void print_verdict(const LabResult& r) {
  const Tone tone = r.status == "passing" ? Tone::Good : r.status == "not started" ? Tone::Warn : Tone::Bad;
  fmt::print("  {} {}/{} points{}\n\n", paint(fmt::format("lab {}: {} —", r.lab, r.status), tone), points(r.score),
             points(r.max), r.plots_checked ? "" : " (plots not checked: --no-plots)");
}

}  // namespace

fs::path results_dir(const fs::path& source, const Manifest& m) { return source / "results" / m.slug; }

std::vector<FileStamp> stamp_student_files(const Manifest& m) {
  std::vector<FileStamp> stamps;
  for (const std::string& file : m.student_files) stamps.push_back({file, hash_file(m.dir / file)});
  return stamps;
}

LabResult check_lab(const Manifest& m, const CheckOptions& o) {
  LabResult r;
  r.lab = m.id;
  r.slug = m.slug;
  r.title = m.title;
  r.variant = variant_of(o);
  r.checked_at = now_iso8601();
  r.plots_checked = !o.no_plots;
  r.files = stamp_student_files(m);  // before building: a later edit makes the result stale
  r.max = m.test_points() + (o.no_plots ? 0 : m.match_points()) + (o.no_bench ? 0 : m.bench_points);
  fmt::print("{}\n", paint(fmt::format("lab {} · {} — {}", m.id, m.title, o.reference ? "the reference" : "your code"), Tone::Bold));

  if (!o.no_build) {
    const auto targets = lab_targets(m, r.variant);
    fmt::print("  building {} … ", fmt::join(targets, " "));
    std::fflush(stdout);
    const auto start = std::chrono::steady_clock::now();
    const auto error = build_targets(o.build, o.source, targets,
                                     output_dir(m, o) / fmt::format("build-{}.log", r.variant));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{} ({:.1f} s)\n", error ? paint("failed", Tone::Bad) : paint("ok", Tone::Good), seconds);
    if (error) {
      r.status = "compile error";
      r.compile_error = *error;
      print_compile_error(*error, o.source);
      print_verdict(r);
      store_result(r, o, m);
      return r;
    }
  }

  const fs::path program = o.build / "bin" / fmt::format("lab{}_tests_{}", m.id, r.variant);
  if (!fs::is_regular_file(program))
    throw InfrastructureError(fmt::format("{} does not exist: build it first ({})", program.string(),
                                          o.no_build ? "run without --no-build" : "is the build directory right?"));
  const ScratchDir scratch;
  for (const TestGroup& group : m.tests) {
    const std::vector<TestResult> tests = run_test_group(group, m.limits, program, scratch.path());
    const GroupScore g = score_group(group, tests);
    fmt::print("  {} — {}/{} points\n", paint(group.name, Tone::Bold), points(g.score), points(g.points));
    const bool all_passed = std::all_of(tests.begin(), tests.end(), [](const TestResult& t) { return t.status == TestStatus::Pass; });
    const bool none_started = std::all_of(tests.begin(), tests.end(), [](const TestResult& t) { return t.status == TestStatus::NotStarted; });
    if (all_passed && tests.size() > 1) {
      fmt::print("    {}  all {} tests\n", paint(fmt::format("{:<15}", "PASS"), Tone::Good), tests.size());
    } else if (none_started && tests.size() > 1) {
      fmt::print("    {}  all {} tests\n", paint(fmt::format("{:<15}", "NOT STARTED"), Tone::Warn), tests.size());
      std::set<std::string> seen;
      for (const TestResult& t : tests)
        if (seen.insert(short_message(t)).second) fmt::print("{}", indent(short_message(t), std::string(21, ' ')));
    } else {
      std::string previous;  // a NOT STARTED message is shown once, not for every test
      for (const TestResult& t : tests) {
        const bool repeat = t.status == TestStatus::NotStarted && short_message(t) == previous;
        print_test(t, !repeat);
        if (t.status == TestStatus::NotStarted) previous = short_message(t);
      }
    }
    const bool needs_hint = std::any_of(tests.begin(), tests.end(), [](const TestResult& t) {
      return !counts_as_passed(t.status) && t.status != TestStatus::NotStarted;
    });
    if (needs_hint && !group.hint.empty()) fmt::print("    {} {}\n", paint("hint:", Tone::Warn), group.hint);
    r.tests.insert(r.tests.end(), tests.begin(), tests.end());
    r.groups.push_back(g);
    r.score += g.score;
  }

  bool experiments_ran = true;
  if (!o.no_plots && !m.plots.empty()) {
    r.plots = experiments_and_plots(m, o, !o.reference, true, experiments_ran);
    for (const PlotResult& p : r.plots)
      if (p.awarded) r.score += p.match_points;
  }

  // The timed part (lab 10): performance points, 0 whenever a product is wrong. Speed
  // does not decide "passing": a correct kernel passes, a fast one scores more.
  if (m.has_bench && !o.no_bench) {
    const BenchOutcome bench = run_bench(m, {o.source, o.build, output_dir(m, o), o.reference, o.no_build, {}});
    r.score += bench.score;
    std::string detail = " (" + bench.message + ")";
    if (bench.ran && o.reference) {
      detail = " (the reference is the yardstick of the score";
      if (bench.targets_met >= 0) detail += fmt::format("; its own targets: {} of {} met, listed above", bench.targets_met, bench.targets_total);
      detail += ")";
    } else if (bench.ran) {
      detail = fmt::format(" (speed {:.2f}x the reference)", bench.ratio);
    }
    fmt::print("  {} — {}/{} points{}\n", paint("performance", Tone::Bold), points(bench.score), points(m.bench_points), detail);
  }

  const bool all_not_started = std::all_of(r.tests.begin(), r.tests.end(),
                                           [](const TestResult& t) { return t.status == TestStatus::NotStarted; });
  const bool all_passed = std::all_of(r.tests.begin(), r.tests.end(), [](const TestResult& t) { return counts_as_passed(t.status); });
  const bool plots_matched = std::all_of(r.plots.begin(), r.plots.end(),
                                         [](const PlotResult& p) { return p.match_points == 0 || p.awarded; });
  // Fully correct: every test passes, every plot matches, and the experiment runs.
  r.status = all_not_started && !r.tests.empty()                      ? "not started"
             : all_passed && plots_matched && experiments_ran ? "passing"
                                                                       : "failing";
  if (all_passed && plots_matched && !experiments_ran)
    fmt::print("  {}\n", paint("every test passes, but the experiment did not run (see above)", Tone::Bad));
  print_verdict(r);
  store_result(r, o, m);
  return r;
}

int run_check(const std::vector<std::string>& ids, const CheckOptions& o) {
  if (ids.empty()) throw UsageError("check: which lab? e.g. grader check 01");
  std::vector<Manifest> labs;
  for (const std::string& id : ids) labs.push_back(find_lab(o.source, id));  // every id before any work

  std::vector<LabResult> results;
  for (const Manifest& m : labs) results.push_back(check_lab(m, o));

  double score = 0, max = 0;
  bool all_correct = true;
  for (const LabResult& r : results) {
    score += r.score;
    max += r.max;
    all_correct = all_correct && r.fully_correct();
  }
  if (results.size() > 1) {
    fmt::print("{}\n", paint("summary", Tone::Bold));
    for (const LabResult& r : results)
      fmt::print("  lab {}  {:<28} {:<14} {:>5}/{}\n", r.lab, r.title, r.status, points(r.score), points(r.max));
    fmt::print("  total {}/{} points\n", points(score), points(max));
  }
  if (o.json) {
    nlohmann::json out;
    if (results.size() == 1) {
      out = to_json(results.front());
    } else {
      out = {{"labs", nlohmann::json::array()}, {"score", score}, {"max", max},
             {"status", all_correct ? "passing" : "failing"}};
      for (const LabResult& r : results) out["labs"].push_back(to_json(r));
    }
    write_file_atomically(*o.json, out.dump(2) + "\n");
  }
  return all_correct ? 0 : 1;
}

int run_plots(const std::string& id, const CheckOptions& o) {
  const Manifest m = find_lab(o.source, id);
  if (m.plots.empty() || m.experiments.empty()) {
    fmt::print("lab {} has no experiment: nothing to plot\n", m.id);
    return 0;
  }
  const std::string variant = variant_of(o);
  if (!o.no_build) {
    std::vector<std::string> targets{fmt::format("lab{}_experiment_reference", m.id)};
    if (!o.reference) targets.push_back(fmt::format("lab{}_experiment_student", m.id));
    const auto error = build_targets(o.build, o.source, targets, output_dir(m, o) / "build-plots.log");
    if (error) {
      print_compile_error(*error, o.source);
      return 1;
    }
  }
  bool ran = true;
  experiments_and_plots(m, o, !o.reference, false, ran);
  return ran ? 0 : 1;
}

}  // namespace gradlab::grader
