// Hidden tests of lab 03 (instructor grading only): the loss kernels on shapes, values,
// thresholds and upstream gradients drawn from the run's seed (GRADLAB_TEST_SEED), so
// that code written for the visible tests' shapes, δ = 1 or ℓ̄ = 1 fails. Expected
// values are computed here from the formulas, element by element.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/losses.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::kernels;
using namespace gradlab::testing;

namespace {

// The number of elements or rows a Mean divides by, for messages and expectations.
Scalar divisor(Reduction reduction, Scalar count) { return reduction == Reduction::Mean ? count : 1.0; }

}  // namespace

// MSE and L1 with Mean and Sum, a drawn upstream gradient ℓ̄, added into a non-zero dpred.
TEST(HiddenLosses, MseAndL1OnDrawnShapes) {
  Rng rng = seeded_rng(20);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix p = draw_matrix(rng, n, d, -2, 2), t = draw_matrix(rng, n, d, -2, 2);
  const Matrix r = p - t, dp0 = draw_matrix(rng, n, d);
  const Scalar dloss = rng.uniform(0.5, 2.0);
  for (Reduction reduction : {Reduction::Mean, Reduction::Sum}) {
    const Scalar c = divisor(reduction, static_cast<Scalar>(n * d));
    EXPECT_NEAR(mse_forward(p, t, reduction), r.squaredNorm() / c, 1e-12) << seed_note();
    EXPECT_NEAR(l1_forward(p, t, reduction), r.cwiseAbs().sum() / c, 1e-12) << seed_note();
    Matrix dp = dp0;
    mse_backward(p, t, reduction, dloss, dp);
    EXPECT_TRUE(near(dp, dp0 + dloss * 2.0 * r / c, 1e-12)) << "p̄ += ℓ̄ 2 r / (ND)" << seed_note();
    dp = dp0;
    l1_backward(p, t, reduction, dloss, dp);
    EXPECT_TRUE(near(dp, dp0 + dloss * r.array().sign().matrix() / c, 1e-12)) << "p̄ += ℓ̄ sign(r) / (ND)" << seed_note();
  }
}

// Huber with a drawn δ ≠ 1: residuals on both sides of δ, and between δ and δ² when δ > 1.
TEST(HiddenLosses, HuberWithDrawnThreshold) {
  Rng rng = seeded_rng(21);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Scalar delta = rng.uniform(1.3, 2.5);
  const Matrix t = draw_matrix(rng, n, d);
  const Matrix r = draw_matrix(rng, n, d, -2.0 * delta * delta, 2.0 * delta * delta);
  const Matrix p = t + r;
  const Scalar dloss = rng.uniform(0.5, 2.0);
  Scalar expected = 0;
  Matrix dh(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) {
      const Scalar a = std::abs(r(i, j));
      expected += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
      dh(i, j) = a <= delta ? r(i, j) : delta * (r(i, j) > 0 ? 1.0 : -1.0);
    }
  const Scalar c = static_cast<Scalar>(n * d);
  EXPECT_NEAR(huber_forward(p, t, delta, Reduction::Mean), expected / c, 1e-12) << "δ = " << delta << seed_note();
  const Matrix dp0 = draw_matrix(rng, n, d);
  Matrix dp = dp0;
  huber_backward(p, t, delta, Reduction::Mean, dloss, dp);
  EXPECT_TRUE(near(dp, dp0 + dloss * dh / c, 1e-12)) << "δ = " << delta << seed_note();
}

// BCE on logits with soft targets and large drawn logits.
TEST(HiddenLosses, BceWithLogitsOnDrawnShapes) {
  Rng rng = seeded_rng(22);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  Matrix z = draw_matrix(rng, n, d, -6, 6);
  z(draw_size(rng, 0, n - 1), 0) = rng.uniform(200.0, 800.0);  // finite where σ(z) rounds to 1
  const Matrix y = draw_matrix(rng, n, d, 0, 1);
  Scalar expected = 0;
  Matrix sig(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) {
      const Scalar v = z(i, j);
      expected += std::max(v, 0.0) - v * y(i, j) + std::log1p(std::exp(-std::abs(v)));
      sig(i, j) = 1.0 / (1.0 + std::exp(-v));
    }
  const Scalar c = static_cast<Scalar>(n * d), dloss = rng.uniform(0.5, 2.0);
  EXPECT_NEAR(bce_with_logits_forward(z, y, Reduction::Mean), expected / c, 1e-10) << seed_note();
  const Matrix dz0 = draw_matrix(rng, n, d);
  Matrix dz = dz0;
  bce_with_logits_backward(z, y, Reduction::Mean, dloss, dz);
  EXPECT_TRUE(near(dz, dz0 + dloss * (sig - y) / c, 1e-12)) << seed_note();
}

// Cross entropy with drawn labels (never all the same class) and shifted logits.
TEST(HiddenLosses, CrossEntropyOnDrawnShapesAndLabels) {
  Rng rng = seeded_rng(23);
  const Index n = draw_size(rng, 7, 12), k = draw_size(rng, 7, 12);
  Matrix z = draw_matrix(rng, n, k, -3, 3);
  std::vector<Index> labels;
  for (Index i = 0; i < n; ++i) {
    labels.push_back(draw_size(rng, 0, k - 1));
    z.row(i).array() += rng.uniform(-300.0, 300.0);
  }
  const Matrix log_p = reference_log_softmax(z);
  const Scalar dloss = rng.uniform(0.5, 2.0);
  for (Reduction reduction : {Reduction::Mean, Reduction::Sum}) {
    const Scalar c = divisor(reduction, static_cast<Scalar>(n));
    Scalar expected = 0;
    Matrix grad = log_p.array().exp().matrix();
    for (Index i = 0; i < n; ++i) {
      expected -= log_p(i, labels[static_cast<std::size_t>(i)]);
      grad(i, labels[static_cast<std::size_t>(i)]) -= 1.0;
    }
    EXPECT_NEAR(cross_entropy_forward(z, labels, reduction), expected / c, 1e-9) << seed_note();
    const Matrix dz0 = draw_matrix(rng, n, k);
    Matrix dz = dz0;
    cross_entropy_backward(z, labels, reduction, dloss, dz);
    EXPECT_TRUE(near(dz, dz0 + dloss * grad / c, 1e-10)) << "z̄ += ℓ̄ (softmax − onehot) / N" << seed_note();
  }
}
