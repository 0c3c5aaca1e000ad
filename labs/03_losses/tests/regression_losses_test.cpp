// Lab 03 tests: MSE, L1, Huber and Smooth L1 (values by hand, gradients, reductions,
// accumulation, the empty batch, argument checks).
#include "gradlab/gradlab.h"
#include "gradlab/kernels/losses.h"
#include "gradlab/testing/kit.h"

namespace {

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

// Residuals bounded away from 0 and from ±1 and ±2 (the kinks of L1, Huber(1), Huber(2)).
Matrix prediction() { return mat({{0.3, -1.7, 2.6}, {-0.45, 1.3, -3.2}}); }
Matrix target() { return mat({{-0.2, 0.1, -0.5}, {0.6, 1.0, 0.4}}); }

// ---------------------------------------------------------------- MSE

TEST(Mse, SeedsWorkedExampleIsAQuarter) {
  // label (1, 2), prediction (1.5, 1.5): ((1 − 1.5)² + (2 − 1.5)²) / 2 = 0.25.
  EXPECT_NEAR(k::mse_forward(mat({{1.5, 1.5}}), mat({{1, 2}}), Reduction::Mean), 0.25, 1e-15);
  EXPECT_NEAR(k::mse_forward(mat({{1.5}, {1.5}}), mat({{1}, {2}}), Reduction::Mean), 0.25, 1e-15);
  EXPECT_NEAR(gradlab::mse_loss(Tensor({{1.5, 1.5}}), Tensor({{1, 2}})).item(), 0.25, 1e-15);
}

TEST(Mse, MeanIsOverAllElementsAndSumIsPlain) {
  const Matrix p = mat({{1, 2}, {3, 4}});
  const Matrix t = Matrix::Zero(2, 2);
  EXPECT_NEAR(k::mse_forward(p, t, Reduction::Sum), 30.0, 1e-12);
  EXPECT_NEAR(k::mse_forward(p, t, Reduction::Mean), 7.5, 1e-12) << "mean over N*D = 4 elements";
}

TEST(Mse, BackwardByHand) {
  Matrix d = Matrix::Zero(1, 2);
  k::mse_backward(mat({{1.5, 1.5}}), mat({{1, 2}}), Reduction::Mean, 1.0, d);
  // 2 (p − t) / 2 = (0.5, −0.5)
  EXPECT_NEAR(d(0, 0), 0.5, 1e-15);
  EXPECT_NEAR(d(0, 1), -0.5, 1e-15);
}

TEST(Mse, BackwardMatchesFiniteDifferencesMeanAndSum) {
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [r](const std::vector<Tensor>& in) { return gradlab::mse_loss(in[0], Tensor(target()), r); },
        {Tensor(prediction())}, {}, {"pred"}));
  }
}

TEST(Mse, BackwardAddsIntoExistingGradient) {
  Matrix d = Matrix::Ones(2, 3);
  k::mse_backward(prediction(), target(), Reduction::Sum, 1.0, d);
  const Matrix expected = Matrix::Ones(2, 3) + 2.0 * (prediction() - target());
  EXPECT_TRUE(d.isApprox(expected, 1e-12)) << "backward kernels must add (+=), got\n" << d;
  EXPECT_TRUE(accumulates(
      [](MatrixRef dp) {
        k::mse_backward(prediction(), target(), Reduction::Mean, 1.0, dp);
      },
      2, 3));
}

TEST(Mse, BatchOfOne) {
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return gradlab::mse_loss(in[0], Tensor({{0.5, -1.0}})); },
      {Tensor({{2.0, 1.0}})}, {}, {"pred"}));
}

TEST(Mse, EmptyBatchSumIsZeroMeanIsAnError) {
  EXPECT_NEAR(k::mse_forward(mat({{3}}), mat({{1}}), Reduction::Mean), 4.0, 0.0);  // the kernel computes
  const Matrix empty(0, 3);
  EXPECT_EQ(k::mse_forward(empty, empty, Reduction::Sum), 0.0);
  Matrix d(0, 3);
  k::mse_backward(empty, empty, Reduction::Sum, 1.0, d);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::mse_forward(empty, empty, Reduction::Mean); },
      {"mse", "empty"}));
}

TEST(Mse, ShapeMismatchNamesBothShapes) {
  EXPECT_NEAR(k::mse_forward(mat({{1, 2}}), mat({{0, 0}}), Reduction::Mean), 2.5, 0.0);  // the kernel computes
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::mse_forward(Matrix::Zero(2, 3), Matrix::Zero(3, 2), Reduction::Mean); },
      {"[2, 3]", "[3, 2]"}));
}

// ---------------------------------------------------------------- L1

TEST(L1, ValuesByHand) {
  const Matrix p = mat({{1, -2}, {3, 4}});
  const Matrix t = Matrix::Zero(2, 2);
  EXPECT_NEAR(k::l1_forward(p, t, Reduction::Sum), 10.0, 1e-12);
  EXPECT_NEAR(k::l1_forward(p, t, Reduction::Mean), 2.5, 1e-12);
  EXPECT_NEAR(k::l1_forward(mat({{1.5, 1.5}}), mat({{1, 2}}), Reduction::Mean), 0.5, 1e-15);
}

