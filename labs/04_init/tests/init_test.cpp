// Lab 04 tests: weight initialization.
//
// The random kernels are checked statistically on large samples (400,000 draws) with
// fixed seeds, so every result is deterministic; the tolerances are stated next to each
// check and are many standard errors wide (a correct kernel never fails them, a wrong
// formula — off by a factor sqrt(2) or sqrt(3) — always does).
//
// Shapes are deliberately NOT square: W is [in, out] with in ≠ out, so that swapping
// fan_in and fan_out changes the answer.
#include "gradlab/init.h"
#include "gradlab/kernels/init.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
namespace k = gradlab::kernels;

// Sample statistics of all elements of w (population variance: divide by n).
struct SampleStats {
  Scalar mean = 0.0;
  Scalar stddev = 0.0;
  Scalar max_abs = 0.0;
  Scalar min = 0.0;
  Scalar max = 0.0;
};

SampleStats stats_of(const Matrix& w) {
  SampleStats s;
  const auto n = static_cast<Scalar>(w.size());
  s.mean = w.sum() / n;
  s.stddev = std::sqrt((w.array() - s.mean).square().sum() / n);
  s.max_abs = w.cwiseAbs().maxCoeff();
  s.min = w.minCoeff();
  s.max = w.maxCoeff();
  return s;
}

// The standard deviation must be within 1% of the formula: with 400,000 draws the
// sample std has a relative standard error of about 0.1%, so 1% is ~9 standard errors.
void expect_std_near(Scalar actual, Scalar expected, const std::string& what) {
  EXPECT_NEAR(actual / expected, 1.0, 0.01)
      << what << ": sample std " << actual << ", the formula gives " << expected << " (ratio "
      << actual / expected << "; 1.414 or 0.707 = sqrt(2)^±1 point at a factor 2 in the variance "
      << "(2/(fan_in+fan_out) vs 1/(…), or a missing ReLU gain); 0.632 or 1.581 = sqrt(400/1000)^±1 "
      << "at fan_in and fan_out swapped: W is [in, out], fan_in = rows)";
}

// The mean of 400,000 zero-mean draws is within 0.01 σ of 0 (~6 standard errors).
void expect_zero_mean(const SampleStats& s, Scalar stddev, const std::string& what) {
  EXPECT_NEAR(s.mean, 0.0, 0.01 * stddev) << what << ": the weights should have mean 0";
}

// A uniform U(−b, b) sample of 400,000 draws: every |w| ≤ b, and the largest is within
// 0.1% of b (the chance that no draw lands in the top 0.1% is (0.999)^400000 ≈ e^-400).
void expect_uniform_bound(const SampleStats& s, Scalar bound, const std::string& what) {
  EXPECT_LE(s.max_abs, bound) << what << ": a weight exceeds the bound " << bound;
  EXPECT_GE(s.max_abs, 0.999 * bound)
      << what << ": the largest |w| is " << s.max_abs << " but the bound is " << bound
      << " (ratio " << s.max_abs / bound << "; 0.577 = 1/sqrt(3): the bound of U(-b, b) is "
      << "sqrt(3)·σ, not σ)";
}

constexpr Index kIn = 400;   // fan_in = rows of W [in, out]
constexpr Index kOut = 1000; // fan_out = cols

}  // namespace

// ============================================================== fans and gains

TEST(Fans, FanInIsRowsAndFanOutIsColsOfWInOut) {
  const Matrix w = Matrix::Zero(3, 7);  // W: [in = 3, out = 7], y = x W
  const k::Fans fans = k::compute_fans(w);
  EXPECT_EQ(fans.fan_in, 3) << "W is [in, out] in gradlab (y = x W): fan_in = rows(W)";
  EXPECT_EQ(fans.fan_out, 7) << "W is [in, out] in gradlab (y = x W): fan_out = cols(W)";
}

TEST(Fans, RejectAnEmptyWeight) {
  EXPECT_EQ(k::compute_fans(Matrix::Zero(2, 5)).fan_in, 2);
  EXPECT_THROW(k::compute_fans(Matrix(0, 5)), gradlab::Error);
}

