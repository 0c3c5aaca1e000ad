// `grader` with no subcommand: every lab's status at a glance, without building
// anything. It reads the result of the last `grader check` (results/NN_topic/
// result.json), notices when a student file changed since, and tells an untouched
// stub ("not started") from work in progress by its NotImplemented markers.
#pragma once

#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <string>

namespace gradlab::grader {

/// \brief A lab's line in the status table.
struct StatusRow {
  std::string status;     ///< "passing", "correct but slow", "failing", "not started", "compile error",
                          ///< "in progress, not checked", "changed since the last check"
  std::string next;       ///< what to work on in this lab (the first failing group…), or empty
  double score = 0;       ///< of the last check (0 when none)
  double max = 0;         ///< the lab's total points
  bool checked = false;   ///< a result of a check exists
  bool stale = false;     ///< a student file changed since that check
};

/// \brief What to work on next in a checked lab: the first group with a failing test
/// ("smooth: 3 of 6 tests fail"), else the first plot that misses its points, else
/// the speed (lab 10); empty when the lab passes.
std::string next_in_lab(const LabResult& r);

/// \brief The status of lab \p m from its cached result and its student files.
StatusRow lab_status(const Manifest& m, const std::filesystem::path& source);

/// \brief True when every student file of \p m still holds every
/// `throw gradlab::NotImplemented(` that the stub generator put there (counted
/// from the solution's BEGIN SOLUTION regions); false when the stub has none or
/// the solutions are not available.
bool stub_untouched(const Manifest& m, const std::filesystem::path& source);

/// \brief Prints the status table, the overall progress and the next step; returns
/// the exit code (0 when every lab passes, else 1).
int run_status(const std::filesystem::path& source);

}  // namespace gradlab::grader
