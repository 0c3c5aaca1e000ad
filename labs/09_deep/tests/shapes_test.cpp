// Lab 09 tests on a shape no other test uses (drawn once from a fixed seed, 7 to 12 rows
// and columns), against loops written here: a kernel that covers only the first rows or
// columns fails.
#include "gradlab/kernels/deep.h"
#include "gradlab/testing/kit.h"
#include "gradlab/testing/seeded.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

TEST(ResidualForward, IdentitySkipOnADrawnShape) {
  // y = x + F(x), element by element.
  Rng rng(901);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix x = draw_matrix(rng, n, d), fx = draw_matrix(rng, n, d);
  Matrix y = Matrix::Constant(n, d, 5.0);
  kernels::residual_forward(x, fx, Matrix(0, 0), y);
  Matrix expected(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) expected(i, j) = x(i, j) + fx(i, j);
  EXPECT_TRUE(near(y, expected, 1e-15)) << shape_string(n, d);
}

TEST(GradNorm, DrawnShapeByALoop) {
  Rng rng(902);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix g = draw_matrix(rng, n, d);
  Scalar sum_sq = 0.0;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) sum_sq += g(i, j) * g(i, j);
  EXPECT_NEAR(kernels::grad_norm(g), std::sqrt(sum_sq), 1e-12) << shape_string(n, d);
}

TEST(DeadUnits, DrawnShapeByALoop) {
  // ReLU outputs with every third column all zero: those units are dead.
  Rng rng(903);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  Matrix a = draw_matrix(rng, n, d).cwiseMax(0.0);
  Index dead = 0;
  for (Index j = 0; j < d; ++j) {
    if (j % 3 == 2) a.col(j).setZero();
    else a(n - 1, j) = 0.5;  // alive through its last example at least
    if (j % 3 == 2) ++dead;
  }
  EXPECT_DOUBLE_EQ(kernels::dead_fraction(a), static_cast<Scalar>(dead) / static_cast<Scalar>(d)) << shape_string(n, d);
}
