// The Gradescope autograder bundle, end to end: `grader gradescope` writes the zip, it
// is unpacked into a temporary folder laid out as Gradescope's /autograder, and its
// run_autograder grades several submissions of lab 01. For speed it grades with this
// repository's existing build (GRADLAB_AUTOGRADER_SOURCE / _BUILD point at it) instead
// of building the unpacked tree as setup.sh would. Every results.json is checked
// against Gradescope's specification (gradescope-autograders.readthedocs.io/en/latest/specs/).
#include "grader_testing.h"
#include "sandbox.h"

#include <functional>
#include <set>
#include <sys/stat.h>

using namespace gradlab::grader::testing;

namespace {

const fs::path kSource = GRADLAB_TEST_SOURCE_DIR;
const fs::path kBuild = GRADLAB_TEST_BINARY_DIR;
const fs::path kScratch = fs::path(GRADER_SCRATCH) / "gradescope";

bool is_number(const json& j) { return j.is_number(); }

// Every field Gradescope reads, with its type and allowed values; the score is the sum
// of the tests' scores and never above the sum of their max_score.
::testing::AssertionResult valid_results(const json& r) {
  const std::set<std::string> visibilities{"hidden", "after_due_date", "after_published", "visible"};
  const std::set<std::string> top_keys{"score", "execution_time", "output", "visibility", "stdout_visibility",
                                       "extra_data", "tests", "leaderboard", "output_format", "test_output_format",
                                       "test_name_format"};
  if (!r.is_object()) return ::testing::AssertionFailure() << "not a JSON object";
  for (const auto& [key, value] : r.items())
    if (!top_keys.contains(key)) return ::testing::AssertionFailure() << "unknown top-level key " << key;
  if (!r.contains("score") || !is_number(r["score"]) || r["score"].get<double>() < 0)
    return ::testing::AssertionFailure() << "score missing or not a number ≥ 0";
  if (r.contains("execution_time") && !r["execution_time"].is_number_integer())
    return ::testing::AssertionFailure() << "execution_time is not a whole number of seconds";
  if (r.contains("output") && !r["output"].is_string()) return ::testing::AssertionFailure() << "output not a string";
  if (r.contains("stdout_visibility") && !visibilities.contains(r["stdout_visibility"].get<std::string>()))
    return ::testing::AssertionFailure() << "stdout_visibility " << r["stdout_visibility"];
  if (!r.contains("tests") || !r["tests"].is_array()) return ::testing::AssertionFailure() << "tests is not an array";
  double sum = 0, max = 0;
  for (const json& t : r["tests"]) {
    for (const char* key : {"name", "output", "status", "visibility"})
      if (!t.contains(key) || !t[key].is_string()) return ::testing::AssertionFailure() << "a test's " << key << " is not a string: " << t.dump();
    for (const char* key : {"score", "max_score"})
      if (!t.contains(key) || !is_number(t[key])) return ::testing::AssertionFailure() << "a test's " << key << " is not a number: " << t.dump();
    const std::string status = t["status"];
    if (status != "passed" && status != "failed") return ::testing::AssertionFailure() << "status " << status;
    if (!visibilities.contains(t["visibility"].get<std::string>())) return ::testing::AssertionFailure() << "visibility " << t["visibility"];
    if (t["score"].get<double>() < 0 || t["score"].get<double>() > t["max_score"].get<double>() + 1e-9)
      return ::testing::AssertionFailure() << "score outside [0, max_score]: " << t.dump();
    sum += t["score"].get<double>();
    max += t["max_score"].get<double>();
  }
  if (std::abs(sum - r["score"].get<double>()) > 1e-6)
    return ::testing::AssertionFailure() << "score " << r["score"] << " is not the sum of the tests' scores " << sum;
  if (r.contains("leaderboard")) {
    if (!r["leaderboard"].is_array()) return ::testing::AssertionFailure() << "leaderboard is not an array";
    for (const json& e : r["leaderboard"])
      if (!e.contains("name") || !e["name"].is_string() || !e.contains("value"))
        return ::testing::AssertionFailure() << "leaderboard entry " << e.dump();
  }
  (void)max;
  return ::testing::AssertionSuccess();
}

double max_score(const json& r) {
  double max = 0;
  for (const json& t : r["tests"]) max += t["max_score"].get<double>();
  return max;
}

const json* test_named(const json& r, const std::string& part) {
  for (const json& t : r["tests"])
    if (t["name"].get<std::string>().find(part) != std::string::npos) return &t;
  return nullptr;
}

// The unpacked bundle, made once for every test of this file.
const fs::path& bundle() {
  static const fs::path source = [] {
    fs::remove_all(kScratch);
    fs::create_directories(kScratch / "source");
    const fs::path zip = kScratch / "autograder.zip";
    const GraderRun made = grader({"--source", kSource.string(), "--build", kBuild.string(), "gradescope", "--labs", "01",
                                   "--out", zip.string()});
    EXPECT_EQ(made.exit_code, 0) << made.out << made.err;
    ProcessRequest unzip;
    unzip.argv = {"cmake", "-E", "tar", "xf", zip.string()};
    unzip.cwd = kScratch / "source";
    unzip.limits.wall_seconds = 120;
    EXPECT_TRUE(gradlab::grader::run_process(unzip).ok());
    return kScratch / "source";
  }();
  return source;
}

// Runs the bundle's run_autograder for a submission of lab 01 made by \p fill.
json run_autograder(const std::string& name, const std::function<void(const fs::path&)>& fill,
                    const fs::path& build = kBuild) {
  const fs::path run_autograder = bundle() / "run_autograder";  // first: making the bundle clears kScratch
  const fs::path root = kScratch / name;
  fs::remove_all(root);
  fs::create_directories(root / "submission");
  fill(root / "submission");
  ProcessRequest request;
  request.argv = {run_autograder.string()};
  request.limits.wall_seconds = 900;
  ::setenv("GRADLAB_AUTOGRADER_ROOT", root.c_str(), 1);
  ::setenv("GRADLAB_AUTOGRADER_SOURCE", kSource.c_str(), 1);
  ::setenv("GRADLAB_AUTOGRADER_BUILD", build.c_str(), 1);
  // On a machine where bubblewrap cannot run, the bundle would refuse to grade: these
  // tests are about the results (the sandbox has its own, grader.GraderSandbox.*).
  if (!gradlab::grader::sandbox_isolated()) ::setenv("GRADLAB_ALLOW_UNISOLATED", "1", 1);
  const auto p = gradlab::grader::run_process(request);
  for (const char* v : {"GRADLAB_AUTOGRADER_ROOT", "GRADLAB_AUTOGRADER_SOURCE", "GRADLAB_AUTOGRADER_BUILD",
                        "GRADLAB_ALLOW_UNISOLATED"})
    ::unsetenv(v);
  std::cout << "[" << name << ": run_autograder took " << p.wall_seconds << " s]\n";
  EXPECT_TRUE(p.ok()) << "run_autograder must exit 0\n" << p.out << p.err;
  const fs::path results = root / "results/results.json";
  EXPECT_TRUE(fs::is_regular_file(results)) << p.out << p.err;
  return json::parse(read_text(results), nullptr, false);
}

void put_file(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

const fs::path kReference = kSource / "solutions/01_backprop/backprop.cpp";

}  // namespace

TEST(GraderGradescope, BundleHasTheScriptsAndTheTrustedTree) {
  const fs::path& source = bundle();
  for (const char* script : {"setup.sh", "run_autograder"}) {
    ASSERT_TRUE(fs::is_regular_file(source / script)) << script;
    EXPECT_NE(fs::status(source / script).permissions() & fs::perms::owner_exec, fs::perms::none) << script;
  }
  for (const char* script : {"setup.sh", "run_autograder"}) {  // at least valid bash (setup.sh is not run here)
    ProcessRequest syntax;
    syntax.argv = {"bash", "-n", (source / script).string()};
    syntax.limits.wall_seconds = 30;
    const auto p = gradlab::grader::run_process(syntax);
    EXPECT_TRUE(p.ok()) << script << ": " << p.err;
  }
  const std::string setup = read_text(source / "setup.sh");
  EXPECT_NE(setup.find("source scripts/bootstrap.sh"), std::string::npos) << setup;  // the same Debian packages
  EXPECT_NE(setup.find("gradlab_bootstrap"), std::string::npos) << setup;
  EXPECT_NE(setup.find("lab01_hidden_tests_student"), std::string::npos) << setup;
  EXPECT_TRUE(fs::is_regular_file(source / "scripts/bootstrap.sh"));
  EXPECT_TRUE(fs::is_regular_file(source / "solutions/01_backprop/hidden_tests/hidden_shapes_test.cpp"));
  EXPECT_FALSE(fs::exists(source / "build"));
}

TEST(GraderGradescope, ReferenceScoresFullMarksWithTheHiddenGroup) {
  const json r = run_autograder("reference", [](const fs::path& s) { put_file(kReference, s / "backprop.cpp"); });
  ASSERT_TRUE(valid_results(r)) << r.dump(2);
  EXPECT_NEAR(r["score"].get<double>(), max_score(r), 1e-9) << r.dump(2);
  for (const json& t : r["tests"]) EXPECT_EQ(t["status"], "passed") << t.dump(2);
  const json* hidden = test_named(r, "hidden_shapes");
  ASSERT_NE(hidden, nullptr) << r.dump(2);
  EXPECT_EQ((*hidden)["visibility"], "after_due_date");
  EXPECT_GT((*hidden)["max_score"].get<double>(), 0);
  EXPECT_NE(r["output"].get<std::string>().find("lab 01"), std::string::npos);
}

TEST(GraderGradescope, UntouchedStubsScoreZero) {
  const json r = run_autograder("stubs", [](const fs::path& s) {
    put_file(kSource / "labs/01_backprop/backprop.cpp", s / "labs/01_backprop/backprop.cpp");
  });
  ASSERT_TRUE(valid_results(r)) << r.dump(2);
  EXPECT_EQ(r["score"].get<double>(), 0.0);
  EXPECT_GT(max_score(r), 0.0);
  for (const json& t : r["tests"]) EXPECT_EQ(t["status"], "failed") << t.dump(2);
}

TEST(GraderGradescope, ACrashingSubmissionStillGetsAResult) {
  const json r = run_autograder("crash", [](const fs::path& s) {
    std::string text = read_text(kReference);
    const std::string region = "// BEGIN SOLUTION";
    text.replace(text.find(region), region.size(), region + "\n  *static_cast<volatile int*>(nullptr) = 1;");
    std::ofstream(s / "backprop.cpp") << text;
  });
  ASSERT_TRUE(valid_results(r)) << r.dump(2);
  EXPECT_LT(r["score"].get<double>(), max_score(r));
  EXPECT_NE(r.dump().find("CRASHED"), std::string::npos) << r.dump(2);
}

TEST(GraderGradescope, CompileErrorAndEmptySubmissionAndABrokenGraderAreValidResults) {
  const json broken = run_autograder("compile_error", [](const fs::path& s) {
    std::ofstream(s / "backprop.cpp") << read_text(kReference) << "\nthis is not C++;\n";
  });
  ASSERT_TRUE(valid_results(broken)) << broken.dump(2);
  EXPECT_EQ(broken["score"].get<double>(), 0.0);
  EXPECT_NE(broken.dump().find("COMPILE ERROR"), std::string::npos) << broken.dump(2);

  const json empty = run_autograder("empty", [](const fs::path&) {});
  ASSERT_TRUE(valid_results(empty)) << empty.dump(2);
  EXPECT_EQ(empty["score"].get<double>(), 0.0);
  EXPECT_NE(empty["output"].get<std::string>().find("backprop.cpp is not in your submission"), std::string::npos)
      << empty.dump(2);

  // The grader cannot even start: run_autograder still writes a valid results.json.
  const json failed = run_autograder("no_grader", [](const fs::path&) {}, kScratch / "no-such-build");
  ASSERT_TRUE(valid_results(failed)) << failed.dump(2);
  EXPECT_NE(failed["output"].get<std::string>().find("tell your instructor"), std::string::npos) << failed.dump(2);
}
