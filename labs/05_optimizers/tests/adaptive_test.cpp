// Lab 05 tests: AdaGrad and RMSprop (kernels::adagrad_update, kernels::rmsprop_update,
// driven through gradlab::Adagrad and gradlab::RMSprop).
#include "golden.h"

#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;
using lab05::gradient_sequence;
using lab05::replay;

namespace {

// An independent AdaGrad, element by element.
Matrix adagrad_by_hand(Matrix theta, const std::vector<Matrix>& grads, const AdagradOptions& o) {
  Matrix s = Matrix::Constant(theta.rows(), theta.cols(), o.initial_accumulator_value);
  for (std::size_t t = 1; t <= grads.size(); ++t) {
    const Scalar rate = o.lr / (1 + static_cast<Scalar>(t - 1) * o.lr_decay);
    for (Index i = 0; i < theta.size(); ++i) {
      const Scalar g = grads[t - 1].data()[i] + o.weight_decay * theta.data()[i];
      s.data()[i] += g * g;
      theta.data()[i] -= rate * g / (std::sqrt(s.data()[i]) + o.eps);
    }
  }
  return theta;
}

// An independent RMSprop, element by element.
Matrix rmsprop_by_hand(Matrix theta, const std::vector<Matrix>& grads, const RMSpropOptions& o) {
  Matrix v = Matrix::Zero(theta.rows(), theta.cols());
  Matrix mean = v, b = v;
  for (const Matrix& grad : grads) {
    for (Index i = 0; i < theta.size(); ++i) {
      const Scalar g = grad.data()[i] + o.weight_decay * theta.data()[i];
      v.data()[i] = o.alpha * v.data()[i] + (1 - o.alpha) * g * g;
      Scalar variance = v.data()[i];
      if (o.centered) {
        mean.data()[i] = o.alpha * mean.data()[i] + (1 - o.alpha) * g;
        variance -= mean.data()[i] * mean.data()[i];
      }
      const Scalar scaled = g / (std::sqrt(variance) + o.eps);
      if (o.momentum > 0) {
        b.data()[i] = o.momentum * b.data()[i] + scaled;
        theta.data()[i] -= o.lr * b.data()[i];
      } else {
        theta.data()[i] -= o.lr * scaled;
      }
    }
  }
  return theta;
}

}  // namespace

// ------------------------------------------------------------------ AdaGrad

TEST(Adagrad, FirstStepIsLrTimesTheSignOfTheGradient) {
  // s = g², so θ moves by η g / (|g| + ε) ≈ η·sign(g) in every element.
  Tensor theta(row({0.0, 0.0, 0.0}), true);
  Adagrad opt({theta}, AdagradOptions{.lr = 0.1});
  theta.grad() = row({3.0, -0.5, 1e-3});
  opt.step();
  EXPECT_TRUE(near(theta.value(), row({-0.1, 0.1, -0.1}), 1e-8)) << "s = g² after one step: the step is η g/|g|";
  EXPECT_TRUE(near(opt.state(0).buffers.at("sum"), row({9.0, 0.25, 1e-6}), 1e-18))
      << "AdaGrad accumulates the SQUARED gradient: s ← s + g²";
}

TEST(Adagrad, StartsFromTheInitialAccumulatorAndDecaysTheRate) {
  Tensor theta(row({1.0}), true);
  Adagrad opt({theta}, AdagradOptions{.lr = 0.3, .lr_decay = 0.5, .initial_accumulator_value = 5.0});
  replay(opt, theta, {row({2.0}), row({2.0})});
  // t = 1: s = 5 + 4 = 9, θ = 1 − 0.3·2/3 = 0.8; t = 2: rate 0.3/1.5 = 0.2, s = 13, θ = 0.8 − 0.2·2/√13
  EXPECT_NEAR(theta.value()(0, 0), 0.8 - 0.4 / std::sqrt(13.0), 1e-9)
      << "η_t = η / (1 + (t − 1)·lr_decay) and s starts at initial_accumulator_value";
}