TEST(L1, GradientIsSignOverCountAndZeroAtZero) {
  Matrix d = Matrix::Zero(1, 4);
  k::l1_backward(mat({{2, -1, 0.5, 7}}), mat({{1, 1, 0.5, -7}}), Reduction::Mean, 1.0, d);
  EXPECT_NEAR(d(0, 0), 0.25, 1e-15);
  EXPECT_NEAR(d(0, 1), -0.25, 1e-15);
  EXPECT_EQ(d(0, 2), 0.0) << "the documented subgradient of |r| at r = 0 is 0";
  EXPECT_NEAR(d(0, 3), 0.25, 1e-15);
}

TEST(L1, BackwardMatchesFiniteDifferencesMeanAndSum) {
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [r](const std::vector<Tensor>& in) { return gradlab::l1_loss(in[0], Tensor(target()), r); },
        {Tensor(prediction())}, {}, {"pred"}));
  }
}

TEST(L1, BackwardAddsIntoExistingGradient) {
  Matrix d = Matrix::Constant(1, 2, 3.0);
  k::l1_backward(mat({{2, -2}}), mat({{0, 0}}), Reduction::Sum, 1.0, d);
  EXPECT_NEAR(d(0, 0), 4.0, 1e-15);
  EXPECT_NEAR(d(0, 1), 2.0, 1e-15);
  EXPECT_TRUE(accumulates(
      [](MatrixRef dp) {
        k::l1_backward(prediction(), target(), Reduction::Mean, 1.0, dp);
      },
      2, 3));
}

// ---------------------------------------------------------------- Huber

TEST(Huber, ValuesByHandOnBothPieces) {
  // δ = 1: r = 0.5 → ½·0.25 = 0.125; r = 3 → 1·(3 − 0.5) = 2.5; r = −2 → 1.5.
  const Matrix p = mat({{0.5, 3, -2}});
  const Matrix t = Matrix::Zero(1, 3);
  EXPECT_NEAR(k::huber_forward(p, t, 1.0, Reduction::Sum), 0.125 + 2.5 + 1.5, 1e-12);
  EXPECT_NEAR(k::huber_forward(p, t, 1.0, Reduction::Mean), (0.125 + 2.5 + 1.5) / 3, 1e-12);
  // δ = 2: r = 3 → 2·(3 − 1) = 4; r = 0.5 → 0.125; r = −2 → ½·4 = 2 (|r| = δ: quadratic piece).
  EXPECT_NEAR(k::huber_forward(p, t, 2.0, Reduction::Sum), 4.0 + 0.125 + 2.0, 1e-12);
}

TEST(Huber, GradientIsResidualClippedToDelta) {
  Matrix d = Matrix::Zero(1, 3);
  k::huber_backward(mat({{0.5, 3, -2}}), Matrix::Zero(1, 3), 1.0, Reduction::Sum, 1.0, d);
  EXPECT_NEAR(d(0, 0), 0.5, 1e-15);
  EXPECT_NEAR(d(0, 1), 1.0, 1e-15);
  EXPECT_NEAR(d(0, 2), -1.0, 1e-15);
}

TEST(Huber, BackwardMatchesFiniteDifferences) {
  for (Scalar delta : {1.0, 2.0, 0.3}) {
    for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
      EXPECT_TRUE(gradients_match(
          [delta, r](const std::vector<Tensor>& in) {
            return gradlab::huber_loss(in[0], Tensor(target()), delta, r);
          },
          {Tensor(prediction())}, {}, {"pred"}))
          << "delta = " << delta;
    }
  }
}

TEST(Huber, BackwardAddsIntoExistingGradient) {
  Matrix d = Matrix::Ones(2, 3);
  k::huber_backward(prediction(), target(), 1.0, Reduction::Sum, 1.0, d);
  Matrix expected = Matrix::Ones(2, 3);
  Matrix expected_grad = (prediction() - target()).cwiseMax(-1.0).cwiseMin(1.0);
  EXPECT_TRUE(d.isApprox(expected + expected_grad, 1e-12));
  EXPECT_TRUE(accumulates(
      [](MatrixRef dp) {
        k::huber_backward(prediction(), target(), 1.0, Reduction::Mean, 1.0, dp);
      },
      2, 3));
}

TEST(Huber, RejectsNonPositiveDelta) {
  // The kernel computes: |r| = 2 > δ = 1, so δ(|r| − δ/2) = 1.5.
  EXPECT_NEAR(k::huber_forward(mat({{3}}), mat({{1}}), 1.0, Reduction::Mean), 1.5, 1e-15);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::huber_forward(mat({{1}}), mat({{0}}), 0.0, Reduction::Mean); },
      {"delta"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { gradlab::huber_loss(Tensor({{1.0}}), Tensor({{0.0}}), -1.0); },
      {"delta"}));
}

