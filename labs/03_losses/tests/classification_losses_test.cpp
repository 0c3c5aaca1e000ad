// Lab 03 tests: binary cross entropy on logits, softmax cross entropy, NLL, soft targets
// and label smoothing.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/losses.h"
#include "gradlab/testing/kit.h"

namespace {

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

Matrix logits_3x4() {
  return mat({{0.2, -1.3, 2.1, 0.4}, {1.5, 0.3, -0.7, -2.2}, {-0.6, 0.9, 0.1, 1.8}});
}
const std::vector<Index> labels_3 = {2, 0, 1};

// ---------------------------------------------------------------- BCE on logits

TEST(BinaryCrossEntropy, ValuesByHand) {
  // z = 0: σ = ½ whatever y, so ℓ = log 2.
  EXPECT_NEAR(k::bce_with_logits_forward(mat({{0.0}}), mat({{1.0}}), Reduction::Mean), std::log(2.0), 1e-15);
  // z = 2, y = 1: −log σ(2) = log(1 + e^{−2}); y = 0: −log(1 − σ(2)) = 2 + log(1 + e^{−2}).
  const Scalar a = std::log1p(std::exp(-2.0));
  EXPECT_NEAR(k::bce_with_logits_forward(mat({{2.0, 2.0}}), mat({{1.0, 0.0}}), Reduction::Sum), a + 2 + a, 1e-12);
  EXPECT_NEAR(k::bce_with_logits_forward(mat({{2.0, 2.0}}), mat({{1.0, 0.0}}), Reduction::Mean), (2 * a + 2) / 2, 1e-12);
}

TEST(BinaryCrossEntropy, HugeLogitsGiveFiniteLossAndGradient) {
  // Confidently wrong: z = ±1000 on the wrong side costs exactly 1000; confidently right costs 0.
  const Matrix z = mat({{1000.0, -1000.0, 1000.0, -1000.0, 40.0}});
  const Matrix y = mat({{0.0, 1.0, 1.0, 0.0, 0.0}});
  const Scalar loss = k::bce_with_logits_forward(z, y, Reduction::Sum);
  ASSERT_TRUE(std::isfinite(loss)) << "BCE must not take the log of sigmoid(z): it is exactly 0 or 1 for huge z";
  EXPECT_NEAR(loss, 1000.0 + 1000.0 + 0.0 + 0.0 + 40.0, 1e-9);
  Matrix d = Matrix::Zero(1, 5);
  k::bce_with_logits_backward(z, y, Reduction::Sum, 1.0, d);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_NEAR(d(0, 0), 1.0, 1e-12);
  EXPECT_NEAR(d(0, 1), -1.0, 1e-12);
  EXPECT_NEAR(d(0, 2), 0.0, 1e-12);
  EXPECT_NEAR(d(0, 3), 0.0, 1e-12);
}

TEST(BinaryCrossEntropy, BackwardMatchesFiniteDifferences) {
  const Matrix y = mat({{1, 0, 0.3, 1}, {0, 0, 1, 0.8}, {1, 1, 0, 0}});
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [&y, r](const std::vector<Tensor>& in) { return gradlab::bce_with_logits_loss(in[0], Tensor(y), r); },
        {Tensor(logits_3x4())}, {}, {"logits"}));
  }
}

TEST(BinaryCrossEntropy, BackwardAddsIntoExistingGradient) {
  Matrix d = Matrix::Ones(1, 1);
  k::bce_with_logits_backward(mat({{0.0}}), mat({{1.0}}), Reduction::Sum, 1.0, d);
  EXPECT_NEAR(d(0, 0), 1.0 - 0.5, 1e-15);  // 1 + (σ(0) − 1)
  const Matrix y = mat({{1, 0, 0.3, 1}, {0, 0, 1, 0.8}, {1, 1, 0, 0}});
  EXPECT_TRUE(accumulates(
      [&](MatrixRef dz) {
        k::bce_with_logits_backward(logits_3x4(), y, Reduction::Mean, 1.0, dz);
      },
      3, 4));
}

TEST(BinaryCrossEntropy, RejectsTargetsOutsideZeroOne) {
  EXPECT_NEAR(k::bce_with_logits_forward(mat({{0.0}}), mat({{1.0}}), Reduction::Sum), std::log(2.0), 1e-15);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::bce_with_logits_forward(mat({{0.0}}), mat({{2.0}}), Reduction::Sum); },
      {"[0, 1]"}));
}

// ---------------------------------------------------------------- softmax cross entropy, NLL

