// Lab 05 tests: Adam (with L2 weight decay, AMSGrad) and AdamW (kernels::adam_update,
// kernels::adamw_update, driven through gradlab::Adam and gradlab::AdamW).
#include "golden.h"

#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <algorithm>
#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;
using lab05::gradient_sequence;
using lab05::replay;

namespace {

// An independent Adam / AdamW in the paper's form: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
// θ ← θ − η m̂ / (√v̂ + ε). decoupled: AdamW (θ ← θ − ηλθ first, no λθ in g).
Matrix adam_by_hand(Matrix theta, const std::vector<Matrix>& grads, const AdamOptions& o, bool decoupled) {
  Matrix m = Matrix::Zero(theta.rows(), theta.cols());
  Matrix v = m, v_max = m;
  for (std::size_t t = 1; t <= grads.size(); ++t) {
    for (Index i = 0; i < theta.size(); ++i) {
      Scalar& th = theta.data()[i];
      const Scalar g = grads[t - 1].data()[i] + (decoupled ? 0.0 : o.weight_decay * th);
      if (decoupled) th -= o.lr * o.weight_decay * th;
      m.data()[i] = o.beta1 * m.data()[i] + (1 - o.beta1) * g;
      v.data()[i] = o.beta2 * v.data()[i] + (1 - o.beta2) * g * g;
      v_max.data()[i] = std::max(v_max.data()[i], v.data()[i]);
      const Scalar m_hat = m.data()[i] / (1 - std::pow(o.beta1, static_cast<Scalar>(t)));
      const Scalar v_hat = (o.amsgrad ? v_max.data()[i] : v.data()[i]) / (1 - std::pow(o.beta2, static_cast<Scalar>(t)));
      th -= o.lr * m_hat / (std::sqrt(v_hat) + o.eps);
    }
  }
  return theta;
}

template <class Opt>
Matrix run(const AdamOptions& o, const Matrix& theta0, const std::vector<Matrix>& grads) {
  Tensor theta(theta0, true);
  Opt opt({theta}, o);
  return replay(opt, theta, grads);
}

}  // namespace

// ------------------------------------------------------------------ Adam

TEST(Adam, FirstStepMovesEveryElementByExactlyTheLearningRate) {
  // t = 1: m̂ = g, v̂ = g², so Δθ = −η g/|g| whatever the size of g (ε negligible).
  Tensor theta(Matrix::Zero(1, 5), true);
  Adam opt({theta}, AdamOptions{.lr = 0.01, .eps = 1e-12});
  theta.grad() = row({1e-3, -0.5, 2.0, -40.0, 7.0});
  opt.step();
  EXPECT_TRUE(near(theta.value().cwiseAbs(), Matrix::Constant(1, 5, 0.01), 1e-10))
      << "|Δθ| must be η for every element at the first step: both bias corrections divide by 1 − β¹ with t = 1 "
         "(without them the step is η(1 − β₁)/√(1 − β₂) ≈ 3.2η)";
  EXPECT_TRUE(near(theta.value(), row({-0.01, 0.01, -0.01, 0.01, -0.01}), 1e-10)) << "against the gradient's sign";
}

TEST(Adam, StateAfterThreeStepsHoldsTheRawMoments) {
  Tensor theta(row({0.0, 1.0}), true);
  Adam opt({theta}, AdamOptions{.lr = 0.1, .beta1 = 0.5, .beta2 = 0.75});
  replay(opt, theta, {row({1.0, 2.0}), row({1.0, 2.0}), row({1.0, 2.0})});
  // A constant g: m = (1 − β₁³) g, v = (1 − β₂³) g² (the stored moments are NOT bias-corrected).
  EXPECT_EQ(opt.state(0).step, 3);
  EXPECT_TRUE(near(opt.state(0).buffers.at("exp_avg"), (1 - 0.125) * row({1.0, 2.0}), 1e-15));
  EXPECT_TRUE(near(opt.state(0).buffers.at("exp_avg_sq"), (1 - 0.421875) * row({1.0, 4.0}), 1e-15));
  // … and every step is η: m̂ = g, v̂ = g² exactly for a constant gradient.
  EXPECT_TRUE(near(theta.value(), row({-0.3, 0.7}), 1e-7));
}

TEST(Adam, EpsilonIsAddedOutsideTheSquareRoot) {
  Tensor theta(row({0.0}), true);
  Adam opt({theta}, AdamOptions{.lr = 1.0, .eps = 0.5});
  theta.grad() = row({2.0});
  opt.step();
  EXPECT_NEAR(theta.value()(0, 0), -2.0 / (2.0 + 0.5), 1e-14) << "m̂ / (√v̂ + ε), not m̂ / √(v̂ + ε)";
}

