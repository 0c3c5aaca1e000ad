// Lab 02 tests: GELU (exact erf form), SiLU / Swish and softplus.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

ElementwiseFunction swish_with(Scalar beta) {
  return [beta](const Tensor& x) { return gradlab::silu(x, {.beta = beta}); };
}

// Φ(1) and φ(1): the standard normal CDF and density at 1.
constexpr Scalar kPhi1 = 0.8413447460685429;
constexpr Scalar kDensity1 = 0.24197072451914337;

// ------------------------------------------------------------------ GELU

TEST(GELU, ForwardMatchesTheExactErfForm) {
  // GELU(x) = x Φ(x): GELU(1) = Φ(1), GELU(−1) = −Φ(−1) = −(1 − Φ(1)).
  // (The tanh approximation gives 0.841192 at 1: off by 1.5e-4, so it fails here.)
  const Matrix x = row({-1.0, 0.0, 1.0, 2.0});
  const Scalar phi2 = 0.9772498680518208;
  EXPECT_TRUE(near(value_of(gradlab::gelu, x), row({-(1.0 - kPhi1), 0.0, kPhi1, 2.0 * phi2}), 1e-14))
      << "this lab's GELU is the exact form x Φ(x) = x/2 (1 + erf(x/√2))";
}

TEST(GELU, DerivativeMatchesHandValues) {
  // GELU'(x) = Φ(x) + x φ(x): 1/2 at 0, Φ(1) + φ(1) at 1, Φ(−1) − φ(1) at −1.
  const Matrix x = row({-1.0, 0.0, 1.0});
  EXPECT_TRUE(near(derivative_of(gradlab::gelu, x),
                   row({1.0 - kPhi1 - kDensity1, 0.5, kPhi1 + kDensity1}), 1e-14))
      << "product rule: d/dx [x Φ(x)] = Φ(x) + x φ(x), φ(x) = e^(−x²/2) / √(2π)";
}

TEST(GELU, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return gradlab::gelu(in[0]); },
                              {Tensor(random_matrix(4, 5, 21, -4.0, 4.0))}, {}, {"x"}));
}

TEST(GELU, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 22, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 23, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::gelu_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::gelu_backward(x, y, dy, dx); }, 3, 4));
}

TEST(GELU, FiniteAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  const Matrix y = value_of(gradlab::gelu, x);
  ASSERT_TRUE(all_finite(y)) << y;
  EXPECT_EQ(y(0, 0), 0.0);
  EXPECT_EQ(y(0, 6), 1000.0);
  const Matrix d = derivative_of(gradlab::gelu, x);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(d(0, 0), 0.0);
  EXPECT_EQ(d(0, 6), 1.0);
}

// ------------------------------------------------------------------ SiLU / Swish

TEST(SiLU, ForwardMatchesHandValues) {
  // x σ(βx): with β = 1 at ln 3, σ = 3/4; with β = 2 at ln 3 / 2, σ(ln 3) = 3/4 again.
  const Scalar l3 = std::log(3.0);
  EXPECT_TRUE(near(value_of(swish_with(1.0), row({0.0, l3, -l3})), row({0.0, 0.75 * l3, -0.25 * l3}), 1e-15));
  EXPECT_TRUE(near(value_of(swish_with(2.0), row({l3 / 2})), row({0.75 * l3 / 2}), 1e-15));
  EXPECT_TRUE(near(value_of(swish_with(0.0), row({-3.0, 5.0})), row({-1.5, 2.5}), 1e-15)) << "β = 0 gives x / 2";
}

TEST(SiLU, DerivativeMatchesHandValues) {
  // d/dx x σ(βx) = s + βx s(1 − s), s = σ(βx): 1/2 at 0; at x = ln 3 / 2 with β = 2,
  // s = 3/4 and the derivative is 3/4 + ln 3 · 3/16.
  const Scalar l3 = std::log(3.0);
  EXPECT_TRUE(near(derivative_of(swish_with(1.0), row({0.0})), row({0.5}), 1e-15));
  EXPECT_TRUE(near(derivative_of(swish_with(2.0), row({l3 / 2})), row({0.75 + l3 * 0.1875}), 1e-14))
      << "the chain rule brings out β: d/dx σ(βx) = β σ(βx)(1 − σ(βx))";
}

