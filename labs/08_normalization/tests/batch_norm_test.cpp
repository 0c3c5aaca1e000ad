// Lab 08 tests: batch normalization (the kernels, the operation gradlab::batch_norm and
// the BatchNorm1d module).
//
// The expected values come from an independent loop written here from the definitions
// (two-pass mean and variance per column), never from the kernels. Gradient checks run in
// double against central differences with a random upstream gradient (the shared
// gradients_match), for x, γ and β, in training and in evaluation.
#include "gradlab/kernels/normalization.h"
#include "gradlab/normalization.h"
#include "gradlab/ops.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

constexpr Scalar kEps = 1e-5;

struct ColumnStats {
  Matrix mean, biased_var;
};

// Per column: the mean and the variance divided by N, by plain loops.
ColumnStats column_stats(const Matrix& x) {
  const Index n = x.rows();
  ColumnStats s{Matrix::Zero(1, x.cols()), Matrix::Zero(1, x.cols())};
  for (Index j = 0; j < x.cols(); ++j) {
    Scalar sum = 0;
    for (Index i = 0; i < n; ++i) sum += x(i, j);
    const Scalar mu = sum / static_cast<Scalar>(n);
    Scalar sq = 0;
    for (Index i = 0; i < n; ++i) sq += (x(i, j) - mu) * (x(i, j) - mu);
    s.mean(0, j) = mu;
    s.biased_var(0, j) = sq / static_cast<Scalar>(n);
  }
  return s;
}

// y = γ (x − μ)/√(σ² + ε) + β per column, for given statistics.
Matrix affine_normalize(const Matrix& x, const Matrix& mean, const Matrix& var, const Matrix& gamma,
                        const Matrix& beta, Scalar eps) {
  Matrix y(x.rows(), x.cols());
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) {
      y(i, j) = gamma(0, j) * (x(i, j) - mean(0, j)) / std::sqrt(var(0, j) + eps) + beta(0, j);
    }
  }
  return y;
}

// Columns of very different scales (the last one with a variance near ε, where the
// place of ε matters), shifted off 0.
Matrix test_input(Index n, Index d, std::uint64_t seed) {
  Matrix x = random_matrix(n, d, seed, -2.0, 2.0);
  for (Index j = 0; j < d; ++j) {
    const Scalar scale = j + 1 == d && d > 1 ? 3e-3 : 1.0 + static_cast<Scalar>(j);
    x.col(j) = (x.col(j).array() * scale + 0.5 * static_cast<Scalar>(j)).matrix();
  }
  return x;
}

Tensor train_bn(const Tensor& x, const Tensor& g, const Tensor& b, Scalar eps = kEps) {
  Matrix rm = Matrix::Zero(1, x.cols()), rv = Matrix::Ones(1, x.cols());
  return batch_norm(x, g, b, rm, rv, true, 0.1, eps);
}

}  // namespace

// ------------------------------------------------------------------ forward

TEST(BatchNormForward, TrainingNormalizesEachColumnWithTheBiasedVariance) {
  const Matrix x = test_input(6, 4, 1);
  const Matrix gamma = random_matrix(1, 4, 2, 0.5, 2.0), beta = random_matrix(1, 4, 3);
  const ColumnStats s = column_stats(x);
  const Tensor y = train_bn(Tensor(x), Tensor(gamma), Tensor(beta));
  EXPECT_TRUE(near(y.value(), affine_normalize(x, s.mean, s.biased_var, gamma, beta, kEps), 1e-10))
      << "y = γ (x − μ)/√(σ² + ε) + β per column, σ² = (1/N) Σ (x − μ)² (biased: divide by N, not N − 1)";
}

TEST(BatchNormForward, NormalizedColumnsHaveMeanZeroAndVarianceOne) {
  // With γ = 1, β = 0: mean 0 and (biased) variance σ²/(σ² + ε) ≈ 1 per column. With
  // N = 4, normalizing with the unbiased variance would give a variance of 3/4.
  const Matrix x = random_matrix(4, 3, 4, -3.0, 5.0);
  const Tensor y = train_bn(Tensor(x), Tensor(Matrix::Ones(1, 3)), Tensor(Matrix::Zero(1, 3)));
  const ColumnStats s = column_stats(y.value());
  const ColumnStats sx = column_stats(x);
  for (Index j = 0; j < 3; ++j) {
    EXPECT_NEAR(s.mean(0, j), 0.0, 1e-12) << "column " << j;
    EXPECT_NEAR(s.biased_var(0, j), sx.biased_var(0, j) / (sx.biased_var(0, j) + kEps), 1e-12)
        << "column " << j << ": the normalized column's biased variance must be σ²/(σ² + ε) ≈ 1";
  }
}

