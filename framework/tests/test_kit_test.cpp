// The shared test kit (framework/testing) checked on its own: every lab's tests rely on
// it, so each check must pass what is right and fail what is wrong, with its message.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();
constexpr Scalar kInf = std::numeric_limits<Scalar>::infinity();

// y = 3x with a backward rule that adds (right) or overwrites (wrong).
Tensor tripled(const Tensor& x, bool overwrite) {
  Matrix y = 3.0 * x.value();
  return record_op(std::move(y), "tripled", {&x}, [overwrite](Node& self) {
    Matrix& dx = self.parents[0]->ensure_grad();
    if (overwrite) {
      dx = 3.0 * self.grad;
    } else {
      dx += 3.0 * self.grad;
    }
  });
}

}  // namespace

// ------------------------------------------------------------------ inputs

TEST(TestKitInputs, RandomMatrixIsTheSameForTheSameSeed) {
  EXPECT_EQ(random_matrix(4, 5, 7), random_matrix(4, 5, 7));
  EXPECT_EQ(random_matrix(4, 5, 7, -3.0, 2.0), random_matrix(4, 5, 7, -3.0, 2.0));
  EXPECT_NE(random_matrix(4, 5, 7), random_matrix(4, 5, 8)) << "another seed, other numbers";
}

TEST(TestKitInputs, RandomMatrixDrawsRowMajorFromTheSeededRng) {
  Rng rng(11);
  const Matrix x = random_matrix(3, 2, 11, 0.5, 1.5);
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 2; ++j) EXPECT_EQ(x(i, j), rng.uniform(0.5, 1.5)) << i << ", " << j;
  }
}

TEST(TestKitInputs, RandomMatrixStaysInItsInterval) {
  const Matrix x = random_matrix(50, 40, 3, -2.0, 0.5);
  EXPECT_EQ(x.rows(), 50);
  EXPECT_EQ(x.cols(), 40);
  EXPECT_GE(x.minCoeff(), -2.0);
  EXPECT_LT(x.maxCoeff(), 0.5);
  EXPECT_LT(x.minCoeff(), -1.9) << "2000 draws cover the interval";
  EXPECT_GT(x.maxCoeff(), 0.4);
  EXPECT_EQ(random_matrix(0, 3, 1).rows(), 0);
}

TEST(TestKitInputs, RandomTensorIsAConstantLeafOfTheRandomMatrix) {
  const Tensor t = random_tensor(3, 4, 5, -1.0, 2.0);
  EXPECT_EQ(t.value(), random_matrix(3, 4, 5, -1.0, 2.0));
  EXPECT_FALSE(t.requires_grad());
}

TEST(TestKitInputs, AwayFromKinkKeepsEveryElementAGapAway) {
  const Matrix x = random_matrix(20, 20, 9, -0.5, 0.5);
  for (Scalar kink : {0.0, 0.3, -0.2}) {
    const Matrix moved = away_from_kink(x, kink, 0.1);
    for (Index i = 0; i < x.size(); ++i) {
      const Scalar before = x.data()[i];
      const Scalar after = moved.data()[i];
      EXPECT_GE(std::abs(after - kink), 0.1) << "kink " << kink << ", element " << i;
      EXPECT_EQ(after < kink, before < kink) << "an element stays on its side of the kink";
      if (std::abs(before - kink) >= 0.1) {
        EXPECT_EQ(after, before) << "far elements are kept";
      }
    }
  }
  EXPECT_EQ(away_from_kink(row({0.0}))(0, 0), 0.05) << "exactly at the kink: moved up by the default gap";
}

