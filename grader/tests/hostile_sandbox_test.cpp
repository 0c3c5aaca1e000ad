// Hostile submissions against the sandbox and the trusted results (hostile/README.md):
// each is graded by `grader autograde` with a working build of this repository's build
// (as `grader report` and Gradescope grade), and must earn no unearned point, leave no
// process and no file behind, and still get every honest test scored. Then the
// sandbox itself, run by run (cheap: /bin/sh, no compiling), and its fallback.
#include "grader_testing.h"

#include "runner.h"
#include "sandbox.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <set>
#include <thread>

using namespace gradlab::grader::testing;
using gradlab::grader::hash_file;
using gradlab::grader::run_process;
using gradlab::grader::sandbox_support;
using gradlab::grader::SandboxSpec;
using gradlab::grader::Scratch;

namespace {

const fs::path kSource = GRADLAB_TEST_SOURCE_DIR;
const fs::path kBuild = GRADLAB_TEST_BINARY_DIR;
const fs::path kHostile = GRADER_HOSTILE_DIR;
const fs::path kScratch = fs::path(GRADER_SCRATCH) / "hostile";
const fs::path kSolution = kSource / "solutions/01_backprop/backprop.cpp";

std::string token() { return std::string("GLHOS") + "TILE"; }

// The attacks call fork, kill, open, exec…: the static checks (inspect.h) would reject
// them before they run. Off here, so that the sandbox and the trusted list are what
// the attacks meet (a second line of defence, tested on its own).
const std::vector<std::pair<std::string, std::string>> kNoStaticChecks{{"GRADLAB_STATIC_CHECKS", "off"}};

// ---------------------------------------------------------------- submissions

// The sections of an attack file: "" for the preamble, else the function to inject into.
std::vector<std::pair<std::string, std::string>> sections(const fs::path& file) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(read_text(file));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("// @PREAMBLE", 0) == 0) out.push_back({"", ""});
    else if (line.rfind("// @INJECT ", 0) == 0) out.push_back({line.substr(11), ""});
    else if (!out.empty()) out.back().second += line + "\n";
  }
  return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

struct Paths {
  fs::path root, submission, work, results, json;
};

Paths paths_of(const std::string& name) {
  const fs::path root = kScratch / name;
  return {root, root / "submission", root / "work", root / "results/results.json", root / "results/lab.json"};
}

// The reference solution with the attack files' sections put in.
std::string submission_text(const std::vector<fs::path>& attacks, const Paths& p) {
  std::string text = read_text(kSolution);
  std::string preamble;
  for (const fs::path& attack : attacks)
    for (const auto& [function, code] : sections(attack)) {
      if (function.empty()) {
        preamble += code;
        continue;
      }
      const auto at = text.find("void " + function + "(");
      EXPECT_NE(at, std::string::npos) << function << " is not in " << kSolution;
      if (at == std::string::npos) continue;
      const auto body = text.find('{', at);
      text.insert(body + 1, "\n" + code);
    }
  text = preamble + text;
  const std::map<std::string, fs::path> placeholders{
      {"@SOURCE@", kSource}, {"@WORK@", p.work}, {"@RESULTS@", p.results}, {"@JSON@", p.json}};
  for (const auto& [from, to] : placeholders) text = replace_all(text, from, to.string());
  return text;
}

// ---------------------------------------------------------------- what must not change

// The hashes of every file under the trusted folders an attack writes into.
std::map<std::string, std::string> snapshot() {
  std::map<std::string, std::string> hashes;
  for (const char* dir : {"labs/01_backprop", "solutions/01_backprop", "grader/src", "results"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(kSource / dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      if (it->is_regular_file()) hashes[it->path().string()] = hash_file(it->path());
  }
  return hashes;
}

// Files under \p dir holding the attacks' word.
std::vector<std::string> files_with_token(const fs::path& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file() && read_text(it->path()).find(token()) != std::string::npos) found.push_back(it->path().string());
  return found;
}

// Processes whose name or command line carries \p marker ("pid: name command line").
std::vector<std::string> find_processes(const std::string& marker) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(::getpid())) continue;
    std::string what = read_text(entry.path() / "comm") + " " + read_text(entry.path() / "cmdline");
    std::replace(what.begin(), what.end(), '\0', ' ');
    if (what.find(marker) == std::string::npos) continue;
    found.push_back(pid + ": " + what);
  }
  return found;
}

