#include "experiment.h"

#include "gtest_report.h"
#include "process.h"
#include "result.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

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

}  // namespace

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
  } catch (const nlohmann::json::exception& e) {
    run.problem = fmt::format("the experiment's JSON is malformed: {}", e.what());
    return false;
  }
  return true;
}

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
  ProcessRequest request;
  request.argv = {program.string(), "--out", run.json.string()};
  request.limits = {e.wall_seconds, e.wall_seconds, m.limits.memory_mb, m.limits.output_kb};
  const ProcessResult p = run_process(request);

  if (p.timed_out || p.cpu_exceeded()) {
    run.problem = fmt::format("the experiment did not finish within {} s", e.wall_seconds);
  } else if (p.output_exceeded) {
    run.problem = fmt::format("the experiment printed more than {} KB", m.limits.output_kb);
  } else if (p.signal != 0) {
    run.problem = mentions_out_of_memory(p.err)
                      ? fmt::format("the experiment ran out of memory (limit {} MB)", m.limits.memory_mb)
                      : fmt::format("the experiment crashed with {}: {}", signal_name(p.signal),
                                    signal_explanation(p.signal));
  } else if (p.exit_code != 0) {
    const std::string why = last_line(p.err);
    run.problem = why.find("not implemented: lab") != std::string::npos
                      ? fmt::format("not started ({})", why)
                      : fmt::format("the experiment failed (exit code {}){}", p.exit_code, why.empty() ? "" : ": " + why);
  } else if (!fs::is_regular_file(run.json)) {
    run.problem = "the experiment did not write its --out file";
  } else {
    run.ok = load_experiment_json(read_text(run.json), run);
  }
  return run;
}

}  // namespace gradlab::grader
