// Lab 03 tests: the distillation loss T²·KL(softmax(t/T) ‖ softmax(s/T)) and its
// combination with the hard loss.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/losses.h"
#include "gradlab/testing/kit.h"

namespace {

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

Matrix student() { return mat({{0.2, -1.3, 2.1}, {1.5, 0.3, -0.7}}); }
Matrix teacher() { return mat({{1.0, -0.5, 3.0}, {0.4, 2.2, -1.1}}); }

// T² Σ_ik p^t (log p^t − log p^s) / N, from the definition.
Scalar expected_kl(const Matrix& s, const Matrix& t, Scalar T, bool mean) {
  const Matrix ls = reference_log_softmax(s / T);
  const Matrix lt = reference_log_softmax(t / T);
  const Scalar kl = (lt.array().exp() * (lt - ls).array()).sum();
  return T * T * kl / (mean ? static_cast<Scalar>(s.rows()) : 1.0);
}

TEST(Distillation, KlOfADistributionWithItselfIsZero) {
  for (Scalar T : {1.0, 3.0}) {
    EXPECT_NEAR(k::distillation_kl_forward(teacher(), teacher(), T, Reduction::Mean), 0.0, 1e-14);
  }
  Matrix d = Matrix::Zero(2, 3);
  k::distillation_kl_backward(teacher(), teacher(), 2.0, Reduction::Mean, 1.0, d);
  EXPECT_LT(d.cwiseAbs().maxCoeff(), 1e-14);
  // …and positive, with a non-zero gradient, for two different distributions.
  EXPECT_GT(k::distillation_kl_forward(student(), teacher(), 2.0, Reduction::Mean), 1e-2);
  k::distillation_kl_backward(student(), teacher(), 2.0, Reduction::Mean, 1.0, d);
  EXPECT_GT(d.cwiseAbs().maxCoeff(), 1e-2);
}

TEST(Distillation, KlValueIncludesTemperatureSquared) {
  for (Scalar T : {1.0, 2.0, 5.0}) {
    EXPECT_NEAR(k::distillation_kl_forward(student(), teacher(), T, Reduction::Mean),
                expected_kl(student(), teacher(), T, true), 1e-12)
        << "T = " << T << ": the soft loss is T^2 * KL, averaged over the N rows";
    EXPECT_NEAR(k::distillation_kl_forward(student(), teacher(), T, Reduction::Sum),
                expected_kl(student(), teacher(), T, false), 1e-12);
  }
}

TEST(Distillation, KlIsNonNegative) {
  EXPECT_GT(k::distillation_kl_forward(student(), teacher(), 2.0, Reduction::Mean), 0.0);
}

TEST(Distillation, KlGradientByHand) {
  // ∂/∂s = T (p^s − p^t) / N.
  const Scalar T = 2.0;
  Matrix d = Matrix::Zero(2, 3);
  k::distillation_kl_backward(student(), teacher(), T, Reduction::Mean, 1.0, d);
  const Matrix ps = reference_log_softmax(student() / T).array().exp();
  const Matrix pt = reference_log_softmax(teacher() / T).array().exp();
  const Matrix expected = T * (ps - pt) / 2.0;
  EXPECT_TRUE(d.isApprox(expected, 1e-12)) << "expected T (p_s - p_t) / N:\n" << expected << "\ngot\n" << d;
}

TEST(Distillation, KlBackwardMatchesFiniteDifferences) {
  for (Scalar T : {0.5, 1.0, 4.0}) {
    for (Reduction r : {Reduction::Mean, Reduction::Sum}) {
      EXPECT_TRUE(gradients_match(
          [T, r](const std::vector<Tensor>& in) {
            return gradlab::distillation_kl_loss(in[0], Tensor(teacher()), T, r);
          },
          {Tensor(student())}, {}, {"student_logits"}))
          << "T = " << T;
    }
  }
}

TEST(Distillation, KlBackwardAddsIntoExistingGradient) {
  EXPECT_TRUE(accumulates(
      [](MatrixRef d) {
        k::distillation_kl_backward(student(), teacher(), 3.0, Reduction::Mean, 1.0, d);
      },
      2, 3));
}

TEST(Distillation, HugeLogitsGiveFiniteLossAndGradient) {
  const Matrix s = mat({{1000.0, -1000.0, 0.0}});
  const Matrix t = mat({{-1000.0, 1000.0, 0.0}});
  const Scalar loss = k::distillation_kl_forward(s, t, 1.0, Reduction::Mean);
  ASSERT_TRUE(std::isfinite(loss));
  EXPECT_NEAR(loss, 2000.0, 1e-9);  // p^t is one-hot on class 1: −log p^s_1 = 2000
  Matrix d = Matrix::Zero(1, 3);
  k::distillation_kl_backward(s, t, 1.0, Reduction::Mean, 1.0, d);
  ASSERT_TRUE(all_finite(d)) << d;
}

TEST(Distillation, AlphaWeightsTheHardLoss) {
  const std::vector<Index> y = {2, 0};
  const Scalar hard = k::cross_entropy_forward(student(), y, Reduction::Mean);
  const Scalar soft = expected_kl(student(), teacher(), 3.0, true);
  auto loss = [&](Scalar alpha) {
    return gradlab::distillation_loss(Tensor(student()), Tensor(teacher()), y, {.temperature = 3.0, .alpha = alpha})
        .item();
  };
  EXPECT_NEAR(loss(1.0), hard, 1e-12) << "alpha = 1: only the hard loss";
  EXPECT_NEAR(loss(0.0), soft, 1e-12) << "alpha = 0: only the soft (T^2 KL) loss";
  EXPECT_NEAR(loss(0.3), 0.3 * hard + 0.7 * soft, 1e-12);
}

TEST(Distillation, CombinedLossBackwardMatchesFiniteDifferences) {
  const std::vector<Index> y = {1, 0};
  EXPECT_TRUE(gradients_match(
      [&y](const std::vector<Tensor>& in) {
        return gradlab::distillation_loss(in[0], Tensor(teacher()), y, {.temperature = 2.5, .alpha = 0.4});
      },
      {Tensor(student())}, {}, {"student_logits"}));
}

TEST(Distillation, RejectsBadTemperatureAndAlpha) {
  EXPECT_NEAR(k::distillation_kl_forward(student(), teacher(), 1.0, Reduction::Mean),
              expected_kl(student(), teacher(), 1.0, true), 1e-12);
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::distillation_kl_forward(student(), teacher(), 0.0, Reduction::Mean); },
      {"temperature"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { gradlab::distillation_loss(Tensor(student()), Tensor(teacher()), {0, 0}, {.alpha = 1.5}); },
      {"alpha"}));
  EXPECT_TRUE(throws_error_mentioning(
      [&] { k::distillation_kl_forward(student(), Matrix::Zero(2, 4), 1.0, Reduction::Mean); },
      {"[2, 3]", "[2, 4]"}));
}

}  // namespace