TEST(CrossEntropy, SeedsWorkedExampleIsMinusLogPointSeven) {
  // Probabilities (0.05, 0.1, 0.7, 0.15), true class index 2 (the third class):
  // −(0·log 0.05 + 0·log 0.1 + 1·log 0.7 + 0·log 0.15) = −ln 0.7 ≈ 0.357.
  const Matrix log_p = mat({{std::log(0.05), std::log(0.1), std::log(0.7), std::log(0.15)}});
  EXPECT_NEAR(k::nll_forward(log_p, {2}, Reduction::Mean), -std::log(0.7), 1e-14);
  // Logits = log p (any constant shift would do): softmax gives back p.
  EXPECT_NEAR(k::cross_entropy_forward(log_p, {2}, Reduction::Mean), -std::log(0.7), 1e-14);
  EXPECT_NEAR(k::cross_entropy_forward(log_p.array() + 5.0, {2}, Reduction::Mean), -std::log(0.7), 1e-12);
}

TEST(CrossEntropy, EqualsNllOfLogSoftmax) {
  // Two equal logits: −log ½.
  EXPECT_NEAR(k::cross_entropy_forward(mat({{0.5, 0.5}}), {1}, Reduction::Mean), std::log(2.0), 1e-15);
  const Matrix z = logits_3x4();
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_NEAR(k::cross_entropy_forward(z, labels_3, r), k::nll_forward(reference_log_softmax(z), labels_3, r),
                1e-12);
  }
}

TEST(CrossEntropy, MeanIsOverTheBatch) {
  const Matrix z = logits_3x4();
  const Matrix lp = reference_log_softmax(z);
  const Scalar sum = -(lp(0, 2) + lp(1, 0) + lp(2, 1));
  EXPECT_NEAR(k::cross_entropy_forward(z, labels_3, Reduction::Sum), sum, 1e-12);
  EXPECT_NEAR(k::cross_entropy_forward(z, labels_3, Reduction::Mean), sum / 3, 1e-12)
      << "Reduction::Mean divides by the N = 3 rows (not by N*K)";
}

TEST(CrossEntropy, GradientIsSoftmaxMinusOneHotOverN) {
  const Matrix z = logits_3x4();
  Matrix d = Matrix::Zero(3, 4);
  k::cross_entropy_backward(z, labels_3, Reduction::Mean, 1.0, d);
  Matrix expected = reference_log_softmax(z).array().exp();
  for (Index i = 0; i < 3; ++i) expected(i, labels_3[i]) -= 1.0;
  expected /= 3.0;
  EXPECT_TRUE(d.isApprox(expected, 1e-12)) << "expected (p - y)/N:\n" << expected << "\ngot:\n" << d;
}

TEST(CrossEntropy, BackwardMatchesFiniteDifferences) {
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [r](const std::vector<Tensor>& in) { return gradlab::cross_entropy_loss(in[0], labels_3, r); },
        {Tensor(logits_3x4())}, {}, {"logits"}));
  }
}

TEST(CrossEntropy, BatchOfOne) {
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return gradlab::cross_entropy_loss(in[0], {1}); },
      {Tensor({{0.5, -0.25, 1.0}})}, {}, {"logits"}));
}

TEST(CrossEntropy, HugeLogitsGiveFiniteLossAndGradient) {
  const Matrix z = mat({{1000.0, -1000.0, 0.0}, {-1000.0, -1000.0, 1000.0}});
  const std::vector<Index> y = {1, 2};
  const Scalar loss = k::cross_entropy_forward(z, y, Reduction::Sum);
  ASSERT_TRUE(std::isfinite(loss)) << "use the log-sum-exp with the row maximum subtracted";
  EXPECT_NEAR(loss, 2000.0, 1e-9);  // row 0: lse = 1000, z_y = −1000; row 1: 0
  Matrix d = Matrix::Zero(2, 3);
  k::cross_entropy_backward(z, y, Reduction::Mean, 1.0, d);
  ASSERT_TRUE(all_finite(d)) << d;
  EXPECT_NEAR(d(0, 0), 0.5, 1e-12);
  EXPECT_NEAR(d(0, 1), -0.5, 1e-12);
  EXPECT_NEAR(d(1, 2), 0.0, 1e-12);
}