// The processes find_processes names, killed and returned. \p marker must name this
// suite's processes only (its scratch paths, its attacks' process name): other
// sessions may run tests of the same executables meanwhile.
std::vector<std::string> survivors(const std::string& marker) {
  const std::vector<std::string> found = find_processes(marker);
  for (const std::string& p : found) ::kill(std::stoi(p.substr(0, p.find(':'))), SIGKILL);
  return found;
}

// ---------------------------------------------------------------- grading

struct Graded {
  GraderRun run;
  json results;  // Gradescope's
  json lab;      // the grader's LabResult
};

Graded autograde(const std::string& name, const std::optional<std::string>& text,
                 const std::vector<std::string>& extra = {}, const std::vector<std::pair<std::string, std::string>>& env = {}) {
  const Paths p = paths_of(name);
  fs::remove_all(p.root);
  fs::create_directories(p.submission);
  fs::create_directories(p.results.parent_path());
  if (text) std::ofstream(p.submission / "backprop.cpp") << *text;
  std::vector<std::string> args{"--source", kSource.string(), "--build", kBuild.string(), "--color", "never",
                                "autograde", "--labs", "01", "--submission", p.submission.string(),
                                "--work", p.work.string(), "--results", p.results.string(), "--json", p.json.string(),
                                "--no-plots"};
  args.insert(args.end(), extra.begin(), extra.end());
  Graded g{grader(args, env), json(), json()};
  std::cout << "[" << name << ": autograde took " << g.run.seconds << " s]\n";
  g.results = json::parse(read_text(p.results), nullptr, false);
  const json all = json::parse(read_text(p.json), nullptr, false);
  if (all.is_array() && !all.empty()) g.lab = all.at(0);
  return g;
}

std::map<std::string, double> group_scores(const json& lab) {
  std::map<std::string, double> scores;
  for (const json& g : lab.at("groups")) scores[g.at("name").get<std::string>()] = g.at("score").get<double>();
  return scores;
}

// Grades an attack and checks what every attack must leave intact: the trusted files,
// the results (also a while later), no surviving process.
Graded grade_attack(const std::string& name, const std::vector<fs::path>& attacks) {
  const Paths p = paths_of(name);
  const auto before = snapshot();
  Graded g = autograde(name, submission_text(attacks, p), {}, kNoStaticChecks);
  EXPECT_EQ(g.run.exit_code, 0) << g.run.out << g.run.err;
  EXPECT_TRUE(g.lab.is_object()) << g.run.out << g.run.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a leftover process would write by now
  EXPECT_EQ(survivors("glhostile"), std::vector<std::string>{}) << "processes of the submission outlived its grading";
  EXPECT_EQ(snapshot(), before) << "a trusted file changed";
  EXPECT_EQ(files_with_token(p.root), std::vector<std::string>{}) << "the submission wrote outside its scratch folder";
  EXPECT_EQ(files_with_token(kSource / "labs/01_backprop"), std::vector<std::string>{});
  return g;
}

bool forbidden(const Graded& g) { return g.lab.is_object() && g.lab.value("status", "") == "forbidden call"; }

bool needs_isolation() {
  if (sandbox_support().isolated) return false;
  std::cout << "[skipped: the sandbox cannot run here: " << sandbox_support().why << "]\n";
  return true;
}

}  // namespace

// ---------------------------------------------------------------- the attacks

// Writes into the trusted tree and the results, a process left behind to rewrite the
// results later, signals to the parent and to every process, a grandchild holding the
// pipes, a fork bomb, a 2 GB file: only the 2 GB file's tests lose points (CRASHED by
// RLIMIT_FSIZE); every other test passes as the solution's do.
TEST(GraderHostile, SandboxEscapeChangesNothingButItsOwnTests) {
  if (needs_isolation()) GTEST_SKIP();
  const Graded g = grade_attack("sandbox_escape", {kHostile / "sandbox_common/preamble.cpp", kHostile / "sandbox_escape/attack.cpp"});
  ASSERT_TRUE(g.lab.is_object());
  ASSERT_FALSE(forbidden(g)) << "graded without the static checks";
  EXPECT_TRUE(g.lab.at("isolated").get<bool>());
  EXPECT_LT(g.run.seconds, 400) << "a grandchild holding the pipes must not hold the grader";
  int file_limit_crashes = 0;
  for (const json& t : g.lab.at("tests")) {
    const std::string status = t.at("status"), group = t.at("group"), message = t.at("message");
    if (group == "unary" && status == "CRASHED" && message.find("SIGXFSZ") != std::string::npos) {
      ++file_limit_crashes;
      continue;
    }
    EXPECT_EQ(status, "PASS") << t.dump(2);
  }
  EXPECT_GT(file_limit_crashes, 0) << "the 2 GB file must be stopped by RLIMIT_FSIZE";
  double max = 0;
  for (const json& group : g.lab.at("groups"))
    if (group.at("name") != "unary") {
      EXPECT_NEAR(group.at("score").get<double>(), group.at("points").get<double>(), 1e-9) << group.dump();
      max += group.at("points").get<double>();
    }
  EXPECT_LT(g.lab.at("score").get<double>(), g.lab.at("max").get<double>());
  EXPECT_TRUE(g.results.is_object() && g.results.at("score").is_number()) << g.results.dump(2);
}