TEST(BatchNormForward, EpsilonIsInsideTheSquareRoot) {
  // A column with σ² ≈ 1e-6, comparable to ε: 1/√(σ² + ε) and 1/(√σ² + ε) differ by 2×.
  Matrix x(4, 1);
  x << 1.0, 1.001, 0.999, 1.002;
  const ColumnStats s = column_stats(x);
  const Tensor y = train_bn(Tensor(x), Tensor(Matrix::Ones(1, 1)), Tensor(Matrix::Zero(1, 1)));
  EXPECT_TRUE(near(y.value(), affine_normalize(x, s.mean, s.biased_var, Matrix::Ones(1, 1), Matrix::Zero(1, 1), kEps),
                   1e-10))
      << "x̂ = (x − μ)/√(σ² + ε): ε inside the square root (σ² = " << s.biased_var(0, 0) << ", ε = 1e-5)";
}

TEST(BatchNormForward, KernelReportsTheBatchStatistics) {
  const Matrix x = test_input(5, 3, 5);
  const ColumnStats s = column_stats(x);
  Matrix y(5, 3), x_hat(5, 3), inv_std(1, 3), mean(1, 3), var(1, 3);
  kernels::batch_norm_forward_train(x, Matrix::Ones(1, 3), Matrix::Zero(1, 3), kEps, y, x_hat, inv_std, mean, var);
  EXPECT_TRUE(near(mean, s.mean, 1e-12)) << "mean: the batch mean per column";
  EXPECT_TRUE(near(var, s.biased_var, 1e-12)) << "var: the biased batch variance (÷N) per column";
  EXPECT_TRUE(near(inv_std, (s.biased_var.array() + kEps).rsqrt().matrix(), 1e-9)) << "inv_std = 1/√(σ² + ε)";
}

TEST(BatchNormForward, LargeMeanAndConstantColumnsByHand) {
  // Column 0: 1e8 + (1, 2, 3, 4): μ = 1e8 + 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25,
  // x̂ = (−1.5, −0.5, 0.5, 1.5)/√(1.25 + ε). Column 1: 1e8 + 0.5 four times: σ² = 0, x̂ = 0,
  // y = β. σ² computed as E[x²] − μ² subtracts two numbers near 1e16 whose rounding unit is
  // 2: it returns garbage (even a negative variance). Subtract the mean first.
  Matrix x(4, 2);
  x << 1e8 + 1.0, 1e8 + 0.5,  //
      1e8 + 2.0, 1e8 + 0.5,   //
      1e8 + 3.0, 1e8 + 0.5,   //
      1e8 + 4.0, 1e8 + 0.5;
  Matrix y(4, 2), x_hat(4, 2), inv_std(1, 2), mean(1, 2), var(1, 2);
  kernels::batch_norm_forward_train(x, Matrix::Ones(1, 2), (Matrix(1, 2) << 0.0, 3.0).finished(), kEps, y, x_hat,
                                    inv_std, mean, var);
  EXPECT_TRUE(near(mean, (Matrix(1, 2) << 1e8 + 2.5, 1e8 + 0.5).finished(), 0.0)) << mean;
  EXPECT_TRUE(near(var, (Matrix(1, 2) << 1.25, 0.0).finished(), 1e-12))
      << "the variance around a large mean (catastrophic cancellation?): " << var;
  const Scalar s = 1.0 / std::sqrt(1.25 + kEps);
  Matrix expected(4, 2);
  expected << -1.5 * s, 3.0, -0.5 * s, 3.0, 0.5 * s, 3.0, 1.5 * s, 3.0;
  EXPECT_TRUE(near(y, expected, 1e-12)) << y;
}

// ------------------------------------------------------------------ backward