TEST(TestKitInputs, HandWrittenMatrices) {
  const Matrix m = mat({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(m.rows(), 2);
  EXPECT_EQ(m.cols(), 3);
  EXPECT_EQ(m(1, 0), 4.0);
  EXPECT_EQ(m(0, 2), 3.0);
  EXPECT_EQ(row({-1.0, 0.5}), mat({{-1.0, 0.5}}));
  EXPECT_TRUE(throws_error_mentioning([] { mat({{1, 2}, {3}}); }, {"row 1", "1 values", "2"}));
  EXPECT_EQ(extreme_inputs(), row({-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0}));
}

// ------------------------------------------------------------------ accumulates, through the graph

TEST(TestKitAccumulates, PassesABackwardThatAdds) {
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return tripled(in[0], false); },
                          {random_tensor(3, 4, 1)}, {"x"}));
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return in[0] * in[1]; },
                          {random_tensor(2, 3, 2), random_tensor(2, 3, 3)}, {"a", "b"}));
}

TEST(TestKitAccumulates, FailsABackwardThatOverwritesAndNamesTheInput) {
  const auto result = accumulates(
      [](const std::vector<Tensor>& in) { return in[0] + tripled(in[1], true); },
      {random_tensor(3, 4, 4), random_tensor(3, 4, 5)}, {"a", "b"});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"after two backward passes db[", "twice the first pass",
                                          "dx += "}));
  EXPECT_FALSE(mentions(result.message(), {"da["})) << "a's gradient is right: " << result.message();
}

TEST(TestKitAccumulates, FailsWhenNoGradientReachesTheInputs) {
  // A backward that writes nothing: twice zero is zero, which proves nothing.
  auto dropped = [](const std::vector<Tensor>& in) {
    Matrix y = in[0].value();
    return record_op(std::move(y), "dropped", {&in[0]}, [](Node&) {});
  };
  const auto result = accumulates(dropped, {random_tensor(2, 2, 6)});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"zero after one backward pass"}));
}

// ------------------------------------------------------------------ accumulates, a backward kernel

TEST(TestKitAccumulates, KernelThatAddsPasses) {
  const Matrix g = random_matrix(3, 4, 7);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { dx += 2.0 * g; }, 3, 4));
  const Matrix empty(0, 4);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { dx += empty; }, 0, 4)) << "an empty dx has nothing to check";
}

TEST(TestKitAccumulates, KernelThatOverwritesFailsWithTheElement) {
  const Matrix g = random_matrix(3, 4, 8);
  const auto result = accumulates([&](MatrixRef dx) { dx = g; }, 3, 4);
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"does not add into dx", "dx[", "Use dx += …, not dx = …"}));
}

TEST(TestKitAccumulates, KernelThatScalesTheOldValueFails) {
  const Matrix g = random_matrix(3, 4, 9);
  EXPECT_FALSE(accumulates([&](MatrixRef dx) { dx = 2.0 * dx + g; }, 3, 4));
  auto overwrites_row_0 = [&](MatrixRef dx) {
    dx.row(0) = g.row(0);
    dx.bottomRows(2) += g.bottomRows(2);
  };
  EXPECT_FALSE(accumulates(overwrites_row_0, 3, 4)) << "one overwritten row is enough to fail";
}

TEST(TestKitAccumulates, KernelThatWritesNothingFails) {
  const auto result = accumulates([](MatrixRef) {}, 2, 2);
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"wrote nothing"}));
}

// ------------------------------------------------------------------ other checks

TEST(TestKitChecks, AllFiniteNamesTheFirstBadElement) {
  EXPECT_TRUE(all_finite(random_matrix(3, 3, 1)));
  EXPECT_TRUE(all_finite(Matrix(0, 3)));
  Matrix m = Matrix::Zero(2, 3);
  m(1, 2) = kNaN;
  const auto nan = all_finite(m);
  ASSERT_FALSE(nan);
  EXPECT_TRUE(mentions(nan.message(), {"[1,2]", "[2, 3]", "nan"}));
  m(0, 1) = -kInf;
  const auto two = all_finite(m);
  ASSERT_FALSE(two);
  EXPECT_TRUE(mentions(two.message(), {"[0,1]", "-inf", "2 elements"}));
}