TEST(Gain, MatchesPyTorchCalculateGain) {
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::Linear), 1.0);
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::Sigmoid), 1.0);
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::Tanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::ReLU), std::sqrt(2.0));
}

TEST(Gain, LeakyReluDependsOnTheSlope) {
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::LeakyReLU, 0.2), std::sqrt(2.0 / 1.04))
      << "gain = sqrt(2 / (1 + α²)) with α = 0.2";
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::LeakyReLU), std::sqrt(2.0 / (1.0 + 1e-4)))
      << "the default slope is 0.01";
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::LeakyReLU, 0.0), std::sqrt(2.0))
      << "LeakyReLU with α = 0 is ReLU";
  EXPECT_DOUBLE_EQ(k::calculate_gain(k::Nonlinearity::LeakyReLU, 1.0), 1.0)
      << "LeakyReLU with α = 1 is the identity";
}

// ============================================================== formulas (no drawing)

TEST(Formulas, XavierStdIsGainTimesSqrtTwoOverFanSum) {
  EXPECT_DOUBLE_EQ(k::xavier_std(30, 70, 1.0), std::sqrt(2.0 / 100.0))
      << "Xavier: Var(w) = 2 / (fan_in + fan_out)";
  EXPECT_DOUBLE_EQ(k::xavier_std(30, 70, 5.0 / 3.0), 5.0 / 3.0 * std::sqrt(0.02));
}

TEST(Formulas, KaimingStdIsGainOverSqrtFan) {
  EXPECT_DOUBLE_EQ(k::kaiming_std(50, std::sqrt(2.0)), std::sqrt(2.0 / 50.0))
      << "Kaiming: Var(w) = gain² / fan (2 / fan for ReLU)";
  EXPECT_DOUBLE_EQ(k::kaiming_std(4, 1.0), 0.5);
}

TEST(Formulas, UniformBoundIsSqrtThreeTimesStd) {
  EXPECT_DOUBLE_EQ(k::uniform_bound(1.0), std::sqrt(3.0)) << "Var U(-b, b) = b²/3, so b = sqrt(3)·σ";
  EXPECT_DOUBLE_EQ(k::uniform_bound(0.5), 0.5 * std::sqrt(3.0));
}

// ============================================================== basic fills

TEST(Fill, ConstantAndZerosOverwriteEveryElement) {
  Matrix w = Matrix::Constant(3, 4, 7.0);
  k::fill_constant(w, 0.25);
  EXPECT_TRUE((w.array() == 0.25).all());
  k::fill_constant(w, 0.0);
  EXPECT_TRUE((w.array() == 0.0).all());
}

TEST(Fill, NormalHasTheRequestedMeanAndStd) {
  Rng rng(11);
  Matrix w(kIn, kOut);
  k::fill_normal(w, 3.0, 2.0, rng);
  const SampleStats s = stats_of(w);
  EXPECT_NEAR(s.mean, 3.0, 0.02) << "N(3, 2²): the sample mean of 400,000 draws is within 0.02 of 3";
  expect_std_near(s.stddev, 2.0, "fill_normal(mean 3, std 2)");
}

TEST(Fill, NormalDrawsRowMajorOneDrawPerElement) {
  Rng a(5);
  Rng b(5);
  Matrix w(3, 4);
  k::fill_normal(w, 1.0, 0.5, a);
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 4; ++j) {
      EXPECT_NEAR(w(i, j), b.normal(1.0, 0.5), 1e-15)
          << "w(" << i << ", " << j << "): draw in row-major order, one rng.normal(mean, std) per element";
    }
  }
}

