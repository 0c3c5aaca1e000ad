// The grader binary, run as a subprocess on the fixture lab 98 (fixtures/tree), judged
// by its exit code, its --json output and what it prints.
#include "grader_testing.h"
#include "manifest.h"

#include <map>

using namespace gradlab::grader::testing;

// Every way of ending gets its own status, on the right test, and the tests that
// share a process with a crash or a hang are still graded.
TEST(GraderCheck, StudentFixtureGetsEveryStatusRightAndScoresIt) {
  const fs::path tree = fixture_copy("student");
  const fs::path json_file = tree / "check.json";
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "--no-build", "--json", json_file.string()}));
  std::cout << run.out << run.err << "\n[grader check on the fixture took " << run.seconds << " s]\n";
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_TRUE(fs::exists(json_file));
  const json result = json::parse(read_text(json_file));
  const auto tests = tests_by_name(result);

  const std::map<std::string, std::string> expected = {
      {"Basics.Passes", "PASS"},           {"Basics.Fails", "FAIL"},
      {"Basics.NotStarted", "NOT STARTED"}, {"Crash.NullWrite", "CRASHED"},
      {"Crash.Aborts", "CRASHED"},         {"Crash.StillPasses", "PASS"},
      {"Spin.Forever", "TIMED OUT"},       {"Spin.StillPasses", "PASS"},
      {"Sleep.Forever", "TIMED OUT"},      {"Sleep.StillPasses", "PASS"},
      {"Memory.Runaway", "OUT OF MEMORY"}, {"Memory.RunawayNoexcept", "OUT OF MEMORY"},
      {"Memory.StillPasses", "PASS"},      {"Output.Flood", "TOO MUCH OUTPUT"},
      {"Output.StillPasses", "PASS"},      {"Fork.LeavesChildren", "PASS"},
  };
  EXPECT_EQ(tests.size(), expected.size());
  for (const auto& [name, status] : expected) {
    ASSERT_TRUE(tests.contains(name)) << name << " is missing from the report";
    EXPECT_EQ(tests.at(name).at("status"), status) << name << ": " << tests.at(name).at("message");
  }
  EXPECT_NE(tests.at("Basics.Fails").at("message").get<std::string>().find("arithmetic is hard"), std::string::npos);
  EXPECT_NE(tests.at("Basics.NotStarted").at("message").get<std::string>().find("not implemented: lab 98: forward"),
            std::string::npos);
  EXPECT_NE(tests.at("Crash.NullWrite").at("message").get<std::string>().find("SIGSEGV"), std::string::npos);
  EXPECT_NE(tests.at("Crash.Aborts").at("message").get<std::string>().find("SIGABRT"), std::string::npos);
  EXPECT_EQ(tests.at("Basics.Fails").at("group"), "basics");

  // basics 30·1/3 + crash 20·1/3 + spin 10·1/2 + sleep 10·1/2 + memory 10·1/3
  // + output 10·1/2 + fork 10 = 45; plots: loss matches (10), accuracy does not (0 of
  // 5), "both" earns the share of its matching series (loss: 2 of 4).
  EXPECT_NEAR(result.at("score").get<double>(), 57.0, 1e-9);
  EXPECT_NEAR(result.at("max").get<double>(), 119.0, 1e-9);
  EXPECT_EQ(result.at("status"), "failing");
  ASSERT_EQ(result.at("plots").size(), 3u);
  const json& loss = result.at("plots")[0];
  const json& accuracy = result.at("plots")[1];
  EXPECT_EQ(loss.at("name"), "loss");
  EXPECT_TRUE(loss.at("awarded").get<bool>());
  EXPECT_LE(loss.at("deviation").get<double>(), 1e-12);
  EXPECT_FALSE(accuracy.at("awarded").get<bool>());
  EXPECT_NEAR(accuracy.at("deviation").get<double>(), 1e-3, 1e-9);
  EXPECT_DOUBLE_EQ(result.at("plots")[2].at("earned").get<double>(), 2.0);
  EXPECT_FALSE(result.at("plots")[2].at("awarded").get<bool>());
  EXPECT_TRUE(fs::exists(loss.at("dat").get<std::string>()));
  EXPECT_TRUE(fs::exists(loss.at("script").get<std::string>()));
  if (gnuplot_installed()) {
    EXPECT_TRUE(fs::exists(loss.at("svg").get<std::string>()));
    EXPECT_TRUE(fs::exists(loss.at("png").get<std::string>()));
    EXPECT_EQ(fs::path(loss.at("svg").get<std::string>()), tree / "results/98_fixture/loss.svg");
  }
  EXPECT_NE(run.out.find("Basics hint: read the failure message."), std::string::npos);
  EXPECT_NE(run.out.find("(more: grader hint 98 basics)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("lab 98: failing"), std::string::npos);

  // The result is cached for the status table, which now shows it...
  ASSERT_TRUE(fs::exists(tree / "results/98_fixture/result.json"));
  GraderRun status = grader(fixture_args(tree));
  EXPECT_EQ(status.exit_code, 1) << status.err;
  EXPECT_NE(status.out.find("57/119"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("failing"), std::string::npos) << status.out;
  // What is next inside the lab (its first group with a failing test), and overall.
  EXPECT_NE(status.out.find("next: basics: 2 of 3 tests to go"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("next: lab 98 — basics: 2 of 3 tests to go (stuck? grader hint 98)"), std::string::npos)
      << status.out;
  // ...until the student edits their file.
  replace_in_file(tree / "labs/98_fixture/fixture.cpp", "throw gradlab::NotImplemented(\"lab 98: forward\");", "return x;");
  status = grader(fixture_args(tree));
  EXPECT_NE(status.out.find("changed since the last check"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("next: grader check 98"), std::string::npos) << status.out;
}

TEST(GraderCheck, ReferenceScoresFullMarksAndExitsZero) {
  const fs::path tree = fixture_copy("reference");
  const fs::path out = tree / "out";
  const fs::path json_file = tree / "check.json";
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "--reference", "--no-build", "--out",
                                                           out.string(), "--json", json_file.string()}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const json result = json::parse(read_text(json_file));
  EXPECT_EQ(result.at("status"), "passing");
  EXPECT_EQ(result.at("variant"), "reference");
  EXPECT_DOUBLE_EQ(result.at("score").get<double>(), 119.0);
  EXPECT_DOUBLE_EQ(result.at("max").get<double>(), 119.0);
  for (const json& t : result.at("tests")) EXPECT_EQ(t.at("status"), "PASS") << t.at("name");
  // --reference never touches the student's cached result.
  EXPECT_FALSE(fs::exists(tree / "results/98_fixture/result.json"));
  EXPECT_TRUE(fs::exists(out / "loss.gp"));
}

TEST(GraderCheck, NoPlotsLeavesMatchPointsOut) {
  const fs::path tree = fixture_copy("noplots");
  const fs::path json_file = tree / "check.json";
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "--reference", "--no-build", "--no-plots",
                                                           "--out", (tree / "out").string(), "--json", json_file.string()}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  const json result = json::parse(read_text(json_file));
  EXPECT_DOUBLE_EQ(result.at("max").get<double>(), 100.0);
  EXPECT_TRUE(result.at("plots").empty());
}

TEST(GraderCheck, SeveralLabsGetASummaryAndOneJson) {
  const fs::path tree = fixture_copy("several");
  const fs::path json_file = tree / "check.json";
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "98_fixture", "--reference", "--no-build",
                                                           "--no-plots", "--out", (tree / "out").string(), "--json",
                                                           json_file.string()}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("summary"), std::string::npos);
  const json result = json::parse(read_text(json_file));
  EXPECT_EQ(result.at("labs").size(), 2u);
  EXPECT_DOUBLE_EQ(result.at("score").get<double>(), 200.0);
}