TEST(CrossEntropy, LargestLogitNotFirstByHand) {
  // Row 0: z = (0, 1000, −1000), label 1: log-sum-exp = 1000 (the other terms underflow),
  // ℓ = 1000 − 1000 = 0, ∂ℓ/∂z = p − onehot = (0, 1, 0) − (0, 1, 0) = 0.
  // Row 1: z = (−1000, 0, 1000), label 0: ℓ = 1000 − (−1000) = 2000, ∂ℓ/∂z = (−1, 0, 1).
  const Matrix z = mat({{0.0, 1000.0, -1000.0}, {-1000.0, 0.0, 1000.0}});
  const std::vector<Index> y = {1, 0};
  const Scalar loss = k::cross_entropy_forward(z, y, Reduction::Mean);
  ASSERT_TRUE(std::isfinite(loss)) << "shift each row by ITS maximum, not by its first logit";
  EXPECT_NEAR(loss, 1000.0, 1e-12);
  Matrix d = Matrix::Zero(2, 3);
  k::cross_entropy_backward(z, y, Reduction::Sum, 1.0, d);
  EXPECT_TRUE(near(d, mat({{0.0, 0.0, 0.0}, {-1.0, 0.0, 1.0}}), 1e-14)) << str(d);
}

// Adding 1e7 to every logit changes no probability. Near 1e7 one rounding unit is
// 1.9e-9: log-softmax written z − (m + log Σ) loses it, (z − m) − log Σ keeps every bit
// (z − m is exact here), so the loss and the gradient match the unshifted ones.
TEST(CrossEntropy, ShiftingEveryLogitBy1e7ChangesNothing) {
  const Matrix z = mat({{-1.0, 0.0, -3.0, 0.5}, {0.75, -0.25, 2.0, 1.0}});
  const Matrix shifted = (z.array() + 1e7).matrix();
  const std::vector<Index> y = {0, 3};
  const Scalar loss = k::cross_entropy_forward(z, y, Reduction::Mean);
  EXPECT_GT(loss, 0.5);  // row 0's label is not its largest logit
  EXPECT_NEAR(k::cross_entropy_forward(shifted, y, Reduction::Mean), loss, 1e-14 * loss);
  Matrix d = Matrix::Zero(2, 4), d_shifted = Matrix::Zero(2, 4);
  k::cross_entropy_backward(z, y, Reduction::Mean, 1.0, d);
  k::cross_entropy_backward(shifted, y, Reduction::Mean, 1.0, d_shifted);
  EXPECT_GT(d.cwiseAbs().maxCoeff(), 0.1);
  EXPECT_TRUE(near(d_shifted, d, 1e-14)) << "log-softmax: subtract the maximum first, then the log of the sum";
}

TEST(CrossEntropy, BackwardAddsIntoExistingGradient) {
  const Matrix z = logits_3x4();
  EXPECT_TRUE(accumulates(
      [&](MatrixRef d) { k::cross_entropy_backward(z, labels_3, Reduction::Mean, 1.0, d); }, 3, 4));
}

TEST(CrossEntropy, LabelOutOfRangeNamesRowAndLabel) {
  EXPECT_GT(k::cross_entropy_forward(logits_3x4(), labels_3, Reduction::Mean), 0.0);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::cross_entropy_forward(logits_3x4(), {2, 7, 1}, Reduction::Mean); },
      {"row 1", "label 7", "4 classes"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { gradlab::cross_entropy_loss(Tensor(logits_3x4()), {2, 0, -1}); },
      {"row 2", "label -1"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { gradlab::cross_entropy_loss(Tensor(logits_3x4()), {2, 0}); },
      {"2 labels", "3 rows"}));
}

TEST(CrossEntropy, EmptyBatchSumIsZeroMeanIsAnError) {
  EXPECT_GT(k::cross_entropy_forward(logits_3x4(), labels_3, Reduction::Mean), 0.0);
  const Matrix empty(0, 4);
  EXPECT_EQ(k::cross_entropy_forward(empty, {}, Reduction::Sum), 0.0);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::cross_entropy_forward(empty, {}, Reduction::Mean); },
      {"empty"}));
}

TEST(Nll, ValueAndGradientByHand) {
  const Matrix a = mat({{-0.5, -1.0, -2.0}, {-3.0, -0.1, -0.2}});
  EXPECT_NEAR(k::nll_forward(a, {0, 2}, Reduction::Mean), (0.5 + 0.2) / 2, 1e-15);
  EXPECT_NEAR(k::nll_forward(a, {0, 2}, Reduction::Sum), 0.7, 1e-15);
  Matrix d = Matrix::Ones(2, 3);
  k::nll_backward(a, {0, 2}, Reduction::Mean, 1.0, d);
  EXPECT_NEAR(d(0, 0), 1.0 - 0.5, 1e-15);
  EXPECT_NEAR(d(1, 2), 1.0 - 0.5, 1e-15);
  EXPECT_NEAR(d(0, 1), 1.0, 1e-15);
  EXPECT_TRUE(accumulates(
      [&](MatrixRef da) { k::nll_backward(a, {0, 2}, Reduction::Mean, 1.0, da); }, 2, 3));
}

