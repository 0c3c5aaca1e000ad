#include "runner.h"

#include "gtest_report.h"
#include "sandbox.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>

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

// The sandbox of one run of \p program: the source tree and the program read-only, a
// fresh scratch folder for the report.
SandboxSpec sandbox_of(const TestProgram& t, const fs::path& scratch) {
  return SandboxSpec{scratch, t.source, {fs::absolute(t.program)}, t.hidden};
}

void note_isolation(const TestProgram& t, const ProcessResult& p) {
  if (t.isolated != nullptr && !p.isolated) *t.isolated = false;
}

// The report GoogleTest wrote into the scratch folder: a regular file (not a link the
// child planted to make the grader read something else), parsed.
std::optional<std::vector<GtestCase>> read_report(const fs::path& json) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(json, ec))) return std::nullopt;
  return parse_gtest_json(read_text(json));
}

GtestRun run_gtest(const TestProgram& t, const std::string& filter, const Limits& limits) {
  const Scratch scratch;
  const fs::path json = scratch.path() / "report.json";
  ProcessRequest request;
  request.argv = gtest_command(t.program, filter, json);
  request.limits = process_limits(limits);
  request.sandbox = sandbox_of(t, scratch.path());
  GtestRun run{run_process(request), std::nullopt};
  note_isolation(t, run.process);
  // GoogleTest exits with 0 (all passed) or 1 (some failed) after writing its report.
  if (run.process.exited() && (run.process.exit_code == 0 || run.process.exit_code == 1)) run.cases = read_report(json);
  return run;
}

// The trusted list of the group's tests: the lister's --gtest_list_tests (once per
// grading), else the program's own in the sandbox. Nullopt when neither lists.
std::optional<std::vector<std::string>> trusted_list(const TestProgram& t, const std::string& filter,
                                                     const Limits& limits) {
  const bool trusted = !t.lister.empty() && fs::is_regular_file(t.lister);
  const std::string key = (trusted ? t.lister : t.program).string() + "\n" + filter;
  if (t.cache != nullptr)
    if (const auto it = t.cache->find(key); it != t.cache->end()) return it->second;
  const Scratch scratch;
  ProcessRequest list;
  list.argv = {(trusted ? t.lister : t.program).string(), "--gtest_list_tests", "--gtest_filter=" + filter};
  list.limits = process_limits(limits);
  if (!trusted) list.sandbox = sandbox_of(t, scratch.path());
  const ProcessResult listing = run_process(list);
  if (!trusted) note_isolation(t, listing);
  if (!listing.ok()) return std::nullopt;
  std::vector<std::string> names = parse_test_list(listing.out);
  if (t.cache != nullptr) (*t.cache)[key] = names;
  return names;
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

// One test alone: its own report's entry, NOT RUN when the report leaves it out (or
// names another test), or why its process ended without a report.
TestResult run_alone(const TestGroup& group, const std::string& name, const Limits& limits, const TestProgram& t) {
  const GtestRun alone = run_gtest(t, exact_filter(name), limits);
  if (alone.cases) {
    if (auto matched = match_trusted(*alone.cases, {name})) return to_result(group.name, matched->front(), limits);
    return {group.name, name, TestStatus::NotRun,
            fmt::format("run alone, the test's process reported {} test(s) but not this one: it did not run",
                        alone.cases->size())};
  }
  auto [status, message] = outcome_status(alone.process, limits);
  return {group.name, name, status, message};
}

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

std::vector<std::string> gtest_command(const fs::path& program, const std::string& filter, const fs::path& json) {
  return {program.string(),
          "--gtest_filter=" + filter,
          "--gtest_output=json:" + json.string(),
          "--gtest_color=no",
          "--gtest_repeat=1",
          "--gtest_shuffle=0",
          "--gtest_fail_fast=0",
          "--gtest_also_run_disabled_tests=0",
          "--gtest_break_on_failure=0",
          "--gtest_throw_on_failure=0",
          "--gtest_catch_exceptions=1",
          "--gtest_brief=0"};
}

std::optional<std::vector<GtestCase>> match_trusted(const std::vector<GtestCase>& reported,
                                                    const std::vector<std::string>& trusted) {
  if (reported.size() != trusted.size()) return std::nullopt;
  std::map<std::string, const GtestCase*> by_name;
  for (const GtestCase& c : reported)
    if (!by_name.emplace(c.name, &c).second) return std::nullopt;  // reported twice
  std::vector<GtestCase> ordered;
  for (const std::string& name : trusted) {
    const auto it = by_name.find(name);
    if (it == by_name.end()) return std::nullopt;
    ordered.push_back(*it->second);
  }
  return ordered;
}

std::vector<TestResult> run_test_group(const TestGroup& group, const Limits& limits, const TestProgram& t) {
  std::vector<TestResult> results;
  const std::optional<std::vector<std::string>> names = trusted_list(t, group.filter, limits);
  if (names && names->empty()) {
    results.push_back({group.name, group.name, TestStatus::Fail,
                       fmt::format("no test matches the filter \"{}\" (a mistake in lab.toml)", group.filter)});
    return results;
  }
  const GtestRun whole = run_gtest(t, group.filter, limits);
  if (names && whole.cases)
    if (auto matched = match_trusted(*whole.cases, *names)) {
      for (const GtestCase& c : *matched) results.push_back(to_result(group.name, c, limits));
      return results;
    }

  // The group's process died without a report, or its report does not match the
  // trusted list: blame the test that was running when it died, and run each of the
  // others alone.
  const std::optional<std::string> culprit =
      whole.cases ? std::nullopt : test_in_progress(whole.process.out);
  if (!names) {
    auto [status, message] = outcome_status(whole.process, limits);
    results.push_back({group.name, culprit.value_or(group.name), status, message});
    return results;
  }
  for (const std::string& name : *names) {
    if (culprit && name == *culprit) {
      auto [status, message] = outcome_status(whole.process, limits);
      results.push_back({group.name, name, status, message});
      continue;
    }
    results.push_back(run_alone(group, name, limits, t));
  }
  return results;
}

}  // namespace gradlab::grader
