// The student's loop around `check`: experiments that fail one part at a time, the
// reference's series cached by content, the status words, `hint`, `reset`, `watch`,
// and the command line's manners (help, colour, the program's name).
#include "check.h"
#include "grade.h"
#include "grader_testing.h"
#include "student_commands.h"
#include "text.h"

#include <thread>

using namespace gradlab::grader::testing;
using gradlab::grader::LabResult;
using gradlab::grader::TestResult;
using gradlab::grader::TestStatus;

namespace {

json check_json(const fs::path& tree, std::vector<std::string> extra,
                const std::vector<std::pair<std::string, std::string>>& env, GraderRun& run) {
  const fs::path json_file = tree / "check.json";
  run = grader(concat(concat(fixture_args(tree), {"check", "98", "--no-build", "--json", json_file.string()}), extra), env);
  return json::parse(read_text(json_file));
}

const json& plot_named(const json& result, const std::string& name) {
  for (const json& p : result.at("plots"))
    if (p.at("name") == name) return p;
  throw std::runtime_error("no plot " + name);
}

// A lab.toml for the fixture with only the quick "basics" group (the others wait for
// time limits), for tests that run `check` several times.
void keep_only_basics(const fs::path& tree) {
  const fs::path manifest = tree / "labs/98_fixture/lab.toml";
  std::string text = read_text(manifest);
  const std::string keep_until = "[[tests]]\nname = \"crash\"";
  const std::string resume_at = "[[experiments]]";
  text = text.substr(0, text.find(keep_until)) + text.substr(text.find(resume_at));
  std::ofstream(manifest, std::ios::trunc) << text;
}

}  // namespace

// ---------------------------------------------------------------- experiments in parts

TEST(GraderExperiment, APartThatThrowsLosesOnlyItsOwnSeries) {
  const fs::path tree = fixture_copy("partial");
  keep_only_basics(tree);
  GraderRun run;
  const json result = check_json(tree, {}, {{"FIXTURE_EXPERIMENT", "partial"}}, run);
  // loss still matches (10 points), accuracy is missing (0 of 5), "both" earns loss's half.
  EXPECT_TRUE(plot_named(result, "loss").at("awarded").get<bool>()) << run.out;
  EXPECT_DOUBLE_EQ(plot_named(result, "accuracy").at("earned").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(plot_named(result, "both").at("earned").get<double>(), 2.0);
  EXPECT_NE(plot_named(result, "accuracy").at("note").get<std::string>().find("accuracy: not in your experiment"),
            std::string::npos) << plot_named(result, "accuracy").at("note");
  EXPECT_NE(run.out.find("not implemented: lab 98: accuracy"), std::string::npos) << run.out;
  EXPECT_EQ(result.at("status"), "failing");
  EXPECT_EQ(run.exit_code, 1);
}

TEST(GraderExperiment, ACrashingPartIsRunAloneAndTheOtherPartsStillCount) {
  const fs::path tree = fixture_copy("crash");
  keep_only_basics(tree);
  GraderRun run;
  const json result = check_json(tree, {}, {{"FIXTURE_EXPERIMENT", "crash"}}, run);
  EXPECT_TRUE(plot_named(result, "loss").at("awarded").get<bool>()) << run.out;
  EXPECT_DOUBLE_EQ(plot_named(result, "accuracy").at("earned").get<double>(), 0.0);
  EXPECT_NE(run.out.find("SIGSEGV"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("part: accuracy"), std::string::npos) << run.out;
}

TEST(GraderExperiment, ASpinningExperimentIsStoppedByItsCpuLimit) {
  const fs::path tree = fixture_copy("spin");
  keep_only_basics(tree);
  GraderRun run;
  const json result = check_json(tree, {}, {{"FIXTURE_EXPERIMENT", "spin"}}, run);
  EXPECT_NE(run.out.find("more than its 3 s of CPU time"), std::string::npos) << run.out;
  EXPECT_DOUBLE_EQ(plot_named(result, "loss").at("earned").get<double>(), 0.0);
  EXPECT_LT(run.seconds, 60);
}

// The reference's series are computed once per reference executable: keyed by its
// content, stored in BUILD/reference-series, re-run when the executable changes.
TEST(GraderExperiment, TheReferenceSeriesAreCachedByTheExecutablesContent) {
  const fs::path tree = fixture_copy("cache");
  keep_only_basics(tree);
  const fs::path build = tree / "build";
  fs::create_directories(build);
  fs::copy(fs::path(GRADER_FIXTURE_BUILD) / "bin", build / "bin", fs::copy_options::recursive);
  const std::vector<std::string> args = {"--source", tree.string(), "--build", build.string(), "check", "98",
                                         "--no-build", "--json", (tree / "check.json").string()};
  GraderRun first = grader(args);
  EXPECT_NE(first.out.find("reference ok ("), std::string::npos) << first.out;
  EXPECT_EQ(first.out.find("(cached)"), std::string::npos) << first.out;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(build / "reference-series/98_fixture")) entries.push_back(e.path());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries.front().filename().string().starts_with("fit-")) << entries.front();

  const GraderRun second = grader(args);
  EXPECT_NE(second.out.find("reference ok (cached)"), std::string::npos) << second.out;
  // basics 30·1/3, plots loss 10 + accuracy 0 + both 2 (the cached series score the same)
  EXPECT_EQ(json::parse(read_text(tree / "check.json")).at("score"), 10.0 + 10 + 2);

  // A rebuilt reference (other bytes) is run again, and replaces the old entry.
  std::ofstream(build / "bin/lab98_experiment_reference", std::ios::app) << '\0';
  const GraderRun third = grader(args);
  EXPECT_EQ(third.out.find("(cached)"), std::string::npos) << third.out;
  entries.clear();
  for (const auto& e : fs::directory_iterator(build / "reference-series/98_fixture")) entries.push_back(e.path());
  EXPECT_EQ(entries.size(), 1u);
}

