// The outcome of checking one lab, as the grader prints it, stores it
// (results/NN_topic/result.json, read back by the status table) and writes it for
// --json. One record, one JSON form.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief How one test ended. Every way of not passing has its own status.
enum class TestStatus { Pass, Fail, NotStarted, Crashed, TimedOut, OutOfMemory, TooMuchOutput, Skipped };

/// \brief "PASS", "FAIL", "NOT STARTED", "CRASHED", "TIMED OUT", "OUT OF MEMORY", …
std::string to_string(TestStatus status);
/// \brief The inverse of to_string; throws std::invalid_argument for anything else.
TestStatus test_status_from_string(const std::string& text);
/// \brief Pass and Skipped count as passed.
bool counts_as_passed(TestStatus status);

/// \brief One test of one group.
struct TestResult {
  std::string group;
  std::string name;  ///< Suite.Test
  TestStatus status = TestStatus::Fail;
  std::string message;  ///< the first failure message, trimmed; empty for PASS
};

/// \brief A group's share of the score: points × passed / total.
struct GroupScore {
  std::string name;
  double points = 0;
  int passed = 0;
  int total = 0;
  double score = 0;
};

/// \brief One plot's files and how far the student's series are from the reference.
struct PlotResult {
  std::string name;
  std::string svg, png, dat, script;  ///< absolute paths; svg/png empty when not rendered
  std::optional<double> deviation;    ///< largest relative deviation, when both series exist
  double match_points = 0;            ///< points at stake
  double earned = 0;                  ///< the share of match_points earned (per matching series)
  bool awarded = false;               ///< every series matches: all of match_points earned
  std::string note;                   ///< why there is no deviation, or what went wrong
};

/// \brief The first compiler error of a failed build.
struct CompileError {
  std::string file;  ///< as the compiler named it, relative to the repository when inside it
  int line = 0;
  int column = 0;
  std::string message;
  std::string context;  ///< the next few lines of the compiler's output
  std::string log;      ///< where the full build output was written
};

/// \brief The hash of a student file when it was checked.
struct FileStamp {
  std::string path;  ///< relative to the lab folder
  std::string hash;  ///< 16 hex digits (FNV-1a, 64 bits)
};

/// \brief Everything `grader check` found out about one lab.
struct LabResult {
  std::string lab;      ///< "01"
  std::string slug;     ///< "01_backprop"
  std::string title;
  std::string variant = "student";  ///< or "reference"
  std::string status;   ///< "passing", "correct but slow", "failing", "not started", "compile error"
  double score = 0;
  double max = 0;
  bool plots_checked = true;  ///< false with --no-plots: match points left out of score and max
  std::vector<TestResult> tests;
  std::vector<GroupScore> groups;
  std::vector<PlotResult> plots;
  std::optional<CompileError> compile_error;
  std::vector<FileStamp> files;
  std::string checked_at;  ///< ISO 8601, UTC

  /// \brief True when the work checked is fully correct (exit code 0).
  bool fully_correct() const { return status == "passing"; }
};

/// \brief A test's message as a student needs it: for NOT STARTED just
/// "not implemented: lab 01: f", otherwise the whole first failure message.
std::string short_message(const TestResult& t);

nlohmann::json to_json(const LabResult& result);
/// \brief Reads a result written by to_json; throws (nlohmann::json::exception or
/// std::invalid_argument) when it is malformed.
LabResult lab_result_from_json(const nlohmann::json& json);

/// \brief FNV-1a (64 bits) of a file's bytes as 16 hex digits; empty when unreadable.
std::string hash_file(const std::filesystem::path& file);

/// \brief Writes \p text to \p file through a temporary file and a rename, creating
/// the folder; what was there before survives any failure.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

/// \brief Reads a whole file (empty string when it cannot be read).
std::string read_text(const std::filesystem::path& file);

/// \brief The current time as ISO 8601 UTC, e.g. 2026-11-21T08:13:02Z.
std::string now_iso8601();

/// \brief The current time in UTC, formatted by strftime's \p format.
std::string now_utc(const char* format);

}  // namespace gradlab::grader
