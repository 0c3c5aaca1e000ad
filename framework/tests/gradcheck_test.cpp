// Tests of the gradient checker: it passes right gradients, and it fails wrong ones
// with a message that names the element and diagnoses the usual patterns.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace gradlab;
using gradlab::testing::compare_gradients;
using gradlab::testing::mentions;
using gradlab::testing::gradients_match;
using gradlab::testing::numeric_gradient;
using gradlab::testing::relative_error;

namespace {

const Matrix kNumeric = (Matrix(3, 3) << 1, 2, 3, -4, 5, 6, 7, -8, 9).finished();  // not symmetric

// y = x² element-wise, with a backward rule that is off by `factor` (1 = right).
Tensor scaled_square(const Tensor& x, Scalar factor) {
  Matrix y = x.value().array().square();
  return record_op(std::move(y), "scaled_square", {&x}, [factor](Node& self) {
    Node& px = *self.parents[0];
    px.ensure_grad().array() += factor * 2.0 * px.value.array() * self.grad.array();
  });
}

// Inputs in [0.5, 1.5): away from 0, where x² has a zero derivative.
Tensor random_input(Index rows, Index cols, std::uint64_t seed) {
  return gradlab::testing::random_tensor(rows, cols, seed, 0.5, 1.5);
}

}  // namespace

TEST(GradCheck, AgreeingGradientsGiveNoMessage) {
  EXPECT_EQ(compare_gradients(kNumeric, kNumeric, 1e-6, "x"), "");
  EXPECT_EQ(compare_gradients(kNumeric * (1 + 1e-9), kNumeric, 1e-6, "x"), "");
}

TEST(GradCheck, MessageNamesTheWorstElementAndBothValues) {
  Matrix analytic = kNumeric;
  analytic(1, 2) = 60.0;  // one wrong element: 60 instead of 6
  const std::string message = compare_gradients(analytic, kNumeric, 1e-6, "W");
  EXPECT_TRUE(mentions(message, {"dW[1,2] = 60", "finite differences give 6", "relative error"}));
}

TEST(GradCheck, DiagnosesAConstantRatio) {
  const std::string message = compare_gradients(0.5 * kNumeric, kNumeric, 1e-6, "x");
  EXPECT_TRUE(mentions(message, {"ratio 0.5", "1/N"}));
}

TEST(GradCheck, DiagnosesAFlippedSign) {
  const std::string message = compare_gradients(-kNumeric, kNumeric, 1e-6, "x");
  EXPECT_TRUE(mentions(message, {"sign is flipped"}));
}

TEST(GradCheck, DiagnosesATransposedGradient) {
  const std::string message = compare_gradients(kNumeric.transpose(), kNumeric, 1e-6, "a");
  EXPECT_TRUE(mentions(message, {"transpose"}));
}

TEST(GradCheck, DiagnosesAZeroGradient) {
  const std::string message = compare_gradients(Matrix::Zero(3, 3), kNumeric, 1e-6, "x");
  EXPECT_TRUE(mentions(message, {"zero where"}));
}

TEST(GradCheck, ReportsAShapeMismatch) {
  const std::string message = compare_gradients(Matrix::Zero(2, 3), Matrix::Zero(3, 2), 1e-6, "b");
  EXPECT_TRUE(mentions(message, {"[2, 3]", "[3, 2]"}));
}

TEST(GradCheck, NanCountsAsTheWorstError) {
  Matrix analytic = kNumeric;
  analytic(0, 1) = std::numeric_limits<Scalar>::quiet_NaN();
  EXPECT_FALSE(relative_error(analytic, kNumeric) < 1e-6);
  const std::string message = compare_gradients(analytic, kNumeric, 1e-6, "x");
  EXPECT_TRUE(mentions(message, {"dx[0,1]"}));
}

TEST(GradCheck, RelativeErrorIsTheCourseMetric) {
  const Matrix a = (Matrix(1, 2) << 1.0, 3.0).finished();
  const Matrix n = (Matrix(1, 2) << 1.0, 1.0).finished();
  EXPECT_DOUBLE_EQ(relative_error(a, n), 0.5);  // |3 − 1| / (3 + 1)
  EXPECT_DOUBLE_EQ(relative_error(Matrix::Zero(1, 1), Matrix::Constant(1, 1, 1e-9)), 0.1);  // floor 1e-8
}

TEST(GradCheck, NumericGradientOfASquare) {
  const Matrix x = (Matrix(1, 3) << 1.0, -2.0, 0.5).finished();
  const Matrix g = numeric_gradient([](const Matrix& m) { return m.squaredNorm(); }, x);
  EXPECT_LT((g - 2.0 * x).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(GradCheck, GradientsMatchPassesARightRule) {
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return scaled_square(in[0], 1.0); },
                              {random_input(3, 4, 1)}));
}

TEST(GradCheck, GradientsMatchDiagnosesAHalvedRule) {
  const auto result = gradients_match(
      [](const std::vector<Tensor>& in) { return scaled_square(in[0], 0.5); }, {random_input(3, 4, 2)},
      {}, {"x"});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"ratio 0.5", "dx["}));
}

TEST(GradCheck, GradientsMatchDiagnosesAFlippedRule) {
  const auto result = gradients_match(
      [](const std::vector<Tensor>& in) { return scaled_square(in[0], -1.0); }, {random_input(2, 2, 3)});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"sign is flipped"}));
}

TEST(GradCheck, GradientsMatchDiagnosesAMissingRule) {
  const auto result = gradients_match(
      [](const std::vector<Tensor>& in) { return scaled_square(in[0], 0.0); }, {random_input(2, 3, 4)});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"zero where"}));
}

TEST(GradCheck, GradientsMatchNamesTheWrongInputOnly) {
  // y = a ⊙ b² where only b's rule is wrong: the message is about b.
  const auto result = gradients_match(
      [](const std::vector<Tensor>& in) { return in[0] * scaled_square(in[1], 0.5); },
      {random_input(2, 3, 5), random_input(2, 3, 6)}, {}, {"a", "b"});
  ASSERT_FALSE(result);
  EXPECT_TRUE(mentions(result.message(), {"db["}));
  EXPECT_FALSE(mentions(result.message(), {"da["})) << result.message();
}

TEST(GradCheck, GradientsMatchUsesARandomUpstreamGradient) {
  // A rule that ignores the upstream gradient would pass a check with dy = 1 everywhere;
  // the checker's random dy catches it.
  auto ignores_upstream = [](const Tensor& x) {
    Matrix y = x.value();
    return record_op(std::move(y), "ignores_upstream", {&x}, [](Node& self) {
      self.parents[0]->ensure_grad().array() += 1.0;  // should be += self.grad
    });
  };
  EXPECT_FALSE(gradients_match([&](const std::vector<Tensor>& in) { return ignores_upstream(in[0]); },
                               {random_input(2, 3, 7)}));
}
