#include "bench_command.h"

#include "build.h"
#include "console.h"
#include "errors.h"
#include "inspect.h"
#include "process.h"
#include "result.h"
#include "sandbox.h"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

bool finite_positive(const nlohmann::json& v) {
  return v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() > 0;
}

}  // namespace

BenchOutcome bench_outcome_from_json(const nlohmann::json& doc, const Manifest& m, bool reference) {
  BenchOutcome outcome;
  outcome.max = m.bench_points;
  const auto invalid = [&](const std::string& why) {
    BenchOutcome bad;
    bad.max = m.bench_points;
    bad.message = "the bench's figures are not valid (" + why + "): no performance points";
    return bad;
  };
  if (!doc.is_object() || !doc.contains("shapes") || !doc["shapes"].is_array() || doc["shapes"].empty())
    return invalid("no \"shapes\" list");
  const int threads = doc.value("threads", 1);
  if (threads < 1 || threads > 1024) return invalid(fmt::format("threads = {}", threads));
  const std::string timed = reference ? "reference" : "student";
  // A kernel the bench found wrong earns nothing, whatever its figures: say why first.
  const bool all_right = doc.value("student_correct", false) == true &&
                         std::all_of(doc["shapes"].begin(), doc["shapes"].end(), [](const nlohmann::json& s) {
                           return s.is_object() && s.value("student_correct", false) == true;
                         });
  if (!reference && !all_right) {
    outcome.ran = true;
    const auto failure = doc.value("first_failure", nlohmann::json());
    outcome.message = failure.is_string() ? failure.get<std::string>() : "a product of your kernel is wrong";
    return outcome;
  }
  std::vector<double> ratios, gflops;
  bool correct = true;
  for (const nlohmann::json& shape : doc["shapes"]) {
    const std::string label = shape.is_object() ? shape.value("label", std::string("?")) : std::string("?");
    if (!shape.is_object() || !finite_positive(shape.value("flops", nlohmann::json())))
      return invalid(fmt::format("shape {}: no positive flops", label));
    const double flops = shape["flops"].get<double>();
    // GFLOP/s from the seconds per product (and the stated GFLOP/s must agree with them).
    const auto rate = [&](const std::string& who) -> std::optional<double> {
      if (!shape.contains(who) || !shape[who].is_object()) return std::nullopt;
      const nlohmann::json& t = shape[who];
      if (!finite_positive(t.value("seconds", nlohmann::json())) || !finite_positive(t.value("gflops", nlohmann::json())))
        return std::nullopt;
      const double g = flops / t["seconds"].get<double>() * 1e-9;
      if (std::abs(g - t["gflops"].get<double>()) > 1e-6 * g) return std::nullopt;
      return g;
    };
    const std::optional<double> mine = rate(timed), yardstick = rate("reference");
    if (!mine || !yardstick) return invalid(fmt::format("shape {}: missing, non-finite or inconsistent timings", label));
    if (*mine > kMaxGflopsPerThread * threads)
      return invalid(fmt::format("shape {}: {:.0f} GFLOP/s on {} thread(s) is beyond any CPU", label, *mine, threads));
    const double ratio = *mine / *yardstick;
    if (ratio > kMaxSpeedRatio)
      return invalid(fmt::format("shape {}: {:.1f} times the reference's speed is not plausible", label, ratio));
    if (!reference && shape.value("student_correct", false) != true) correct = false;
    ratios.push_back(ratio);
    gflops.push_back(*mine);
  }
  const auto geomean = [](const std::vector<double>& v) {
    double sum = 0;
    for (double x : v) sum += std::log(x);
    return std::exp(sum / static_cast<double>(v.size()));
  };
  outcome.ran = true;
  outcome.correct = reference || (correct && doc.value("student_correct", false) == true);
  outcome.ratio = reference ? 1.0 : geomean(ratios);
  outcome.gflops = geomean(gflops);
  if (reference) {
    // The reference is the yardstick of the score: by definition it runs at 1.0x itself.
    outcome.score = m.bench_points;
    outcome.targets_met = doc.value("targets_met", -1);
    outcome.targets_total = doc.value("targets_total", 0);
  } else if (outcome.correct) {
    const double span = m.bench_full_at - m.bench_zero_at;
    const double share = span <= 0 ? (outcome.ratio >= m.bench_full_at ? 1.0 : 0.0)
                                   : std::clamp((outcome.ratio - m.bench_zero_at) / span, 0.0, 1.0);
    outcome.score = m.bench_points * share;
  } else {
    outcome.message = doc.value("first_failure", std::string("a product of your kernel is wrong"));
  }
  return outcome;
}