TEST(Adam, MatchesAnIndependentLoop) {
  const auto grads = gradient_sequence(7, 3, 4, 170);
  for (const bool amsgrad : {false, true}) {
    const AdamOptions o{.lr = 0.01, .beta1 = 0.8, .beta2 = 0.9, .weight_decay = 0.05, .amsgrad = amsgrad};
    EXPECT_TRUE(near(run<Adam>(o, random_matrix(3, 4, 70), grads), adam_by_hand(random_matrix(3, 4, 70), grads, o, false),
                     1e-13))
        << "amsgrad " << amsgrad;
  }
}

TEST(Adam, AmsgradKeepsTheRunningMaximum) {
  Tensor theta(row({0.0}), true);
  Adam opt({theta}, AdamOptions{.lr = 0.1, .beta2 = 0.5, .amsgrad = true});
  replay(opt, theta, {row({4.0}), row({0.0})});
  // v₁ = 8, v₂ = 4: the maximum stays 8
  EXPECT_EQ(opt.state(0).buffers.at("max_exp_avg_sq")(0, 0), 8.0) << "v_max ← max(v_max, v)";
  EXPECT_EQ(opt.state(0).buffers.at("exp_avg_sq")(0, 0), 4.0);
}

TEST(Adam, MatchesPyTorchGoldenTrajectories) { lab05::expect_golden_trajectories("adam"); }

// ------------------------------------------------------------------ AdamW

TEST(AdamW, MatchesAnIndependentLoop) {
  const auto grads = gradient_sequence(7, 3, 4, 180);
  for (const bool amsgrad : {false, true}) {
    const AdamOptions o{.lr = 0.01, .beta1 = 0.8, .beta2 = 0.9, .weight_decay = 0.2, .amsgrad = amsgrad};
    EXPECT_TRUE(near(run<AdamW>(o, random_matrix(3, 4, 80), grads), adam_by_hand(random_matrix(3, 4, 80), grads, o, true),
                     1e-13))
        << "amsgrad " << amsgrad;
  }
}

TEST(AdamW, DecayIsDecoupledFromTheGradient) {
  // With ∇ = 0 Adam + L2 sees g = λθ and its first step is the usual ±η whatever λ;
  // AdamW's moments stay 0 and θ only shrinks by the factor (1 − ηλ).
  const Matrix theta0 = row({2.0, -4.0});
  const AdamOptions o{.lr = 0.1, .weight_decay = 0.5};
  const Matrix zero = Matrix::Zero(1, 2);
  EXPECT_TRUE(near(run<AdamW>(o, theta0, {zero}), theta0 * (1 - 0.1 * 0.5), 1e-15))
      << "AdamW with ∇ = 0: θ ← θ (1 − ηλ), not divided by √v̂ and not through the moments";
  EXPECT_TRUE(near(run<Adam>(o, theta0, {zero}), row({1.9, -3.9}), 1e-7))
      << "Adam + L2 with ∇ = 0: g = λθ, so the first step is ±η";
}

TEST(AdamW, DiffersFromAdamPlusL2ExactlyAsTheFormulasSay) {
  const auto grads = gradient_sequence(5, 2, 3, 190);
  const AdamOptions o{.lr = 0.05, .weight_decay = 0.3};
  const Matrix theta0 = random_matrix(2, 3, 90);
  const Matrix adamw = run<AdamW>(o, theta0, grads);
  const Matrix adam_l2 = run<Adam>(o, theta0, grads);
  EXPECT_TRUE(near(adamw, adam_by_hand(theta0, grads, o, true), 1e-13)) << "AdamW: decoupled decay";
  EXPECT_TRUE(near(adam_l2, adam_by_hand(theta0, grads, o, false), 1e-13)) << "Adam: λθ added to the gradient";
  EXPECT_GT((adamw - adam_l2).cwiseAbs().maxCoeff(), 1e-4) << "the two must not coincide when λ > 0";
  // Without decay they are the same algorithm.
  const AdamOptions no_decay{.lr = 0.05};
  EXPECT_TRUE(near(run<AdamW>(no_decay, theta0, grads), run<Adam>(no_decay, theta0, grads), 1e-15));
}

TEST(AdamW, MatchesPyTorchGoldenTrajectories) { lab05::expect_golden_trajectories("adamw"); }

TEST(AdamW, FirstStepWithTheDefaultOptions) {
  Tensor theta(row({1.0, -1.0}), true);
  AdamW opt({theta});  // η = 1e-3, λ = 0.01
  theta.grad() = row({0.5, 0.5});
  opt.step();
  EXPECT_TRUE(near(theta.value(), row({1.0 - 1e-5 - 1e-3, -1.0 + 1e-5 - 1e-3}), 1e-10))
      << "θ(1 − ηλ) − η·sign(g) at the first step";
}
