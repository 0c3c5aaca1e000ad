#include "experiment.h"

#include "gtest_report.h"
#include "process.h"
#include "result.h"
#include "text.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <optional>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

std::vector<double> numbers(const nlohmann::json& array) {
  std::vector<double> values;
  for (const auto& v : array)
    values.push_back(v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN());
  return values;
}

// The last non-empty line of a program's stderr: usually its error message.
std::string last_line(const std::string& text) {
  std::string line;
  std::size_t end = text.find_last_not_of(" \n\r\t");
  if (end == std::string::npos) return "";
  std::size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  line = text.substr(begin, end - begin + 1);
  return line.size() > 300 ? line.substr(0, 300) + "…" : line;
}

// Why a run of the experiment ended without its output, in one line.
std::string describe_failure(const ProcessResult& p, const Experiment& e, const Limits& limits) {
  if (!p.started) return "the experiment could not be started: " + last_line(p.err);
  if (p.cpu_exceeded()) return fmt::format("the experiment used more than its {:g} s of CPU time", e.cpu_seconds);
  if (p.timed_out)
    return fmt::format("the experiment did not finish within {:g} s of wall-clock time (waiting for something?)",
                       wall_backstop(e.cpu_seconds));
  if (p.output_exceeded) return fmt::format("the experiment printed more than {} KB", limits.output_kb);
  if (mentions_out_of_memory(p.err))
    return fmt::format("the experiment ran out of memory (limit {} MB)", limits.memory_mb);
  if (p.signal != 0)
    return fmt::format("the experiment crashed with {}: {}", signal_name(p.signal), signal_explanation(p.signal));
  const std::string why = last_line(p.err);
  if (why.find("not implemented: lab") != std::string::npos) return fmt::format("not started ({})", why);
  return fmt::format("the experiment failed (exit code {}){}", p.exit_code, why.empty() ? "" : ": " + why);
}

// One run of an experiment program in the sandbox (the source tree and the program
// read-only); its --out file is written into the run's scratch folder and copied to
// \p out afterwards, when it is a regular file.
ProcessResult run_sandboxed(const Manifest& m, const fs::path& program, std::vector<std::string> args,
                            const ProcessLimits& limits, const fs::path& out) {
  const Scratch scratch;
  const fs::path inside = scratch.path() / "out.json";
  for (std::string& a : args)
    if (a == "@OUT") a = inside.string();
  args.insert(args.begin(), program.string());
  const ProcessRequest request{args, {}, limits, false, SandboxSpec{scratch.path(), m.dir.parent_path().parent_path(),
                                                                    {fs::absolute(program)}, {program.parent_path().parent_path()}}};
  const ProcessResult p = run_process(request);
  std::error_code ec;
  if (!out.empty() && fs::is_regular_file(fs::symlink_status(inside, ec))) write_file_atomically(out, read_text(inside));
  return p;
}

}  // namespace

std::string experiment_problem(const Manifest& m, const Experiment& e, const ExperimentRun& run) {
  constexpr std::size_t kMaxPoints = 1000000;
  for (const auto& [name, series] : run.series) {
    if (series.x.size() != series.y.size())
      return fmt::format("series \"{}\" has {} x values but {} y values", name, series.x.size(), series.y.size());
    if (series.x.size() > kMaxPoints)
      return fmt::format("series \"{}\" has {} points (at most {})", name, series.x.size(), kMaxPoints);
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      // NaN (a JSON null) is a gap in a curve; an infinity or a value outside the
      // manifest's range is not something the experiment can have measured.
      if (std::isinf(series.x[i]) || std::isinf(series.y[i]))
        return fmt::format("series \"{}\" holds an infinite value at point {}", name, i);
      if (!std::isnan(series.y[i]) && (series.y[i] < e.y_min || series.y[i] > e.y_max))
        return fmt::format("series \"{}\" has y = {:g} at point {}, outside the range [{:g}, {:g}] of lab.toml",
                           name, series.y[i], i, e.y_min, e.y_max);
    }
  }
  // Every series a plot draws from this experiment, unless a part that failed explains
  // why it is missing.
  if (run.failed_parts.empty())
    for (const Plot& plot : m.plots) {
      if (plot.experiment != e.name) continue;
      std::vector<std::string> wanted = plot.series;
      if (run.variant == "reference") wanted.insert(wanted.end(), plot.reference_only.begin(), plot.reference_only.end());
      for (const std::string& name : wanted)
        if (!run.series.contains(name))
          return fmt::format("it wrote no series \"{}\", which the plot {} draws", name, plot.name);
    }
  return "";
}

const Series* ExperimentRun::find(const std::string& name) const {
  const auto it = series.find(name);
  return it == series.end() ? nullptr : &it->second;
}

bool load_experiment_json(const std::string& text, ExperimentRun& run) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("series") || !doc["series"].is_object()) {
    run.problem = "the experiment's output is not the expected JSON ({\"series\": {...}})";
    return false;
  }
  try {
    for (const auto& [name, s] : doc["series"].items()) {
      Series series{numbers(s.at("x")), numbers(s.at("y"))};
      if (series.x.size() != series.y.size()) {
        run.problem = fmt::format("series \"{}\" has {} x values but {} y values", name, series.x.size(), series.y.size());
        return false;
      }
      run.series[name] = std::move(series);
    }
    if (doc.contains("scalars") && doc["scalars"].is_object())
      for (const auto& [name, v] : doc["scalars"].items())
        run.scalars[name] = v.is_number() ? v.get<double>() : std::numeric_limits<double>::quiet_NaN();
    if (doc.contains("failed_parts"))
      for (const auto& f : doc.at("failed_parts"))
        run.failed_parts.push_back({f.at("part").get<std::string>(), f.at("error").get<std::string>()});
  } catch (const nlohmann::json::exception& e) {
    run.problem = fmt::format("the experiment's JSON is malformed: {}", e.what());
    return false;
  }
  return true;
}

