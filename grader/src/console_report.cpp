#include "console_report.h"

#include "console.h"
#include "text.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

Tone tone_of(TestStatus status) {
  switch (status) {
    case TestStatus::Pass: return Tone::Good;
    case TestStatus::Skipped:
    case TestStatus::NotStarted: return Tone::Warn;
    default: return Tone::Bad;
  }
}

Tone tone_of(LabStatus status) {
  switch (status) {
    case LabStatus::Passing: return Tone::Good;
    case LabStatus::NotStarted:
    case LabStatus::CorrectButSlow: return Tone::Warn;
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

std::string describe(const ExperimentRun& run) {
  if (!run.ok) return paint(run.problem, Tone::Bad);
  if (run.cached) return paint("ok", Tone::Good) + " (cached)";
  const std::string cpu = fmt::format(" ({:.1f} s CPU)", run.cpu_seconds);
  if (run.failed_parts.empty()) return paint("ok", Tone::Good) + cpu;
  return paint(fmt::format("{} part{} failed", run.failed_parts.size(), run.failed_parts.size() > 1 ? "s" : ""),
               Tone::Bad) + cpu;
}

}  // namespace

void print_compile_error(const CompileError& e, const fs::path& source) {
  fmt::print("  {}\n", paint(e.forbidden ? "FORBIDDEN" : "COMPILE ERROR", Tone::Bad));
  if (!e.file.empty())
    fmt::print("    {}:{}:{} {}\n", e.file, e.line, e.column > 0 ? fmt::format("{}:", e.column) : "", e.message);
  else
    fmt::print("    {}\n", e.message);
  if (!e.context.empty()) fmt::print("{}", indent(e.context.substr(0, e.context.find_last_not_of('\n') + 1), "    "));
  if (!e.log.empty()) fmt::print("  the whole build output: {}\n", display_path(e.log, source));
}

void print_verdict(const LabResult& r) {
  fmt::print("  {} {}/{} points{}\n\n", paint(fmt::format("lab {}: {} —", r.lab, to_string(r.status)), tone_of(r.status)),
             points(r.score), points(r.max), r.plots_checked ? "" : " (the plots not checked)");
}

void ConsoleReport::lab_started(const Manifest& m, const GradeRequest& request) {
  fmt::print("{}\n", paint(fmt::format("lab {} · {} — {}", m.id, m.title, request.reference ? "the reference" : "your code"),
                           Tone::Bold));
}

void ConsoleReport::build_started() {
  fmt::print("  building … ");
  std::fflush(stdout);
}

void ConsoleReport::build_finished(double seconds, const std::optional<CompileError>& error) {
  fmt::print("{} ({:.1f} s)\n", error ? paint("failed", Tone::Bad) : paint("ok", Tone::Good), seconds);
  if (error) print_compile_error(*error, options_.source);
}

void ConsoleReport::group_graded(const Manifest& m, const TestGroup& group, const GroupScore& score,
                                 const std::vector<TestResult>& tests) {
  fmt::print("  {}{} — {}/{} points\n", paint(group.name, Tone::Bold), group.hidden ? " (hidden)" : "",
             points(score.score), points(score.points));
  if (!options_.compact) print_group_tests(m, group, tests);
}

void ConsoleReport::experiment_ran(const Experiment& e, const ExperimentRun& mine, const ExperimentRun& reference,
                                   bool with_student) {
  if (with_student)
    fmt::print("  experiment {}: yours {}; reference {}\n", e.name, describe(mine), describe(reference));
  else
    fmt::print("  experiment {}: {}\n", e.name, describe(reference));
  // The failed parts, one line per distinct error ("not implemented: …: gelu_forward").
  Grouped by_error;
  for (const FailedPart& f : mine.failed_parts) add_to_group(by_error, f.error, f.part);
  for (const auto& [error, parts] : by_error)
    fmt::print("    {}\n      {}: {}\n", paint(error, Tone::Bad), parts.size() > 1 ? "parts" : "part",
               wrap(fmt::format("{}", fmt::join(parts, ", ")), 70, "        "));
  // The experiment's scalars (final loss, accuracy, …), side by side where yours has them.
  for (const auto& [name, value] : reference.scalars) {
    const auto it = mine.scalars.find(name);
    if (!with_student)
      fmt::print("    {:<30} {:.6g}\n", name, value);
    else if (it != mine.scalars.end())
      fmt::print("    {:<30} yours {:<12.6g} reference {:.6g}\n", name, it->second, value);
  }
}

void ConsoleReport::plots_started(const fs::path& dir, bool with_student) {
  shown_.clear();
  first_plot_.clear();
  plot_count_ = 0;
  fmt::print("  plots ({}) in {}/\n", with_student ? "yours over the reference" : "the reference",
             display_path(dir, options_.source));
}

void ConsoleReport::plot_drawn(const Plot& plot, const PlotResult& r, const std::string& terminal) {
  ++plot_count_;
  const std::string verdict = plot.match_points == 0 ? "(no points)"
                                                     : fmt::format("{}/{} points", points(r.earned), points(plot.match_points));
  const bool missed = plot.match_points > 0 && !r.awarded;
  fmt::print("    {:<34} {}\n", plot.name, missed ? paint(verdict, Tone::Bad) : verdict);
  for (const std::string& line : lines_of(r.note)) fmt::print("      {}\n", wrap(line, 72, "        "));
  if (first_plot_.empty()) first_plot_ = terminal;
  if (!terminal.empty() && (options_.all_text_plots || (missed && shown_.size() < 2)))
    shown_.push_back(fmt::format("  {}:\n{}", plot.name, terminal));
}

void ConsoleReport::plots_finished(const Manifest& m) {
  if (!options_.text_plots) return;
  if (shown_.empty() && !first_plot_.empty()) shown_.push_back(first_plot_);
  for (const std::string& text : shown_) fmt::print("{}", text);
  if (plot_count_ > shown_.size() && !shown_.empty())
    fmt::print("  the others as text: {} check {} --text-plots\n", program_name(), m.id);
}

void ConsoleReport::bench_finished(const Manifest& m, const BenchFigures& figures, const BenchOutcome& bench,
                                   bool reference) {
  std::string detail = " (" + figures.message + ")";
  if (figures.ran && reference) {
    detail = " (the reference is the yardstick of the score";
    if (bench.targets_met >= 0)
      detail += fmt::format("; its own targets: {} of {} met, listed above", bench.targets_met, bench.targets_total);
    detail += ")";
  } else if (figures.ran) {
    detail = fmt::format(" (speed {:.2f}x the reference)", figures.ratio);
  }
  fmt::print("  {} — {}/{} points{}\n", paint("performance", Tone::Bold), points(figures.score), points(m.bench_points),
             detail);
}

void ConsoleReport::lab_finished(const LabResult& r, bool experiments_complete) {
  if (!options_.verdict) return;
  if (r.status == LabStatus::Failing && r.score >= r.max - 1e-9 && !experiments_complete)
    fmt::print("  {}\n", paint("every test passes, but the experiment did not run completely (see above)", Tone::Bad));
  print_verdict(r);
}

}  // namespace gradlab::grader
