// Hidden tests of lab 01 (instructor grading only): the same kernels as the visible
// tests, on shapes and values drawn from the run's seed (GRADLAB_TEST_SEED), so that
// code written for the visible tests' shapes fails. Each expected value is computed
// here independently, with Eigen expressions.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/backprop.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::kernels;
using namespace gradlab::testing;

// y = a b; ā += ȳ bᵀ, b̄ += aᵀ ȳ, both added to what was there.
TEST(HiddenBackprop, MatmulOnDrawnShapes) {
  Rng rng = seeded_rng(1);
  const Index n = draw_size(rng, 7, 12), k = draw_size(rng, 7, 12), m = draw_size(rng, 7, 12);
  const Matrix a = draw_matrix(rng, n, k), b = draw_matrix(rng, k, m), dy = draw_matrix(rng, n, m);
  Matrix y = Matrix::Zero(n, m);
  matmul_forward(a, b, y);
  EXPECT_TRUE(near(y, a * b, 1e-12)) << "y = a b for a " << shape_string(n, k) << ", b " << shape_string(k, m) << seed_note();
  const Matrix da0 = draw_matrix(rng, n, k), db0 = draw_matrix(rng, k, m);
  Matrix da = da0, db = db0;
  matmul_backward(a, b, dy, &da, &db);
  EXPECT_TRUE(near(da, da0 + dy * b.transpose(), 1e-12)) << "ā += ȳ bᵀ (added to ā)" << seed_note();
  EXPECT_TRUE(near(db, db0 + a.transpose() * dy, 1e-12)) << "b̄ += aᵀ ȳ (added to b̄)" << seed_note();
}

// y = a ⊙ b and y = a / b with b broadcast from a row [1, D]: the row's gradient is
// summed over the N rows.
TEST(HiddenBackprop, ElementwiseWithBroadcastRowOnDrawnShapes) {
  Rng rng = seeded_rng(2);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix a = draw_matrix(rng, n, d), dy = draw_matrix(rng, n, d);
  const Matrix b = draw_matrix(rng, 1, d, 0.5, 2.0);
  const Matrix b_full = b.replicate(n, 1);
  Matrix y = Matrix::Zero(n, d);
  mul_forward(a, b, y);
  EXPECT_TRUE(near(y, a.cwiseProduct(b_full), 1e-12)) << "y = a ⊙ b (b broadcast)" << seed_note();
  div_forward(a, b, y);
  EXPECT_TRUE(near(y, a.cwiseQuotient(b_full), 1e-12)) << "y = a / b (b broadcast)" << seed_note();

  const Matrix da0 = draw_matrix(rng, n, d), db0 = draw_matrix(rng, 1, d);
  Matrix da = da0, db = db0;
  mul_backward(a, b, dy, &da, &db);
  EXPECT_TRUE(near(da, da0 + dy.cwiseProduct(b_full), 1e-12)) << "ā += ȳ ⊙ b" << seed_note();
  EXPECT_TRUE(near(db, db0 + dy.cwiseProduct(a).colwise().sum(), 1e-12)) << "b̄ += Σ_rows ȳ ⊙ a" << seed_note();
  da = da0;
  db = db0;
  div_backward(a, b, dy, &da, &db);
  EXPECT_TRUE(near(da, da0 + dy.cwiseQuotient(b_full), 1e-12)) << "ā += ȳ / b" << seed_note();
  const Matrix expected_db =
      db0 - dy.cwiseProduct(a).cwiseQuotient(b_full.cwiseProduct(b_full)).colwise().sum();
  EXPECT_TRUE(near(db, expected_db, 1e-12)) << "b̄ −= Σ_rows ȳ ⊙ a / b²" << seed_note();
}

// Sums and means down to [1, 1], [1, D] and [N, 1]; the backward spreads ȳ (÷ n for the mean).
TEST(HiddenBackprop, ReductionsOnDrawnShapes) {
  Rng rng = seeded_rng(3);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix x = draw_matrix(rng, n, d);
  Matrix all(1, 1), cols(1, d), rows(n, 1);
  sum_forward(x, all);
  EXPECT_NEAR(all(0, 0), x.sum(), 1e-12) << seed_note();
  mean_forward(x, cols);
  EXPECT_TRUE(near(cols, x.colwise().mean(), 1e-12)) << "mean over rows" << seed_note();
  mean_forward(x, rows);
  EXPECT_TRUE(near(rows, x.rowwise().mean(), 1e-12)) << "mean over columns" << seed_note();

  const Matrix dx0 = draw_matrix(rng, n, d), dcols = draw_matrix(rng, 1, d), drows = draw_matrix(rng, n, 1);
  Matrix dx = dx0;
  mean_backward(dcols, dx);
  EXPECT_TRUE(near(dx, dx0 + dcols.replicate(n, 1) / static_cast<Scalar>(n), 1e-12))
      << "x̄ += ȳ / N for a mean over " << n << " rows" << seed_note();
  dx = dx0;
  sum_backward(drows, dx);
  EXPECT_TRUE(near(dx, dx0 + drows.replicate(1, d), 1e-12)) << "x̄ += ȳ for a sum over columns" << seed_note();
}

// reduce_broadcast sums a gradient down to each broadcast shape.
TEST(HiddenBackprop, ReduceBroadcastOnDrawnShapes) {
  Rng rng = seeded_rng(4);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix g = draw_matrix(rng, n, d);
  Matrix row = Matrix::Constant(1, d, 0.5), col = Matrix::Constant(n, 1, -0.25), one = Matrix::Constant(1, 1, 1.0);
  reduce_broadcast(g, row);
  reduce_broadcast(g, col);
  reduce_broadcast(g, one);
  EXPECT_TRUE(near(row, Matrix::Constant(1, d, 0.5) + g.colwise().sum(), 1e-12)) << seed_note();
  EXPECT_TRUE(near(col, Matrix::Constant(n, 1, -0.25) + g.rowwise().sum(), 1e-12)) << seed_note();
  EXPECT_NEAR(one(0, 0), 1.0 + g.sum(), 1e-12) << seed_note();
}