TEST(GraderStatus, UntouchedStubIsNotStarted) {
  const fs::path tree = fixture_copy("status");
  const GraderRun run = grader(fixture_args(tree));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("not started"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("0/119"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("next: grader check 98"), std::string::npos) << run.out;
  EXPECT_LT(run.seconds, 1.0);  // no building, no running

  // Once a marker is gone, the lab is in progress (and not yet checked).
  replace_in_file(tree / "labs/98_fixture/fixture.cpp", "throw gradlab::NotImplemented(\"lab 98: forward\");", "return x;");
  const GraderRun edited = grader(fixture_args(tree));
  EXPECT_NE(edited.out.find("in progress, not checked"), std::string::npos) << edited.out;
}

TEST(GraderPlots, WritesTheReferencePlots) {
  const fs::path tree = fixture_copy("plots");
  const fs::path out = tree / "docs-plots";
  const GraderRun run = grader(concat(fixture_args(tree), {"plots", "98", "--reference", "--no-build", "--out", out.string()}));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(fs::exists(out / "loss.dat"));
  EXPECT_TRUE(fs::exists(out / "accuracy.gp"));
  if (gnuplot_installed()) EXPECT_TRUE(fs::exists(out / "accuracy.svg"));
}

TEST(GraderErrors, UnknownLabIsOneClearErrorWithExitCode2) {
  const fs::path tree = fixture_copy("unknown");
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "42", "--no-build"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("there is no lab \"42\""), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("known labs: 98"), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

TEST(GraderErrors, MalformedTomlNamesTheFileAndThePosition) {
  const fs::path tree = fixture_copy("malformed");
  const fs::path manifest = tree / "labs/98_fixture/lab.toml";
  replace_in_file(manifest, "points = 30", "points = = 30");
  for (const auto& args : {std::vector<std::string>{"check", "98", "--no-build"}, std::vector<std::string>{}}) {
    const GraderRun run = grader(concat(fixture_args(tree), args));
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find(manifest.string() + ":15:"), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

TEST(GraderErrors, ManifestMistakesAreNamed) {
  const fs::path tree = fixture_copy("mistakes");
  const fs::path manifest = tree / "labs/98_fixture/lab.toml";
  replace_in_file(manifest, "points = 30", "pionts = 30");
  GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "--no-build"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown key 'pionts'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[[tests]] #1"), std::string::npos) << run.err;

  replace_in_file(manifest, "pionts = 30", "points = 30");
  replace_in_file(manifest, "experiment = \"fit\"\ntitle = \"Accuracy\"", "experiment = \"fitt\"\ntitle = \"Accuracy\"");
  run = grader(concat(fixture_args(tree), {"check", "98", "--no-build"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("names experiment \"fitt\""), std::string::npos) << run.err;

  // A [bench] whose points are misspelt would score 0 silently: it is an error instead.
  replace_in_file(manifest, "experiment = \"fitt\"", "experiment = \"fit\"");
  std::ofstream(manifest, std::ios::app) << "\n[bench]\nthreads = 1\n[bench.score]\npoint = 40\n";
  run = grader(concat(fixture_args(tree), {"check", "98", "--no-build"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("[bench.score] needs points"), std::string::npos) << run.err;
}

TEST(GraderErrors, UnknownCommandAndOptionExitWith2) {
  EXPECT_EQ(grader({"chekc", "01"}).exit_code, 2);
  EXPECT_EQ(grader({"check", "--frobnicate"}).exit_code, 2);
}

TEST(GraderCli, HelpAndVersion) {
  const GraderRun help = grader({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("grader check NN"), std::string::npos);
  EXPECT_NE(help.out.find("--source"), std::string::npos);
  const GraderRun check_help = grader({"check", "--help"});
  EXPECT_EQ(check_help.exit_code, 0);
  EXPECT_NE(check_help.out.find("--reference"), std::string::npos);
  const GraderRun version = grader({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("grader (gradlab) ") + GRADLAB_VERSION + "\n");
}

// A syntax error in the student's file is a result ("compile error", exit 1) with the
// first error as file:line: message, not a crash of the grader.
TEST(GraderCheck, CompileErrorIsReportedWithFileAndLine) {
  const fs::path tree = fixture_copy("compile_error");
  const fs::path build = tree / "build";
  replace_in_file(tree / "labs/98_fixture/fixture.cpp", "throw gradlab::NotImplemented(\"lab 98: forward\");",
                  "return x + undeclared_variable;");
  ProcessRequest configure;
  configure.argv = {"cmake", "-S", tree.string(), "-B", build.string(), "-G", "Ninja"};
  configure.limits.wall_seconds = 120;
  const auto configured = gradlab::grader::run_process(configure);
  ASSERT_TRUE(configured.ok()) << configured.out << configured.err;

  const fs::path json_file = tree / "check.json";
  const GraderRun run = grader({"--source", tree.string(), "--build", build.string(), "check", "98", "--json",
                                json_file.string()});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const json result = json::parse(read_text(json_file));
  EXPECT_EQ(result.at("status"), "compile error");
  EXPECT_DOUBLE_EQ(result.at("score").get<double>(), 0.0);
  const json& error = result.at("compile_error");
  EXPECT_EQ(error.at("file"), "labs/98_fixture/fixture.cpp");
  EXPECT_EQ(error.at("line"), 15);
  EXPECT_NE(error.at("message").get<std::string>().find("undeclared_variable"), std::string::npos);
  EXPECT_NE(run.out.find("labs/98_fixture/fixture.cpp:15:"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("COMPILE ERROR"), std::string::npos) << run.out;
  // The status table shows it too.
  const GraderRun status = grader({"--source", tree.string(), "--build", build.string()});
  EXPECT_NE(status.out.find("compile error"), std::string::npos) << status.out;
}

TEST(GraderErrors, UnconfiguredBuildDirectoryIsAnInfrastructureError) {
  const fs::path tree = fixture_copy("unconfigured");
  const GraderRun run = grader({"--source", tree.string(), "--build", (tree / "nowhere").string(), "check", "98"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("not a configured build directory"), std::string::npos) << run.err;
}

// A build directory configured for another source tree would grade that tree's code
// and write the result into this one's cache: one error naming both, before anything
// is built or written.
TEST(GraderErrors, BuildDirectoryOfAnotherSourceTreeIsRefused) {
  const fs::path tree = fixture_copy("other_tree");
  const fs::path other = fs::path(GRADER_SCRATCH) / "other_tree_source";
  const fs::path build = tree / "build-of-other";
  fs::create_directories(other);
  fs::create_directories(build);
  std::ofstream(build / "CMakeCache.txt") << "# a CMake cache\nCMAKE_HOME_DIRECTORY:INTERNAL=" << other.string()
                                          << "\ngradlab_SOURCE_DIR:STATIC=" << other.string() << "\n";
  for (const auto& command : {std::vector<std::string>{"check", "98"}, std::vector<std::string>{"check", "98", "--no-build"},
                              std::vector<std::string>{"plots", "98", "--out", (tree / "p").string()}}) {
    const GraderRun run = grader(concat({"--source", tree.string(), "--build", build.string()}, command));
    EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
    EXPECT_NE(run.err.find(other.string()), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(tree.string()), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("configured for the source tree"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(fs::exists(tree / "results")) << "nothing may be written";
  EXPECT_FALSE(fs::exists(tree / "p"));

  // The same tree spelt differently (a symlink, a trailing "/.") is the same tree.
  std::ofstream(build / "CMakeCache.txt", std::ios::trunc) << "CMAKE_HOME_DIRECTORY:INTERNAL=" << (tree / ".").string() << "\n";
  const GraderRun same = grader({"--source", tree.string(), "--build", build.string(), "check", "98", "--no-build"});
  EXPECT_EQ(same.err.find("configured for the source tree"), std::string::npos) << same.err;
}

// --junit and --gradescope render the same grading as the console and --json.
TEST(GraderCheck, JunitAndGradescopeRenderTheSameResult) {
  const fs::path tree = fixture_copy("renderers");
  const fs::path out = tree / "out";
  const GraderRun run = grader(concat(fixture_args(tree), {"check", "98", "--no-build", "--no-plots", "--out", out.string(),
                                                           "--json", (tree / "r.json").string(), "--junit",
                                                           (tree / "r.xml").string(), "--gradescope", (tree / "gs.json").string()}));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const json result = json::parse(read_text(tree / "r.json"));
  const std::string xml = read_text(tree / "r.xml");
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")) << xml;
  std::size_t testcases = 0;
  for (std::size_t at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1)) ++testcases;
  EXPECT_EQ(testcases, result.at("tests").size()) << xml;
  EXPECT_NE(xml.find("type=\"TIMED OUT\""), std::string::npos) << xml;
  const json gs = json::parse(read_text(tree / "gs.json"));
  EXPECT_DOUBLE_EQ(gs.at("score").get<double>(), result.at("score").get<double>());
  EXPECT_EQ(gs.at("tests").size(), result.at("groups").size());
  double max = 0;
  for (const json& t : gs.at("tests")) max += t.at("max_score").get<double>();
  EXPECT_DOUBLE_EQ(max, result.at("max").get<double>());
}

// A hidden group's points are outside a student's maximum, and its visibility must be
// one of Gradescope's words.
TEST(GraderManifest, HiddenGroupsAndVisibility) {
  const fs::path tree = fixture_copy("hidden_manifest");
  const fs::path manifest = tree / "labs/98_fixture/lab.toml";
  std::ofstream(manifest, std::ios::app) << "\n[[tests]]\nname = \"secret\"\nfilter = \"Secret.*\"\npoints = 7\nhidden = true\n";
  const auto m = gradlab::grader::load_manifest(manifest);
  EXPECT_DOUBLE_EQ(m.test_points(), 100.0);
  EXPECT_DOUBLE_EQ(m.test_points(true), 107.0);
  EXPECT_EQ(m.tests.back().visibility, gradlab::grader::Visibility::AfterDueDate);
  // The status table's maximum leaves the hidden points out.
  const GraderRun status = grader(fixture_args(tree));
  EXPECT_NE(status.out.find("0/119"), std::string::npos) << status.out;
  std::ofstream(manifest, std::ios::app) << "visibility = \"later\"\n";
  try {
    gradlab::grader::load_manifest(manifest);
    ADD_FAILURE() << "visibility = \"later\" was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("visibility = \"later\""), std::string::npos) << e.what();
  }
}
