// Lab 02 tests: sigmoid and tanh (the saturating activations).
#include "gradlab/gradlab.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

Tensor sigmoid_of(const std::vector<Tensor>& in) { return gradlab::sigmoid(in[0]); }
Tensor tanh_of(const std::vector<Tensor>& in) { return gradlab::tanh(in[0]); }

// ------------------------------------------------------------------ sigmoid

TEST(Sigmoid, ForwardMatchesHandValues) {
  // σ(0) = 1/2; σ(ln 3) = 1/(1 + 1/3) = 3/4; σ(−ln 3) = 1/4.
  const Matrix x = row({0.0, std::log(3.0), -std::log(3.0)});
  EXPECT_TRUE(near(value_of(gradlab::sigmoid, x), row({0.5, 0.75, 0.25}), 1e-15));
}

TEST(Sigmoid, DerivativeMatchesHandValues) {
  // σ' = σ(1 − σ): 1/4 at 0 (its maximum), 3/4 · 1/4 = 3/16 at ±ln 3.
  const Matrix x = row({0.0, std::log(3.0), -std::log(3.0)});
  EXPECT_TRUE(near(derivative_of(gradlab::sigmoid, x), row({0.25, 0.1875, 0.1875}), 1e-15))
      << "σ'(x) = σ(x)(1 − σ(x)) = y(1 − y), with y the output, not the input x";
}

TEST(Sigmoid, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(sigmoid_of, {Tensor(random_matrix(4, 5, 1, -4.0, 4.0))}, {}, {"x"}));
}

TEST(Sigmoid, BackwardMatchesFiniteDifferencesForABatchOfOne) {
  EXPECT_TRUE(gradients_match(sigmoid_of, {Tensor(row({-2.5, 0.3, 1.7}))}, {}, {"x"}));
}

TEST(Sigmoid, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 2, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 3, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::sigmoid_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::sigmoid_backward(x, y, dy, dx); }, 3, 4));
}

TEST(Sigmoid, StableAndExactAtExtremeInputs) {
  const Matrix x = extreme_inputs();  // −1000, −40, −1, 0, 1, 40, 1000
  const Matrix y = value_of(gradlab::sigmoid, x);
  ASSERT_TRUE(all_finite(y)) << "sigmoid of ±1000 must not be NaN: for x < 0 use e^x / (1 + e^x)";
  EXPECT_EQ(y(0, 0), 0.0) << "σ(−1000) underflows to exactly 0";
  EXPECT_EQ(y(0, 6), 1.0) << "σ(1000) rounds to exactly 1";
  EXPECT_NEAR(y(0, 1) / std::exp(-40.0), 1.0, 1e-12) << "σ(−40) ≈ e^−40, a tiny positive number";
  const Matrix d = derivative_of(gradlab::sigmoid, x);
  EXPECT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(d(0, 0), 0.0);
  EXPECT_EQ(d(0, 6), 0.0);
}

TEST(Sigmoid, HandlesAnEmptyBatch) {
  Tensor x(Matrix(0, 3), true);
  Tensor y = gradlab::sigmoid(x);
  EXPECT_EQ(y.rows(), 0);
  EXPECT_EQ(y.cols(), 3);
  EXPECT_NO_THROW(y.backward(Matrix(0, 3)));
  // …and a batch of one row still computes (an empty batch alone cannot tell).
  EXPECT_TRUE(near(value_of(gradlab::sigmoid, row({0.0})), row({0.5}), 0.0));
}

// ------------------------------------------------------------------ tanh

TEST(Tanh, ForwardMatchesHandValues) {
  // tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 0.6.
  const Matrix x = row({0.0, std::log(2.0), -std::log(2.0)});
  EXPECT_TRUE(near(value_of(gradlab::tanh, x), row({0.0, 0.6, -0.6}), 1e-15));
}

TEST(Tanh, DerivativeMatchesHandValues) {
  // tanh' = 1 − tanh²: 1 at 0, 1 − 0.36 = 0.64 at ±ln 2.
  const Matrix x = row({0.0, std::log(2.0), -std::log(2.0)});
  EXPECT_TRUE(near(derivative_of(gradlab::tanh, x), row({1.0, 0.64, 0.64}), 1e-15))
      << "tanh'(x) = 1 − tanh²(x) = 1 − y², with y the output, not the input x";
}

TEST(Tanh, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(tanh_of, {Tensor(random_matrix(4, 5, 4, -3.0, 3.0))}, {}, {"x"}));
}

TEST(Tanh, BackwardMatchesFiniteDifferencesForABatchOfOne) {
  EXPECT_TRUE(gradients_match(tanh_of, {Tensor(row({-1.5, 0.2, 2.2}))}, {}, {"x"}));
}

TEST(Tanh, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 5, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 6, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::tanh_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::tanh_backward(x, y, dy, dx); }, 3, 4));
}

TEST(Tanh, SaturatesWithoutNaNAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  const Matrix y = value_of(gradlab::tanh, x);
  ASSERT_TRUE(all_finite(y)) << y;
  EXPECT_EQ(y(0, 0), -1.0);
  EXPECT_EQ(y(0, 6), 1.0);
  const Matrix d = derivative_of(gradlab::tanh, x);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(d(0, 0), 0.0);
  EXPECT_EQ(d(0, 6), 0.0);
  EXPECT_EQ(d(0, 3), 1.0);
}

}  // namespace
