// Lab 12 tests: the draws of mixup (kernels::sample_gamma, sample_beta,
// random_permutation) and the mixed batch (kernels::mixup_batch, gradlab::mixup).
//
// Statistical tests use many draws and a tolerance of 5 standard errors, derived in
// each test: a correct implementation fails with probability below 1e-6.
#include "gradlab/advanced.h"
#include "gradlab/kernels/advanced.h"
#include "gradlab/testing/kit.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

struct Moments {
  Scalar mean, variance;
};
template <class Draw>
Moments moments(int n, Draw draw) {
  Scalar s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const Scalar v = draw();
    s += v;
    s2 += v * v;
  }
  const Scalar mean = s / n;
  return {mean, s2 / n - mean * mean};
}

// Marsaglia–Tsang as documented, written out again: the draws must be these, in this order.
Scalar gamma_documented(Scalar a, Rng& rng) {
  if (a < 1.0) {
    const Scalar g = gamma_documented(a + 1.0, rng);
    return g * std::pow(rng.uniform(), 1.0 / a);
  }
  const Scalar d = a - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    Scalar z, v;
    do {
      z = rng.normal();
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const Scalar u = rng.uniform();
    if (u < 1.0 - 0.0331 * z * z * z * z || std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) return d * v;
  }
}

}  // namespace

// ------------------------------------------------------------------ Gamma and Beta

TEST(Gamma, FollowsTheDocumentedDraws) {
  for (const Scalar a : {0.2, 0.5, 1.0, 2.5, 7.0}) {
    Rng mine(5), theirs(5);
    for (int i = 0; i < 200; ++i) {
      const Scalar got = k::sample_gamma(a, mine), want = gamma_documented(a, theirs);
      ASSERT_NEAR(got, want, 1e-12 * std::max(1.0, want))
          << "draw " << i << " of Gamma(" << a << "): Marsaglia–Tsang with the draws in the documented order "
          << "(normal, then uniform; for a < 1 the boost: a draw for a + 1, then one uniform)";
    }
  }
}

TEST(Gamma, MeanAndVarianceAreTheShape) {
  // Gamma(a, 1): mean a, variance a. The mean of n draws has standard error √(a/n);
  // the sample variance's is about √((μ₄ − a²)/n) with μ₄ = 3a² + 6a.
  const int n = 40000;
  for (const Scalar a : {0.2, 1.0, 3.0}) {
    Rng rng(11);
    const Moments m = moments(n, [&] { return k::sample_gamma(a, rng); });
    EXPECT_NEAR(m.mean, a, 5 * std::sqrt(a / n)) << "mean of Gamma(" << a << ")";
    EXPECT_NEAR(m.variance, a, 5 * std::sqrt((3 * a * a + 6 * a - a * a) / n)) << "variance of Gamma(" << a << ")";
  }
}

TEST(Beta, IsTheRatioOfTwoGammaDraws) {
  Rng mine(3), theirs(3);
  for (int i = 0; i < 100; ++i) {
    const Scalar x = k::sample_gamma(0.4, theirs);
    const Scalar y = k::sample_gamma(1.5, theirs);
    EXPECT_NEAR(k::sample_beta(0.4, 1.5, mine), x / (x + y), 1e-15) << "X = Gamma(a) first, then Y = Gamma(b): X/(X + Y)";
  }
}

TEST(Beta, MomentsOfTheMixingWeight) {
  // Beta(α, α): mean ½, variance 1/(4(2α + 1)); the mean of n draws has standard error
  // √(var/n). α = 1 is the uniform distribution: a tenth of the draws below 0.1.
  const int n = 40000;
  for (const Scalar alpha : {0.2, 1.0, 4.0}) {
    Rng rng(17);
    const Scalar var = 1.0 / (4.0 * (2.0 * alpha + 1.0));
    const Moments m = moments(n, [&] { return k::sample_beta(alpha, alpha, rng); });
    EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(var / n)) << "Beta(" << alpha << ", " << alpha << ")";
    EXPECT_NEAR(m.variance, var, 0.05 * var) << "Beta(" << alpha << ", " << alpha << ") variance 1/(4(2α + 1))";
  }
  Rng rng(19);
  int below = 0;
  for (int i = 0; i < n; ++i) below += k::sample_beta(1.0, 1.0, rng) < 0.1 ? 1 : 0;
  EXPECT_NEAR(below / static_cast<Scalar>(n), 0.1, 5 * std::sqrt(0.09 / n)) << "Beta(1, 1) is uniform on [0, 1]";
}

// ------------------------------------------------------------------ permutations

TEST(Permutation, IsFisherYatesWithTheDocumentedDraws) {
  for (const Index n : {1, 2, 7, 30}) {
    Rng mine(8), theirs(8);
    const std::vector<Index> got = k::random_permutation(n, mine);
    std::vector<Index> want(static_cast<std::size_t>(n));
    std::iota(want.begin(), want.end(), Index{0});
    for (Index i = n - 1; i >= 1; --i) std::swap(want[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(theirs.index(i + 1))]);
    EXPECT_EQ(got, want) << "n = " << n << ": for i = n − 1 down to 1, j = rng.index(i + 1), swap";
  }
}

