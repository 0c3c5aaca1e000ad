// Running one [[tests]] group of a lab: one sandboxed child process for the whole
// group, and when that process dies (crash, hang, memory, output) or reports anything
// but the trusted list of tests, one process per test so that the blame lands on the
// right test and the others are still graded.
//
// The list of a group's tests is trusted: it comes from --gtest_list_tests of an
// executable built without the student's code (the reference's), never from the
// child's own report. A listed test the child does not report is NOT RUN.
#pragma once

#include "gtest_report.h"
#include "manifest.h"
#include "process.h"
#include "result.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::grader {

/// \brief A GoogleTest executable to grade, and where its trusted test list comes from.
struct TestProgram {
  std::filesystem::path program;  ///< the graded variant's tests (the student's code)
  /// The same tests built without the student's code (the reference's executable): it
  /// lists the tests. Empty or missing (a student edition without the solutions): the
  /// program lists its own tests, in the sandbox.
  std::filesystem::path lister;
  std::filesystem::path source;  ///< the source tree, mounted read-only in the sandbox
  std::vector<std::filesystem::path> hidden;  ///< folders of it the sandbox hides (the build, the work dir)
  /// The trusted lists already read during this grading, by lister and filter.
  std::map<std::string, std::vector<std::string>>* cache = nullptr;
  /// Set to false when a run was not isolated (the sandbox's fallback).
  bool* isolated = nullptr;
};

/// \brief Runs the tests of \p group from \p t.program under \p limits, in the sandbox.
///
/// Returns one TestResult per test of the trusted list, in its order. A report that
/// names a test outside the list, or not every test of it, is rejected and each test
/// is run alone (--gtest_filter=its name); a test still unreported is NOT RUN. A filter
/// that matches no test gives one FAIL entry saying so.
std::vector<TestResult> run_test_group(const TestGroup& group, const Limits& limits, const TestProgram& t);

/// \brief The GoogleTest command line of a graded run: the filter, the JSON report,
/// and every flag that could change what runs set to its default.
std::vector<std::string> gtest_command(const std::filesystem::path& program, const std::string& filter,
                                       const std::filesystem::path& json);

/// \brief The tests of \p reported checked against \p trusted: in the trusted order when
/// the report names each trusted test exactly once and nothing else, else nullopt.
std::optional<std::vector<GtestCase>> match_trusted(const std::vector<GtestCase>& reported,
                                                    const std::vector<std::string>& trusted);

/// \brief The status and message of a test whose process did not end with a report:
/// TIMED OUT, OUT OF MEMORY, TOO MUCH OUTPUT or CRASHED (with the signal's name).
std::pair<TestStatus, std::string> outcome_status(const ProcessResult& p, const Limits& limits);

}  // namespace gradlab::grader