TEST(BatchNormBackward, TrainingGradientsOfXGammaBetaMatchFiniteDifferences) {
  // Shapes: the usual, a single feature, and the smallest batch (N = 2).
  const std::vector<std::pair<Index, Index>> shapes = {{6, 4}, {5, 1}, {2, 3}, {2, 1}};
  std::uint64_t seed = 10;
  for (const auto& [n, d] : shapes) {
    const Tensor x(test_input(n, d, ++seed));
    const Tensor gamma(random_matrix(1, d, ++seed, 0.5, 2.0)), beta(random_matrix(1, d, ++seed));
    // With N = 2 the normalized values are ±σ/√(σ² + ε) ≈ ±1 whatever x: the gradient
    // with respect to x is ≈ 0 unless σ² is comparable with ε. A larger ε keeps it visible.
    const Scalar eps = n == 2 ? 0.5 : kEps;
    // The function checked must be the right one (a zero output has zero gradients too).
    const ColumnStats s = column_stats(x.value());
    EXPECT_TRUE(near(train_bn(x, gamma, beta, eps).value(),
                     affine_normalize(x.value(), s.mean, s.biased_var, gamma.value(), beta.value(), eps), 1e-10))
        << "N = " << n << ", D = " << d << ": the forward pass";
    EXPECT_TRUE(gradients_match(
        [eps](const std::vector<Tensor>& in) { return train_bn(in[0], in[1], in[2], eps); }, {x, gamma, beta}, {},
        {"x", "gamma", "beta"}))
        << "N = " << n << ", D = " << d
        << ": the backward must go through μ and σ² too (dx = (s/N)(N g − Σg − x̂ Σ g x̂), g = γ ȳ), "
           "and dγ = Σ_rows ȳ x̂, dβ = Σ_rows ȳ summed over the whole batch";
  }
}

TEST(BatchNormBackward, EvaluationGradientsMatchFiniteDifferences) {
  const Tensor x(test_input(5, 3, 30));
  const Tensor gamma(random_matrix(1, 3, 31, 0.5, 2.0)), beta(random_matrix(1, 3, 32));
  const Matrix rm = random_matrix(1, 3, 33), rv = random_matrix(1, 3, 34, 0.5, 2.0);
  Matrix m0 = rm, v0 = rv;
  EXPECT_TRUE(near(batch_norm(x, gamma, beta, m0, v0, false).value(),
                   affine_normalize(x.value(), rm, rv, gamma.value(), beta.value(), kEps), 1e-12))
      << "the forward pass in evaluation";
  EXPECT_TRUE(gradients_match(
      [&](const std::vector<Tensor>& in) {
        Matrix m = rm, v = rv;
        return batch_norm(in[0], in[1], in[2], m, v, false);
      },
      {x, gamma, beta}, {}, {"x", "gamma", "beta"}))
      << "in evaluation the statistics are constants: dx = γ s ȳ";
}

TEST(BatchNormBackward, GradientsAccumulate) {
  const Tensor x(test_input(4, 3, 40)), gamma(random_matrix(1, 3, 41, 0.5, 2.0)), beta(random_matrix(1, 3, 42));
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return train_bn(in[0], in[1], in[2]); },
                          {x, gamma, beta}, {"x", "gamma", "beta"}));
  const Matrix rm = random_matrix(1, 3, 43), rv = random_matrix(1, 3, 44, 0.5, 2.0);
  EXPECT_TRUE(accumulates(
      [&](const std::vector<Tensor>& in) {
        Matrix m = rm, v = rv;
        return batch_norm(in[0], in[1], in[2], m, v, false);
      },
      {x, gamma, beta}, {"x", "gamma", "beta"}));
}

// ------------------------------------------------------------------ running statistics and evaluation

TEST(BatchNormRunning, StatisticsAfterKStepsMatchAnIndependentLoop) {
  // PyTorch 1.13: running ← (1 − m)·running + m·batch, m = 0.1, the running variance
  // fed with the unbiased σ²·N/(N − 1). Batches of different sizes (N/(N − 1) changes).
  BatchNorm1d bn(3);
  Matrix mean = Matrix::Zero(1, 3), var = Matrix::Ones(1, 3);
  const std::vector<Index> sizes = {4, 2, 7, 3, 5};
  std::uint64_t seed = 50;
  for (const Index n : sizes) {
    const Matrix x = test_input(n, 3, ++seed);
    bn(Tensor(x));
    const ColumnStats s = column_stats(x);
    for (Index j = 0; j < 3; ++j) {
      mean(0, j) = 0.9 * mean(0, j) + 0.1 * s.mean(0, j);
      var(0, j) = 0.9 * var(0, j) + 0.1 * s.biased_var(0, j) * static_cast<Scalar>(n) / static_cast<Scalar>(n - 1);
    }
  }
  EXPECT_TRUE(near(bn.running_mean(), mean, 1e-12)) << "running_mean ← 0.9·running_mean + 0.1·μ_batch";
  EXPECT_TRUE(near(bn.running_var(), var, 1e-12))
      << "running_var ← 0.9·running_var + 0.1·σ²_batch·N/(N − 1) (the UNBIASED batch variance)";
}

