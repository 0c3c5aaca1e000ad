// Unit tests of the grader's parts: reading GoogleTest's output, compiler errors,
// and the sandboxed runner's limits.
#include "build.h"
#include "gtest_report.h"
#include "process.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <signal.h>

using namespace gradlab::grader;

TEST(GtestReport, ListingWithParametersAndTypes) {
  const std::string listing =
      "Basics.\n  Passes\n  Fails\nSizes/Gemm.\n  Matches/0  # GetParam() = 3\n  Matches/1  # GetParam() = 7\n"
      "Typed/0.  # TypeParam = int\n  Works\n";
  EXPECT_EQ(parse_test_list(listing), (std::vector<std::string>{"Basics.Passes", "Basics.Fails", "Sizes/Gemm.Matches/0",
                                                                "Sizes/Gemm.Matches/1", "Typed/0.Works"}));
}

TEST(GtestReport, TestInProgressIsTheLastUnfinishedRun) {
  const std::string console =
      "[ RUN      ] A.One\n[       OK ] A.One (0 ms)\n[ RUN      ] A.Two\n[  FAILED  ] A.Two (1 ms)\n"
      "[ RUN      ] A.Three\nsome output\n";
  EXPECT_EQ(test_in_progress(console), "A.Three");
  EXPECT_EQ(test_in_progress("[ RUN      ] A.One\n[       OK ] A.One (0 ms)\n"), std::nullopt);
}

TEST(GtestReport, FailureClassification) {
  EXPECT_EQ(classify_failure("C++ exception with description \"not implemented: lab 01: add_backward\" thrown in the test body."),
            TestStatus::NotStarted);
  EXPECT_EQ(classify_failure("C++ exception with description \"std::bad_alloc\" thrown in the test body."),
            TestStatus::OutOfMemory);
  EXPECT_EQ(classify_failure("x.cpp:3\nExpected equality"), TestStatus::Fail);
}

TEST(GtestReport, JsonReport) {
  const std::string report = R"({"testsuites": [{"name": "A", "testsuite": [
      {"name": "Ok", "status": "RUN", "result": "COMPLETED"},
      {"name": "Bad", "status": "RUN", "result": "COMPLETED", "failures": [{"failure": "/long/path/to/a_test.cpp:12\nExpected: 1\n  Actual: 2", "type": ""}]},
      {"name": "Skip", "status": "RUN", "result": "SKIPPED"},
      {"name": "Filtered", "status": "NOTRUN", "result": "SUPPRESSED"}]}]})";
  const auto cases = parse_gtest_json(report);
  ASSERT_TRUE(cases);
  ASSERT_EQ(cases->size(), 3u);
  EXPECT_EQ((*cases)[0].status, TestStatus::Pass);
  EXPECT_EQ((*cases)[1].status, TestStatus::Fail);
  EXPECT_EQ((*cases)[1].message, "a_test.cpp:12\nExpected: 1\n  Actual: 2");
  EXPECT_EQ((*cases)[2].status, TestStatus::Skipped);
  EXPECT_FALSE(parse_gtest_json("{\"testsuites\": [{\"na"));
}

TEST(CompileErrors, FirstErrorWithContextRelativeToTheSource) {
  const std::string output =
      "[1/3] Building CXX object CMakeFiles/lab01_student.dir/labs/01_backprop/backprop.cpp.o\n"
      "FAILED: CMakeFiles/lab01_student.dir/labs/01_backprop/backprop.cpp.o\n"
      "/usr/bin/c++ -O3 -c /repo/labs/01_backprop/backprop.cpp\n"
      "/repo/labs/01_backprop/backprop.cpp: In function 'void f()':\n"
      "/repo/labs/01_backprop/backprop.cpp:42:7: error: 'dxx' was not declared in this scope; did you mean 'dx'?\n"
      "   42 |   dxx += g;\n"
      "      |   ^~~\n"
      "/repo/labs/01_backprop/backprop.cpp:50:3: error: expected ';' before '}' token\n"
      "ninja: build stopped: subcommand failed.\n";
  const auto error = parse_compile_error(output, "/repo");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->file, "labs/01_backprop/backprop.cpp");
  EXPECT_EQ(error->line, 42);
  EXPECT_EQ(error->column, 7);
  EXPECT_EQ(error->message, "'dxx' was not declared in this scope; did you mean 'dx'?");
  EXPECT_EQ(error->context, "   42 |   dxx += g;\n      |   ^~~\n");
}

