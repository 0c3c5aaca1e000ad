// Running one [[tests]] group of a lab: one child process for the whole group, and
// when that process dies (crash, hang, memory, output), one process per test so that
// the blame lands on the right test and the others are still graded.
#pragma once

#include "manifest.h"
#include "process.h"
#include "result.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gradlab::grader {

/// \brief Runs the tests of \p group from \p program (a GoogleTest executable) under
/// \p limits, with GoogleTest's JSON report written into \p scratch_dir.
///
/// Returns one TestResult per test of the group, in the order GoogleTest ran them.
/// A filter that matches no test gives one FAIL entry saying so.
std::vector<TestResult> run_test_group(const TestGroup& group, const Limits& limits,
                                       const std::filesystem::path& program,
                                       const std::filesystem::path& scratch_dir);

/// \brief The status and message of a test whose process did not end with a report:
/// TIMED OUT, OUT OF MEMORY, TOO MUCH OUTPUT or CRASHED (with the signal's name).
std::pair<TestStatus, std::string> outcome_status(const ProcessResult& p, const Limits& limits);

}  // namespace gradlab::grader
