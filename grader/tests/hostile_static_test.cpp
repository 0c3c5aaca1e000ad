// The static side of the hostile suite (issue 14): submissions that include the
// reference, start processes, write files, make raw system calls, run code before main,
// borrow another lab's kernel or Eigen's GEMM, or game lab 10's bench. Each is graded
// the way `grader autograde` and `grader report` grade a submission: grade_lab with a
// working build (working_build.h) derived from this repository's build, so that the
// trusted tree and its build directory stay untouched.
//
// Each asserts the typed status, the message, and that no point was earned for the
// part it attacks. The submissions are grader/tests/hostile/static_*.cpp: a whole file,
// or an addition appended to the reference (so that, without the checks, it would
// score full marks).
#include "bench_command.h"
#include "experiment.h"
#include "grade.h"
#include "inspect.h"
#include "manifest.h"
#include "result.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

namespace fs = std::filesystem;
using namespace gradlab::grader;

namespace {

const fs::path kSource = GRADLAB_TEST_SOURCE_DIR;
const fs::path kBuild = GRADLAB_TEST_BINARY_DIR;
const fs::path kHostile = HOSTILE_DIR;
const fs::path kScratch = fs::path(GRADER_SCRATCH) / "hostile_static";

std::string hostile(const std::string& name) {
  std::string text = read_text(kHostile / name);
  EXPECT_FALSE(text.empty()) << "cannot read " << (kHostile / name);
  return text;
}

std::string replace_all_in(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

// The folder a submission's files go to: kScratch/NAME/files.
fs::path files_dir(const std::string& name) { return kScratch / name / "files"; }

// Grades lab \p lab with its student file \p file replaced by \p text, as a submission.
LabResult grade_submission(const std::string& lab, const std::string& name, const std::string& file,
                           const std::string& text, bool bench = false) {
  const Manifest m = find_lab(kSource, lab);
  const fs::path work = kScratch / name;
  fs::remove_all(work);
  fs::create_directories(files_dir(name));
  for (const std::string& f : m.student_files) fs::copy_file(m.dir / f, files_dir(name) / f);
  std::ofstream(files_dir(name) / file, std::ios::trunc) << text;
  GradeRequest q;
  q.source = kSource;
  q.build = kBuild;
  q.files_dir = files_dir(name);
  q.work_dir = work;
  q.student_bin = work / "bin";
  q.out_dir = work / "out";
  q.plots = false;
  q.bench = bench;
  q.hidden = false;
  q.bench_args = {"--sizes", "16,33", "--samples", "2", "--no-train", "--no-terminal-plot", "--no-peak"};
  GradeObserver quiet;
  return grade_lab(m, q, quiet);
}

std::string reference_of(const std::string& slug, const std::string& file) {
  return read_text(kSource / "solutions" / slug / file);
}

// The assertions every statically stopped submission shares.
void expect_forbidden(const LabResult& r, const std::string& mentions) {
  EXPECT_EQ(r.status, LabStatus::ForbiddenCall) << to_string(r.status);
  ASSERT_TRUE(r.compile_error.has_value());
  EXPECT_TRUE(r.compile_error->forbidden);
  EXPECT_NE(r.compile_error->message.find(mentions), std::string::npos) << r.compile_error->message;
  EXPECT_EQ(r.score, 0.0);
  EXPECT_TRUE(r.tests.empty()) << "nothing of a forbidden submission runs";
  EXPECT_FALSE(r.bench.has_value());
}

}  // namespace

// ------------------------------------------------------------ the policy, unit by unit

TEST(StaticPolicy, DepfileListsEveryPrerequisite) {
  const auto files = read_depfile("obj/a.o: /src/a.cpp /usr/include/c++/12/vector \\\n  /x/with\\ space.h\n");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0], "/src/a.cpp");
  EXPECT_EQ(files[2], "/x/with space.h");
}