TEST(CompileErrors, LinkerError) {
  const auto error = parse_compile_error(
      "/usr/bin/ld: backprop.cpp.o: in function `f':\nbackprop.cpp:(.text+0x1a): undefined reference to `g()'\n"
      "collect2: error: ld returned 1 exit status\n",
      "/repo");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "undefined reference to `g()'");
}

TEST(Process, WallClockLimitKillsTheWholeGroup) {
  ProcessRequest request;
  request.argv = {"sh", "-c", "sleep 100 & sleep 100; echo never"};
  request.limits.wall_seconds = 0.5;
  const ProcessResult p = run_process(request);
  EXPECT_TRUE(p.timed_out);
  EXPECT_LT(p.wall_seconds, 3.0);
  EXPECT_EQ(p.out, "");
}

// The bench's way: the child writes to our own stdout (here a file), with the limits.
TEST(Process, PassThroughOutputGoesToOurStdoutUnderTheSameLimits) {
  const std::string file = std::string(GRADER_SCRATCH) + "/pass_through.txt";
  std::filesystem::create_directories(GRADER_SCRATCH);
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  FILE* out = std::fopen(file.c_str(), "w");
  ::dup2(::fileno(out), STDOUT_FILENO);
  ProcessRequest request;
  request.argv = {"sh", "-c", "echo through; sleep 100"};
  request.limits.wall_seconds = 0.5;
  request.pass_through_output = true;
  const ProcessResult p = run_process(request);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  std::fclose(out);
  EXPECT_TRUE(p.timed_out);
  EXPECT_LT(p.wall_seconds, 3.0);
  EXPECT_EQ(p.out, "");
  EXPECT_EQ(gradlab::grader::read_text(file), "through\n");
}

TEST(Process, OutputLimit) {
  ProcessRequest request;
  request.argv = {"sh", "-c", "yes"};
  request.limits.output_kb = 16;
  request.limits.wall_seconds = 10;
  const ProcessResult p = run_process(request);
  EXPECT_TRUE(p.output_exceeded);
  EXPECT_EQ(p.out.size(), 16u * 1024);
}

TEST(Process, ExitCodeSignalAndMissingProgram) {
  ProcessRequest request;
  request.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  ProcessResult p = run_process(request);
  EXPECT_EQ(p.exit_code, 3);
  EXPECT_EQ(p.out, "out\n");
  EXPECT_EQ(p.err, "err\n");
  request.argv = {"sh", "-c", "kill -SEGV $$"};
  p = run_process(request);
  EXPECT_EQ(p.signal, SIGSEGV);
  EXPECT_EQ(signal_name(p.signal), "SIGSEGV");
  request.argv = {"/nonexistent/program"};
  p = run_process(request);
  EXPECT_FALSE(p.started);
}

TEST(Process, CpuLimit) {
  ProcessRequest request;
  request.argv = {"sh", "-c", "while :; do :; done"};
  request.limits.cpu_seconds = 1;
  request.limits.wall_seconds = 10;
  const ProcessResult p = run_process(request);
  EXPECT_TRUE(p.cpu_exceeded());
  EXPECT_FALSE(p.timed_out);
}

// ---------------------------------------------------------------- results and renderers

#include "renderers.h"
#include "result.h"
#include "working_build.h"

#include <nlohmann/json.hpp>

// A result.json written before the format had a version (format 1) still reads:
// the status table must not lose a student's last check after an update.
TEST(ResultFormat, Format1ResultsStillRead) {
  const auto v1 = nlohmann::json::parse(R"({"lab": "02", "slug": "02_activations", "title": "Activations",
    "variant": "student", "status": "correct but slow", "score": 60, "max": 100, "plots_checked": true,
    "tests": [{"group": "g", "name": "A.B", "status": "PASS", "message": ""}],
    "groups": [{"name": "g", "points": 60, "passed": 1, "total": 1, "score": 60}],
    "plots": [], "files": [{"path": "a.cpp", "hash": "0123456789abcdef"}],
    "checked_at": "2026-11-21T08:13:02Z", "compile_error": null})");
  const LabResult r = lab_result_from_json(v1);
  EXPECT_EQ(r.status, LabStatus::CorrectButSlow);
  EXPECT_FALSE(r.groups.at(0).hidden);
  EXPECT_EQ(r.groups.at(0).visibility, Visibility::Visible);
  EXPECT_FALSE(r.bench.has_value());
  // Written again, it is format 2 and reads back the same.
  const nlohmann::json v2 = to_json(r);
  EXPECT_EQ(v2.at("format"), kResultFormat);
  EXPECT_EQ(lab_result_from_json(v2).status, LabStatus::CorrectButSlow);
  // A result from a newer grader is refused (the status table then asks to check again).
  nlohmann::json newer = v2;
  newer["format"] = kResultFormat + 1;
  EXPECT_THROW(lab_result_from_json(newer), std::invalid_argument);
}

