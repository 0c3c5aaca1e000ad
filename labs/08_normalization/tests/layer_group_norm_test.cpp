// Lab 08 tests: layer normalization and group normalization (the kernels through
// gradlab::layer_norm / gradlab::group_norm and the LayerNorm / GroupNorm modules).
//
// Expected values come from an independent per-row, per-group loop written here.
#include "gradlab/kernels/normalization.h"
#include "gradlab/normalization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <tuple>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

constexpr Scalar kEps = 1e-5;

// GroupNorm by loops: row i, features [g·K, (g+1)·K) normalized with their mean and
// biased variance, then γ_j x̂ + β_j.
Matrix group_norm_by_hand(const Matrix& x, Index groups, const Matrix& gamma, const Matrix& beta, Scalar eps) {
  const Index k = x.cols() / groups;
  Matrix y(x.rows(), x.cols());
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index g = 0; g < groups; ++g) {
      Scalar sum = 0;
      for (Index j = g * k; j < (g + 1) * k; ++j) sum += x(i, j);
      const Scalar mu = sum / static_cast<Scalar>(k);
      Scalar sq = 0;
      for (Index j = g * k; j < (g + 1) * k; ++j) sq += (x(i, j) - mu) * (x(i, j) - mu);
      const Scalar var = sq / static_cast<Scalar>(k);
      for (Index j = g * k; j < (g + 1) * k; ++j) y(i, j) = gamma(0, j) * (x(i, j) - mu) / std::sqrt(var + eps) + beta(0, j);
    }
  }
  return y;
}

// Rows whose groups differ in offset and scale, so that normalizing over the wrong set
// (columns, strided groups, the whole row) gives other numbers.
Matrix test_input(Index n, Index d, std::uint64_t seed) {
  Matrix x = random_matrix(n, d, seed, -2.0, 2.0);
  for (Index j = 0; j < d; ++j) x.col(j) = (x.col(j).array() * (1.0 + 0.3 * static_cast<Scalar>(j)) + 0.2 * static_cast<Scalar>(j)).matrix();
  return x;
}

}  // namespace

// ------------------------------------------------------------------ LayerNorm

TEST(LayerNorm, NormalizesEachRowOverItsFeatures) {
  const Matrix x = test_input(5, 6, 1);
  const Matrix gamma = random_matrix(1, 6, 2, 0.5, 2.0), beta = random_matrix(1, 6, 3);
  const Tensor y = layer_norm(Tensor(x), Tensor(gamma), Tensor(beta));
  EXPECT_TRUE(near(y.value(), group_norm_by_hand(x, 1, gamma, beta, kEps), 1e-10))
      << "per ROW: μ_i, σ²_i over the D features (biased), y = γ (x − μ_i)/√(σ²_i + ε) + β";
}

TEST(LayerNorm, GradientsMatchFiniteDifferences) {
  const std::vector<std::pair<Index, Index>> shapes = {{4, 5}, {1, 3}, {3, 2}};
  std::uint64_t seed = 10;
  for (const auto& [n, d] : shapes) {
    const Tensor x(test_input(n, d, ++seed)), gamma(random_matrix(1, d, ++seed, 0.5, 2.0)),
        beta(random_matrix(1, d, ++seed));
    const Scalar eps = d == 2 ? 0.5 : kEps;  // two features normalize to ±1 whatever x: keep the gradient visible
    EXPECT_TRUE(near(layer_norm(x, gamma, beta, eps).value(), group_norm_by_hand(x.value(), 1, gamma.value(), beta.value(), eps),
                     1e-10))
        << "N = " << n << ", D = " << d << ": the forward pass (a zero output has zero gradients too)";
    EXPECT_TRUE(gradients_match([eps](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], in[2], eps); },
                                {x, gamma, beta}, {}, {"x", "gamma", "beta"}))
        << "N = " << n << ", D = " << d;
  }
}

TEST(LayerNorm, GradientsAccumulate) {
  const Tensor x(test_input(3, 4, 20)), gamma(random_matrix(1, 4, 21, 0.5, 2.0)), beta(random_matrix(1, 4, 22));
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], in[2]); },
                          {x, gamma, beta}, {"x", "gamma", "beta"}));
}

TEST(LayerNorm, ModuleIsTheSameInTrainingAndEvaluation) {
  LayerNorm ln(4);
  const Tensor x(test_input(3, 4, 25));
  const Matrix a = ln(x).value();
  ln.eval();
  EXPECT_TRUE(near(ln(x).value(), a, 0.0));
  EXPECT_TRUE(near(a, group_norm_by_hand(x.value(), 1, Matrix::Ones(1, 4), Matrix::Zero(1, 4), kEps), 1e-10));
  EXPECT_EQ(ln.parameters().size(), 2u) << "γ and β";
}

// ------------------------------------------------------------------ GroupNorm

TEST(GroupNorm, NormalizesConsecutiveFeatureGroupsOfEachRow) {
  const Matrix x = test_input(4, 6, 30);
  const Matrix gamma = random_matrix(1, 6, 31, 0.5, 2.0), beta = random_matrix(1, 6, 32);
  for (const Index g : {2, 3}) {
    const Tensor y = group_norm(Tensor(x), g, Tensor(gamma), Tensor(beta));
    EXPECT_TRUE(near(y.value(), group_norm_by_hand(x, g, gamma, beta, kEps), 1e-10))
        << "G = " << g << ": group g holds the consecutive features [g·D/G, (g+1)·D/G) of one row";
  }
}