TEST(BatchNormRunning, OtherMomentumFollowsTheSameRule) {
  BatchNorm1d bn(2, {.eps = kEps, .momentum = 0.3});
  const Matrix x = test_input(4, 2, 60);
  bn(Tensor(x));
  const ColumnStats s = column_stats(x);
  EXPECT_TRUE(near(bn.running_mean(), 0.3 * s.mean, 1e-12)) << "momentum 0.3: 0.7·0 + 0.3·μ";
  EXPECT_TRUE(near(bn.running_var(), (0.7 * Matrix::Ones(1, 2) + 0.3 * s.biased_var * (4.0 / 3.0)), 1e-12));
}

TEST(BatchNormRunning, EvaluationIsTheAffineMapOfTheRunningStatistics) {
  BatchNorm1d bn(3);
  const Matrix rm = random_matrix(1, 3, 70), rv = random_matrix(1, 3, 71, 0.2, 3.0);
  bn.set_running_stats(rm, rv);
  Tensor(bn.weight()).value() = random_matrix(1, 3, 72, 0.5, 2.0);
  Tensor(bn.bias()).value() = random_matrix(1, 3, 73);
  bn.eval();
  const Matrix x = test_input(4, 3, 74);
  const Tensor y = bn(Tensor(x));
  EXPECT_TRUE(near(y.value(), affine_normalize(x, rm, rv, bn.weight().value(), bn.bias().value(), kEps), 1e-12))
      << "evaluation: y = γ (x − μ_run)/√(σ²_run + ε) + β, not the batch's statistics";
  EXPECT_TRUE(near(bn.running_mean(), rm, 0.0)) << "evaluation must not change the running statistics";
  EXPECT_TRUE(near(bn.running_var(), rv, 0.0));
  // Row by row: one example alone gives the same output as inside the batch.
  const Tensor one = bn(Tensor(Matrix(x.row(2))));
  EXPECT_TRUE(near(one.value(), y.value().row(2), 1e-15)) << "in evaluation each row is normalized on its own";
}

TEST(BatchNormRunning, StateRoundTripRestoresEvaluation) {
  BatchNorm1d a(3);
  for (std::uint64_t seed = 80; seed < 84; ++seed) a(Tensor(test_input(5, 3, seed)));
  BatchNorm1d b(3);
  b.set_running_stats(a.running_mean(), a.running_var());
  a.eval();
  b.eval();
  const Tensor x(test_input(4, 3, 90));
  EXPECT_GT(a.running_mean().cwiseAbs().maxCoeff(), 0.01) << "four training batches must have moved the running mean";
  EXPECT_TRUE(near(a(x).value(), b(x).value(), 0.0)) << "a module restored from the saved statistics evaluates the same";
  EXPECT_TRUE(near(b(x).value(), affine_normalize(x.value(), a.running_mean(), a.running_var(), Matrix::Ones(1, 3),
                                                  Matrix::Zero(1, 3), kEps),
                   1e-12));
  EXPECT_TRUE(throws_error_mentioning([&] { b.set_running_stats(Matrix::Zero(1, 2), Matrix::Ones(1, 2)); },
                                      {"set_running_stats", "[1, 3]"}));
}

TEST(BatchNormRunning, ABatchOfOneIsRejectedInTrainingOnly) {
  BatchNorm1d bn(3);
  const Tensor x(test_input(1, 3, 95));
  EXPECT_TRUE(throws_error_mentioning([&] { bn(x); }, {"more than 1 value", "[1, 3]"}));
  EXPECT_TRUE(near(bn.running_mean(), Matrix::Zero(1, 3), 0.0)) << "a rejected batch must leave the statistics alone";
  bn.eval();
  EXPECT_NO_THROW(bn(x)) << "in evaluation a single example is fine";
}

TEST(BatchNormRunning, TrainAndEvalSwitchTheStatistics) {
  BatchNorm1d bn(2);
  const Matrix x = test_input(6, 2, 96);
  const Tensor y_train = bn(Tensor(x));
  const ColumnStats s = column_stats(x);
  EXPECT_TRUE(near(y_train.value(), affine_normalize(x, s.mean, s.biased_var, Matrix::Ones(1, 2), Matrix::Zero(1, 2), kEps),
                   1e-10));
  bn.eval();
  const Tensor y_eval = bn(Tensor(x));
  EXPECT_TRUE(near(y_eval.value(), affine_normalize(x, bn.running_mean(), bn.running_var(), Matrix::Ones(1, 2),
                                                    Matrix::Zero(1, 2), kEps),
                   1e-12));
}