TEST(Fill, UniformStaysInsideItsIntervalAndFillsIt) {
  Rng rng(12);
  Matrix w(kIn, kOut);
  k::fill_uniform(w, -1.0, 3.0, rng);
  const SampleStats s = stats_of(w);
  EXPECT_GE(s.min, -1.0);
  EXPECT_LT(s.max, 3.0);
  EXPECT_LT(s.min, -0.996) << "400,000 draws from U[-1, 3) reach within 0.1% of the ends";
  EXPECT_GT(s.max, 2.996);
  EXPECT_NEAR(s.mean, 1.0, 0.01) << "mean of U[a, b) is (a + b) / 2";
  expect_std_near(s.stddev, 4.0 / std::sqrt(12.0), "fill_uniform(-1, 3): std (b - a) / sqrt(12)");
}

TEST(Fill, UniformDrawsRowMajorOneDrawPerElement) {
  Rng a(6);
  Rng b(6);
  Matrix w(2, 5);
  k::fill_uniform(w, -2.0, 2.0, a);
  for (Index i = 0; i < 2; ++i) {
    for (Index j = 0; j < 5; ++j) {
      EXPECT_NEAR(w(i, j), b.uniform(-2.0, 2.0), 1e-15)
          << "w(" << i << ", " << j << "): draw in row-major order, one rng.uniform(low, high) per element";
    }
  }
}

TEST(Fill, EmptyMatrixDrawsNothing) {
  Rng a(7);
  Rng b(7);
  Matrix empty(0, 4);
  k::fill_normal(empty, 0.0, 1.0, a);
  k::fill_uniform(empty, 0.0, 1.0, a);
  EXPECT_EQ(a.uniform(), b.uniform()) << "filling a [0, 4] matrix must not consume random numbers";
  // A non-empty matrix is filled: U[2, 3) draws lie in [2, 3) (not 0, not left untouched).
  Matrix one = Matrix::Constant(1, 3, -7.0);
  k::fill_uniform(one, 2.0, 3.0, a);
  EXPECT_TRUE((one.array() >= 2.0).all() && (one.array() < 3.0).all()) << "U[2, 3) gave " << one;
}

// ============================================================== determinism (same seed, same bits)

TEST(Determinism, SameSeedGivesTheSameBitsForEveryScheme) {
  auto run = [](std::uint64_t seed) {
    Rng rng(seed);
    Matrix a(20, 30), b(20, 30), c(20, 30), d(20, 30), e(20, 30), f(20, 30), g(20, 30);
    k::fill_normal(a, 0.0, 1.0, rng);
    k::fill_uniform(b, -1.0, 1.0, rng);
    k::xavier_uniform(c, 1.0, rng);
    k::xavier_normal(d, 1.0, rng);
    k::kaiming_uniform(e, std::sqrt(2.0), k::FanMode::FanIn, rng);
    k::kaiming_normal(f, std::sqrt(2.0), k::FanMode::FanOut, rng);
    k::lecun_normal(g, rng);
    Matrix all(7 * 20, 30);
    all << a, b, c, d, e, f, g;
    return all;
  };
  const Matrix first = run(2024);
  const Matrix second = run(2024);
  EXPECT_TRUE(first == second) << "the same seed must give bit-identical weights";
  EXPECT_FALSE(first == run(2025)) << "a different seed must give different weights";
}

// ============================================================== Xavier

TEST(XavierUniform, BoundIsSqrtSixOverFanSumAndVarianceMatches) {
  Rng rng(21);
  Matrix w(kIn, kOut);
  k::xavier_uniform(w, 1.0, rng);
  const Scalar bound = std::sqrt(6.0 / (kIn + kOut));
  const SampleStats s = stats_of(w);
  expect_uniform_bound(s, bound, "xavier_uniform, W [400, 1000]");
  expect_zero_mean(s, bound, "xavier_uniform");
  expect_std_near(s.stddev, std::sqrt(2.0 / (kIn + kOut)), "xavier_uniform: Var = 2 / (fan_in + fan_out)");
}

TEST(XavierUniform, GainScalesTheBound) {
  Rng rng(22);
  Matrix w(kOut, kIn);  // the other orientation
  const Scalar gain = 5.0 / 3.0;
  k::xavier_uniform(w, gain, rng);
  expect_uniform_bound(stats_of(w), gain * std::sqrt(6.0 / (kIn + kOut)), "xavier_uniform(gain 5/3), W [1000, 400]");
}

