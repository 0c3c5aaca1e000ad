#include "check.h"

#include "build.h"
#include "console.h"
#include "console_report.h"
#include "errors.h"
#include "renderers.h"

#include <fmt/core.h>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

// Where the plots, the experiments' JSON, the build log and the result go.
fs::path output_dir(const Manifest& m, const CheckOptions& o) {
  if (o.out_dir) return *o.out_dir;
  return o.reference ? results_dir(o.source, m) / "reference" : results_dir(o.source, m);
}

ConsoleOptions console_options(const CheckOptions& o) {
  return {o.source, o.compact, o.all_text_plots, true, true};
}

// The status table is about the student's own visible work: a check of the reference
// or one with the hidden groups is stored only where --out puts it.
void store_result(const LabResult& r, const CheckOptions& o, const Manifest& m) {
  if (r.variant != "student") return;
  if (o.hidden && !o.out_dir) return;
  write_file_atomically(output_dir(m, o) / "result.json", to_json(r).dump(2) + "\n");
}

void print_summary(const std::vector<LabResult>& results, double score, double max) {
  fmt::print("{}\n", paint("summary", Tone::Bold));
  for (const LabResult& r : results)
    fmt::print("  lab {}  {:<28} {:<14} {:>5}/{}\n", r.lab, r.title, to_string(r.status), points(r.score), points(r.max));
  fmt::print("  total {}/{} points\n", points(score), points(max));
}

// --json, --junit, --gradescope: the renderers other than the console.
void write_renderings(const std::vector<LabResult>& results, const CheckOptions& o) {
  if (o.json) write_file_atomically(*o.json, results_json(results).dump(2) + "\n");
  if (o.junit) write_file_atomically(*o.junit, junit_xml(results));
  if (o.gradescope) write_file_atomically(*o.gradescope, gradescope_results(results, {}).dump(2) + "\n");
}

}  // namespace

fs::path results_dir(const fs::path& source, const Manifest& m) { return source / "results" / m.slug; }

GradeRequest grade_request(const Manifest& m, const CheckOptions& o) {
  GradeRequest q;
  q.source = o.source;
  q.build = o.build;
  q.out_dir = output_dir(m, o);
  q.reference = o.reference;
  q.build_first = !o.no_build;
  q.plots = !o.no_plots;
  q.bench = !o.no_bench;
  q.hidden = o.hidden;
  q.test_seed = o.test_seed;
  return q;
}

LabResult check_lab(const Manifest& m, const CheckOptions& o) {
  ConsoleReport console(console_options(o));
  const LabResult r = grade_lab(m, grade_request(m, o), console);
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
  if (results.size() > 1) print_summary(results, score, max);
  write_renderings(results, o);
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
  ConsoleOptions quiet = console_options(o);
  quiet.text_plots = false;
  ConsoleReport console(quiet);
  GradeRequest q = grade_request(m, o);
  return plot_lab(m, q, console).complete ? 0 : 1;
}

}  // namespace gradlab::grader