TEST(Nll, BackwardMatchesFiniteDifferences) {
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [r](const std::vector<Tensor>& in) { return gradlab::nll_loss(in[0], labels_3, r); },
        {Tensor(reference_log_softmax(logits_3x4()))}, {}, {"log_probs"}));
  }
}

TEST(Nll, LabelOutOfRangeNamesRowAndLabel) {
  EXPECT_GT(k::nll_forward(reference_log_softmax(logits_3x4()), labels_3, Reduction::Mean), 0.0);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::nll_forward(logits_3x4(), {0, 0, 4}, Reduction::Mean); },
      {"row 2", "label 4"}));
}

// ---------------------------------------------------------------- soft targets, label smoothing

TEST(LabelSmoothing, TargetsFollowPyTorchConventionAndSumToOne) {
  // K = 4, ε = 0.1: every class ε/K = 0.025, the true one 1 − ε + ε/K = 0.925.
  Matrix q(2, 4);
  k::smooth_labels({1, 3}, 4, 0.1, q);
  EXPECT_NEAR(q(0, 1), 0.925, 1e-15);
  EXPECT_NEAR(q(0, 0), 0.025, 1e-15);
  EXPECT_NEAR(q(0, 2), 0.025, 1e-15);
  EXPECT_NEAR(q(1, 3), 0.925, 1e-15);
  EXPECT_NEAR(q(1, 1), 0.025, 1e-15);
  for (Index i = 0; i < 2; ++i) EXPECT_NEAR(q.row(i).sum(), 1.0, 1e-15);
}

TEST(LabelSmoothing, ZeroIsOneHotAndOneIsUniform) {
  Matrix q(1, 5);
  k::smooth_labels({2}, 5, 0.0, q);
  EXPECT_EQ(q, mat({{0, 0, 1, 0, 0}}));
  k::smooth_labels({2}, 5, 1.0, q);
  EXPECT_TRUE(q.isApprox(Matrix::Constant(1, 5, 0.2), 1e-15));
}

TEST(LabelSmoothing, RejectsEpsilonOutsideZeroOne) {
  Matrix q(1, 3);
  k::smooth_labels({0}, 3, 0.3, q);
  EXPECT_TRUE(near(q, row({0.8, 0.1, 0.1}), 1e-15));  // 1 − ε + ε/K on the label, ε/K elsewhere
  EXPECT_TRUE(throws_error_mentioning([&] { k::smooth_labels({0}, 3, 1.5, q); }, {"epsilon"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::smooth_labels({3}, 3, 0.1, q); },
      {"row 0", "label 3"}));
}

TEST(LabelSmoothing, LossIsCrossEntropyAgainstSmoothedTargets) {
  const Matrix z = logits_3x4();
  const Matrix lp = reference_log_softmax(z);
  const Scalar eps = 0.2;
  Scalar expected = 0;
  for (Index i = 0; i < 3; ++i) {
    for (Index c = 0; c < 4; ++c) expected -= (eps / 4 + (c == labels_3[i] ? 1 - eps : 0.0)) * lp(i, c);
  }
  expected /= 3;
  EXPECT_NEAR(gradlab::label_smoothing_cross_entropy_loss(Tensor(z), labels_3, eps).item(), expected, 1e-12);
  EXPECT_NEAR(gradlab::label_smoothing_cross_entropy_loss(Tensor(z), labels_3, 0.0).item(),
              k::cross_entropy_forward(z, labels_3, Reduction::Mean), 1e-12);
}

TEST(LabelSmoothing, BackwardMatchesFiniteDifferences) {
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [r](const std::vector<Tensor>& in) {
          return gradlab::label_smoothing_cross_entropy_loss(in[0], labels_3, 0.1, r);
        },
        {Tensor(logits_3x4())}, {}, {"logits"}));
  }
}