// ---------------------------------------------------------------- status words

TEST(GraderStatusWord, PassingMeansFullMarks) {
  using gradlab::grader::lab_status_of;
  using gradlab::grader::LabStatus;
  LabResult r;
  r.tests = {{"g", "A.B", TestStatus::Pass, ""}};
  r.max = 100;
  r.score = 100;
  EXPECT_EQ(lab_status_of(r, true, false), LabStatus::Passing);
  EXPECT_EQ(lab_status_of(r, false, false), LabStatus::Failing);  // an experiment part failed
  r.score = 62.5;
  EXPECT_EQ(lab_status_of(r, true, true), LabStatus::CorrectButSlow);  // lab 10's untouched loop
  EXPECT_EQ(lab_status_of(r, true, false), LabStatus::Failing);
  r.tests.push_back({"g", "A.C", TestStatus::Fail, "no"});
  EXPECT_EQ(lab_status_of(r, true, true), LabStatus::Failing);
  r.tests = {{"g", "A.B", TestStatus::NotStarted, ""}};
  EXPECT_EQ(lab_status_of(r, true, false), LabStatus::NotStarted);
}

// The words of result.json are the enum's names, and back (the status table reads them).
TEST(GraderStatusWord, EveryLabStatusHasAWordThatReadsBack) {
  using gradlab::grader::LabStatus;
  for (LabStatus s : {LabStatus::Passing, LabStatus::CorrectButSlow, LabStatus::Failing, LabStatus::NotStarted,
                      LabStatus::CompileError, LabStatus::ForbiddenCall, LabStatus::NotIsolated})
    EXPECT_EQ(gradlab::grader::lab_status_from_string(gradlab::grader::to_string(s)), s);
  EXPECT_EQ(gradlab::grader::to_string(LabStatus::CorrectButSlow), "correct but slow");
  EXPECT_THROW(gradlab::grader::lab_status_from_string("passed"), std::invalid_argument);
}

// ---------------------------------------------------------------- hint

TEST(GraderHint, TiersAreRevealedOneAtATimeForTheFirstFailingTest) {
  const fs::path tree = fixture_copy("hint");
  const GraderRun before = grader(concat(fixture_args(tree), {"hint", "98"}));
  EXPECT_EQ(before.exit_code, 1);
  EXPECT_NE(before.out.find("has not been checked yet"), std::string::npos) << before.out;

  // The last check's result, as `check` stores it.
  LabResult r;
  r.lab = "98";
  r.slug = "98_fixture";
  r.status = gradlab::grader::LabStatus::Failing;
  r.tests = {{"basics", "Basics.Passes", TestStatus::Pass, ""},
             {"basics", "Basics.Fails", TestStatus::Fail, "arithmetic is hard"}};
  gradlab::grader::write_file_atomically(tree / "results/98_fixture/result.json", to_json(r).dump());

  const GraderRun one = grader(concat(fixture_args(tree), {"hint", "98"}));
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("Basics.Fails"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("arithmetic is hard"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("hint 1 of 3"), std::string::npos) << one.out;
  EXPECT_NE(one.out.find("Basics hint: read the failure message."), std::string::npos) << one.out;
  EXPECT_EQ(one.out.find("hint 2 of 3"), std::string::npos) << one.out;
  const GraderRun two = grader(concat(fixture_args(tree), {"hint", "98"}));
  EXPECT_NE(two.out.find("hint 2 of 3 — the formula"), std::string::npos) << two.out;
  EXPECT_EQ(two.out.find("hint 3 of 3"), std::string::npos) << two.out;
  const GraderRun three = grader(concat(fixture_args(tree), {"hint", "98"}));
  EXPECT_NE(three.out.find("hint 3 of 3 — the shape of the code"), std::string::npos) << three.out;
  EXPECT_NE(three.out.find("That was the last hint"), std::string::npos) << three.out;

  // A group by name, or by one of its tests; every tier at once with --all.
  const GraderRun crash = grader(concat(fixture_args(tree), {"hint", "98", "Crash.NullWrite", "--all"}));
  EXPECT_NE(crash.out.find("Crash hint: check your indices."), std::string::npos) << crash.out;
  EXPECT_NE(crash.out.find("hint 3 of 3"), std::string::npos) << crash.out;
  const GraderRun unknown = grader(concat(fixture_args(tree), {"hint", "98", "nonsense"}));
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("groups: basics, crash"), std::string::npos) << unknown.err;
}

