// Lab 09 tests: the gradient-health statistics (gradient norm, update-to-weight ratio,
// dead ReLU units, saturated sigmoid/tanh units) against values computed by hand.
#include "gradlab/kernels/deep.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

// ------------------------------------------------------------------ gradient norm

TEST(GradNorm, IsTheEuclideanNormOfEveryElement) {
  EXPECT_NEAR(kernels::grad_norm(mat({{3, 4}, {0, 12}})), 13.0, 1e-12) << "√(9 + 16 + 0 + 144) = 13";
  EXPECT_NEAR(kernels::grad_norm(mat({{-1, -2, 2}})), 3.0, 1e-12) << "√(1 + 4 + 4) = 3: signs do not cancel";
  EXPECT_NEAR(kernels::grad_norm(Matrix::Zero(2, 3)), 0.0, 0.0);
  const Matrix g = random_matrix(5, 7, 1);
  Scalar sq = 0;
  for (Index i = 0; i < 5; ++i)
    for (Index j = 0; j < 7; ++j) sq += g(i, j) * g(i, j);
  EXPECT_NEAR(kernels::grad_norm(g), std::sqrt(sq), 1e-12) << "every element counts, not only the first row or column";
}

// ------------------------------------------------------------------ update ratio

TEST(UpdateRatio, MeasuresTheStepAgainstTheOldWeights) {
  // ‖w_before‖ = 5, Δ = [0, 0.5]: r = 0.5 / 5 = 0.1 (against ‖w_after‖ = 5.408… it would be 0.0925).
  EXPECT_NEAR(kernels::update_ratio(mat({{3, 4}}), mat({{3, 4.5}})), 0.1, 1e-12)
      << "r = ‖w_after − w_before‖ / ‖w_before‖: the OLD weights' norm in the denominator";
  // ‖w_before‖ = 13, Δ = [[−3, 0], [0, 4]] (norm 5): r = 5/13.
  EXPECT_NEAR(kernels::update_ratio(mat({{3, 4}, {0, 12}}), mat({{0, 4}, {0, 16}})), 5.0 / 13.0, 1e-12);
  EXPECT_NEAR(kernels::update_ratio(mat({{1, -2}}), mat({{1, -2}})), 0.0, 0.0) << "no step, ratio 0";
}

TEST(UpdateRatio, IsTheNormOfTheDifferenceNotTheDifferenceOfNorms) {
  // A rotation keeps the norm (‖w_after‖ = ‖w_before‖ = 5) but moves the weights by √2·5.
  EXPECT_NEAR(kernels::update_ratio(mat({{3, 4}}), mat({{4, -3}})), std::sqrt(50.0) / 5.0, 1e-12);
  // A random case against a loop.
  const Matrix a = random_matrix(4, 3, 1), b = random_matrix(4, 3, 2);
  Scalar d = 0, w = 0;
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 3; ++j) {
      d += (b(i, j) - a(i, j)) * (b(i, j) - a(i, j));
      w += a(i, j) * a(i, j);
    }
  EXPECT_NEAR(kernels::update_ratio(a, b), std::sqrt(d) / std::sqrt(w), 1e-12);
}

// ------------------------------------------------------------------ dead ReLU units

TEST(DeadUnits, AUnitIsDeadOnlyWhenZeroForTheWholeBatch) {
  // Columns: 0 dead (zero everywhere), 1 zero on the first example only (alive),
  // 2 alive, 3 zero on every example but the last (alive).
  const Matrix a = mat({{0, 0, 1.5, 0}, {0, 2, 0.1, 0}, {0, 1, 3, 0.01}});
  EXPECT_NEAR(kernels::dead_fraction(a), 0.25, 1e-12)
      << "1 dead unit of 4: a unit is dead when its column is 0 for EVERY example of the batch";
  EXPECT_NEAR(kernels::dead_fraction(Matrix::Zero(2, 5)), 1.0, 1e-12) << "all units zero: all dead";
  EXPECT_NEAR(kernels::dead_fraction(mat({{0.3, 0.0}, {0.0, 0.2}})), 0.0, 1e-12)
      << "every unit fires on some example: none dead";
  EXPECT_NEAR(kernels::dead_fraction(mat({{0, 1, 0, 0, 2}})), 0.6, 1e-12) << "one example: 3 of 5 units are zero";
}

TEST(DeadUnits, CountsUnitsNotActivations) {
  // 6 zeros among 12 activations, but only column 1 of 3 is dead.
  const Matrix a = mat({{1, 0, 0}, {0, 0, 2}, {0, 0, 0}, {3, 0, 0}});
  EXPECT_NEAR(kernels::dead_fraction(a), 1.0 / 3.0, 1e-12) << "dead columns / D, not zero elements / (N·D)";
}

// ------------------------------------------------------------------ saturated units

TEST(SaturatedUnits, SigmoidOutputsNearZeroOrOne) {
  // margin 0.01: saturated when a ≤ 0.01 or a ≥ 0.99. Here 0.001, 0.995 and 0.01 (on the
  // boundary) are; 0.5, 0.02, 0.98 are not: 3 of 6.
  const Matrix a = mat({{0.001, 0.5, 0.995}, {0.02, 0.98, 0.01}});
  EXPECT_NEAR(kernels::saturated_fraction(a, 0.0, 1.0, 0.01), 0.5, 1e-12)
      << "the share of the N·D activations within the margin of either asymptote";
  EXPECT_NEAR(kernels::saturated_fraction(a, 0.0, 1.0, 0.1), 5.0 / 6.0, 1e-12) << "a wider margin: 0.02 and 0.98 count too";
}

TEST(SaturatedUnits, TanhOutputsNearMinusOneOrOne) {
  // asymptotes −1 and 1, margin 0.05: −0.999 and 0.97 are saturated; 0, −0.9, 0.5, 0.94 are not.
  const Matrix a = mat({{-0.999, 0.0, -0.9}, {0.97, 0.5, 0.94}});
  EXPECT_NEAR(kernels::saturated_fraction(a, -1.0, 1.0, 0.05), 2.0 / 6.0, 1e-12)
      << "tanh saturates at BOTH ends, −1 and 1";
  EXPECT_NEAR(kernels::saturated_fraction(Matrix::Constant(3, 2, 0.1), -1.0, 1.0, 0.05), 0.0, 0.0);
}