TEST(SoftCrossEntropy, ValueAndGradientByHand) {
  // q = p(z) makes the gradient p − q = 0 (for Reduction::Sum: Σ_k q = 1).
  const Matrix z = logits_3x4();
  const Matrix p = reference_log_softmax(z).array().exp();
  Matrix d = Matrix::Zero(3, 4);
  k::soft_cross_entropy_backward(z, p, Reduction::Sum, 1.0, d);
  EXPECT_LT(d.cwiseAbs().maxCoeff(), 1e-12);
  // Two equal logits against q = (1, 0): loss −log ½, gradient p − q = (−½, ½).
  EXPECT_NEAR(k::soft_cross_entropy_forward(mat({{2.0, 2.0}}), mat({{1.0, 0.0}}), Reduction::Sum), std::log(2.0), 1e-15);
  Matrix d2 = Matrix::Zero(1, 2);
  k::soft_cross_entropy_backward(mat({{2.0, 2.0}}), mat({{1.0, 0.0}}), Reduction::Sum, 1.0, d2);
  EXPECT_TRUE(near(d2, row({-0.5, 0.5}), 1e-15));
  // A one-hot q gives plain cross entropy.
  Matrix onehot = Matrix::Zero(3, 4);
  for (Index i = 0; i < 3; ++i) onehot(i, labels_3[i]) = 1;
  EXPECT_NEAR(k::soft_cross_entropy_forward(z, onehot, Reduction::Mean),
              k::cross_entropy_forward(z, labels_3, Reduction::Mean), 1e-12);
}

TEST(SoftCrossEntropy, BackwardMatchesFiniteDifferencesEvenForUnnormalizedTargets) {
  const Matrix q = mat({{0.1, 0.2, 0.6, 0.1}, {0.5, 0.5, 0, 0}, {0.3, 0.3, 0.3, 0.6}});
  for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
    EXPECT_TRUE(gradients_match(
        [&q, r](const std::vector<Tensor>& in) { return gradlab::soft_cross_entropy_loss(in[0], Tensor(q), r); },
        {Tensor(logits_3x4())}, {}, {"logits"}));
  }
}

TEST(SoftCrossEntropy, TargetsThatDoNotSumToOneByHand) {
  // ℓ = −Σ_k q_k log p_k, ∂ℓ/∂z_k = s·p_k − q_k with s = Σ_k q_k (nothing renormalizes q).
  // Equal logits (0, 0) give p = (½, ½); q = (0.5, 1) sums to s = 1.5:
  //   ℓ = −(0.5 + 1)·log ½ = 1.5 log 2,   ∂ℓ/∂z = 1.5·(½, ½) − (0.5, 1) = (0.25, −0.25).
  // Row 2, q = (0.2, 0.2) (s = 0.4) at z = (log 3, 0), p = (¾, ¼):
  //   ℓ = −0.2 log ¾ − 0.2 log ¼ = 0.2 log(16/3),  ∂ℓ/∂z = 0.4·(¾, ¼) − (0.2, 0.2) = (0.1, −0.1).
  const Matrix z = mat({{0.0, 0.0}, {std::log(3.0), 0.0}});
  const Matrix q = mat({{0.5, 1.0}, {0.2, 0.2}});
  EXPECT_NEAR(k::soft_cross_entropy_forward(z, q, Reduction::Sum), 1.5 * std::log(2.0) + 0.2 * std::log(16.0 / 3.0),
              1e-14);
  Matrix d = Matrix::Ones(2, 2);  // adds into a non-zero gradient
  k::soft_cross_entropy_backward(z, q, Reduction::Sum, 1.0, d);
  EXPECT_TRUE(near(d, mat({{1.25, 0.75}, {1.1, 0.9}}), 1e-14)) << str(d);
}

TEST(SoftCrossEntropy, HugeLogitsAndBackwardAccumulates) {
  const Matrix z = mat({{1000.0, -1000.0}});
  const Matrix q = mat({{0.5, 0.5}});
  const Scalar loss = k::soft_cross_entropy_forward(z, q, Reduction::Mean);
  EXPECT_NEAR(loss, 1000.0, 1e-9);  // ½·0 + ½·2000
  Matrix d = Matrix::Ones(1, 2);
  k::soft_cross_entropy_backward(z, q, Reduction::Mean, 1.0, d);
  EXPECT_NEAR(d(0, 0), 1.5, 1e-12);
  EXPECT_NEAR(d(0, 1), 0.5, 1e-12);
  const Matrix soft = mat({{0.1, 0.2, 0.6, 0.1}, {0.5, 0.5, 0, 0}, {0.3, 0.3, 0.3, 0.6}});
  EXPECT_TRUE(accumulates(
      [&](MatrixRef dz) {
        k::soft_cross_entropy_backward(logits_3x4(), soft, Reduction::Mean, 1.0, dz);
      },
      3, 4));
}

}  // namespace