TEST(Permutation, EveryOrderOfThreeIsEquallyLikely) {
  // 6 orders, 60000 draws: each count is Binomial(60000, 1/6), standard deviation 91.
  Rng rng(4);
  std::map<std::vector<Index>, int> count;
  for (int i = 0; i < 60000; ++i) count[k::random_permutation(3, rng)] += 1;
  EXPECT_EQ(count.size(), 6u);
  for (const auto& [order, c] : count) EXPECT_NEAR(c, 10000, 5 * 91.3) << "an order of 3 drawn " << c << " times";
}

// ------------------------------------------------------------------ mixup

TEST(Mixup, UsesOneLambdaAndOnePermutationForInputsAndTargets) {
  // Targets: the identity (row i is class i), so the mixed targets reveal the λ and
  // the partner used for them: ỹ_ii = λ, ỹ_i,π(i) = 1 − λ. The inputs must use the same.
  const Index n = 12;
  const Matrix x = random_matrix(n, 5, 1), y = Matrix::Identity(n, n);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed), again(seed);
    const MixupBatch b = k::mixup_batch(x, y, 0.4, rng);
    const Scalar lambda = k::sample_beta(0.4, 0.4, again);
    const std::vector<Index> perm = k::random_permutation(n, again);
    ASSERT_EQ(b.lambda, lambda) << "λ = sample_beta(α, α), drawn first";
    ASSERT_EQ(b.permutation, perm) << "then π = random_permutation(N)";
    ASSERT_EQ(b.x.rows(), n);
    ASSERT_EQ(b.y.rows(), n);
    for (Index i = 0; i < n; ++i) {
      const Index j = perm[static_cast<std::size_t>(i)];
      const Matrix want_x = lambda * x.row(i) + (1 - lambda) * x.row(j);
      EXPECT_LT((b.x.row(i) - want_x).cwiseAbs().maxCoeff(), 1e-14) << "x̃ row " << i << " = λ x_i + (1 − λ) x_π(i)";
      const Matrix want_y = lambda * y.row(i) + (1 - lambda) * y.row(j);
      EXPECT_LT((b.y.row(i) - want_y).cwiseAbs().maxCoeff(), 1e-14)
          << "ỹ row " << i << " must be λ y_i + (1 − λ) y_π(i) with the SAME λ and π as x̃ (seed " << seed << ")";
    }
  }
}

TEST(Mixup, MixedTargetsStillSumToOne) {
  Rng labels_rng(2);
  std::vector<Index> labels(40);
  for (Index& l : labels) l = labels_rng.index(10);
  const Matrix y = one_hot(labels, 10);
  const Matrix x = random_matrix(40, 3, 2);
  Rng rng(9);
  for (int t = 0; t < 20; ++t) {
    const MixupBatch b = k::mixup_batch(x, y, 0.2, rng);
    ASSERT_EQ(b.y.rows(), 40);
    ASSERT_EQ(b.y.cols(), 10) << "ỹ has y's shape";
    for (Index i = 0; i < 40; ++i) {
      EXPECT_NEAR(b.y.row(i).sum(), 1.0, 1e-12) << "row " << i << " of the mixed targets";
      EXPECT_GE(b.y.row(i).minCoeff(), 0.0);
    }
  }
}

TEST(Mixup, LambdaFollowsBetaAlphaAlpha) {
  // λ read from the targets (identity targets: ỹ_00 = λ when π(0) ≠ 0), over many
  // batches: Beta(0.4, 0.4) has mean ½ and variance 1/(4 · 1.8).
  const Index n = 6;
  const Matrix x = random_matrix(n, 2, 3), y = Matrix::Identity(n, n);
  Rng rng(10);
  std::vector<Scalar> lambdas;
  for (int tries = 0; lambdas.size() < 20000; ++tries) {
    ASSERT_LT(tries, 100000) << "the permutation keeps row 0 in place: is it random?";
    const MixupBatch b = k::mixup_batch(x, y, 0.4, rng);
    ASSERT_EQ(b.y.rows(), n);
    if (b.permutation.at(0) != 0) lambdas.push_back(b.y(0, 0));
  }
  const Scalar var = 1.0 / (4.0 * 1.8);
  Scalar mean = 0, m2 = 0;
  for (Scalar l : lambdas) mean += l;
  mean /= static_cast<Scalar>(lambdas.size());
  for (Scalar l : lambdas) m2 += (l - mean) * (l - mean);
  m2 /= static_cast<Scalar>(lambdas.size());
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(var / lambdas.size()));
  EXPECT_NEAR(m2, var, 0.05 * var) << "the targets' λ is Beta(α, α): variance 1/(4(2α + 1))";
}

TEST(Mixup, TheSameSeedGivesTheSameBatch) {
  const Matrix x = random_matrix(8, 3, 4), y = one_hot({0, 1, 2, 0, 1, 2, 0, 1}, 3);
  Rng a(77), b(77);
  const MixupBatch first = k::mixup_batch(x, y, 0.2, a), second = k::mixup_batch(x, y, 0.2, b);
  ASSERT_EQ(first.x.rows(), 8);
  ASSERT_EQ(first.x.cols(), 3) << "x̃ has x's shape";
  ASSERT_EQ(first.y.cols(), 3) << "ỹ has y's shape";
  ASSERT_EQ(second.x.rows(), 8);
  EXPECT_EQ(first.x, second.x);
  EXPECT_EQ(first.y, second.y);
  EXPECT_NE(first.x, x) << "the batch was mixed";
  Rng c(1);
  EXPECT_THROW(mixup(x, y, 0.0, c), Error) << "α must be > 0";
  EXPECT_THROW(mixup(x, y.topRows(3), 0.2, c), Error) << "x and y need the same rows";
}
