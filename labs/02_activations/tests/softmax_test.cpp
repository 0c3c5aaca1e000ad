// Lab 02 tests: softmax and log-softmax along rows.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

Tensor softmax_of(const std::vector<Tensor>& in) { return gradlab::softmax(in[0]); }
Tensor log_softmax_of(const std::vector<Tensor>& in) { return gradlab::log_softmax(in[0]); }

// Rows with logits of ±1000: e^1000 overflows, e^−1000 underflows.
Matrix huge_logits() {
  Matrix x(4, 3);
  x << 1000.0, -1000.0, 0.0,   //
      1000.0, 1000.0, -1000.0,  //
      -1000.0, -1000.0, -1000.0,  //
      -1000.0, -999.0, -1000.0;
  return x;
}

// Rows whose largest logit is NOT the first: shifting by x[i][0] instead of the row's
// maximum gives e^1000 = inf here. The last row is moderate, its maximum in the middle.
Matrix max_not_first_logits() {
  Matrix x(3, 3);
  x << 0.0, 1000.0, -1000.0,  //
      -1000.0, 0.0, 1000.0,     //
      1.0, 3.0, 2.0;
  return x;
}

// ------------------------------------------------------------------ softmax

TEST(Softmax, ForwardMatchesHandValues) {
  // e^0 : e^ln2 : e^ln3 = 1 : 2 : 3, so softmax = (1/6, 2/6, 3/6); a constant shift of
  // a row changes nothing.
  Matrix x(2, 3);
  x << 0.0, std::log(2.0), std::log(3.0),  //
      5.0, 5.0 + std::log(2.0), 5.0 + std::log(3.0);
  Matrix expected(2, 3);
  expected << 1.0 / 6, 2.0 / 6, 3.0 / 6,  //
      1.0 / 6, 2.0 / 6, 3.0 / 6;
  EXPECT_TRUE(near(value_of(gradlab::softmax, x), expected, 1e-15));
}

TEST(Softmax, RowsArePositiveAndSumToOne) {
  const Matrix x = random_matrix(6, 5, 31, -30.0, 30.0);
  const Matrix y = value_of(gradlab::softmax, x);
  ASSERT_TRUE(all_finite(y));
  EXPECT_GE(y.minCoeff(), 0.0);
  for (Index i = 0; i < y.rows(); ++i) EXPECT_NEAR(y.row(i).sum(), 1.0, 1e-14) << "row " << i;
}

TEST(Softmax, NormalizesEachRowNotEachColumn) {
  Matrix x(3, 2);
  x << 0.0, std::log(3.0),  //
      1.0, 1.0,             //
      std::log(3.0), 0.0;
  Matrix expected(3, 2);
  expected << 0.25, 0.75, 0.5, 0.5, 0.75, 0.25;
  EXPECT_TRUE(near(value_of(gradlab::softmax, x), expected, 1e-15))
      << "softmax works along each row (one example per row, one class per column)";
}

TEST(Softmax, StableForLogitsOfPlusMinus1000) {
  const Matrix y = value_of(gradlab::softmax, huge_logits());
  ASSERT_TRUE(all_finite(y)) << "e^1000 overflows: subtract each row's maximum before exponentiating. Got\n"
                             << y;
  Matrix expected(4, 3);
  const Scalar e = std::exp(1.0);
  expected << 1.0, 0.0, 0.0,  //
      0.5, 0.5, 0.0,          //
      1.0 / 3, 1.0 / 3, 1.0 / 3,  //
      1.0 / (e + 2), e / (e + 2), 1.0 / (e + 2);
  EXPECT_TRUE(near(y, expected, 1e-15));
  Tensor x(huge_logits(), true);
  gradlab::softmax(x).backward(random_matrix(4, 3, 32, -1.0, 1.0));
  EXPECT_TRUE(all_finite(x.grad())) << x.grad();
}

TEST(Softmax, StableWhenTheLargestLogitIsNotTheFirst) {
  // Shifted by the row maximum m: row 1 → e^(−1000), e^0, e^(−2000) = (0, 1, 0); row 2 →
  // (0, 0, 1); row 3 (m = 3) → (e^−2, 1, e^−1) / (e^−2 + 1 + e^−1).
  const Matrix y = value_of(gradlab::softmax, max_not_first_logits());
  ASSERT_TRUE(all_finite(y)) << "shift each row by ITS maximum, wherever it is (not by the first logit). Got\n" << y;
  const Scalar s = std::exp(-2.0) + 1.0 + std::exp(-1.0);
  Matrix expected(3, 3);
  expected << 0.0, 1.0, 0.0,  //
      0.0, 0.0, 1.0,          //
      std::exp(-2.0) / s, 1.0 / s, std::exp(-1.0) / s;
  EXPECT_TRUE(near(y, expected, 1e-15));
  Tensor x(max_not_first_logits(), true);
  gradlab::softmax(x).backward(random_matrix(3, 3, 33, -1.0, 1.0));
  EXPECT_TRUE(all_finite(x.grad())) << x.grad();
}

TEST(Softmax, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(softmax_of, {Tensor(random_matrix(4, 5, 33, -3.0, 3.0))}, {}, {"x"}));
}

TEST(Softmax, BackwardMatchesFiniteDifferencesForABatchOfOne) {
  EXPECT_TRUE(gradients_match(softmax_of, {Tensor(row({0.5, -1.0, 2.0, 0.0}))}, {}, {"x"}));
}

