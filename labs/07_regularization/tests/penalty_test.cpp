// Lab 07 tests: the L1, L2 and elastic-net penalties (kernels and the differentiable
// operations gradlab::l1_penalty, l2_penalty, elastic_net_penalty that call them).
//
// Values are checked against sums written out here; gradients against central finite
// differences in double, with L1's inputs kept away from its kink at 0 (a difference
// of step 1e-6 straddling 0 would see a slope of 0, not ±λ); the kink itself is checked
// on its own (the subgradient there is 0).
#include "gradlab/kernels/regularization.h"
#include "gradlab/optimizer.h"
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

// sign(v) with sign(0) = 0, element-wise.
Matrix sign_of(const Matrix& w) {
  return w.unaryExpr([](Scalar v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); });
}

// Shapes that are not square, a single row, a single column.
const std::vector<std::pair<Index, Index>> kShapes = {{3, 4}, {1, 5}, {6, 1}, {2, 7}};

}  // namespace

// ------------------------------------------------------------------ L1

TEST(PenaltyL1, ValueIsLambdaTimesSumOfAbsoluteValues) {
  const Matrix w = mat({{1.0, -2.0}, {0.0, 0.5}});
  EXPECT_DOUBLE_EQ(k::l1_penalty_forward(w, 0.1), 0.35) << "0.1 · (1 + 2 + 0 + 0.5)";
  EXPECT_EQ(k::l1_penalty_forward(w, 0.0), 0.0) << "λ = 0: no penalty";
  Scalar seed = 0;
  for (const auto& [r, c] : kShapes) {
    const Matrix v = random_matrix(r, c, 11 + static_cast<std::uint64_t>(++seed), -3.0, 3.0);
    EXPECT_NEAR(k::l1_penalty_forward(v, 0.7), 0.7 * v.cwiseAbs().sum(), 1e-12) << "shape " << shape_string(v);
  }
}

TEST(PenaltyL1, GradientMatchesFiniteDifferencesAwayFromZero) {
  std::uint64_t seed = 20;
  for (const auto& [r, c] : kShapes) {
    const Tensor w(away_from_kink(random_matrix(r, c, ++seed, -2.0, 2.0)));
    EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return l1_penalty(in[0], 0.3); }, {w}, {}, {"w"}))
        << "shape " << w.shape();
    // Consistent is not enough (a penalty that is always 0 is consistent too): the formula.
    Tensor v(w.value(), true);
    l1_penalty(v, 0.3).backward();
    EXPECT_TRUE(near(v.grad(), 0.3 * sign_of(w.value()), 1e-15)) << "dP/dw = λ sign(w)";
  }
}

TEST(PenaltyL1, SubgradientIsZeroAtZeroAndLambdaSignElsewhere) {
  const Matrix w = mat({{0.0, 2.0, -3.0}, {-0.0, 1e-300, -1e-300}});
  Matrix dw = Matrix::Zero(2, 3);
  k::l1_penalty_backward(w, 0.5, 2.0, dw);
  // dout · λ · sign(w) = 2 · 0.5 · sign(w); tiny weights still have a sign.
  EXPECT_TRUE(near(dw, mat({{0.0, 1.0, -1.0}, {0.0, 1.0, -1.0}}), 0.0))
      << "d(λ|w|)/dw = λ sign(w) times the upstream gradient, and 0 exactly at w = 0";
}

TEST(PenaltyL1, BackwardAddsIntoTheGradient) {
  const Matrix w = random_matrix(3, 4, 31);
  EXPECT_TRUE(accumulates([&](MatrixRef dw) { k::l1_penalty_backward(w, 0.2, 1.5, dw); }, 3, 4));
}

TEST(PenaltyL1, HugeWeightsGiveAFiniteGradient) {
  const Matrix w = mat({{1e200, -1e200, 1e-200}});
  Matrix dw = Matrix::Zero(1, 3);
  k::l1_penalty_backward(w, 1e-3, 1.0, dw);
  EXPECT_TRUE(near(dw, row({1e-3, -1e-3, 1e-3}), 1e-18)) << "the L1 gradient does not depend on |w|";
}

// ------------------------------------------------------------------ L2

TEST(PenaltyL2, ValueIsHalfLambdaTimesSumOfSquares) {
  const Matrix w = mat({{1.0, -2.0}, {3.0, 0.0}});
  EXPECT_DOUBLE_EQ(k::l2_penalty_forward(w, 0.5), 3.5) << "0.5/2 · (1 + 4 + 9 + 0) = 3.5 (note the ½)";
  std::uint64_t seed = 40;
  for (const auto& [r, c] : kShapes) {
    const Matrix v = random_matrix(r, c, ++seed, -3.0, 3.0);
    EXPECT_NEAR(k::l2_penalty_forward(v, 0.3), 0.15 * v.squaredNorm(), 1e-12) << "shape " << shape_string(v);
  }
}