TEST(XavierNormal, StdIsSqrtTwoOverFanSum) {
  Rng rng(23);
  Matrix w(kIn, kOut);
  k::xavier_normal(w, 1.0, rng);
  const Scalar expected = std::sqrt(2.0 / (kIn + kOut));
  const SampleStats s = stats_of(w);
  expect_zero_mean(s, expected, "xavier_normal");
  expect_std_near(s.stddev, expected, "xavier_normal, W [400, 1000]: std sqrt(2 / (fan_in + fan_out))");
}

TEST(XavierNormal, GainScalesTheStd) {
  Rng rng(24);
  Matrix w(kIn, kOut);
  k::xavier_normal(w, 5.0 / 3.0, rng);
  expect_std_near(stats_of(w).stddev, 5.0 / 3.0 * std::sqrt(2.0 / (kIn + kOut)), "xavier_normal(gain 5/3)");
}

// ============================================================== Kaiming and LeCun

TEST(KaimingNormal, FanInModeUsesTheRowsOfW) {
  Rng rng(31);
  Matrix w(kIn, kOut);  // fan_in = 400, fan_out = 1000
  k::kaiming_normal(w, std::sqrt(2.0), k::FanMode::FanIn, rng);
  const Scalar expected = std::sqrt(2.0 / kIn);
  const SampleStats s = stats_of(w);
  expect_zero_mean(s, expected, "kaiming_normal");
  expect_std_near(s.stddev, expected, "kaiming_normal(ReLU gain, fan_in), W [in 400, out 1000]: std sqrt(2 / 400)");
}

TEST(KaimingNormal, FanOutModeUsesTheColsOfW) {
  Rng rng(32);
  Matrix w(kIn, kOut);
  k::kaiming_normal(w, std::sqrt(2.0), k::FanMode::FanOut, rng);
  expect_std_near(stats_of(w).stddev, std::sqrt(2.0 / kOut),
                  "kaiming_normal(ReLU gain, fan_out), W [in 400, out 1000]: std sqrt(2 / 1000)");
}

TEST(KaimingNormal, GainMultipliesTheStd) {
  Rng rng(33);
  Matrix w(kOut, kIn);  // fan_in = 1000
  const Scalar gain = k::calculate_gain(k::Nonlinearity::LeakyReLU, 0.2);
  k::kaiming_normal(w, gain, k::FanMode::FanIn, rng);
  expect_std_near(stats_of(w).stddev, gain / std::sqrt(static_cast<Scalar>(kOut)),
                  "kaiming_normal(LeakyReLU(0.2) gain, fan_in), W [1000, 400]: std gain / sqrt(1000)");
}

TEST(KaimingUniform, BoundIsGainTimesSqrtThreeOverFan) {
  Rng rng(34);
  Matrix w(kIn, kOut);
  k::kaiming_uniform(w, std::sqrt(2.0), k::FanMode::FanIn, rng);
  const Scalar bound = std::sqrt(2.0) * std::sqrt(3.0 / kIn);
  const SampleStats s = stats_of(w);
  expect_uniform_bound(s, bound, "kaiming_uniform(ReLU gain, fan_in), W [400, 1000]: bound sqrt(6 / 400)");
  expect_zero_mean(s, bound, "kaiming_uniform");
  expect_std_near(s.stddev, std::sqrt(2.0 / kIn), "kaiming_uniform: Var = 2 / fan_in");
}

TEST(KaimingUniform, FanOutModeUsesTheColsOfW) {
  Rng rng(35);
  Matrix w(kIn, kOut);
  k::kaiming_uniform(w, 1.0, k::FanMode::FanOut, rng);
  expect_uniform_bound(stats_of(w), std::sqrt(3.0 / kOut), "kaiming_uniform(gain 1, fan_out), W [400, 1000]");
}

