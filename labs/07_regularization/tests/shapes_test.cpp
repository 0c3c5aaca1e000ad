// Lab 07 tests on a shape no other test uses (drawn once from a fixed seed, 7 to 12 rows
// and columns), against loops written here: a kernel that covers only the first rows or
// columns fails.
#include "gradlab/kernels/regularization.h"
#include "gradlab/testing/kit.h"
#include "gradlab/testing/seeded.h"

#include <algorithm>
#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// A drawn [n, d] matrix of weights in [−1, 1) with a few exact zeros (sign(0) = 0).
Matrix drawn_weights(std::uint64_t seed) {
  Rng rng(seed);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  Matrix w = draw_matrix(rng, n, d);
  w(n - 1, d - 1) = 0.0;
  w(n / 2, 0) = 0.0;
  return w;
}

Scalar sign(Scalar v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }

}  // namespace

TEST(PenaltyL1, PenaltiesOfADrawnShapeByLoops) {
  // L1: λ Σ|w|, ∂ = λ sign(w); L2: λ/2 Σ w², ∂ = λw; elastic net: the sum of both.
  const Matrix w = drawn_weights(701);
  const Scalar l1 = 0.3, l2 = 0.2, dout = 1.5;
  Scalar abs_sum = 0.0, sq_sum = 0.0;
  Matrix d1 = Matrix::Constant(w.rows(), w.cols(), 0.25), d2 = d1, de = d1;  // adds into a non-zero dw
  for (Index i = 0; i < w.rows(); ++i) {
    for (Index j = 0; j < w.cols(); ++j) {
      abs_sum += std::abs(w(i, j));
      sq_sum += w(i, j) * w(i, j);
      d1(i, j) += dout * l1 * sign(w(i, j));
      d2(i, j) += dout * l2 * w(i, j);
      de(i, j) += dout * (l1 * sign(w(i, j)) + l2 * w(i, j));
    }
  }
  const std::string shape = shape_string(w);
  EXPECT_NEAR(kernels::l1_penalty_forward(w, l1), l1 * abs_sum, 1e-12) << "L1 on " << shape;
  EXPECT_NEAR(kernels::l2_penalty_forward(w, l2), 0.5 * l2 * sq_sum, 1e-12) << "L2 on " << shape;
  EXPECT_NEAR(kernels::elastic_net_forward(w, l1, l2), l1 * abs_sum + 0.5 * l2 * sq_sum, 1e-12) << "elastic net on " << shape;
  Matrix g1 = Matrix::Constant(w.rows(), w.cols(), 0.25), g2 = g1, ge = g1;
  kernels::l1_penalty_backward(w, l1, dout, g1);
  kernels::l2_penalty_backward(w, l2, dout, g2);
  kernels::elastic_net_backward(w, l1, l2, dout, ge);
  EXPECT_TRUE(near(g1, d1, 1e-14)) << "L1 backward on " << shape;
  EXPECT_TRUE(near(g2, d2, 1e-14)) << "L2 backward on " << shape;
  EXPECT_TRUE(near(ge, de, 1e-14)) << "elastic net backward on " << shape;
}

TEST(ClipGradValue, ClipsEveryElementOfADrawnShape) {
  Matrix g = drawn_weights(702) * 3.0;
  Matrix expected = g;
  for (Index i = 0; i < g.rows(); ++i)
    for (Index j = 0; j < g.cols(); ++j) expected(i, j) = std::clamp(g(i, j), -1.25, 1.25);
  kernels::clip_grad_value(g, 1.25);
  EXPECT_TRUE(near(g, expected, 0.0)) << "clip to [−1.25, 1.25] on " << shape_string(g);
}

TEST(Dropout, MasksEveryElementOfADrawnShape) {
  // p = 0.4: every mask entry is 0 or 1/0.6, y = mask ⊙ x everywhere; both values occur.
  const Matrix x = drawn_weights(703).array() + 2.0;  // no zero inputs
  Matrix mask(x.rows(), x.cols()), y(x.rows(), x.cols());
  Rng rng(704);
  kernels::dropout_forward(x, 0.4, rng, mask, y);
  Index kept = 0, dropped = 0, wrong = 0;
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) {
      if (mask(i, j) == 0.0) ++dropped;
      else if (std::abs(mask(i, j) - 1.0 / 0.6) < 1e-15) ++kept;
      else ++wrong;
      if (std::abs(y(i, j) - mask(i, j) * x(i, j)) > 1e-14) ++wrong;
    }
  }
  EXPECT_EQ(wrong, 0) << "entries with a mask other than 0 or 1/(1 − p), or y ≠ mask ⊙ x, on " << shape_string(x);
  EXPECT_GT(kept, 0);
  EXPECT_GT(dropped, 0);
}
