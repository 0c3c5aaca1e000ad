// The outcome of checking one lab, as the grader prints it, stores it
// (results/NN_topic/result.json, read back by the status table) and writes it for
// --json. One record, one JSON form.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief How one test ended. Every way of not passing has its own status.
///
/// NotRun: a test of the trusted list (the reference binary's --gtest_list_tests) that
/// the submission's process did not report, even when run alone. Neither it nor
/// Skipped ever counts as passed.
enum class TestStatus { Pass, Fail, NotStarted, Crashed, TimedOut, OutOfMemory, TooMuchOutput, Skipped, NotRun };

/// \brief "PASS", "FAIL", "NOT STARTED", "CRASHED", "TIMED OUT", "OUT OF MEMORY", …
std::string to_string(TestStatus status);
/// \brief The inverse of to_string; throws std::invalid_argument for anything else.
TestStatus test_status_from_string(const std::string& text);
/// \brief Only Pass counts as passed (a skipped or unreported test earns nothing).
bool counts_as_passed(TestStatus status);

/// \brief One test of one group.
struct TestResult {
  std::string group;
  std::string name;  ///< Suite.Test
  TestStatus status = TestStatus::Fail;
  std::string message;  ///< the first failure message, trimmed; empty for PASS
};

/// \brief The state of a whole lab after grading. Every way of not being done has its
/// own value; ForbiddenCall and NotIsolated are set by the sandbox (issue 14).
enum class LabStatus { Passing, CorrectButSlow, Failing, NotStarted, CompileError, ForbiddenCall, NotIsolated };

/// \brief "passing", "correct but slow", "failing", "not started", "compile error",
/// "forbidden call", "not isolated": the words of the console and of result.json.
std::string to_string(LabStatus status);
/// \brief The inverse of to_string(LabStatus); throws std::invalid_argument otherwise.
LabStatus lab_status_from_string(const std::string& text);

/// \brief Who may see a test group's result on Gradescope (its own four values).
enum class Visibility { Visible, Hidden, AfterDueDate, AfterPublished };
/// \brief "visible", "hidden", "after_due_date", "after_published".
std::string to_string(Visibility visibility);
/// \brief The inverse of to_string(Visibility); throws std::invalid_argument otherwise.
Visibility visibility_from_string(const std::string& text);

/// \brief A group's share of the score: points × passed / total.
struct GroupScore {
  std::string name;
  double points = 0;
  int passed = 0;
  int total = 0;
  double score = 0;
  bool hidden = false;                          ///< a hidden group (instructor grading only)
  Visibility visibility = Visibility::Visible;  ///< for Gradescope
};

/// \brief The timed part's figures (lab 10), when it ran.
struct BenchFigures {
  bool ran = false;       ///< the bench finished and wrote its JSON
  bool correct = false;   ///< every product was right
  double score = 0;       ///< performance points earned
  double max = 0;         ///< performance points available
  double ratio = 0;       ///< geometric-mean speed relative to the reference
  double gflops = 0;      ///< geometric-mean GFLOP/s of the graded kernel (0 when unknown)
  std::string message;    ///< why it did not run, when it did not
};

/// \brief Wall-clock seconds of each stage of one grading.
struct Timings {
  double build = 0;
  double tests = 0;
  double experiments = 0;  ///< experiments and plots
  double bench = 0;
  double total = 0;
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
  /// A static check (inspect.h) rejected the compiled file: a forbidden #include, call,
  /// definition or global constructor. The lab's status is then ForbiddenCall.
  bool forbidden = false;
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
  LabStatus status = LabStatus::Failing;
  double score = 0;
  double max = 0;
  bool plots_checked = true;  ///< false with --no-plots: match points left out of score and max
  std::vector<TestResult> tests;
  std::vector<GroupScore> groups;
  std::vector<PlotResult> plots;
  std::optional<CompileError> compile_error;
  std::vector<FileStamp> files;
  std::string checked_at;  ///< ISO 8601, UTC
  bool hidden_checked = false;           ///< the hidden groups were run (instructor grading)
  std::optional<std::uint64_t> test_seed;  ///< GRADLAB_TEST_SEED of the hidden groups' run
  std::optional<BenchFigures> bench;     ///< the timed part, when it ran (lab 10)
  /// Every run of the submission's code went through the sandbox (sandbox.h); false in
  /// the rlimits-only fallback, which `autograde` and `report` refuse unless
  /// --allow-unisolated. Absent from older result.json files: read as true.
  bool isolated = true;
  Timings timings;

  /// \brief True when the work checked is fully correct (exit code 0).
  bool fully_correct() const { return status == LabStatus::Passing; }
};

/// \brief The version of result.json's format that to_json writes. 1: the first
/// (no "format" key); 2: typed lab status words unchanged, plus hidden groups,
/// visibility, bench figures and timings (all optional when reading).
inline constexpr int kResultFormat = 2;

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