TEST(StaticPolicy, DeniesProcessFileAndEnvironmentCallsAndAllowsMathAndTemplates) {
  StaticPolicy policy;
  for (const char* denied : {"fork", "execve", "system", "popen", "kill", "sigaction", "fopen64", "open",
                             "rename", "remove", "setenv", "dlopen", "syscall", "mmap64", "socket",
                             "std::basic_ofstream<char, std::char_traits<char> >::basic_ofstream()",
                             "std::filesystem::remove(std::filesystem::path const&)", "getenv", "puts"})
    EXPECT_NE(why_forbidden(denied, policy), "") << denied;
  for (const char* allowed : {"exp", "log1p", "tanh", "memcpy", "operator new(unsigned long)", "__cxa_throw",
                              "_Unwind_Resume", "std::__throw_length_error(char const*)", "GOMP_parallel",
                              "gradlab::shape_string[abi:cxx11](long, long)", "_ZGVdN4v_exp"})
    EXPECT_EQ(why_forbidden(allowed, policy), "") << allowed;
  policy.forbidden_symbols = {"gradlab::kernels::log_softmax_*", "Eigen::internal::gemm"};
  policy.forbidden_reason = "not here";
  EXPECT_EQ(why_forbidden("gradlab::kernels::log_softmax_forward(x)", policy), "not here");
  EXPECT_EQ(why_forbidden("Eigen::internal::gemm_pack_rhs<double>::operator()", policy), "not here");  // a prefix
  policy.allowed_symbols = {"std::basic_ofstream*"};
  EXPECT_EQ(why_forbidden("std::basic_ofstream<char>::close()", policy), "");
}

TEST(StaticPolicy, ManifestsOfLabs03And10ListTheirForbiddenSymbols) {
  const Manifest m03 = find_lab(kSource, "03");
  const Manifest m10 = find_lab(kSource, "10");
  EXPECT_FALSE(m03.forbidden_symbols.empty());
  EXPECT_FALSE(m10.forbidden_symbols.empty());
  EXPECT_NE(why_forbidden("gradlab::kernels::log_softmax_forward(a, b)", static_policy(m03, kSource, kBuild, {})), "");
  EXPECT_NE(why_forbidden("Eigen::internal::general_matrix_matrix_product<long, double>::run()",
                          static_policy(m10, kSource, kBuild, {})), "");
}

