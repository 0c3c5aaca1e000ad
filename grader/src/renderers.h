// Renderers of graded labs other than the console: the grader's own JSON (--json),
// JUnit XML (--junit, for CI systems) and Gradescope's results.json (--gradescope and
// the autograder bundle's runner). Each is a pure function of the LabResults.
#pragma once

#include "result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief --json: one lab's to_json, or for several {"labs": […], "score", "max", "status"}.
nlohmann::json results_json(const std::vector<LabResult>& results);

/// \brief JUnit XML: a <testsuite> per lab, a <testcase> per test (classname
/// labNN.group), <failure> for a wrong answer, <error> for a crash, timeout or compile
/// error, <skipped> for NOT STARTED and SKIPPED.
std::string junit_xml(const std::vector<LabResult>& results);

/// \brief Extra context for Gradescope's results.json.
struct GradescopeContext {
  std::string output;  ///< text shown above the tests (appended to the summary)
};

/// \brief Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder
/// Specifications"): one test per test group (score, max_score, status, name, output,
/// visibility), one per scored plot and one for the bench; top-level score,
/// execution_time, output; lab 10's GFLOP/s as a leaderboard entry.
nlohmann::json gradescope_results(const std::vector<LabResult>& results, const GradescopeContext& context);

/// \brief A results.json for a submission that could not be graded at all (no files,
/// the grader failed): score 0 and \p message as the output.
nlohmann::json gradescope_failure(const std::string& message);

/// \brief \p text with &, <, >, " and ' escaped for XML, and the characters XML 1.0
/// forbids (control characters other than tab and newline) dropped.
std::string xml_escape(const std::string& text);

}  // namespace gradlab::grader