namespace {

// An experiment whose output fails experiment_problem counts as not run.
void reject_if_invalid(const Manifest& m, const Experiment& e, ExperimentRun& run) {
  const std::string problem = experiment_problem(m, e, run);
  if (problem.empty()) return;
  run.ok = false;
  run.problem = "the experiment's output is not valid: " + problem;
  run.series.clear();
  run.scalars.clear();
}

}  // namespace

ExperimentRun run_experiment(const Manifest& m, const Experiment& e, const std::string& variant,
                             const fs::path& bin_dir, const fs::path& out_dir) {
  ExperimentRun run;
  run.variant = variant;
  run.json = out_dir / fmt::format("{}.{}.json", e.name, variant);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  fs::remove(run.json, ec);  // never read a previous run's output

  const fs::path program = bin_dir / fmt::format("lab{}_experiment_{}", m.id, variant);
  if (!fs::exists(program)) {
    run.problem = fmt::format("{} does not exist (was the lab built?)", program.string());
    return run;
  }
  const ProcessLimits limits{e.cpu_seconds, wall_backstop(e.cpu_seconds), m.limits.memory_mb, m.limits.output_kb};
  const ProcessResult p = run_sandboxed(m, program, {"--out", "@OUT"}, limits, run.json);
  run.cpu_seconds = p.cpu_seconds;
  if (p.ok()) {
    if (!fs::is_regular_file(run.json)) run.problem = "the experiment did not write its --out file";
    else run.ok = load_experiment_json(read_text(run.json), run);
    if (run.ok) reject_if_invalid(m, e, run);
    return run;
  }
  run.problem = describe_failure(p, e, m.limits);
  // A crash takes every part down with it: run each part alone, so that only the
  // parts that crash lose their series. (A timeout is not retried part by part:
  // it would cost the limit once per part.)
  if (p.signal == 0 || p.timed_out || p.cpu_exceeded() || p.output_exceeded) return run;
  const ProcessResult listing = run_sandboxed(m, program, {"--list-parts"}, {10, 60, m.limits.memory_mb, 64}, {});
  std::vector<std::string> parts;
  if (listing.ok())
    for (const std::string& line : lines_of(listing.out))
      if (!line.empty()) parts.push_back(line);
  if (parts.size() < 2) return run;
  ExperimentRun merged = run;
  merged.problem.clear();
  for (const std::string& part : parts) {
    const fs::path json = out_dir / fmt::format("{}.{}.part.json", e.name, variant);
    fs::remove(json, ec);
    const ProcessResult q = run_sandboxed(m, program, {"--part", part, "--out", "@OUT"}, limits, json);
    merged.cpu_seconds += q.cpu_seconds;
    ExperimentRun piece;
    if (q.ok() && fs::is_regular_file(json) && load_experiment_json(read_text(json), piece)) {
      merged.series.merge(piece.series);
      merged.scalars.merge(piece.scalars);
      merged.failed_parts.insert(merged.failed_parts.end(), piece.failed_parts.begin(), piece.failed_parts.end());
    } else {
      merged.failed_parts.push_back({part, q.ok() ? "wrote no readable output" : describe_failure(q, e, m.limits)});
    }
    fs::remove(json, ec);
  }
  merged.ok = true;
  reject_if_invalid(m, e, merged);
  return merged;
}

namespace {

// The reference's run of \p e as stored in \p file (a cache entry or shipped data),
// copied beside the student's; nullopt when the file is missing or incomplete.
std::optional<ExperimentRun> stored_reference_run(const fs::path& file, const Experiment& e, const fs::path& out_dir) {
  const std::string text = read_text(file);
  if (text.empty()) return std::nullopt;
  ExperimentRun run;
  run.variant = "reference";
  run.cached = true;
  run.json = out_dir / fmt::format("{}.reference.json", e.name);
  if (!load_experiment_json(text, run) || !run.failed_parts.empty()) return std::nullopt;
  run.ok = true;
  write_file_atomically(run.json, text);  // beside the student's, for a student who wants to look
  return run;
}

}  // namespace

ExperimentRun reference_experiment(const Manifest& m, const Experiment& e, const fs::path& bin_dir,
                                   const fs::path& out_dir, const fs::path& cache_dir) {
  // A student edition ships the reference's results as data (grader release).
  const fs::path shipped = m.dir.parent_path().parent_path() / "reference-series" / m.slug / (e.name + ".json");
  if (auto run = stored_reference_run(shipped, e, out_dir)) return *run;
  const fs::path program = bin_dir / fmt::format("lab{}_experiment_reference", m.id);
  const std::string hash = hash_file(program);
  if (hash.empty()) return run_experiment(m, e, "reference", bin_dir, out_dir);  // reports the missing program
  const fs::path cached = cache_dir / m.slug / fmt::format("{}-{}.json", e.name, hash);
  if (auto run = stored_reference_run(cached, e, out_dir)) return *run;
  ExperimentRun run = run_experiment(m, e, "reference", bin_dir, out_dir);
  if (run.ok && run.failed_parts.empty()) {
    // Only this reference's entry is kept: older builds' entries would only grow the folder.
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(cached.parent_path(), ec))
      if (entry.path().filename().string().starts_with(e.name + "-")) fs::remove(entry.path(), ec);
    write_file_atomically(cached, read_text(run.json));
  }
  return run;
}

}  // namespace gradlab::grader