TEST(TestKitChecks, NearComparesShapeAndEveryElement) {
  const Matrix a = mat({{1.0, 2.0}, {3.0, 4.0}});
  EXPECT_TRUE(near(a, a, 0.0));
  EXPECT_TRUE(near(a, (a.array() + 1e-10).matrix(), 1e-9));
  const auto shape = near(a, Matrix::Zero(1, 4), 1.0);
  ASSERT_FALSE(shape);
  EXPECT_TRUE(mentions(shape.message(), {"[2, 2]", "[1, 4]"}));
  Matrix b = a;
  b(1, 0) = 3.5;
  b(0, 1) = 2.1;
  const auto off = near(b, a, 0.01);
  ASSERT_FALSE(off);
  EXPECT_TRUE(mentions(off.message(), {"element [1,0] is 3.5 but should be 3", "2 of 4"}));
  b(0, 0) = kNaN;
  EXPECT_FALSE(near(b, b, 1.0)) << "NaN never agrees";
}

TEST(TestKitChecks, MentionsListsTheMissingPieces) {
  EXPECT_TRUE(mentions("shapes [2, 3] and [3, 2]", {"[2, 3]", "[3, 2]"}));
  const auto result = mentions("shapes [2, 3] and [3, 2]", {"[2, 3]", "[4, 4]"});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"does not mention '[4, 4]'"}));
  EXPECT_FALSE(mentions(result.message(), {"mention '[2, 3]'"}));
}

TEST(TestKitChecks, ThrowsErrorMentioning) {
  auto fails = [] { throw Error("add: shapes [2, 3] and [3, 2] do not broadcast"); };
  EXPECT_TRUE(throws_error_mentioning(fails, {"add", "[2, 3]", "[3, 2]"}));
  const auto missing = throws_error_mentioning(fails, {"[2, 3]", "sub"});
  ASSERT_FALSE(missing);
  EXPECT_TRUE(mentions(missing.message(), {"should mention 'sub'", "do not broadcast"}));
  const auto none = throws_error_mentioning([] {}, {"[2, 3]"});
  ASSERT_FALSE(none);
  EXPECT_TRUE(mentions(none.message(), {"no gradlab::Error was thrown", "'[2, 3]'"}));
  EXPECT_THROW(throws_error_mentioning([] { throw NotImplemented("relu_backward"); }, {"x"}),
               NotImplemented)
      << "an unimplemented kernel is reported as such, not as a wrong message";
}

TEST(TestKitChecks, StrWritesAMatrixOnOneLine) {
  EXPECT_EQ(str(mat({{1, 2.5}, {-3, 0}})), "[1, 2.5; -3, 0]");
  EXPECT_EQ(str(Matrix(0, 2)), "[]");
}

// ------------------------------------------------------------------ element-wise functions, references

TEST(TestKitElementwise, ValueAndDerivativeThroughTheOperation) {
  const Matrix x = row({-1.0, 0.0, 2.0});
  const ElementwiseFunction square = [](const Tensor& t) { return t * t; };
  EXPECT_EQ(value_of(square, x), row({1.0, 0.0, 4.0}));
  EXPECT_EQ(derivative_of(square, x), row({-2.0, 0.0, 4.0}));
  EXPECT_EQ(derivative_of(square, 3.0), 6.0);
}

TEST(TestKitReferences, LogSoftmaxRowsAreNormalizedAndStable) {
  const Matrix z = mat({{0.0, std::log(3.0)}, {1000.0, -1000.0}});
  const Matrix lp = reference_log_softmax(z);
  EXPECT_TRUE(near(lp.row(0), row({std::log(0.25), std::log(0.75)}), 1e-15));
  EXPECT_EQ(lp(1, 0), 0.0);
  EXPECT_EQ(lp(1, 1), -2000.0);
  EXPECT_TRUE(all_finite(lp));
}
