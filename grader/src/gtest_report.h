// Reading what a GoogleTest executable reports: its --gtest_output=json file, its
// --gtest_list_tests listing, and its console output when it died mid-run.
#pragma once

#include "result.h"

#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief One test as GoogleTest's JSON reports it.
struct GtestCase {
  std::string name;     ///< Suite.Test
  TestStatus status;    ///< Pass, Fail, NotStarted, OutOfMemory or Skipped
  std::string message;  ///< the first failure message, trimmed
};

/// \brief The tests in a --gtest_output=json report; nullopt when \p text is not one
/// (a truncated file from a process that died while writing it).
std::optional<std::vector<GtestCase>> parse_gtest_json(const std::string& text);

/// \brief A string from GoogleTest's JSON with its per-byte \u00XX escapes of UTF-8
/// put back together ("Ï\u0083" → "σ"); unchanged when it holds a character above U+00FF.
std::string undo_byte_escapes(const std::string& text);

/// \brief The status of a failed test from its first failure message:
/// NotStarted for gradlab::NotImplemented ("not implemented: lab"), OutOfMemory for
/// std::bad_alloc, Fail otherwise.
TestStatus classify_failure(const std::string& message);

/// \brief True when a crashed child's stderr says it ran out of memory.
bool mentions_out_of_memory(const std::string& text);

/// \brief The test names (Suite.Test) in the output of --gtest_list_tests.
std::vector<std::string> parse_test_list(const std::string& output);

/// \brief The test that was running when the process died: the last "[ RUN      ]"
/// line of its console output with no "[       OK ]" or "[  FAILED  ]" after it.
std::optional<std::string> test_in_progress(const std::string& console);

/// \brief A failure message made short enough to show: the file path reduced to its
/// name, at most \p max_lines lines and about 600 characters.
std::string trim_message(const std::string& message, std::size_t max_lines = 8);

}  // namespace gradlab::grader