// The point of Kaiming init: through 10 ReLU layers the second moment of the
// activations stays put (it would shrink by 2 per layer without the gain).
TEST(KaimingNormal, KeepsTheReluSecondMomentThroughTenLayers) {
  Rng rng(36);
  Matrix h(200, 256);
  k::fill_normal(h, 0.0, 1.0, rng);
  Scalar first = 0.0;
  Scalar last = 0.0;
  for (int layer = 0; layer < 10; ++layer) {
    Matrix w(256, 256);
    k::kaiming_normal(w, k::calculate_gain(k::Nonlinearity::ReLU), k::FanMode::FanIn, rng);
    h = (h * w).cwiseMax(0.0);
    const Scalar second_moment = h.array().square().mean();
    if (layer == 0) first = second_moment;
    last = second_moment;
  }
  EXPECT_GT(last / first, 0.5) << "E[h²] at layer 10 / layer 1 = " << last / first
                               << ": the signal vanished (is the gain sqrt(2) applied?)";
  EXPECT_LT(last / first, 2.0) << "E[h²] at layer 10 / layer 1 = " << last / first << ": the signal exploded";
}

TEST(LeCunNormal, StdIsOneOverSqrtFanIn) {
  Rng rng(41);
  Matrix w(kIn, kOut);
  k::lecun_normal(w, rng);
  const Scalar expected = 1.0 / std::sqrt(static_cast<Scalar>(kIn));
  const SampleStats s = stats_of(w);
  expect_zero_mean(s, expected, "lecun_normal");
  expect_std_near(s.stddev, expected, "lecun_normal, W [in 400, out 1000]: std 1 / sqrt(400)");
}

// ============================================================== the framework's initializers

TEST(Initializers, MakeLinearDrawsTheWeightInInOutLayoutAndZeroBias) {
  Rng rng(51);
  auto layer = gradlab::make_linear(kIn, 300, gradlab::init::kaiming_normal(gradlab::Nonlinearity::ReLU), rng);
  EXPECT_EQ(layer->weight().rows(), kIn);
  EXPECT_EQ(layer->weight().cols(), 300);
  EXPECT_TRUE((layer->bias().value().array() == 0.0).all()) << "biases start at zero by default";
  expect_std_near(stats_of(layer->weight().value()).stddev, std::sqrt(2.0 / kIn),
                  "make_linear(400, 300, kaiming_normal(ReLU))");
}

TEST(Initializers, InitializeByNameReinitializesInPlace) {
  Rng rng(52);
  gradlab::Linear layer(kOut, kIn, rng);  // default init, then re-initialize
  gradlab::initialize(layer, gradlab::initializer_from_name("xavier_uniform"), rng);
  expect_uniform_bound(stats_of(layer.weight().value()), std::sqrt(6.0 / (kIn + kOut)),
                       "initialize(layer, \"xavier_uniform\")");
  EXPECT_TRUE((layer.bias().value().array() == 0.0).all());
  EXPECT_THROW(gradlab::initializer_from_name("glorot"), gradlab::Error);
}

TEST(Initializers, ZerosMakeEveryHiddenUnitIdentical) {
  Rng rng(53);
  auto layer = gradlab::make_linear(5, 8, gradlab::initializer_from_name("zeros"), rng);
  Matrix x(4, 5);
  k::fill_normal(x, 0.0, 1.0, rng);
  const Matrix h = layer->forward(gradlab::Tensor(x)).value();
  for (Index j = 1; j < h.cols(); ++j) {
    EXPECT_TRUE(h.col(j) == h.col(0)) << "with zero weights every hidden unit computes the same thing";
  }
  // ...while a random initialization breaks the symmetry: Xavier-uniform units differ.
  auto random_layer = gradlab::make_linear(5, 8, gradlab::initializer_from_name("xavier_uniform"), rng);
  const Matrix h2 = random_layer->forward(gradlab::Tensor(x)).value();
  for (Index j = 1; j < h2.cols(); ++j) {
    EXPECT_GT((h2.col(j) - h2.col(0)).cwiseAbs().maxCoeff(), 1e-6) << "Xavier-uniform units 0 and " << j;
  }
}