TEST(Huber, DeltaOtherThanOneBetweenDeltaAndItsSquare) {
  // h_δ(r) = ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond; h'_δ(r) = clamp(r, −δ, δ). δ = 1 hides
  // every confusion of δ with δ² or √δ; these residuals sit between them:
  //   δ = 0.5 (δ² = 0.25, √δ ≈ 0.71): r = −0.35 → ½·0.1225 = 0.06125, h' = −0.35
  //                                     r = 0.6   → 0.5·(0.6 − 0.25) = 0.175, h' = 0.5
  //   δ = 2   (√δ ≈ 1.41, δ² = 4):     r = 1.7   → ½·2.89 = 1.445, h' = 1.7
  //                                     r = −3    → 2·(3 − 1) = 4, h' = −2
  //   and r = 0 → 0, h' = 0 for both.
  const Matrix t = Matrix::Zero(1, 3);
  const Matrix p_small = mat({{-0.35, 0.6, 0.0}});
  const Matrix p_large = mat({{1.7, -3.0, 0.0}});
  EXPECT_NEAR(k::huber_forward(p_small, t, 0.5, Reduction::Sum), 0.06125 + 0.175, 1e-14);
  EXPECT_NEAR(k::huber_forward(p_large, t, 2.0, Reduction::Sum), 1.445 + 4.0, 1e-14);
  EXPECT_NEAR(k::huber_forward(p_large, t, 2.0, Reduction::Mean), (1.445 + 4.0) / 3, 1e-14);
  Matrix d_small = mat({{1.0, -1.0, 0.5}});  // adds into a non-zero gradient
  k::huber_backward(p_small, t, 0.5, Reduction::Sum, 1.0, d_small);
  EXPECT_TRUE(near(d_small, mat({{1.0 - 0.35, -1.0 + 0.5, 0.5}}), 1e-14)) << str(d_small);
  Matrix d_large = Matrix::Zero(1, 3);
  k::huber_backward(p_large, t, 2.0, Reduction::Mean, 3.0, d_large);  // dloss/N = 1
  EXPECT_TRUE(near(d_large, mat({{1.7, -2.0, 0.0}}), 1e-14)) << str(d_large);
}

// ---------------------------------------------------------------- Smooth L1

TEST(SmoothL1, BetaOtherThanOneBetweenBetaAndItsSquare) {
  // s_β = h_β / β: β = 0.5 at r = −0.35 → 0.06125/0.5 = 0.1225, s' = −0.35/0.5 = −0.7;
  // β = 2 at r = −3 → 4/2 = 2, s' = −2/2 = −1; at r = 1.7 → 1.445/2 = 0.7225, s' = 0.85.
  const Matrix t = Matrix::Zero(1, 2);
  EXPECT_NEAR(k::smooth_l1_forward(mat({{-0.35, 0.0}}), t, 0.5, Reduction::Sum), 0.1225, 1e-14);
  EXPECT_NEAR(k::smooth_l1_forward(mat({{-3.0, 1.7}}), t, 2.0, Reduction::Sum), 2.0 + 0.7225, 1e-14);
  Matrix d = Matrix::Zero(1, 2);
  k::smooth_l1_backward(mat({{-3.0, 1.7}}), t, 2.0, Reduction::Sum, 1.0, d);
  EXPECT_TRUE(near(d, mat({{-1.0, 0.85}}), 1e-14)) << str(d);
}

TEST(SmoothL1, IsHuberDividedByBeta) {
  // β = 2: r = 3 → 3 − 1 = 2; r = 1 → ½·1/2 = 0.25.
  const Matrix p = mat({{3, 1}});
  const Matrix t = Matrix::Zero(1, 2);
  EXPECT_NEAR(k::smooth_l1_forward(p, t, 2.0, Reduction::Sum), 2.25, 1e-12);
  EXPECT_NEAR(k::smooth_l1_forward(prediction(), target(), 0.7, Reduction::Mean),
              k::huber_forward(prediction(), target(), 0.7, Reduction::Mean) / 0.7, 1e-12);
  // β = 1: the seeds' Smooth-L1, equal to Huber(1).
  EXPECT_NEAR(k::smooth_l1_forward(prediction(), target(), 1.0, Reduction::Sum),
              k::huber_forward(prediction(), target(), 1.0, Reduction::Sum), 1e-12);
}

TEST(SmoothL1, BackwardMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return gradlab::smooth_l1_loss(in[0], Tensor(target()), 0.7); },
      {Tensor(prediction())}, {}, {"pred"}));
}

// ---------------------------------------------------------------- through the graph

TEST(RegressionLosses, LossUsedTwiceAccumulatesInTheGraph) {
  // Two losses on the same prediction: each backward must add its share.
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) {
        return gradlab::mse_loss(in[0], Tensor(target())) + gradlab::l1_loss(in[0], Tensor(target())) +
               gradlab::huber_loss(in[0], Tensor(target()), 1.0);
      },
      {Tensor(prediction())}, {}, {"pred"}));
}

}  // namespace