TEST(Softmax, GradientRowsSumToZero) {
  // Adding a constant to a row does not change softmax, so the gradient along (1, …, 1) is 0.
  Tensor x(random_matrix(3, 4, 34, -2.0, 2.0), true);
  gradlab::softmax(x).backward(random_matrix(3, 4, 35, -1.0, 1.0));
  for (Index i = 0; i < 3; ++i) EXPECT_NEAR(x.grad().row(i).sum(), 0.0, 1e-14) << "row " << i;
  EXPECT_GT(x.grad().cwiseAbs().maxCoeff(), 1e-2) << "…and is not zero: the upstream gradient is not constant";
}

TEST(Softmax, SingleClassGivesOnesAndNoGradient) {
  Tensor x(random_matrix(3, 1, 36, -5.0, 5.0), true);
  Tensor y = gradlab::softmax(x);
  EXPECT_TRUE(near(y.value(), Matrix::Ones(3, 1), 0.0));
  y.backward(random_matrix(3, 1, 37, -1.0, 1.0));
  EXPECT_TRUE(near(x.grad(), Matrix::Zero(3, 1), 1e-15));
}

TEST(Softmax, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 38, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 39, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::softmax_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::softmax_backward(y, dy, dx); }, 3, 4));
}

TEST(Softmax, HandlesAnEmptyBatch) {
  Tensor x(Matrix(0, 3), true);
  Tensor y = gradlab::softmax(x);
  EXPECT_EQ(y.rows(), 0);
  EXPECT_EQ(y.cols(), 3);
  EXPECT_NO_THROW(y.backward(Matrix(0, 3)));
  // …and a batch of one row still computes (an empty batch alone cannot tell).
  EXPECT_TRUE(near(gradlab::softmax(Tensor(row({3.0, 3.0}))).value(), row({0.5, 0.5}), 1e-15));
}

// ------------------------------------------------------------------ log-softmax

TEST(LogSoftmax, ForwardMatchesHandValues) {
  const Matrix x = row({0.0, std::log(2.0), std::log(3.0)});
  EXPECT_TRUE(near(value_of(gradlab::log_softmax, x),
                   row({std::log(1.0 / 6), std::log(2.0 / 6), std::log(3.0 / 6)}), 1e-15));
}

TEST(LogSoftmax, EqualsLogOfSoftmaxWhereFinite) {
  const Matrix x = random_matrix(5, 6, 40, -20.0, 20.0);
  const Matrix log_of_softmax = value_of(gradlab::softmax, x).array().log().matrix();
  EXPECT_TRUE(near(value_of(gradlab::log_softmax, x), log_of_softmax, 1e-12));
}

TEST(LogSoftmax, StableForLogitsOfPlusMinus1000) {
  // Softmax underflows to 0 at −1000 (so log(softmax) = −inf), but log-softmax is finite.
  const Matrix y = value_of(gradlab::log_softmax, huge_logits());
  ASSERT_TRUE(all_finite(y)) << "use the log-sum-exp with the row maximum subtracted. Got\n" << y;
  const Scalar e = std::exp(1.0);
  Matrix expected(4, 3);
  expected << 0.0, -2000.0, -1000.0,  //
      -std::log(2.0), -std::log(2.0), -2000.0 - std::log(2.0),  //
      -std::log(3.0), -std::log(3.0), -std::log(3.0),  //
      -std::log(e + 2), 1.0 - std::log(e + 2), -std::log(e + 2);
  EXPECT_TRUE(near(y, expected, 1e-12));
  Tensor x(huge_logits(), true);
  gradlab::log_softmax(x).backward(random_matrix(4, 3, 41, -1.0, 1.0));
  EXPECT_TRUE(all_finite(x.grad())) << x.grad();
}

TEST(LogSoftmax, StableWhenTheLargestLogitIsNotTheFirst) {
  // y = x − m − ln Σ e^(x − m) with m the row maximum: rows 1 and 2 have Σ = 1 (+ e^−1000,
  // e^−2000, which underflow), so y = x − 1000; row 3: y = x − 3 − ln(e^−2 + 1 + e^−1).
  const Matrix y = value_of(gradlab::log_softmax, max_not_first_logits());
  ASSERT_TRUE(all_finite(y)) << "shift each row by ITS maximum, wherever it is (not by the first logit). Got\n" << y;
  const Scalar l = std::log(std::exp(-2.0) + 1.0 + std::exp(-1.0));
  Matrix expected(3, 3);
  expected << -1000.0, 0.0, -2000.0,  //
      -2000.0, -1000.0, 0.0,          //
      -2.0 - l, -l, -1.0 - l;
  EXPECT_TRUE(near(y, expected, 1e-12));
  Tensor x(max_not_first_logits(), true);
  gradlab::log_softmax(x).backward(random_matrix(3, 3, 42, -1.0, 1.0));
  EXPECT_TRUE(all_finite(x.grad())) << x.grad();
}

TEST(LogSoftmax, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(log_softmax_of, {Tensor(random_matrix(4, 5, 42, -3.0, 3.0))}, {}, {"x"}));
}

TEST(LogSoftmax, BackwardMatchesFiniteDifferencesForABatchOfOne) {
  EXPECT_TRUE(gradients_match(log_softmax_of, {Tensor(row({1.5, -0.5, 0.0}))}, {}, {"x"}));
}

TEST(LogSoftmax, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 43, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 44, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::log_softmax_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::log_softmax_backward(y, dy, dx); }, 3, 4));
}

}  // namespace
