// Lab 05 tests: SGD, SGD with momentum and dampening, Nesterov (kernels::sgd_update,
// driven through gradlab::SGD).
#include "golden.h"

#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::testing;
using lab05::gradient_sequence;
using lab05::replay;

namespace {

// An independent SGD written as plainly as possible, element by element:
// g = ∇ + λθ; b = g at t = 1, else μb + (1 − τ)g; step along g, b or g + μb.
Matrix sgd_by_hand(Matrix theta, const std::vector<Matrix>& grads, const SGDOptions& o) {
  Matrix b = Matrix::Zero(theta.rows(), theta.cols());
  for (std::size_t t = 1; t <= grads.size(); ++t) {
    for (Index i = 0; i < theta.size(); ++i) {
      Scalar& th = theta.data()[i];
      Scalar& bi = b.data()[i];
      const Scalar g = grads[t - 1].data()[i] + o.weight_decay * th;
      Scalar direction = g;
      if (o.momentum > 0) {
        bi = t == 1 ? g : o.momentum * bi + (1 - o.dampening) * g;
        direction = o.nesterov ? g + o.momentum * bi : bi;
      }
      th = th - o.lr * direction;
    }
  }
  return theta;
}

Matrix run_sgd(const SGDOptions& o, int steps, std::uint64_t seed) {
  Tensor theta(random_matrix(3, 4, seed), true);
  SGD opt({theta}, o);
  return replay(opt, theta, gradient_sequence(steps, 3, 4, seed + 100));
}

Matrix expected_sgd(const SGDOptions& o, int steps, std::uint64_t seed) {
  return sgd_by_hand(random_matrix(3, 4, seed), gradient_sequence(steps, 3, 4, seed + 100), o);
}

}  // namespace

// ------------------------------------------------------------------ plain SGD

TEST(SGD, StepsAgainstTheGradient) {
  Tensor theta(row({1.0, -2.0, 0.5}), true);
  SGD opt({theta}, 0.1);
  theta.grad() = row({0.5, 0.25, -1.0});
  opt.step();
  EXPECT_TRUE(near(theta.value(), row({0.95, -2.025, 0.6}), 1e-15)) << "θ ← θ − η g with η = 0.1";
}

TEST(SGD, ZeroGradientLeavesTheParameterStill) {
  for (const Scalar momentum : {0.0, 0.9}) {
    Tensor theta(random_matrix(2, 3, 1), true);
    const Matrix before = theta.value();
    SGD opt({theta}, SGDOptions{.lr = 0.5, .momentum = momentum});
    replay(opt, theta, std::vector<Matrix>(3, Matrix::Zero(2, 3)));
    EXPECT_TRUE(near(theta.value(), before, 0.0)) << "momentum " << momentum
                                                  << ": with g = 0 (and no weight decay) nothing may move";
    // …while one non-zero gradient does move it: θ − 0.5 · 1.
    replay(opt, theta, {Matrix::Ones(2, 3)});
    EXPECT_TRUE(near(theta.value(), (before.array() - 0.5).matrix(), 1e-15)) << "momentum " << momentum;
  }
}

TEST(SGD, WeightDecayAddsLambdaThetaToTheGradient) {
  Tensor theta(row({2.0, -1.0}), true);
  SGD opt({theta}, SGDOptions{.lr = 0.1, .weight_decay = 0.5});
  theta.grad() = row({0.0, 1.0});
  opt.step();
  // g = ∇ + λθ = (0 + 1, 1 − 0.5) = (1, 0.5); θ − 0.1 g = (1.9, −1.05)
  EXPECT_TRUE(near(theta.value(), row({1.9, -1.05}), 1e-15)) << "g = ∇ + λθ, then θ ← θ − η g";
}

TEST(SGD, MatchesAnIndependentLoop) {
  const SGDOptions o{.lr = 0.05, .weight_decay = 0.01};
  EXPECT_TRUE(near(run_sgd(o, 5, 10), expected_sgd(o, 5, 10), 1e-13));
}

TEST(SGD, MatchesPyTorchGoldenTrajectories) { lab05::expect_golden_trajectories("sgd"); }