nlohmann::json validated_bench_json(const BenchOutcome& o) {
  return {{"validated_by", "grader"}, {"ran", o.ran},       {"correct", o.correct}, {"score", o.score},
          {"max", o.max},             {"ratio", o.ratio},   {"gflops", o.gflops},   {"message", o.message}};
}

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
    // The bench's own compilation of the student's file (other macros: it could behave
    // differently there) passes the same static checks as the lab's (inspect.h).
    if (!request.reference) {
      const StaticPolicy policy = static_policy(m, request.source, request.build, {});
      for (const CompiledFile& file : lab_compiled_files(m, request.source, request.build, "student", true))
        if (const auto violation = check_compiled_file(file, policy, request.source)) {
          fmt::print("{}\n", paint("forbidden", Tone::Bad));
          outcome.message = violation->message;
          return outcome;
        }
    }
    fmt::print("{}\n", paint("ok", Tone::Good));
  }
  // The bench runs in the sandbox and writes its figures and plots into a fresh scratch
  // folder; the grader copies the plots out, reads the figures there, validates them
  // and writes its own bench.json into out_dir. Nothing the bench process wrote is
  // believed without checking (bench_outcome_from_json). It sees the build's bin/ (the
  // lab's experiments it trains with), not the rest of the build.
  const Scratch scratch;
  const fs::path json = scratch.path() / "bench.json";
  const fs::path plots = scratch.path();  // the sandbox's user owns it (a new folder would be the grader's)
  fs::remove(request.out_dir / "bench.json");
  const fs::path program = request.program.empty() ? request.build / "bin" / "gradlab-bench" : request.program;
  std::vector<std::string> argv{program.string(), "--lab", m.file.string(),
                                "--plots", plots.string(), "--json", json.string()};
  if (request.reference) argv.push_back("--no-student");
  argv.insert(argv.end(), request.extra_args.begin(), request.extra_args.end());

  // The bench prints its table as it measures: its output goes straight to the
  // terminal. Wall-clock limited (it times with the wall clock, on several threads),
  // and under the tests' memory limit.
  const ProcessLimits limits{0, m.bench_wall_seconds, m.limits.memory_mb, m.limits.output_kb};
  const ProcessRequest bench{argv, {}, limits, true,
                             SandboxSpec{scratch.path(), request.source, {fs::absolute(program), request.build / "bin"},
                                         {request.build}}};
  const ProcessResult p = run_process(bench);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(plots, ec))
    if (fs::is_regular_file(entry.symlink_status()) && entry.path() != json)
      write_file_atomically(request.out_dir / entry.path().filename(), read_text(entry.path()));
  if (p.timed_out || !fs::exists(json)) {
    outcome.message = p.timed_out ? "the benchmark hit its wall-clock limit" : "the benchmark did not finish (crash?)";
    fmt::print("  {}\n", paint(outcome.message, Tone::Bad));
    return outcome;
  }
  const auto doc = nlohmann::json::parse(read_text(json), nullptr, false);
  outcome = bench_outcome_from_json(doc, m, request.reference);
  if (!outcome.ran) fmt::print("  {}\n", paint(outcome.message, Tone::Bad));
  else {
    write_file_atomically(request.out_dir / "bench.json", validated_bench_json(outcome).dump(2) + "\n");
    fmt::print("  the figures, checked by the grader: {}\n", (request.out_dir / "bench.json").string());
  }
  return outcome;
}

}  // namespace gradlab::grader