TEST(PenaltyL2, GradientMatchesFiniteDifferences) {
  std::uint64_t seed = 50;
  for (const auto& [r, c] : kShapes) {
    const Tensor w(random_matrix(r, c, ++seed, -2.0, 2.0));
    EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return l2_penalty(in[0], 0.4); }, {w}, {}, {"w"}))
        << "shape " << w.shape();
    Tensor v(w.value(), true);
    l2_penalty(v, 0.4).backward();
    EXPECT_TRUE(near(v.grad(), 0.4 * w.value(), 1e-15)) << "dP/dw = λ w";
  }
}

TEST(PenaltyL2, GradientIsLambdaWTimesUpstream) {
  const Matrix w = mat({{2.0, -1.0, 0.0}});
  Matrix dw = Matrix::Zero(1, 3);
  k::l2_penalty_backward(w, 0.1, 3.0, dw);
  EXPECT_TRUE(near(dw, row({0.6, -0.3, 0.0}), 1e-15)) << "dout · λ · w = 3 · 0.1 · w (not 2λw: the penalty has a ½)";
}

TEST(PenaltyL2, BackwardAddsIntoTheGradient) {
  const Matrix w = random_matrix(4, 3, 61);
  EXPECT_TRUE(accumulates([&](MatrixRef dw) { k::l2_penalty_backward(w, 0.2, -0.7, dw); }, 4, 3));
}

TEST(PenaltyL2, AGradientStepIsWeightDecay) {
  // With the penalty alone, θ ← θ − η λ θ = (1 − ηλ) θ.
  Tensor w(random_matrix(2, 3, 71), true);
  const Matrix before = w.value();
  SGD opt({w}, 0.1);
  opt.zero_grad();
  l2_penalty(w, 0.5).backward();
  opt.step();
  EXPECT_TRUE(near(w.value(), 0.95 * before, 1e-15)) << "one step on λ/2‖w‖² multiplies w by 1 − ηλ = 0.95";
}

TEST(PenaltyL2, TinyAndLargeWeightsStayFinite) {
  const Matrix w = mat({{1e100, -1e-300, 0.0}});
  EXPECT_TRUE(std::isfinite(k::l2_penalty_forward(w, 1e-4)));
  Matrix dw = Matrix::Zero(1, 3);
  k::l2_penalty_backward(w, 1e-4, 1.0, dw);
  EXPECT_TRUE(near(dw, row({1e96, -1e-304, 0.0}), 1e82));
  EXPECT_TRUE(all_finite(dw));
}

// ------------------------------------------------------------------ elastic net

TEST(ElasticNet, IsTheSumOfTheL1AndL2Penalties) {
  const Matrix w = mat({{1.0, -2.0}, {0.0, 0.5}});
  // 0.1 · 3.5 + 0.4/2 · (1 + 4 + 0 + 0.25) = 0.35 + 1.05
  EXPECT_NEAR(k::elastic_net_forward(w, 0.1, 0.4), 1.4, 1e-15);
  std::uint64_t seed = 80;
  for (const auto& [r, c] : kShapes) {
    const Matrix v = random_matrix(r, c, ++seed, -3.0, 3.0);
    EXPECT_NEAR(k::elastic_net_forward(v, 0.2, 0.6), 0.2 * v.cwiseAbs().sum() + 0.3 * v.squaredNorm(), 1e-12);
    Matrix dw = Matrix::Zero(r, c);
    k::elastic_net_backward(v, 0.2, 0.6, 1.5, dw);
    EXPECT_TRUE(near(dw, 1.5 * (0.2 * sign_of(v) + 0.6 * v), 1e-14)) << "dout (λ₁ sign(w) + λ₂ w)";
  }
}

TEST(ElasticNet, GradientMatchesFiniteDifferencesAwayFromZero) {
  const Tensor w(away_from_kink(random_matrix(3, 5, 91, -2.0, 2.0)));
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return elastic_net_penalty(in[0], 0.25, 0.5); },
                              {w}, {}, {"w"}));
  Tensor v(w.value(), true);
  elastic_net_penalty(v, 0.25, 0.5).backward();
  EXPECT_TRUE(near(v.grad(), 0.25 * sign_of(w.value()) + 0.5 * w.value(), 1e-15)) << "dP/dw = λ₁ sign(w) + λ₂ w";
}

TEST(ElasticNet, BackwardAddsIntoTheGradient) {
  const Matrix w = random_matrix(2, 5, 93);
  EXPECT_TRUE(accumulates([&](MatrixRef dw) { k::elastic_net_backward(w, 0.2, 0.3, 0.9, dw); }, 2, 5));
}

TEST(ElasticNet, PenaltyOverAParameterListSumsThePenalties) {
  Tensor a(random_matrix(2, 3, 95), true), b(random_matrix(4, 1, 96), true);
  Tensor total = elastic_net_penalty(std::vector<Tensor>{a, b}, 0.1, 0.2);
  const Scalar expected = 0.1 * (a.value().cwiseAbs().sum() + b.value().cwiseAbs().sum()) +
                          0.1 * (a.value().squaredNorm() + b.value().squaredNorm());
  EXPECT_NEAR(total.item(), expected, 1e-13);
  total.backward();
  EXPECT_TRUE(near(b.grad(), 0.1 * sign_of(b.value()) + 0.2 * b.value(), 1e-15)) << "every parameter gets its own gradient";
}