namespace {

LabResult rendered_result() {
  LabResult r;
  r.lab = "10";
  r.title = "GEMM";
  r.status = LabStatus::Failing;
  r.tests = {{"edges", "Edges.Odd", TestStatus::Pass, ""},
             {"edges", "Edges.Prime", TestStatus::Fail, "expected 3 <but> got 4 & \"more\""},
             {"edges", "Edges.Crash", TestStatus::Crashed, "crashed with SIGSEGV"},
             {"hidden", "Hidden.Shapes", TestStatus::NotStarted, "not implemented: lab 10: gemm"}};
  r.groups = {{"edges", 30, 1, 3, 10, false, Visibility::Visible}, {"hidden", 10, 0, 1, 0, true, Visibility::AfterDueDate}};
  r.bench = BenchFigures{true, true, 12.5, 40, 0.8, 21.25, ""};
  r.score = 22.5;
  r.max = 80;
  r.timings.total = 3.2;
  return r;
}

}  // namespace

TEST(Renderers, JunitMarksEachKindOfEndingAndEscapes) {
  const std::string xml = junit_xml({rendered_result()});
  EXPECT_NE(xml.find("<testsuite name=\"lab10 GEMM\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"lab10.edges\" name=\"Edges.Odd\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"expected 3 &lt;but&gt; got 4 &amp; &quot;more&quot;\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error message=\"crashed with SIGSEGV\" type=\"CRASHED\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"not implemented: lab 10: gemm\""), std::string::npos) << xml;
  EXPECT_EQ(xml_escape(std::string("a\x01" "b\tc")), "ab\tc");
}

TEST(Renderers, GradescopeHasAGroupPerTestTheBenchAndALeaderboard) {
  const nlohmann::json j = gradescope_results({rendered_result()}, {"note\n"});
  EXPECT_DOUBLE_EQ(j.at("score").get<double>(), 22.5);
  EXPECT_EQ(j.at("execution_time"), 4);
  EXPECT_NE(j.at("output").get<std::string>().find("note"), std::string::npos);
  ASSERT_EQ(j.at("tests").size(), 3u);  // two groups and the bench
  const nlohmann::json& edges = j["tests"][0];
  EXPECT_EQ(edges.at("name"), "lab 10 · edges");
  EXPECT_DOUBLE_EQ(edges.at("max_score").get<double>(), 30);
  EXPECT_EQ(edges.at("status"), "failed");
  EXPECT_EQ(edges.at("visibility"), "visible");
  EXPECT_NE(edges.at("output").get<std::string>().find("CRASHED  Edges.Crash"), std::string::npos);
  EXPECT_EQ(j["tests"][1].at("visibility"), "after_due_date");
  EXPECT_EQ(j["tests"][2].at("name"), "lab 10 · performance");
  ASSERT_EQ(j.at("leaderboard").size(), 1u);
  EXPECT_EQ(j["leaderboard"][0].at("name"), "lab 10 GFLOP/s");
  EXPECT_DOUBLE_EQ(j["leaderboard"][0].at("value").get<double>(), 21.25);
  EXPECT_EQ(j["leaderboard"][0].at("order"), "desc");
}

TEST(WorkingBuild, ReplaceAllReplacesEveryOccurrenceOnce) {
  EXPECT_EQ(replace_all("a/x a/y", "a/", "b/a/"), "b/a/x b/a/y");
  EXPECT_EQ(replace_all("abc", "", "z"), "abc");
}

// GoogleTest escapes each byte of a UTF-8 message on its own: the report's "σ ℓ"
// must read back as "σ ℓ", not "Ï\u0083 â\u0084\u0093".
TEST(GtestReport, Utf8MessagesSurviveTheJsonReport) {
  const std::string report = R"({"testsuites": [{"name": "U", "testsuite": [{"name": "Msg", "status": "RUN",
    "result": "COMPLETED", "failures": [{"failure": "u.cpp:2\np\u00CC\u0084 \u00CF\u0083 \u00E2\u0084\u0093", "type": ""}]}]}]})";
  const auto cases = parse_gtest_json(report);
  ASSERT_TRUE(cases.has_value());
  EXPECT_NE(cases->front().message.find("p̄ σ ℓ"), std::string::npos) << cases->front().message;
  EXPECT_EQ(undo_byte_escapes("already σ"), "already σ");
}
