#include "check.h"

#include "bench_command.h"
#include "build.h"
#include "console.h"
#include "errors.h"
#include "experiment.h"
#include "plot.h"
#include "runner.h"
#include "text.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <map>
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

// Names grouped under what they share (an error, a reason), in order of first appearance:
// one line per reason instead of one per name.
using Grouped = std::vector<std::pair<std::string, std::vector<std::string>>>;

void add_to_group(Grouped& groups, const std::string& key, const std::string& name) {
  auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
  if (it == groups.end()) it = groups.insert(groups.end(), {key, {}});
  it->second.push_back(name);
}

// The experiments of one check: the variant under test and the reference, by name.
struct ExperimentRuns {
  std::map<std::string, ExperimentRun> student, reference;
  bool variant_complete = true;  ///< every part of the variant under test ran
};

// Runs the experiments the plots need (the student's now, the reference's from the
// cache when it has them) and prints how each went.
ExperimentRuns run_experiments(const Manifest& m, const CheckOptions& o, bool with_student) {
  ExperimentRuns runs;
  const fs::path dir = output_dir(m, o) / "experiments";
  const fs::path bin = o.build / "bin";
  for (const Experiment& e : m.experiments) {
    const bool used = std::any_of(m.plots.begin(), m.plots.end(), [&](const Plot& p) { return p.experiment == e.name; });
    if (!used) continue;
    const ExperimentRun& reference = runs.reference[e.name] =
        reference_experiment(m, e, bin, dir, o.build / "reference-series");
    const ExperimentRun* mine = &reference;
    if (with_student) mine = &(runs.student[e.name] = run_experiment(m, e, "student", bin, dir));
    auto describe = [&](const ExperimentRun& run) {
      if (!run.ok) return paint(run.problem, Tone::Bad);
      if (run.cached) return paint("ok", Tone::Good) + " (cached)";
      const std::string cpu = fmt::format(" ({:.1f} s CPU)", run.cpu_seconds);
      if (run.failed_parts.empty()) return paint("ok", Tone::Good) + cpu;
      return paint(fmt::format("{} part{} failed", run.failed_parts.size(), run.failed_parts.size() > 1 ? "s" : ""),
                   Tone::Bad) + cpu;
    };
    if (with_student)
      fmt::print("  experiment {}: yours {}; reference {}\n", e.name, describe(*mine), describe(reference));
    else
      fmt::print("  experiment {}: {}\n", e.name, describe(reference));
    // The failed parts, one line per distinct error ("not implemented: …: gelu_forward").
    Grouped by_error;
    for (const FailedPart& f : mine->failed_parts) add_to_group(by_error, f.error, f.part);
    for (const auto& [error, parts] : by_error)
      fmt::print("    {}\n      {}: {}\n", paint(error, Tone::Bad), parts.size() > 1 ? "parts" : "part",
                 wrap(fmt::format("{}", fmt::join(parts, ", ")), 70, "        "));
    if (!mine->ok || !mine->failed_parts.empty()) runs.variant_complete = false;
    // The experiment's scalars (final loss, accuracy, …), side by side where yours has them.
    for (const auto& [name, value] : reference.scalars) {
      const auto it = mine->scalars.find(name);
      if (!with_student)
        fmt::print("    {:<30} {:.6g}\n", name, value);
      else if (it != mine->scalars.end())
        fmt::print("    {:<30} yours {:<12.6g} reference {:.6g}\n", name, it->second, value);
    }
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

// Draws every plot, decides the match points, and prints one line per plot (and, for
// the plots that miss their points, what is wrong and the plot as text).
std::vector<PlotResult> draw_plots(const Manifest& m, const CheckOptions& o, const ExperimentRuns& runs,
                                   bool with_student, bool print_terminal) {
  const fs::path dir = output_dir(m, o);
  std::vector<PlotResult> plots;
  std::vector<std::string> shown;  // text plots: those that miss their points, else the first
  std::string first;
  fmt::print("  plots ({}) in {}/\n", with_student ? "yours over the reference" : "the reference",
             display_path(dir, o.source));
  for (const Plot& plot : m.plots) {
    const ExperimentRun& reference = runs.reference.at(plot.experiment);
    const ExperimentRun* student = with_student ? &runs.student.at(plot.experiment) : nullptr;
    std::string terminal;
    PlotResult r = draw_plot(m, plot, student, reference, dir, terminal);
    std::vector<std::string> problems;
    score_plot(plot, student, reference, r, problems);
    // Failed experiments were reported above: do not repeat them for every plot.
    std::erase_if(problems, [](const std::string& p) { return p.find("experiment did not run") != std::string::npos; });
    if (r.note.empty() && !problems.empty()) r.note = fmt::format("{}", fmt::join(problems, "\n"));

    std::string verdict = plot.match_points == 0 ? "(no points)"
                                                 : fmt::format("{}/{} points", points(r.earned), points(plot.match_points));
    const bool missed = plot.match_points > 0 && !r.awarded;
    fmt::print("    {:<34} {}\n", plot.name, missed ? paint(verdict, Tone::Bad) : verdict);
    for (const std::string& line : lines_of(r.note)) fmt::print("      {}\n", wrap(line, 72, "        "));
    if (first.empty()) first = terminal;
    if (!terminal.empty() && (o.all_text_plots || (missed && shown.size() < 2)))
      shown.push_back(fmt::format("  {}:\n{}", plot.name, terminal));
    plots.push_back(std::move(r));
  }
  if (!print_terminal) return plots;
  if (shown.empty() && !first.empty()) shown.push_back(first);
  for (const std::string& text : shown) fmt::print("{}", text);
  if (m.plots.size() > shown.size() && !shown.empty())
    fmt::print("  the others as text: {} check {} --text-plots\n", program_name(), m.id);
  return plots;
}

// Every test of a group, compactly: "PASS all 13 tests", each NOT STARTED message
// once, the first tier of the group's hints when something fails.
void print_group_tests(const Manifest& m, const TestGroup& group, const std::vector<TestResult>& tests) {
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
  if (needs_hint && !group.hints.empty()) {
    fmt::print("    {} {}\n", paint("hint:", Tone::Warn), wrap(group.hints.front(), 68, "          "));
    if (group.hints.size() > 1) fmt::print("    (more: {} hint {} {})\n", program_name(), m.id, group.name);
  }
}

void store_result(const LabResult& r, const CheckOptions& o, const Manifest& m) {
  if (r.variant != "student") return;  // the status table is about the student's work
  write_file_atomically(output_dir(m, o) / "result.json", to_json(r).dump(2) + "\n");
}

void print_verdict(const LabResult& r) {
  const Tone tone = r.status == "passing"                                       ? Tone::Good
                    : r.status == "not started" || r.status == "correct but slow" ? Tone::Warn
                                                                                  : Tone::Bad;
  fmt::print("  {} {}/{} points{}\n\n", paint(fmt::format("lab {}: {} —", r.lab, r.status), tone), points(r.score),
             points(r.max), r.plots_checked ? "" : " (the plots not checked)");
}

}  // namespace

std::string lab_status_word(const LabResult& r, bool experiments_complete, bool bench_short) {
  const auto all = [&](auto predicate) { return std::all_of(r.tests.begin(), r.tests.end(), predicate); };
  if (!r.tests.empty() && all([](const TestResult& t) { return t.status == TestStatus::NotStarted; }))
    return "not started";
  const bool tests_pass = all([](const TestResult& t) { return counts_as_passed(t.status); });
  const bool plots_match = std::all_of(r.plots.begin(), r.plots.end(),
                                       [](const PlotResult& p) { return p.match_points == 0 || p.awarded; });
  if (!tests_pass || !plots_match || !experiments_complete) return "failing";
  if (bench_short) return "correct but slow";
  return r.score >= r.max - 1e-9 ? "passing" : "failing";
}

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
    const auto targets = lab_targets(m, r.variant, !o.no_plots);
    fmt::print("  building … ");
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
    if (!o.compact) print_group_tests(m, group, tests);
    r.tests.insert(r.tests.end(), tests.begin(), tests.end());
    r.groups.push_back(g);
    r.score += g.score;
  }

  bool experiments_complete = true;
  if (!o.no_plots && !m.plots.empty()) {
    const ExperimentRuns runs = run_experiments(m, o, !o.reference);
    experiments_complete = runs.variant_complete;
    r.plots = draw_plots(m, o, runs, !o.reference, true);
    for (const PlotResult& p : r.plots) r.score += p.earned;
  }

  // The timed part (lab 10): performance points, 0 whenever a product is wrong. A
  // correct kernel short of the full performance points is "correct but slow":
  // "passing" means full marks.
  bool bench_short = false;  // correct, but not yet the bench's full points
  if (m.has_bench && !o.no_bench) {
    const BenchOutcome bench = run_bench(m, {o.source, o.build, output_dir(m, o), o.reference, o.no_build, {}});
    r.score += bench.score;
    bench_short = bench.score < m.bench_points - 1e-9;
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

  r.status = lab_status_word(r, experiments_complete, bench_short);
  if (r.status == "failing" && r.score >= r.max - 1e-9)
    fmt::print("  {}\n", paint("every test passes, but the experiment did not run completely (see above)", Tone::Bad));
  print_verdict(r);
  store_result(r, o, m);
  return r;
}

int run_check(const std::vector<std::string>& ids, const CheckOptions& o) {
  if (ids.empty()) throw UsageError(fmt::format("check: which lab? e.g. {} check 01", program_name()));
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
  if (!o.no_build) {
    std::vector<std::string> targets{fmt::format("lab{}_experiment_reference", m.id)};
    if (!o.reference) targets.push_back(fmt::format("lab{}_experiment_student", m.id));
    const auto error = build_targets(o.build, o.source, targets, output_dir(m, o) / "build-plots.log");
    if (error) {
      print_compile_error(*error, o.source);
      return 1;
    }
  }
  const ExperimentRuns runs = run_experiments(m, o, !o.reference);
  draw_plots(m, o, runs, !o.reference, false);
  return runs.variant_complete ? 0 : 1;
}

}  // namespace gradlab::grader