TEST(GraderHint, GtestFiltersSelectTestsLikeGoogleTest) {
  using gradlab::grader::gtest_filter_matches;
  EXPECT_TRUE(gtest_filter_matches("Sigmoid.*:Tanh.*", "Tanh.Backward"));
  EXPECT_FALSE(gtest_filter_matches("Sigmoid.*:Tanh.*", "TanhX.Backward"));
  EXPECT_TRUE(gtest_filter_matches("A.?", "A.b"));
  EXPECT_FALSE(gtest_filter_matches("A.*-A.Slow", "A.Slow"));
  EXPECT_TRUE(gtest_filter_matches("-A.Slow", "B.Fast"));
}

// ---------------------------------------------------------------- reset

TEST(GraderReset, RestoresTheStubAndKeepsABackupAfterConfirmation) {
  const fs::path tree = fixture_copy("reset");
  const fs::path build = tree / "build";
  fs::create_directories(build / "bin");
  fs::copy_file(GRADLAB_STUBGEN_EXE, build / "bin/gradlab-stubgen");
  const fs::path file = tree / "labs/98_fixture/fixture.cpp";
  const std::string stub = read_text(file);
  const std::vector<std::string> base = {"--source", tree.string(), "--build", build.string(), "reset", "98", "--no-build"};

  const GraderRun untouched = grader(concat(base, {"--yes"}));
  EXPECT_EQ(untouched.exit_code, 0) << untouched.err;
  EXPECT_NE(untouched.out.find("already the untouched stubs"), std::string::npos) << untouched.out;

  replace_in_file(file, "throw gradlab::NotImplemented(\"lab 98: forward\");", "return x; // my work");
  // Without a terminal to ask on, and without --yes, nothing is touched.
  const GraderRun refused = grader(base);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("add --yes"), std::string::npos) << refused.err;
  EXPECT_NE(read_text(file).find("my work"), std::string::npos);

  const GraderRun reset = grader(concat(base, {"--yes"}));
  EXPECT_EQ(reset.exit_code, 0) << reset.out << reset.err;
  EXPECT_EQ(read_text(file), stub);
  std::vector<fs::path> backups;
  for (const auto& e : fs::recursive_directory_iterator(tree / "results/98_fixture/backups"))
    if (e.path().filename() == "fixture.cpp") backups.push_back(e.path());
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_NE(read_text(backups.front()).find("my work"), std::string::npos);

  // A student edition has no solutions: the stubs it ships in .gradlab/stubs serve.
  fs::remove_all(tree / "solutions");
  replace_in_file(file, "throw gradlab::NotImplemented(\"lab 98: forward\");", "return x; // more work");
  const GraderRun no_stubs = grader(concat(base, {"--yes"}));
  EXPECT_EQ(no_stubs.exit_code, 2);
  EXPECT_NE(no_stubs.err.find("no stub of labs/98_fixture/fixture.cpp"), std::string::npos) << no_stubs.err;
  fs::create_directories(tree / ".gradlab/stubs/labs/98_fixture");
  std::ofstream(tree / ".gradlab/stubs/labs/98_fixture/fixture.cpp") << stub;
  EXPECT_EQ(grader(concat(base, {"--yes"})).exit_code, 0);
  EXPECT_EQ(read_text(file), stub);
}

// ---------------------------------------------------------------- watch

