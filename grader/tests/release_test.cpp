// `grader release`: which lines identify a solution region, and the errors that stop a
// release before it writes anything. (Building an edition from scratch is the ctest
// grader.release.edition_builds_and_grades, release_check.cmake.)
#include "grader_testing.h"
#include "release.h"

namespace gradlab::grader::testing {
namespace {

TEST(SolutionFingerprints, TheLongestLineOfEachRegion) {
  const std::string text =
      "void f(Matrix& y) {\n"
      "  // BEGIN SOLUTION\n"
      "  y = x.array().exp();\n"
      "    y.array() /= y.rowwise().sum().replicate(1, y.cols()).array();  \n"
      "  // END SOLUTION\n"
      "  // BEGIN STUB\n"
      "  throw NotImplemented(\"lab 02: softmax_forward\");\n"
      "  // END STUB\n"
      "}\n"
      "  // BEGIN SOLUTION\n"
      "  return;\n"
      "  // END SOLUTION\n"
      "  // BEGIN SOLUTION\n"
      "  const Scalar m = x.maxCoeff();\n"
      "  // END SOLUTION\n";
  const std::vector<std::string> expected{"y.array() /= y.rowwise().sum().replicate(1, y.cols()).array();",
                                          "const Scalar m = x.maxCoeff();"};
  // The second region ("return;") is too short to identify anything.
  EXPECT_EQ(solution_fingerprints(text), expected);
  EXPECT_TRUE(solution_fingerprints("int main() {}\n").empty());
}

TEST(ReleaseCommand, RefusesAFolderThatHoldsFilesAndWritesNothing) {
  const fs::path tree = fixture_copy("release_nonempty");
  const fs::path out = tree / "edition";
  fs::create_directories(out);
  std::ofstream(out / "notes.txt") << "mine";
  const GraderRun run = grader(concat(fixture_args(tree), {"release", "--out", out.string()}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("holds files"), std::string::npos) << run.err;
  EXPECT_EQ(read_text(out / "notes.txt"), "mine");
  for (const auto& entry : fs::directory_iterator(tree))
    EXPECT_FALSE(entry.path().filename().string().starts_with(".edition.partial")) << entry.path();
}

TEST(ReleaseCommand, NamesAnUnknownLabAndAMissingOut) {
  const fs::path tree = fixture_copy("release_unknown");
  GraderRun run = grader(concat(fixture_args(tree), {"release", "--out", (tree / "e").string(), "--reveal", "98,77"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("there is no lab 77"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(tree / "e"));
  run = grader(concat(fixture_args(tree), {"release"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("release --out"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace gradlab::grader::testing