// Every lab's reference, compiled with the labs' flags, passes every check (the student
// objects share its flags but -Wno-unused-*): the checks reject no honest solution.
TEST(StaticPolicy, EveryReferenceSolutionPassesTheChecks) {
  int checked = 0;
  for (const Manifest& m : discover_labs(kSource)) {
    if (!fs::is_directory(kSource / "solutions" / m.slug)) continue;
    const auto start = std::chrono::steady_clock::now();
    const std::vector<CompiledFile> files = lab_compiled_files(m, kSource, kBuild, "reference");
    EXPECT_EQ(files.size(), m.student_files.size()) << m.slug;
    const StaticPolicy policy = static_policy(m, kSource, kBuild, kSource / "solutions" / m.slug);
    for (const CompiledFile& f : files) {
      const auto violation = check_compiled_file(f, policy, kSource);
      EXPECT_FALSE(violation.has_value()) << m.slug << ": " << violation->message;
      ++checked;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "[lab " << m.id << ": " << files.size() << " file(s) inspected in " << seconds << " s]\n";
  }
  EXPECT_GT(checked, 10);
}

// ------------------------------------------------------------- bench and experiments

TEST(BenchFigures, ForgedOrImplausibleFiguresEarnNothingAndPointsAreCapped) {
  const Manifest m = find_lab(kSource, "10");
  const auto shape = [](double student_seconds, double student_gflops, bool correct) {
    return nlohmann::json{{"label", "64"}, {"flops", 2.0 * 64 * 64 * 64}, {"student_correct", correct},
                          {"student", {{"seconds", student_seconds}, {"gflops", student_gflops}}},
                          {"reference", {{"seconds", 1e-4}, {"gflops", 2.0 * 64 * 64 * 64 / 1e-4 * 1e-9}}}};
  };
  const double honest = 2.0 * 64 * 64 * 64 / 2e-4 * 1e-9;  // half the reference's speed
  nlohmann::json doc{{"threads", 1}, {"student_correct", true}, {"shapes", {shape(2e-4, honest, true)}},
                     {"score", {{"points", 1000}, {"max", 40}}}};
  BenchOutcome o = bench_outcome_from_json(doc, m, false);
  ASSERT_TRUE(o.ran) << o.message;
  EXPECT_NEAR(o.ratio, 0.5, 1e-9);
  EXPECT_LE(o.score, m.bench_points);  // the bench's own "score" (1000) is ignored
  EXPECT_NEAR(o.score, m.bench_points * std::clamp((0.5 - m.bench_zero_at) / (m.bench_full_at - m.bench_zero_at), 0.0, 1.0), 1e-9);

  doc["shapes"] = {shape(2e-4, honest * 10, true)};  // GFLOP/s that disagree with the seconds
  EXPECT_FALSE(bench_outcome_from_json(doc, m, false).ran);
  doc["shapes"] = {shape(1e-7, 2.0 * 64 * 64 * 64 / 1e-7 * 1e-9, true)};  // 1000x the reference
  o = bench_outcome_from_json(doc, m, false);
  EXPECT_FALSE(o.ran);
  EXPECT_EQ(o.score, 0.0);
  EXPECT_NE(o.message.find("not valid"), std::string::npos) << o.message;
  doc["shapes"] = {shape(2e-4, honest, false)};  // a wrong product
  EXPECT_EQ(bench_outcome_from_json(doc, m, false).score, 0.0);
  doc = nlohmann::json{{"student_correct", true}, {"score", {{"points", 1060}}}};  // no figures at all
  EXPECT_FALSE(bench_outcome_from_json(doc, m, false).ran);
  EXPECT_FALSE(bench_outcome_from_json(nlohmann::json(), m, false).ran);
}

TEST(ExperimentOutput, InfiniteOutOfRangeAndMissingSeriesCountAsNotRun) {
  Manifest m;
  Experiment e;
  e.name = "curves";
  e.y_min = 0;
  e.y_max = 10;
  m.experiments = {e};
  Plot plot;
  plot.name = "p";
  plot.experiment = "curves";
  plot.series = {"loss"};
  m.plots = {plot};
  ExperimentRun run;
  run.variant = "student";
  run.series["loss"] = {{0, 1, 2}, {3, 2, std::numeric_limits<double>::quiet_NaN()}};  // NaN: a gap
  EXPECT_EQ(experiment_problem(m, e, run), "");
  run.series["loss"].y[1] = std::numeric_limits<double>::infinity();
  EXPECT_NE(experiment_problem(m, e, run).find("infinite"), std::string::npos);
  run.series["loss"].y[1] = 11;
  EXPECT_NE(experiment_problem(m, e, run).find("outside the range"), std::string::npos);
  run.series["loss"].y[1] = 1;
  run.series["loss"].x.pop_back();
  EXPECT_NE(experiment_problem(m, e, run).find("x values"), std::string::npos);
  run.series.clear();
  EXPECT_NE(experiment_problem(m, e, run).find("wrote no series \"loss\""), std::string::npos);
  run.failed_parts.push_back({"loss", "not implemented"});  // a failed part explains it
  EXPECT_EQ(experiment_problem(m, e, run), "");
}

// ----------------------------------------------------------- hostile submissions

// The control: the reference itself, as a submission, passes the checks and scores full marks.
TEST(HostileStatic, TheReferenceAsASubmissionPasses) {
  const LabResult r = grade_submission("03", "control", "losses.cpp", reference_of("03_losses", "losses.cpp"));
  EXPECT_EQ(r.status, LabStatus::Passing) << (r.compile_error ? r.compile_error->message : "");
  EXPECT_NEAR(r.score, r.max, 1e-9);
}

TEST(HostileStatic, IncludingTheSolutionByARelativePathIsForbidden) {
  const fs::path relative = fs::relative(kSource, files_dir("include_relative"));
  const std::string text = replace_all_in(hostile("static_include_solution_relative.cpp"), "@RELATIVE_SOURCE@", relative.string());
  const LabResult r = grade_submission("03", "include_relative", "losses.cpp", text);
  expect_forbidden(r, "forbidden #include");
  EXPECT_NE(r.compile_error->message.find("solutions/03_losses/losses.cpp"), std::string::npos);
  EXPECT_EQ(r.compile_error->line, 4);  // the #include line of the submission
  EXPECT_EQ(r.compile_error->file, "losses.cpp");
}

TEST(HostileStatic, IncludingTheSolutionByAnAbsolutePathIsForbidden) {
  const std::string text = replace_all_in(hostile("static_include_solution_absolute.cpp"), "@SOURCE@", kSource.string());
  const LabResult r = grade_submission("03", "include_absolute", "losses.cpp", text);
  expect_forbidden(r, "forbidden #include");
  EXPECT_NE(r.compile_error->message.find("source file"), std::string::npos) << r.compile_error->message;
}

namespace {
// Lab 03's reference with an attack appended, graded as a submission.
LabResult lab03_with_attack(const std::string& name, const std::string& attack_file) {
  return grade_submission("03", name, "losses.cpp", reference_of("03_losses", "losses.cpp") + hostile(attack_file));
}
}  // namespace

TEST(HostileStatic, AGlobalConstructorIsForbidden) {
  const LabResult r = lab03_with_attack("global_constructor", "static_global_constructor.cpp");
  expect_forbidden(r, "global constructor");
}

TEST(HostileStatic, AConstructorAttributeIsForbidden) {
  const LabResult r = lab03_with_attack("attribute_constructor", "static_attribute_constructor.cpp");
  expect_forbidden(r, "global constructor");
}

// <iostream>'s own static initializer (std::ios_base::Init) is not a student's global
// constructor: printing while debugging stays allowed.
TEST(HostileStatic, IncludingIostreamIsAllowed) {
  const LabResult r = grade_submission("03", "iostream", "losses.cpp",
                                       "#include <iostream>\n" + reference_of("03_losses", "losses.cpp"));
  EXPECT_EQ(r.status, LabStatus::Passing) << (r.compile_error ? r.compile_error->message : "");
}

TEST(HostileStatic, ForkAndSystemAreForbidden) {
  const LabResult r = lab03_with_attack("fork", "static_fork_system.cpp");
  expect_forbidden(r, "processes");
  const std::string& message = r.compile_error->message;
  EXPECT_TRUE(message.find("uses fork") != std::string::npos || message.find("uses system") != std::string::npos) << message;
}

TEST(HostileStatic, AnInlineSystemCallIsForbidden) {
  const LabResult r = lab03_with_attack("syscall", "static_inline_syscall.cpp");
  expect_forbidden(r, "inline system call");
}

TEST(HostileStatic, WritingAFileIsForbidden) {
  const LabResult r = lab03_with_attack("fopen", "static_fopen_write.cpp");
  expect_forbidden(r, "uses fopen");
  EXPECT_FALSE(fs::exists("/tmp/gradlab-hostile-note"));
}

TEST(HostileStatic, Lab03MayNotUseLab02sLogSoftmax) {
  const LabResult r = lab03_with_attack("log_softmax", "static_lab03_log_softmax.cpp");
  expect_forbidden(r, "log_softmax_forward");
  EXPECT_NE(r.compile_error->message.find("log-sum-exp"), std::string::npos) << r.compile_error->message;
}

TEST(HostileStatic, Lab10MayNotUseEigensGemm) {
  const LabResult r = grade_submission("10", "eigen_gemm", "gemm.cpp", hostile("static_lab10_eigen_gemm.cpp"), true);
  expect_forbidden(r, "Eigen::internal::");
}

TEST(HostileStatic, Lab10BenchWritingItsOwnJsonIsForbidden) {
  const LabResult r = grade_submission("10", "bench_json", "gemm.cpp", hostile("static_lab10_bench_json.cpp"), true);
  expect_forbidden(r, "opens, writes, renames or removes files");
  EXPECT_FALSE(fs::exists(kScratch / "bench_json" / "out" / "bench.json"));
}

TEST(HostileStatic, Lab10MemoizingBenchCallsEarnsNoPerformancePoint) {
  const LabResult r = grade_submission("10", "memoize", "gemm.cpp", hostile("static_lab10_memoize.cpp"), true);
  ASSERT_FALSE(r.compile_error.has_value()) << r.compile_error->message;
  ASSERT_TRUE(r.bench.has_value());
  EXPECT_FALSE(r.bench->correct);
  EXPECT_EQ(r.bench->score, 0.0);
  EXPECT_NE(r.bench->message.find("remembered"), std::string::npos) << r.bench->message;
  EXPECT_NE(r.status, LabStatus::Passing);
  EXPECT_FALSE(r.groups.empty()) << "the tests are still scored";
}
