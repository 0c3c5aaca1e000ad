// The student's loop around `check`: `hint` (hints in tiers for the first failing
// test), `reset` (back to the stub, keeping a backup) and `watch` (re-check on save).
#pragma once

#include "check.h"
#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>

namespace gradlab::grader {

/// \brief What `hint` was asked.
struct HintRequest {
  std::string lab;                  ///< lab id
  std::optional<std::string> which; ///< a group name or a test name; default: the first failing test
  bool all = false;                 ///< every tier at once
};

/// \brief `grader hint NN [GROUP|TEST] [--all]`: shows the next tier of the hints of
/// the group of the first failing test (from the last check), remembering in
/// results/NN_topic/hints.json how many tiers were shown. Returns the exit code.
int run_hint(const HintRequest& request, const std::filesystem::path& source);

/// \brief The [[tests]] group of \p m that \p name names: a group's name, or a test
/// (Suite.Test) that the group's gtest filter selects; nullptr when none does.
const TestGroup* find_group(const Manifest& m, const std::string& name);

/// \brief True when gtest filter \p filter ("A.*:B.*-A.Slow") selects test \p name.
bool gtest_filter_matches(const std::string& filter, const std::string& name);

/// \brief `grader reset NN [--yes]`: restores the lab's student files to the stub
/// after a confirmation, keeping the student's version in results/NN_topic/backups/.
int run_reset(const std::string& id, bool yes, const CheckOptions& options);

/// \brief `grader watch [NN]`: checks the lab (tests only; the plots too once every
/// test passes) each time one of its student files is saved; the lab being worked on
/// (the most recently edited) when \p id is empty. Runs until Ctrl-C.
int run_watch(const std::optional<std::string>& id, const CheckOptions& options);

}  // namespace gradlab::grader