// Failures hidden by re-running with another filter, by sharding variables, by an
// emptied report: each hidden test is NOT RUN or FAIL, no group earns more than the
// same wrong functions earn without the attacks.
TEST(GraderHostile, GtestReportTricksEarnNothing) {
  if (needs_isolation()) GTEST_SKIP();
  const Graded honest = autograde("sandbox_gtest_honest", submission_text({kHostile / "sandbox_gtest/honest.cpp"},
                                                                          paths_of("sandbox_gtest_honest")), {}, kNoStaticChecks);
  ASSERT_TRUE(honest.lab.is_object()) << honest.run.out << honest.run.err;
  const Graded g = grade_attack("sandbox_gtest", {kHostile / "sandbox_common/preamble.cpp", kHostile / "sandbox_gtest/attack.cpp"});
  ASSERT_TRUE(g.lab.is_object());
  ASSERT_FALSE(forbidden(g)) << "graded without the static checks";
  const auto honest_groups = group_scores(honest.lab), groups = group_scores(g.lab);
  for (const auto& [name, score] : groups) EXPECT_LE(score, honest_groups.at(name) + 1e-9) << name;
  EXPECT_LE(g.lab.at("score").get<double>(), honest.lab.at("score").get<double>() + 1e-9);
  EXPECT_LT(honest.lab.at("score").get<double>(), honest.lab.at("max").get<double>());
  std::map<std::string, std::string> honest_status;
  for (const json& t : honest.lab.at("tests")) honest_status[t.at("name")] = t.at("status");
  int not_run = 0;
  for (const json& t : g.lab.at("tests")) {
    const std::string name = t.at("name"), status = t.at("status");
    ASSERT_TRUE(honest_status.contains(name)) << name << " is not a test of the trusted list";
    if (status == "PASS") EXPECT_EQ(honest_status[name], "PASS") << name << " passes only by the attack";
    if (status == "NOT RUN") ++not_run;
  }
  EXPECT_EQ(g.lab.at("tests").size(), honest.lab.at("tests").size());
  EXPECT_GT(not_run, 0) << "the hidden tests must be found missing";
  int matmul_not_run = 0;
  for (const json& t : g.lab.at("tests"))
    if (t.at("group") == "matmul" && t.at("status") == "NOT RUN") ++matmul_not_run;
  EXPECT_GT(matmul_not_run, 0) << "the tests a re-run with another filter hid must be found missing";
}

// Not stopped by the sandbox nor by the trusted list: code inside the tested process
// writes a report naming exactly the trusted tests, all passed. The static checks
// (no file or process calls from a student file) stop it: graded with them on, it is a
// forbidden call and earns nothing.
TEST(GraderHostile, ForgedCompleteReportIsAForbiddenCall) {
  const Paths p = paths_of("sandbox_report_forgery");
  const Graded g = autograde("sandbox_report_forgery", submission_text({kHostile / "sandbox_common/preamble.cpp",
                                                                        kHostile / "sandbox_report_forgery/attack.cpp"}, p));
  ASSERT_TRUE(g.lab.is_object()) << g.run.out << g.run.err;
  EXPECT_TRUE(forbidden(g)) << g.lab.dump(2).substr(0, 2000);
  EXPECT_EQ(g.lab.at("score").get<double>(), 0.0);
}

// ---------------------------------------------------------------- the fallback