TEST(Adagrad, EpsilonIsAddedOutsideTheSquareRoot) {
  Tensor theta(row({0.0}), true);
  Adagrad opt({theta}, AdagradOptions{.lr = 1.0, .eps = 0.5});
  theta.grad() = row({0.5});
  opt.step();
  EXPECT_NEAR(theta.value()(0, 0), -0.5 / (0.5 + 0.5), 1e-15) << "g / (√s + ε), not g / √(s + ε)";
}

TEST(Adagrad, MatchesAnIndependentLoop) {
  const AdagradOptions o{.lr = 0.1, .lr_decay = 0.05, .weight_decay = 0.01, .initial_accumulator_value = 0.1};
  Tensor theta(random_matrix(3, 4, 50), true);
  Adagrad opt({theta}, o);
  const auto grads = gradient_sequence(6, 3, 4, 150);
  EXPECT_TRUE(near(replay(opt, theta, grads), adagrad_by_hand(random_matrix(3, 4, 50), grads, o), 1e-13));
}

TEST(Adagrad, MatchesPyTorchGoldenTrajectories) { lab05::expect_golden_trajectories("adagrad"); }

// ------------------------------------------------------------------ RMSprop

TEST(RMSprop, AlphaIsTheWeightOfTheOldAverage) {
  Tensor theta(row({0.0}), true);
  RMSprop opt({theta}, RMSpropOptions{.lr = 0.1, .alpha = 0.9});
  theta.grad() = row({2.0});
  opt.step();
  // v = 0.9·0 + 0.1·4 = 0.4
  EXPECT_NEAR(opt.state(0).buffers.at("square_avg")(0, 0), 0.4, 1e-15)
      << "v ← α v + (1 − α) g²: with α = 0.9 the new g² enters with weight 0.1";
  EXPECT_NEAR(theta.value()(0, 0), -0.1 * 2.0 / (std::sqrt(0.4) + 1e-8), 1e-15);
}

TEST(RMSprop, EpsilonIsAddedOutsideTheSquareRoot) {
  Tensor theta(row({0.0}), true);
  RMSprop opt({theta}, RMSpropOptions{.lr = 1.0, .alpha = 0.75, .eps = 0.5});
  theta.grad() = row({2.0});
  opt.step();
  EXPECT_NEAR(theta.value()(0, 0), -2.0 / (1.0 + 0.5), 1e-15) << "g / (√v + ε), not g / √(v + ε)";
}

TEST(RMSprop, MatchesAnIndependentLoop) {
  for (const bool centered : {false, true}) {
    for (const Scalar momentum : {0.0, 0.7}) {
      const RMSpropOptions o{.lr = 0.01, .alpha = 0.9, .eps = 1e-6, .weight_decay = 0.02, .momentum = momentum,
                             .centered = centered};
      Tensor theta(random_matrix(3, 4, 60), true);
      RMSprop opt({theta}, o);
      const auto grads = gradient_sequence(6, 3, 4, 160);
      EXPECT_TRUE(near(replay(opt, theta, grads), rmsprop_by_hand(random_matrix(3, 4, 60), grads, o), 1e-13))
          << "centered " << centered << ", momentum " << momentum;
    }
  }
}

TEST(RMSprop, KeepsOnlyTheBuffersItsOptionsUse) {
  Tensor a(row({1.0}), true), b(row({1.0}), true);
  RMSprop plain({a});
  RMSprop full({b}, RMSpropOptions{.momentum = 0.5, .centered = true});
  replay(plain, a, {row({1.0})});
  replay(full, b, {row({1.0})});
  EXPECT_EQ(plain.state(0).buffers.size(), 1u) << "square_avg only";
  EXPECT_EQ(full.state(0).buffers.size(), 3u) << "square_avg, grad_avg, momentum_buffer";
}

TEST(RMSprop, MatchesPyTorchGoldenTrajectories) { lab05::expect_golden_trajectories("rmsprop"); }
