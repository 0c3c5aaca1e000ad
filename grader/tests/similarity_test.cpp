// Unit tests of the similarity check of `grader report` (similarity.h).
#include "similarity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace gradlab::grader;

namespace {

std::string texts(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out.append(t.text);
  }
  return out;
}

// The given code: a stub with two functions to write.
const std::string kStub = R"(#include "kernels.h"
// Write both.
void scale(const double* x, double* y, int n, double a) {
  throw NotImplemented("scale");
}
double total(const double* x, int n) {
  throw NotImplemented("total");
}
)";

// One student's work.
const std::string kAlice = R"(#include "kernels.h"
// Write both.
void scale(const double* x, double* y, int n, double a) {
  for (int i = 0; i < n; ++i) {
    double v = x[i];
    y[i] = a * v;
  }
}
double total(const double* x, int n) {
  double sum = 0.0;
  int count = 0;
  while (count < n) {
    sum += x[count];
    count = count + 1;
  }
  return sum;
}
)";

// Alice's code with new names, new comments and another layout.
const std::string kBob = R"(#include "kernels.h"
/* my solution */
void scale(const double* x, double* y, int n, double a)
{
    for (int k = 0; k < n; ++k)
    {
        double value = x[k];   // read
        y[k] = a * value;      // write
    }
}

double total(const double* x, int n)
{
    double acc = 0.5;
    int j = 0;
    while (j < n) { acc += x[j]; j = j + 1; }
    return acc;
}
)";

// The same two functions written another way.
const std::string kCarol = R"(#include "kernels.h"
#include <numeric>
void scale(const double* x, double* y, int n, double a) {
  std::transform(x, x + n, y, [a](double e) { return e * a; });
}
double total(const double* x, int n) {
  return std::accumulate(x, x + n, 0.0);
}
)";

}  // namespace

TEST(Similarity, TokensIgnoreCommentsLayoutAndPreprocessorLines) {
  const std::string a = "#include <x>\nint f(int a) { // one\n  return a + 1; }\n";
  const std::string b = "/* two */ int   f(int a)\n{\n#define Q 3\n return a+1;\n}";
  EXPECT_EQ(texts(normalized_tokens(a, {})), texts(normalized_tokens(b, {})));
  EXPECT_EQ(texts(normalized_tokens(a, {})), "int I ( int I ) { return I + N ; }");
}

TEST(Similarity, ChosenNamesAreOneTokenAndGivenOrLibraryNamesStay) {
  const std::vector<std::string> given = identifiers_of("void scale(double* x);");
  EXPECT_EQ(given, (std::vector<std::string>{"scale", "x"}));
  EXPECT_EQ(texts(normalized_tokens("scale(x); helper(tmp); std::exp(v.size());", given)),
            "scale ( x ) ; I ( I ) ; I :: exp ( I . size ( ) ) ;");
  // std::exp and std::log are different code, not a renaming.
  EXPECT_NE(texts(normalized_tokens("y = std::exp(x);", given)), texts(normalized_tokens("y = std::log(x);", given)));
}

TEST(Similarity, LiteralsOperatorsAndLineNumbers) {
  const std::vector<Token> t = normalized_tokens("a <<= 1.5e-3;\ns = \"x\\\"y\" + 'c' + R\"d(raw \" )\" )d\";\nb->c", {});
  EXPECT_EQ(texts(t), "I <<= N ; I = S + S + S ; I -> c");
  EXPECT_EQ(t.front().line, 1);
  EXPECT_EQ(t.back().line, 3);
}

TEST(Similarity, ARenamedReformattedCopyIsReportedAndAnotherSolutionIsNot) {
  const std::vector<SimilarPair> pairs =
      similar_pairs({{"carol", kCarol}, {"bob", kBob}, {"alice", kAlice}}, kStub, {.k = 6, .min_fingerprints = 5});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].a, "alice");
  EXPECT_EQ(pairs[0].b, "bob");
  EXPECT_DOUBLE_EQ(pairs[0].similarity, 1.0);
  EXPECT_TRUE(pairs[0].identical);
  // Every line of alice's own code is shared (4–7 and 10–16), and the headers where it
  // starts; the stub's first lines are not.
  EXPECT_EQ(pairs[0].lines_a.front(), 3);
  for (int line : {4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16})
    EXPECT_TRUE(std::find(pairs[0].lines_a.begin(), pairs[0].lines_a.end(), line) != pairs[0].lines_a.end()) << line;
}

TEST(Similarity, HalfCopiedStillCountsByContainment) {
  // Dave copied alice's `total` and wrote his own `scale`: all of his own code is
  // shared or his, and containment measures the share of the smaller file.
  std::string dave = kCarol;
  dave.replace(dave.find("double total"), std::string::npos, kAlice.substr(kAlice.find("double total")));
  const std::vector<SimilarPair> pairs =
      similar_pairs({{"alice", kAlice}, {"dave", dave}}, kStub, {.k = 6, .threshold = 0.5, .min_fingerprints = 5});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_FALSE(pairs[0].identical);
  EXPECT_GT(pairs[0].similarity, 0.5);
  EXPECT_LT(pairs[0].similarity, 1.0);
}

TEST(Similarity, TheGivenCodeAndUntouchedStubsNeverCount) {
  // Two untouched stubs are identical but contain nothing of their own.
  EXPECT_TRUE(similar_pairs({{"s1", kStub}, {"s2", kStub}}, kStub, {.k = 6, .min_fingerprints = 1}).empty());
  // With the stub's k-grams counted, two different solutions would share the stub's text.
  const auto without = similar_pairs({{"alice", kAlice}, {"carol", kCarol}}, kStub, {.k = 4, .threshold = 0.0, .min_fingerprints = 1});
  const auto with = similar_pairs({{"alice", kAlice}, {"carol", kCarol}}, "", {.k = 4, .threshold = 0.0, .min_fingerprints = 1});
  ASSERT_EQ(without.size(), 1u);
  ASSERT_EQ(with.size(), 1u);
  EXPECT_LT(without[0].shared, with[0].shared);
}

TEST(Similarity, UnterminatedCommentsAndLiteralsDoNotHang) {
  for (const std::string bad : {"int a; /* open", "s = \"open", "r = R\"x(open", "#define A \\", "'"})
    EXPECT_LE(normalized_tokens(bad, {}).size(), 4u) << bad;
}