// Where the sandbox cannot run (forced here), autograde refuses unless told, and
// says why; with --allow-unisolated it grades and marks the result.
TEST(GraderHostile, UnisolatedAutogradeRefusesUnlessAllowed) {
  const std::vector<std::pair<std::string, std::string>> off{{"GRADLAB_SANDBOX", "off"}};
  const Graded refused = autograde("unisolated_refused", std::nullopt, {}, off);
  EXPECT_EQ(refused.run.exit_code, 2) << refused.run.out << refused.run.err;
  EXPECT_NE(refused.run.err.find("NOT ISOLATED"), std::string::npos) << refused.run.err;
  EXPECT_NE(refused.run.err.find("GRADLAB_SANDBOX=off"), std::string::npos) << refused.run.err;
  ASSERT_TRUE(refused.results.is_object()) << "a refusal still writes results.json";
  EXPECT_NE(refused.results.at("output").get<std::string>().find("refused"), std::string::npos) << refused.results.dump(2);

  const Graded allowed = autograde("unisolated_allowed", read_text(kSolution), {"--allow-unisolated"}, off);
  EXPECT_EQ(allowed.run.exit_code, 0) << allowed.run.out << allowed.run.err;
  ASSERT_TRUE(allowed.lab.is_object()) << allowed.run.out << allowed.run.err;
  EXPECT_FALSE(allowed.lab.at("isolated").get<bool>());
  EXPECT_NEAR(allowed.lab.at("score").get<double>(), allowed.lab.at("max").get<double>(), 1e-9);
  // The note comes once, not once per run.
  const std::string err = allowed.run.err;
  EXPECT_EQ(err.find("NOT ISOLATED"), err.rfind("NOT ISOLATED")) << err;
}

// SIGTERM to a grading (Gradescope's timeout): the sandbox is killed and results.json
// still says what happened.
TEST(GraderHostile, SigtermStillWritesAResult) {
  const Paths p = paths_of("sigterm");
  fs::remove_all(p.root);
  fs::create_directories(p.submission);
  fs::create_directories(p.results.parent_path());
  std::string text = read_text(kSolution);
  const std::string region = "// BEGIN SOLUTION";
  text.replace(text.find(region), region.size(), region + "\n  for (volatile long i = 0;; ++i) {}");  // hangs
  std::ofstream(p.submission / "backprop.cpp") << text;
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl(GRADER_EXE, GRADER_EXE, "--source", kSource.c_str(), "--build", kBuild.c_str(), "autograde", "--labs", "01",
            "--submission", p.submission.c_str(), "--work", p.work.c_str(), "--results", p.results.c_str(),
            "--no-plots", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait for the hanging test to run (the working build comes first), then stop the grader.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  bool running = false;
  while (!running && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    for (const std::string& s : find_processes((p.work / "01_backprop/bin/lab01_tests_student").string()))
      if (s.find("--gtest_filter") != std::string::npos) running = true;
  }
  ASSERT_TRUE(running) << "the graded tests never started";
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status)) << "the grader died of the signal instead of writing its result";
  const json r = json::parse(read_text(p.results), nullptr, false);
  ASSERT_TRUE(r.is_object()) << read_text(p.results);
  EXPECT_NE(r.at("output").get<std::string>().find("interrupted by SIGTERM"), std::string::npos) << r.dump(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(survivors(p.work.string()), std::vector<std::string>{});
}

// ---------------------------------------------------------------- run by run

namespace {

gradlab::grader::ProcessResult sandboxed(const std::string& script, const Scratch& scratch, double wall = 20) {
  ProcessRequest request;
  request.argv = {"/bin/sh", "-c", script};
  request.limits = {10, wall, 512, 256};
  request.sandbox = SandboxSpec{scratch.path(), kSource, {}, {kBuild}};
  return run_process(request);
}

}  // namespace

TEST(GraderSandbox, OnlyTheScratchFolderIsWritableAndSolutionsAreHidden) {
  if (needs_isolation()) GTEST_SKIP();
  const Scratch scratch;
  const fs::path outside = kScratch / "outside.txt";
  fs::create_directories(kScratch);
  fs::remove(outside);
  const auto p = sandboxed("echo x > " + (kSource / "labs/01_backprop/planted.txt").string() + "; echo x > " +
                               outside.string() + "; echo x > /tmp/planted-glh; echo ok > \"$TMPDIR/mine\"; "
                               "ls -A " + (kSource / "solutions").string() + "; ls -A " + kBuild.string() +
                               "; echo HOME=$HOME; pwd",
                           scratch);
  EXPECT_TRUE(p.isolated);
  EXPECT_FALSE(fs::exists(kSource / "labs/01_backprop/planted.txt"));
  EXPECT_FALSE(fs::exists(outside));
  if (p.isolated) EXPECT_TRUE(fs::exists(scratch.path() / "tmp/planted-glh")) << "/tmp is the scratch folder's tmp/";
  EXPECT_EQ(read_text(scratch.path() / "mine"), "ok\n") << p.err;
  EXPECT_EQ(p.out, "HOME=" + scratch.path().string() + "\n" + scratch.path().string() + "\n")
      << "solutions/ and the build must look empty\n" << p.err;
}