TEST(GroupNorm, EachGroupHasMeanZeroAndVarianceOne) {
  const Matrix x = test_input(3, 8, 35);
  const Tensor y = group_norm(Tensor(x), 4, Tensor(Matrix::Ones(1, 8)), Tensor(Matrix::Zero(1, 8)));
  for (Index i = 0; i < 3; ++i) {
    for (Index g = 0; g < 4; ++g) {
      const auto seg = y.value().row(i).segment(2 * g, 2).array();
      const auto xs = x.row(i).segment(2 * g, 2).array();
      const Scalar var_x = (xs - xs.mean()).square().mean();
      EXPECT_NEAR(seg.mean(), 0.0, 1e-12) << "row " << i << ", group " << g;
      EXPECT_NEAR((seg - seg.mean()).square().mean(), var_x / (var_x + kEps), 1e-12)
          << "row " << i << ", group " << g << ": biased variance σ²/(σ² + ε) ≈ 1";
    }
  }
}

TEST(GroupNorm, LargeMeanAndConstantGroupsByHand) {
  // One row, two groups of 4: 1e8 + (1, 2, 3, 4) (μ = 1e8 + 2.5, σ² = 1.25) and 1e8 + 0.5
  // four times (σ² = 0: x̂ = 0, y = β). The variance as E[x²] − μ² subtracts numbers near
  // 1e16 (rounding unit 2): garbage. Subtract the mean first.
  Matrix x(1, 8);
  x << 1e8 + 1.0, 1e8 + 2.0, 1e8 + 3.0, 1e8 + 4.0, 1e8 + 0.5, 1e8 + 0.5, 1e8 + 0.5, 1e8 + 0.5;
  const Matrix gamma = Matrix::Ones(1, 8), beta = Matrix::Constant(1, 8, 3.0);
  Matrix y(1, 8), x_hat(1, 8), inv_std(1, 2);
  kernels::group_norm_forward(x, 2, gamma, beta, kEps, y, x_hat, inv_std);
  const Scalar s = 1.0 / std::sqrt(1.25 + kEps);
  Matrix expected(1, 8);
  expected << 3.0 - 1.5 * s, 3.0 - 0.5 * s, 3.0 + 0.5 * s, 3.0 + 1.5 * s, 3.0, 3.0, 3.0, 3.0;
  EXPECT_TRUE(near(y, expected, 1e-12)) << "the spread around a large mean (catastrophic cancellation?): " << y;
  EXPECT_TRUE(near(inv_std, (Matrix(1, 2) << s, 1.0 / std::sqrt(kEps)).finished(), 1e-6 * s)) << inv_std;
}

TEST(GroupNorm, OneGroupIsLayerNorm) {
  const Tensor x(test_input(4, 6, 40)), gamma(random_matrix(1, 6, 41, 0.5, 2.0)), beta(random_matrix(1, 6, 42));
  EXPECT_TRUE(near(group_norm(x, 1, gamma, beta).value(), layer_norm(x, gamma, beta).value(), 1e-12))
      << "G = 1: the whole row is one group";
  EXPECT_TRUE(near(layer_norm(x, gamma, beta).value(), group_norm_by_hand(x.value(), 1, gamma.value(), beta.value(), kEps), 1e-10));
}

TEST(GroupNorm, OneFeaturePerGroupGivesBeta) {
  // G = D: every group is a single number, x̂ = 0, so y = β for every row.
  const Tensor x(test_input(3, 5, 45)), gamma(random_matrix(1, 5, 46, 0.5, 2.0)), beta(random_matrix(1, 5, 47));
  const Tensor y = group_norm(x, 5, gamma, beta);
  for (Index i = 0; i < 3; ++i) EXPECT_TRUE(near(y.value().row(i), beta.value(), 1e-12)) << "row " << i;
}

TEST(GroupNorm, GradientsMatchFiniteDifferences) {
  std::uint64_t seed = 50;
  for (const auto& [n, d, g] : std::vector<std::tuple<Index, Index, Index>>{{3, 6, 2}, {2, 6, 2}, {4, 4, 1}, {3, 9, 3}}) {
    const Tensor x(test_input(n, d, ++seed)), gamma(random_matrix(1, d, ++seed, 0.5, 2.0)),
        beta(random_matrix(1, d, ++seed));
    EXPECT_TRUE(near(group_norm(x, g, gamma, beta).value(), group_norm_by_hand(x.value(), g, gamma.value(), beta.value(), kEps),
                     1e-10))
        << "N = " << n << ", D = " << d << ", G = " << g << ": the forward pass (a zero output has zero gradients too)";
    EXPECT_TRUE(gradients_match(
        [g = g](const std::vector<Tensor>& in) { return group_norm(in[0], g, in[1], in[2]); }, {x, gamma, beta}, {},
        {"x", "gamma", "beta"}))
        << "N = " << n << ", D = " << d << ", G = " << g
        << ": per group dx = (s/K)(K g − Σg − x̂ Σ g x̂), dγ and dβ summed over the rows";
  }
}

TEST(GroupNorm, GradientsAccumulate) {
  const Tensor x(test_input(3, 6, 60)), gamma(random_matrix(1, 6, 61, 0.5, 2.0)), beta(random_matrix(1, 6, 62));
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return group_norm(in[0], 3, in[1], in[2]); },
                          {x, gamma, beta}, {"x", "gamma", "beta"}));
}

TEST(GroupNorm, ModuleChecksItsGroups) {
  EXPECT_TRUE(throws_error_mentioning([] { GroupNorm(4, 6); }, {"groups = 4", "6"}));
  GroupNorm gn(3, 6);
  const Tensor x(test_input(2, 6, 65));
  EXPECT_TRUE(near(gn(x).value(), group_norm_by_hand(x.value(), 3, Matrix::Ones(1, 6), Matrix::Zero(1, 6), kEps), 1e-10));
}