TEST(GraderWatch, ChecksAgainWhenAStudentFileIsSaved) {
  const fs::path tree = fixture_copy("watch");
  keep_only_basics(tree);
  ProcessRequest request;
  request.argv = {GRADER_EXE, "--source", tree.string(), "--build", GRADER_FIXTURE_BUILD, "watch", "98", "--no-build"};
  request.limits.wall_seconds = 20;  // watch runs until stopped: the limit stops it
  gradlab::grader::ProcessResult watched;
  std::thread watcher([&] { watched = gradlab::grader::run_process(request); });
  // Once the first check is written, save the student's file.
  const fs::path first = tree / "results/98_fixture/watch/result.json";
  for (int i = 0; i < 150 && !fs::exists(first); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(fs::exists(first));
  replace_in_file(tree / "labs/98_fixture/fixture.cpp", "throw gradlab::NotImplemented(\"lab 98: forward\");",
                  "return x;");
  watcher.join();
  std::size_t headers = 0;
  for (std::size_t at = watched.out.find("watching lab 98"); at != std::string::npos;
       at = watched.out.find("watching lab 98", at + 1))
    ++headers;
  EXPECT_GE(headers, 2u) << watched.out;
  EXPECT_NE(watched.out.find("Next: Basics.Fails"), std::string::npos) << watched.out;
  EXPECT_NE(watched.out.find("hint: Basics hint"), std::string::npos) << watched.out;
  // The tests-only checks do not overwrite what the status table reads.
  EXPECT_FALSE(fs::exists(tree / "results/98_fixture/result.json"));
}

// ---------------------------------------------------------------- command line

TEST(GraderCli, HelpSaysEachThingOnceInEightyColumns) {
  const GraderRun help = grader({"--help"});
  std::map<std::string, int> seen;
  for (const std::string& line : gradlab::grader::lines_of(help.out)) {
    EXPECT_LE(line.size(), 80u) << line;  // (ASCII text: bytes are columns)
    if (!line.empty()) EXPECT_EQ(++seen[line], 1) << "printed twice: " << line;
  }
  for (const char* command : {"check NN", "watch [NN]", "hint NN", "reset NN", "bench", "--color"})
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
}

TEST(GraderCli, MessagesNameTheCommandTheUserTyped) {
  const GraderRun run = grader({"chekc"}, {{"GRADLAB_PROGRAM", "./grade"}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("./grade: unknown command \"chekc\""), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("see ./grade --help"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("grader"), std::string::npos) << run.err;
}

TEST(GraderCli, ColourFollowsTheFlagAndNoColor) {
  const fs::path tree = fixture_copy("colour");
  const std::string escape = "\x1b[";
  EXPECT_NE(grader(concat(fixture_args(tree), {"--color", "always"})).out.find(escape), std::string::npos);
  EXPECT_EQ(grader(concat(fixture_args(tree), {"--color", "never"})).out.find(escape), std::string::npos);
  // Not a terminal: no colour by default, whatever NO_COLOR says.
  EXPECT_EQ(grader(fixture_args(tree), {{"NO_COLOR", "1"}}).out.find(escape), std::string::npos);
  EXPECT_EQ(grader(concat(fixture_args(tree), {"--color", "sometimes"})).exit_code, 2);
}

// The text plot: one letter per series (upper case the reference, lower case yours),
// a legend below instead of a key over the curves, log axes as 1e-06.
TEST(GraderPlots, TheTextPlotHasALetterPerSeriesAndReadableLogAxes) {
  const fs::path tree = fixture_copy("textplot");
  keep_only_basics(tree);
  GraderRun run;
  check_json(tree, {}, {}, run);
  const std::string script = read_text(tree / "results/98_fixture/loss.gp");
  EXPECT_NE(script.find("unset key"), std::string::npos) << script;
  EXPECT_NE(script.find("set format y '%g'"), std::string::npos) << script;
  EXPECT_NE(script.find("pt \"A\""), std::string::npos) << script;
  EXPECT_NE(script.find("pt \"a\""), std::string::npos) << script;
  if (!gnuplot_installed()) return;
  EXPECT_NE(run.out.find("upper case: the reference, lower case: yours"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("A/a accuracy"), std::string::npos) << run.out;
  ProcessRequest text;
  text.argv = {"gnuplot", "-e", "terminal='dumb'", "loss.gp"};
  text.cwd = tree / "results/98_fixture";
  text.limits.wall_seconds = 60;
  const auto drawn = gradlab::grader::run_process(text);
  ASSERT_TRUE(drawn.ok()) << drawn.err;
  EXPECT_NE(drawn.out.find("0.001 "), std::string::npos) << drawn.out;  // %g, not 0.0010000
  EXPECT_EQ(drawn.out.find("0.00100"), std::string::npos) << drawn.out;
  EXPECT_NE(drawn.out.find('a'), std::string::npos) << drawn.out;
  for (const std::string& line : gradlab::grader::lines_of(drawn.out)) EXPECT_LE(line.size(), 80u) << line;
}
