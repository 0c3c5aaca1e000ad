#include "bench_command.h"

#include "build.h"
#include "console.h"
#include "errors.h"
#include "process.h"
#include "result.h"
#include "sandbox.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace fs = std::filesystem;

namespace gradlab::grader {

BenchOutcome run_bench(const Manifest& m, const BenchRequest& request) {
  BenchOutcome outcome;
  fmt::print("{}\n", paint(fmt::format("lab {} · timed part: {} against the reference and Eigen", m.id,
                                       request.reference ? "the reference" : "your kernel"),
                           Tone::Bold));
  fs::create_directories(request.out_dir);
  if (!request.no_build) {
    const std::vector<std::string> targets{"gradlab-bench", fmt::format("lab{}_experiment_student", m.id),
                                           fmt::format("lab{}_experiment_reference", m.id)};
    fmt::print("  building … ");
    std::fflush(stdout);
    if (const auto error = build_targets(request.build, request.source, targets, request.out_dir / "build-bench.log")) {
      fmt::print("{}\n", paint("failed", Tone::Bad));
      outcome.message = fmt::format("compile error: {}:{}: {}", error->file, error->line, error->message);
      return outcome;
    }
    fmt::print("{}\n", paint("ok", Tone::Good));
  }
  const fs::path json = request.out_dir / "bench.json";
  fs::remove(json);
  const fs::path program = request.program.empty() ? request.build / "bin" / "gradlab-bench" : request.program;
  // In the sandbox: its plots and JSON go to a scratch folder, copied out when it ends;
  // it sees the build's bin/ (the lab's experiments it trains with), not the rest.
  const Scratch scratch;
  std::vector<std::string> argv{program.string(), "--lab", m.file.string(), "--plots", scratch.path().string(),
                                "--json", (scratch.path() / "bench.json").string()};
  if (request.reference) argv.push_back("--no-student");
  argv.insert(argv.end(), request.extra_args.begin(), request.extra_args.end());

  // The bench prints its table as it measures: its output goes straight to the
  // terminal. Wall-clock limited (it times with the wall clock, on several threads).
  ProcessRequest bench{argv, {}, {0, m.bench_wall_seconds, 0, 0}, true,
                       SandboxSpec{scratch.path(), request.source, {fs::absolute(program), request.build / "bin"}, {request.build}}};
  const ProcessResult p = run_process(bench);
  for (const auto& entry : fs::directory_iterator(scratch.path()))
    if (fs::is_regular_file(entry.symlink_status()))
      write_file_atomically(request.out_dir / entry.path().filename(), read_text(entry.path()));
  const int code = p.exited() ? p.exit_code : -1;
  if (p.timed_out || !fs::exists(json)) {
    outcome.message = p.timed_out ? "the benchmark hit its wall-clock limit" : "the benchmark did not finish (crash?)";
    fmt::print("  {}\n", paint(outcome.message, Tone::Bad));
    return outcome;
  }
  const auto doc = nlohmann::json::parse(std::ifstream(json));
  outcome.ran = true;
  outcome.correct = doc.value("student_correct", code == 0);
  if (doc.contains("score")) {
    outcome.score = doc["score"].value("points", 0.0);
    outcome.max = doc["score"].value("max", 0.0);
  }
  outcome.ratio = doc.value("geomean_ratio_to_reference", 0.0);
  const auto geomean = doc.value("geomean_gflops", nlohmann::json::object());
  outcome.gflops = geomean.value(request.reference ? "reference" : "student", 0.0);
  if (request.reference) {
    // The reference is the yardstick of the score: by definition it runs at 1.0x itself.
    outcome.correct = true;
    outcome.ratio = 1.0;
    outcome.score = outcome.max = m.bench_points;
    outcome.targets_met = doc.value("targets_met", -1);
    outcome.targets_total = doc.value("targets_total", 0);
  }
  return outcome;
}

}  // namespace gradlab::grader