TEST(SGD, KeepsTheOldTwoArgumentConstructor) {
  Tensor theta(row({1.0}), true);
  SGD opt({theta}, 0.25);
  EXPECT_EQ(opt.lr(), 0.25);
  EXPECT_TRUE(opt.state(0).buffers.empty()) << "no state before the first step";
  theta.grad() = row({2.0});
  opt.step();
  EXPECT_EQ(theta.value()(0, 0), 0.5);
  EXPECT_TRUE(opt.state(0).buffers.empty()) << "plain SGD (μ = 0) keeps no momentum buffer";
}

// ------------------------------------------------------------------ momentum

TEST(SGDMomentum, BufferStartsAsTheFirstGradient) {
  // PyTorch: b₁ = g₁ (a copy of the first gradient), NOT μ·0 + (1 − τ)g₁.
  Tensor theta(row({1.0, 1.0}), true);
  SGD opt({theta}, SGDOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  theta.grad() = row({1.0, -2.0});
  opt.step();
  EXPECT_TRUE(near(opt.state(0).buffers.at("momentum_buffer"), row({1.0, -2.0}), 0.0))
      << "after the first step the momentum buffer is the first gradient itself (no dampening, no μ·0)";
  EXPECT_TRUE(near(theta.value(), row({0.9, 1.2}), 1e-15)) << "the first step is θ − η g₁";
}

TEST(SGDMomentum, SecondStepAddsTheDampedGradient) {
  Tensor theta(row({0.0}), true);
  SGD opt({theta}, SGDOptions{.lr = 1.0, .momentum = 0.5, .dampening = 0.25});
  replay(opt, theta, {row({2.0}), row({4.0})});
  // b₁ = 2; b₂ = 0.5·2 + 0.75·4 = 4; θ = 0 − 2 − 4 = −6
  EXPECT_TRUE(near(opt.state(0).buffers.at("momentum_buffer"), row({4.0}), 1e-15)) << "b₂ = μ b₁ + (1 − τ) g₂";
  EXPECT_TRUE(near(theta.value(), row({-6.0}), 1e-15));
}

TEST(SGDMomentum, MatchesAnIndependentLoop) {
  const SGDOptions o{.lr = 0.05, .momentum = 0.9, .dampening = 0.3, .weight_decay = 0.01};
  EXPECT_TRUE(near(run_sgd(o, 6, 20), expected_sgd(o, 6, 20), 1e-13));
}

TEST(SGDMomentum, StateCountsTheSteps) {
  Tensor theta(random_matrix(2, 2, 3), true);
  SGD opt({theta}, SGDOptions{.lr = 0.1, .momentum = 0.9});
  replay(opt, theta, gradient_sequence(4, 2, 2, 30));
  EXPECT_EQ(opt.state(0).step, 4);
  EXPECT_EQ(opt.step_count(), 4);
  ASSERT_EQ(opt.state(0).buffers.count("momentum_buffer"), 1u);
  EXPECT_EQ(opt.state(0).buffers.at("momentum_buffer").rows(), 2);
}

// ------------------------------------------------------------------ Nesterov

TEST(Nesterov, LooksOneVelocityStepAhead) {
  Tensor theta(row({0.0}), true);
  SGD opt({theta}, SGDOptions{.lr = 1.0, .momentum = 0.5, .nesterov = true});
  replay(opt, theta, {row({2.0}), row({4.0})});
  // t = 1: b = 2, step g + μb = 2 + 1 = 3; t = 2: b = 0.5·2 + 4 = 5, step 4 + 2.5 = 6.5
  EXPECT_TRUE(near(theta.value(), row({-9.5}), 1e-15))
      << "Nesterov steps along g + μ b (plain momentum would step along b: θ = −7)";
}

TEST(Nesterov, MatchesAnIndependentLoop) {
  const SGDOptions o{.lr = 0.05, .momentum = 0.9, .weight_decay = 0.02, .nesterov = true};
  EXPECT_TRUE(near(run_sgd(o, 6, 40), expected_sgd(o, 6, 40), 1e-13));
}