TEST(GraderSandbox, ATreeAndAProgramUnderTmpAreStillThere) {
  // A clone in /tmp: the sandbox's own /tmp must not hide it.
  if (needs_isolation()) GTEST_SKIP();
  const fs::path tree = fs::temp_directory_path() / ("gradlab-tree-" + std::to_string(::getpid()));
  fs::create_directories(tree / "build/bin");
  const fs::path program = tree / "build/bin/hello";
  gradlab::grader::write_file_atomically(program, "#!/bin/sh\necho hello from $0\n");
  fs::permissions(program, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(tree, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  const Scratch scratch;
  ProcessRequest request;
  request.argv = {program.string()};
  request.limits = {10, 20, 512, 256};
  request.sandbox = SandboxSpec{scratch.path(), tree, {program}, {tree / "build"}};
  const auto p = run_process(request);
  fs::remove_all(tree);
  EXPECT_TRUE(p.ok()) << p.out << p.err;
  EXPECT_EQ(p.out, "hello from " + program.string() + "\n") << p.err;
}

TEST(GraderSandbox, FoldersHiddenInEverySandboxLookEmpty) {
  // `report` hides its own folder and the class's submissions this way.
  if (needs_isolation()) GTEST_SKIP();
  const fs::path folder = kSource / "docs" / "cluster";
  ASSERT_FALSE(fs::is_empty(folder));
  gradlab::grader::hide_in_every_sandbox({folder});
  const Scratch scratch;
  const auto p = sandboxed("ls -A " + folder.string() + "; echo listed", scratch);
  EXPECT_EQ(p.out, "listed\n") << p.err;
}

TEST(GraderSandbox, NothingOutlivesTheRunAndTheGraderDoesNotWaitForIt) {
  const Scratch scratch;
  // A grandchild in a new session holding stdout, sleeping an odd time to be found.
  const auto p = sandboxed("setsid sleep 1234.567 & sleep 0.2; echo done", scratch);
  EXPECT_EQ(p.out, "done\n");
  EXPECT_LT(p.wall_seconds, 5.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto left = survivors("sleep 1234.567");
  if (sandbox_support().isolated) EXPECT_EQ(left, std::vector<std::string>{});  // unisolated: setsid escapes the group
}

TEST(GraderSandbox, TheChildCannotSignalTheGrader) {
  if (needs_isolation()) GTEST_SKIP();
  const Scratch scratch;
  const auto p = sandboxed("kill -STOP $PPID; kill -KILL 1; kill -STOP -1; echo alive", scratch);
  EXPECT_EQ(::getppid() > 0, true);  // still here, not stopped
  EXPECT_FALSE(p.timed_out);
}

TEST(GraderSandbox, GtestVariablesAreNotInheritedAndFilesAreLimited) {
  const Scratch scratch;
  ::setenv("GTEST_FILTER", "Nothing.*", 1);
  ::setenv("GTEST_TOTAL_SHARDS", "7", 1);
  const auto env = sandboxed("env", scratch);
  ::unsetenv("GTEST_FILTER");
  ::unsetenv("GTEST_TOTAL_SHARDS");
  EXPECT_EQ(env.out.find("GTEST_"), std::string::npos) << env.out;
  EXPECT_NE(env.out.find("TMPDIR=" + scratch.path().string()), std::string::npos) << env.out;
  const auto big = sandboxed("exec head -c 100000000 /dev/zero > big.bin", scratch);
  EXPECT_EQ(big.signal, SIGXFSZ) << big.exit_code << " " << big.err;
  EXPECT_LE(fs::file_size(scratch.path() / "big.bin"), std::uintmax_t{64} << 20);
}

// Not a check: how much one sandboxed run costs over a bare one.
TEST(GraderSandbox, OverheadPerRun) {
  if (needs_isolation()) GTEST_SKIP();
  const int n = 20;
  const auto time = [&](bool sandbox) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      const Scratch scratch;
      ProcessRequest request;
      request.argv = {"true"};
      request.limits = {10, 20, 0, 64};
      if (sandbox) request.sandbox = SandboxSpec{scratch.path(), kSource, {}, {kBuild}};
      EXPECT_TRUE(run_process(request).ok());
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / n * 1000;
  };
  const double bare = time(false), boxed = time(true);
  std::cout << "[per run: " << bare << " ms bare, " << boxed << " ms sandboxed]\n";
  EXPECT_LT(boxed, 1000.0);
}

// ---------------------------------------------------------------- the trusted list

TEST(GraderTrustedList, AReportIsAcceptedOnlyWhenItNamesEveryTrustedTestOnce) {
  using gradlab::grader::GtestCase;
  using gradlab::grader::match_trusted;
  using gradlab::grader::TestStatus;
  const std::vector<std::string> trusted{"A.one", "A.two", "B.three"};
  const GtestCase one{"A.one", TestStatus::Pass, ""}, two{"A.two", TestStatus::Fail, "x"},
      three{"B.three", TestStatus::Pass, ""}, other{"C.four", TestStatus::Pass, ""};
  const auto matched = match_trusted({three, one, two}, trusted);
  ASSERT_TRUE(matched);
  ASSERT_EQ(matched->size(), 3u);
  EXPECT_EQ((*matched)[0].name, "A.one");  // in the trusted order
  EXPECT_EQ((*matched)[1].status, TestStatus::Fail);
  EXPECT_FALSE(match_trusted({one, three}, trusted)) << "a failing test left out";
  EXPECT_FALSE(match_trusted({one, two, three, other}, trusted)) << "a test not in the list";
  EXPECT_FALSE(match_trusted({one, one, three}, trusted)) << "a test reported twice in place of another";
  EXPECT_FALSE(match_trusted({one, two, other}, trusted)) << "as many tests, another name";
  EXPECT_FALSE(match_trusted({}, trusted));
}

TEST(GraderTrustedList, SkippedAndNotRunNeverCountAsPassed) {
  using gradlab::grader::TestStatus;
  EXPECT_TRUE(gradlab::grader::counts_as_passed(TestStatus::Pass));
  EXPECT_FALSE(gradlab::grader::counts_as_passed(TestStatus::Skipped));
  EXPECT_FALSE(gradlab::grader::counts_as_passed(TestStatus::NotRun));
  EXPECT_EQ(gradlab::grader::to_string(TestStatus::NotRun), "NOT RUN");
  EXPECT_EQ(gradlab::grader::test_status_from_string("NOT RUN"), TestStatus::NotRun);
}

TEST(GraderTrustedList, TheCommandLineSetsEveryFlagThatChangesWhatRuns) {
  const auto argv = gradlab::grader::gtest_command("/x/tests", "A.*", "/s/report.json");
  const std::set<std::string> args(argv.begin(), argv.end());
  for (const char* flag : {"--gtest_filter=A.*", "--gtest_output=json:/s/report.json", "--gtest_repeat=1",
                           "--gtest_also_run_disabled_tests=0", "--gtest_fail_fast=0", "--gtest_shuffle=0"})
    EXPECT_TRUE(args.contains(flag)) << flag;
  EXPECT_EQ(argv.front(), "/x/tests");
}

// A root grader's sandbox runs as nobody, whose process count RLIMIT_NPROC bounds: a
// fork bomb runs out of processes instead of taking the machine.
TEST(GraderSandbox, UnderRootTheSandboxIsNobodyAndForksAreBounded) {
  if (needs_isolation()) GTEST_SKIP();
  if (::geteuid() != 0 || !sandbox_support().as_nobody) GTEST_SKIP() << "not root, or no unprivileged user namespaces";
  const Scratch scratch;
  EXPECT_EQ(sandboxed("id -u", scratch).out, "65534\n");
  const auto bomb = sandboxed("i=0; while [ $i -lt 3000 ]; do sleep 1234.678 & i=$((i+1)); done; echo spawned", scratch);
  EXPECT_NE(bomb.err.find("fork"), std::string::npos) << "3000 processes were allowed\n" << bomb.err.substr(0, 500);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(survivors("sleep 1234.678"), std::vector<std::string>{});
}
