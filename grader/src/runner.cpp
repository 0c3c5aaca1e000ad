#include "runner.h"

#include "gtest_report.h"

#include <fmt/core.h>

#include <algorithm>

namespace fs = std::filesystem;

namespace gradlab::grader {

namespace {

ProcessLimits process_limits(const Limits& limits) {
  return {limits.cpu_seconds, wall_backstop(limits.cpu_seconds), limits.memory_mb, limits.output_kb};
}

// The last lines of stderr that say something (an assertion, "terminate called …").
std::string last_lines(const std::string& text, std::size_t n) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(begin, end - begin);
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    begin = end + 1;
  }
  std::string out;
  for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) {
    out += '\n';
    out += lines[i].size() > 300 ? lines[i].substr(0, 300) + "…" : lines[i];
  }
  return out;
}

// One run of the program with a filter; the JSON report when it wrote a complete one.
struct GtestRun {
  ProcessResult process;
  std::optional<std::vector<GtestCase>> cases;
};

GtestRun run_gtest(const fs::path& program, const std::string& filter, const Limits& limits, const fs::path& json) {
  std::error_code ec;
  fs::remove(json, ec);
  ProcessRequest request;
  request.argv = {program.string(), "--gtest_filter=" + filter, "--gtest_output=json:" + json.string(),
                  "--gtest_color=no"};
  request.limits = process_limits(limits);
  GtestRun run{run_process(request), std::nullopt};
  // GoogleTest exits with 0 (all passed) or 1 (some failed) after writing its report.
  if (run.process.exited() && (run.process.exit_code == 0 || run.process.exit_code == 1) && fs::is_regular_file(json))
    run.cases = parse_gtest_json(read_text(json));
  fs::remove(json, ec);
  return run;
}

TestResult to_result(const std::string& group, const GtestCase& c, const Limits& limits) {
  TestResult t{group, c.name, c.status, c.message};
  if (t.status == TestStatus::OutOfMemory)
    t.message = fmt::format("ran out of memory (limit {} MB): a matrix far larger than intended, or memory "
                            "allocated in a loop?\n{}", limits.memory_mb, c.message);
  return t;
}

// A gtest filter that selects exactly one test (no wildcards in test names, but
// parameterized names contain '/', which is fine).
std::string exact_filter(const std::string& name) { return name; }

}  // namespace

std::pair<TestStatus, std::string> outcome_status(const ProcessResult& p, const Limits& limits) {
  if (!p.started) return {TestStatus::Crashed, "could not be started: " + last_lines(p.err, 1)};
  if (p.timed_out)
    return {TestStatus::TimedOut, fmt::format("did not finish within {} s (wall clock): an infinite loop, or waiting "
                                              "for something that never happens?", wall_backstop(limits.cpu_seconds))};
  if (p.cpu_exceeded())
    return {TestStatus::TimedOut, fmt::format("used more than {} s of CPU time: an infinite loop, or far too much "
                                              "work?", limits.cpu_seconds)};
  if (p.output_exceeded)
    return {TestStatus::TooMuchOutput,
            fmt::format("printed more than {} KB: a print inside a loop?", limits.output_kb)};
  // Under RLIMIT_AS an allocation fails: std::bad_alloc escaping (terminate, SIGABRT)
  // or a C library saying it cannot allocate.
  if (mentions_out_of_memory(p.err))
    return {TestStatus::OutOfMemory,
            fmt::format("ran out of memory (limit {} MB): a matrix far larger than intended, or memory "
                        "allocated in a loop?{}", limits.memory_mb, last_lines(p.err, 2))};
  if (p.signal != 0)
    return {TestStatus::Crashed, fmt::format("crashed with {}: {}{}", signal_name(p.signal),
                                             signal_explanation(p.signal), last_lines(p.err, 3))};
  return {TestStatus::Crashed,
          fmt::format("exited with code {} before the test finished{}", p.exit_code, last_lines(p.err, 3))};
}

std::vector<TestResult> run_test_group(const TestGroup& group, const Limits& limits, const fs::path& program,
                                       const fs::path& scratch_dir) {
  std::error_code ec;
  fs::create_directories(scratch_dir, ec);
  const fs::path json = scratch_dir / (group.name + ".json");
  std::vector<TestResult> results;

  const GtestRun whole = run_gtest(program, group.filter, limits, json);
  if (whole.cases) {
    for (const GtestCase& c : *whole.cases) results.push_back(to_result(group.name, c, limits));
    if (results.empty())
      results.push_back({group.name, group.name, TestStatus::Fail,
                         fmt::format("no test matches the filter \"{}\" (a mistake in lab.toml)", group.filter)});
    return results;
  }

  // The group's process died without a report. Find its tests, blame the one that was
  // running, and run each of the others alone.
  ProcessRequest list;
  list.argv = {program.string(), "--gtest_list_tests", "--gtest_filter=" + group.filter};
  list.limits = process_limits(limits);
  const ProcessResult listing = run_process(list);
  const std::vector<std::string> names = listing.ok() ? parse_test_list(listing.out) : std::vector<std::string>{};
  const std::optional<std::string> culprit = test_in_progress(whole.process.out);
  if (names.empty()) {
    auto [status, message] = outcome_status(whole.process, limits);
    results.push_back({group.name, culprit.value_or(group.name), status, message});
    return results;
  }
  for (const std::string& name : names) {
    if (culprit && name == *culprit) {
      auto [status, message] = outcome_status(whole.process, limits);
      results.push_back({group.name, name, status, message});
      continue;
    }
    const GtestRun alone = run_gtest(program, exact_filter(name), limits, json);
    if (alone.cases && alone.cases->size() == 1) {
      results.push_back(to_result(group.name, alone.cases->front(), limits));
    } else {
      auto [status, message] = outcome_status(alone.process, limits);
      results.push_back({group.name, name, status, message});
    }
  }
  return results;
}

}  // namespace gradlab::grader
