// Lab 02 tests: ReLU, LeakyReLU and ELU (piecewise, with a kink at x = 0).
// Gradient checks use inputs at least 0.05 away from the kink; the value at the kink
// is checked separately against the documented convention (left branch).
#include "gradlab/gradlab.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// The row −2, −0.5, 0, 0.5, 3: both branches and the kink.
Matrix branch_inputs() { return row({-2.0, -0.5, 0.0, 0.5, 3.0}); }

ElementwiseFunction leaky(Scalar alpha) {
  return [alpha](const Tensor& x) { return gradlab::leaky_relu(x, {.alpha = alpha}); };
}
ElementwiseFunction elu_with(Scalar alpha) {
  return [alpha](const Tensor& x) { return gradlab::elu(x, {.alpha = alpha}); };
}

// ------------------------------------------------------------------ ReLU

TEST(ReLU, ForwardMatchesHandValues) {
  EXPECT_TRUE(near(value_of(gradlab::relu, branch_inputs()), row({0.0, 0.0, 0.0, 0.5, 3.0}), 0.0));
}

TEST(ReLU, DerivativeBlocksNegativeInputs) {
  EXPECT_TRUE(near(derivative_of(gradlab::relu, row({-2.0, -0.5, 0.5, 3.0})), row({0.0, 0.0, 1.0, 1.0}), 0.0))
      << "ReLU'(x) = 1 for x > 0 and 0 for x < 0: no gradient flows through an inactive unit";
}

TEST(ReLU, DerivativeAtZeroIsZero) {
  EXPECT_TRUE(near(derivative_of(gradlab::relu, row({0.0, 1e-300, 0.5})), row({0.0, 1.0, 1.0}), 0.0))
      << "the documented convention: ReLU'(0) = 0 (the gradient passes only where x > 0, however small)";
}

TEST(ReLU, BackwardMatchesFiniteDifferencesAwayFromZero) {
  const Matrix x = away_from_kink(random_matrix(5, 4, 11, -2.0, 2.0));
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return gradlab::relu(in[0]); },
                              {Tensor(x)}, {}, {"x"}));
}

TEST(ReLU, BackwardAddsIntoDx) {
  const Matrix x = away_from_kink(random_matrix(3, 4, 12, -2.0, 2.0));
  const Matrix dy = random_matrix(3, 4, 13, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::relu_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::relu_backward(x, y, dy, dx); }, 3, 4));
}

TEST(ReLU, FiniteAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  EXPECT_TRUE(near(value_of(gradlab::relu, x), row({0.0, 0.0, 0.0, 0.0, 1.0, 40.0, 1000.0}), 0.0));
  EXPECT_TRUE(near(derivative_of(gradlab::relu, x), row({0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0}), 0.0));
}

TEST(ReLU, HandlesAnEmptyBatch) {
  Tensor x(Matrix(0, 4), true);
  Tensor y = gradlab::relu(x);
  EXPECT_EQ(y.cols(), 4);
  EXPECT_NO_THROW(y.backward(Matrix(0, 4)));
  // …and a batch of one row still computes (an empty batch alone cannot tell).
  EXPECT_TRUE(near(value_of(gradlab::relu, row({-1.0, 2.0})), row({0.0, 2.0}), 0.0));
}

// ------------------------------------------------------------------ LeakyReLU

TEST(LeakyReLU, ForwardMatchesHandValues) {
  EXPECT_TRUE(near(value_of(leaky(0.1), branch_inputs()), row({-0.2, -0.05, 0.0, 0.5, 3.0}), 1e-15));
}

TEST(LeakyReLU, DerivativeIsAlphaForNegativeInputs) {
  EXPECT_TRUE(near(derivative_of(leaky(0.1), row({-2.0, -0.5, 0.5, 3.0})), row({0.1, 0.1, 1.0, 1.0}), 0.0))
      << "LeakyReLU'(x) = α (not 1, not 0) for x < 0";
}

TEST(LeakyReLU, DerivativeAtZeroIsAlpha) {
  EXPECT_EQ(derivative_of(leaky(0.1), row({0.0}))(0, 0), 0.1)
      << "the documented convention: at the kink the left branch's slope α is used";
}

TEST(LeakyReLU, BackwardMatchesFiniteDifferencesAwayFromZero) {
  const Matrix x = away_from_kink(random_matrix(5, 4, 14, -2.0, 2.0));
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return gradlab::leaky_relu(in[0], {.alpha = 0.2}); },
      {Tensor(x)}, {}, {"x"}));
}

TEST(LeakyReLU, BackwardAddsIntoDx) {
  const Matrix x = away_from_kink(random_matrix(3, 4, 15, -2.0, 2.0));
  const Matrix dy = random_matrix(3, 4, 16, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::leaky_relu_forward(x, 0.2, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::leaky_relu_backward(x, y, 0.2, dy, dx); }, 3, 4));
}

TEST(LeakyReLU, FiniteAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  EXPECT_TRUE(near(value_of(leaky(0.01), x), row({-10.0, -0.4, -0.01, 0.0, 1.0, 40.0, 1000.0}), 1e-12));
  EXPECT_TRUE(all_finite(derivative_of(leaky(0.01), x)));
}

// ------------------------------------------------------------------ ELU

TEST(ELU, ForwardMatchesHandValues) {
  // α(e^x − 1) at x = −ln 2: α(1/2 − 1) = −α/2.
  const Matrix x = row({-std::log(2.0), 0.0, 1.5});
  EXPECT_TRUE(near(value_of(elu_with(0.5), x), row({-0.25, 0.0, 1.5}), 1e-15));
  EXPECT_TRUE(near(value_of(elu_with(2.0), x), row({-1.0, 0.0, 1.5}), 1e-15));
}

TEST(ELU, DerivativeIsAlphaExpForNegativeInputs) {
  // ELU'(x) = α e^x for x ≤ 0: at −ln 2 that is α/2; at −3, α e^−3.
  const Matrix x = row({-3.0, -std::log(2.0), 1.5});
  EXPECT_TRUE(near(derivative_of(elu_with(0.5), x), row({0.5 * std::exp(-3.0), 0.25, 1.0}), 1e-15))
      << "ELU'(x) = α e^x (= y + α) for x < 0, and 1 for x > 0";
}

TEST(ELU, DerivativeAtZeroIsAlpha) {
  EXPECT_EQ(derivative_of(elu_with(0.5), row({0.0}))(0, 0), 0.5)
      << "the documented convention: at the kink the left branch's slope α e^0 = α is used";
}

TEST(ELU, BackwardMatchesFiniteDifferencesAwayFromZero) {
  const Matrix x = away_from_kink(random_matrix(5, 4, 17, -3.0, 2.0));
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return gradlab::elu(in[0], {.alpha = 0.7}); }, {Tensor(x)},
      {}, {"x"}));
}

TEST(ELU, BackwardAddsIntoDx) {
  const Matrix x = away_from_kink(random_matrix(3, 4, 18, -2.0, 2.0));
  const Matrix dy = random_matrix(3, 4, 19, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::elu_forward(x, 0.7, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::elu_backward(x, y, 0.7, dy, dx); }, 3, 4));
}

TEST(ELU, FiniteAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  const Matrix y = value_of(elu_with(0.5), x);
  ASSERT_TRUE(all_finite(y)) << y;
  EXPECT_EQ(y(0, 0), -0.5) << "ELU(−1000) = −α";
  EXPECT_EQ(y(0, 6), 1000.0);
  const Matrix d = derivative_of(elu_with(0.5), x);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(d(0, 0), 0.0);
  EXPECT_EQ(d(0, 6), 1.0);
}

}  // namespace