TEST(SiLU, BackwardMatchesFiniteDifferences) {
  for (Scalar beta : {1.0, 1.7}) {
    EXPECT_TRUE(gradients_match(
        [beta](const std::vector<Tensor>& in) { return gradlab::silu(in[0], {.beta = beta}); },
        {Tensor(random_matrix(4, 5, 24, -4.0, 4.0))}, {}, {"x"}))
        << "with beta = " << beta;
  }
}

TEST(SiLU, SwishIsSiLU) {
  const Matrix x = random_matrix(2, 3, 25, -3.0, 3.0);
  EXPECT_TRUE(near(gradlab::swish(Tensor(x), {.beta = 1.3}).value(),
                   gradlab::silu(Tensor(x), {.beta = 1.3}).value(), 0.0));
  // ...and both compute x·σ(βx): at x = 2, β = 1.3, 2/(1 + e^(−2.6)).
  EXPECT_NEAR(gradlab::swish(Tensor(row({2.0})), {.beta = 1.3}).value()(0, 0), 2.0 / (1.0 + std::exp(-2.6)), 1e-15);
}

TEST(SiLU, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 26, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 27, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::silu_forward(x, 1.5, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::silu_backward(x, y, 1.5, dy, dx); }, 3, 4));
}

TEST(SiLU, FiniteAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  for (Scalar beta : {1.0, 2.0}) {
    const Matrix y = value_of(swish_with(beta), x);
    ASSERT_TRUE(all_finite(y)) << "beta = " << beta << ": " << y;
    EXPECT_EQ(y(0, 0), 0.0);
    EXPECT_EQ(y(0, 6), 1000.0);
    const Matrix d = derivative_of(swish_with(beta), x);
    ASSERT_TRUE(all_finite(d)) << "beta = " << beta << ": " << d;
    EXPECT_EQ(d(0, 0), 0.0);
    EXPECT_EQ(d(0, 6), 1.0);
  }
}

// ------------------------------------------------------------------ softplus

TEST(Softplus, ForwardMatchesHandValues) {
  // ln(1 + e^x): ln 2 at 0, ln 4 at ln 3, ln(4/3) at −ln 3.
  const Scalar l3 = std::log(3.0);
  EXPECT_TRUE(near(value_of(gradlab::softplus, row({0.0, l3, -l3})),
                   row({std::log(2.0), std::log(4.0), std::log(4.0 / 3.0)}), 1e-15));
}

TEST(Softplus, DerivativeIsSigmoid) {
  const Scalar l3 = std::log(3.0);
  EXPECT_TRUE(near(derivative_of(gradlab::softplus, row({0.0, l3, -l3})), row({0.5, 0.75, 0.25}), 1e-15))
      << "d/dx ln(1 + e^x) = e^x / (1 + e^x) = σ(x)";
}

TEST(Softplus, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return gradlab::softplus(in[0]); },
                              {Tensor(random_matrix(4, 5, 28, -5.0, 5.0))}, {}, {"x"}));
}

TEST(Softplus, BackwardAddsIntoDx) {
  const Matrix x = random_matrix(3, 4, 29, -3.0, 3.0);
  const Matrix dy = random_matrix(3, 4, 30, -1.0, 1.0);
  Matrix y(3, 4);
  kernels::softplus_forward(x, y);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { kernels::softplus_backward(x, y, dy, dx); }, 3, 4));
}

TEST(Softplus, StableAtExtremeInputs) {
  const Matrix x = extreme_inputs();
  const Matrix y = value_of(gradlab::softplus, x);
  ASSERT_TRUE(all_finite(y)) << "ln(1 + e^1000) overflows: use ln(1 + e^(−|x|)) + max(x, 0). Got " << y;
  EXPECT_EQ(y(0, 0), 0.0);
  EXPECT_EQ(y(0, 6), 1000.0);
  EXPECT_NEAR(y(0, 1) / std::exp(-40.0), 1.0, 1e-12) << "softplus(−40) ≈ e^−40";
  const Matrix d = derivative_of(gradlab::softplus, x);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(d(0, 0), 0.0);
  EXPECT_EQ(d(0, 6), 1.0);
}

}  // namespace
