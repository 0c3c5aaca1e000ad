// Lab 06 tests: the learning-rate range test (kernels::range_test_lr, smoothed_loss,
// steepest_descent_index, driven through gradlab::lr_range_test): the sweep, the
// smoothing, the suggestion on synthetic loss curves whose answer is known, the stop at
// 4× the best, and the model and optimizer restored bit-exactly afterwards.
#include "gradlab/kernels/schedules.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// A loss curve over log₁₀ η with its steepest descent at η = 10^center: a smooth step
// down, 2 − atan(4(x − center)), and from η = 1 on a steep rise (the divergence).
Scalar synthetic_loss(Scalar lr, Scalar center) {
  const Scalar x = std::log10(lr);
  return 2.0 - std::atan(4.0 * (x - center)) + (x > 0 ? 50.0 * x * x : 0.0);
}

// The sweep of these tests: 1e-6 … 1e2 in 201 steps, 25 per decade (t = 75 is 1e-3).
RangeTestOptions sweep(Scalar beta) {
  return RangeTestOptions{.start_lr = 1e-6, .end_lr = 1e2, .num_steps = 201, .beta = beta};
}

}  // namespace

// ------------------------------------------------------------------ the sweep

TEST(RangeTest, SweepsExponentiallyFromStartToEnd) {
  const RangeTestOptions o{.start_lr = 1e-4, .end_lr = 1.0, .num_steps = 5};
  const std::vector<Scalar> expected = {1e-4, 1e-3, 1e-2, 1e-1, 1.0};
  for (std::int64_t t = 0; t < 5; ++t) {
    EXPECT_NEAR(kernels::range_test_lr(o, t), expected[static_cast<std::size_t>(t)],
                1e-12 * expected[static_cast<std::size_t>(t)])
        << "t = " << t << ": start (end/start)^(t/(N − 1)), both ends included";
  }
}

TEST(RangeTest, ConsecutiveRatesHaveTheSameRatio) {
  const RangeTestOptions o{.start_lr = 3e-7, .end_lr = 5.0, .num_steps = 97};
  const Scalar ratio = std::pow(5.0 / 3e-7, 1.0 / 96.0);
  EXPECT_NEAR(kernels::range_test_lr(o, 0), 3e-7, 1e-20);
  EXPECT_NEAR(kernels::range_test_lr(o, 96), 5.0, 1e-12);
  for (std::int64_t t = 1; t < 97; ++t) {
    EXPECT_NEAR(kernels::range_test_lr(o, t) / kernels::range_test_lr(o, t - 1), ratio, 1e-12) << "t = " << t;
  }
}

// ------------------------------------------------------------------ smoothing

TEST(RangeTest, SmoothedLossIsADebiasedMovingAverage) {
  Scalar average = 0.0;
  // β = 0.5: a = 0.5·0 + 0.5·4 = 2, 2/(1 − 0.5) = 4 (the first loss itself);
  // a = 0.5·2 + 0.5·2 = 2, 2/(1 − 0.25) = 8/3; a = 0.5·2 + 0.5·8 = 5, 5/(1 − 0.125) = 40/7.
  EXPECT_NEAR(kernels::smoothed_loss(average, 4.0, 0.5, 1), 4.0, 1e-15) << "the first smoothed value is the first loss";
  EXPECT_NEAR(average, 2.0, 1e-15) << "the running average itself is not debiased";
  EXPECT_NEAR(kernels::smoothed_loss(average, 2.0, 0.5, 2), 8.0 / 3.0, 1e-15);
  EXPECT_NEAR(kernels::smoothed_loss(average, 8.0, 0.5, 3), 40.0 / 7.0, 1e-14);
}

TEST(RangeTest, AConstantLossStaysConstantWhenSmoothed) {
  Scalar average = 0.0;
  for (std::int64_t t = 1; t <= 50; ++t) {
    EXPECT_NEAR(kernels::smoothed_loss(average, 1.7, 0.98, t), 1.7, 1e-12) << "t = " << t << ": the debiasing";
  }
}

// ------------------------------------------------------------------ the suggestion

TEST(RangeTest, SuggestsTheSteepestPointOfAKnownCurve) {
  // η = 10^(−6 + 0.04 t): the curve's slope against ln η is steepest at 1e-2, t = 100
  // (the step is symmetric about it, so its central difference is the largest there).
  std::vector<Scalar> lrs, losses;
  for (int t = 0; t < 150; ++t) {
    lrs.push_back(std::pow(10.0, -6.0 + 0.04 * t));
    losses.push_back(synthetic_loss(lrs.back(), -2.0));
  }
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 10, 5), 100) << "the steepest descent is at η = 1e-2";
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 0, 0), 100);
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 60, 20), 100) << "the index counts from the first point, skipped or not";
}

TEST(RangeTest, SteepestDescentIgnoresTheSkippedPoints) {
  // η doubles every step (evenly spaced in ln η), so the slopes are proportional to
  // differences of losses: L[i+1] − L[i] at the first kept point, L[i] − L[i−1] at the
  // last, (L[i+1] − L[i−1])/2 between.
  const std::vector<Scalar> lrs = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
  const std::vector<Scalar> losses = {10, 5, 4.9, 4.8, 4.7, 4.5, 3.5, 3.4, 3.3, 3.2, 0.0};
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 3, 2), 5)
      << "kept 3…8: slopes −0.1, −0.15, −0.6 (at 5), −0.55, −0.1, −0.1";
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 0, 0), 0)
      << "nothing skipped: the first point's one-sided difference (10 → 5) is the steepest";
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 3, 0), 10)
      << "kept 3…10: the last point's one-sided difference (3.2 → 0) is the steepest";
}

TEST(RangeTest, SteepestDescentUsesCentralDifferencesInsideAndOneSidedAtTheEnds) {
  // Evenly spaced in ln η (×e each step): one-sided at 0: −0.1; central at 1:
  // (2.8 − 3)/2 = −0.1; at 2: (1 − 2.9)/2 = −0.95; one-sided at 3: 1 − 2.8 = −1.8 → 3.
  // (Forward differences everywhere would pick 2.)
  const Scalar e = std::exp(1.0);
  const std::vector<Scalar> lrs = {1, e, e * e, e * e * e, e * e * e * e};
  EXPECT_EQ(kernels::steepest_descent_index(std::vector<Scalar>(lrs.begin(), lrs.begin() + 4), {3.0, 2.9, 2.8, 1.0}, 0, 0), 3);
  // Central differences at 1 and 2 tie at −1.0: the first one wins. (Backward
  // differences everywhere would pick 2.)
  EXPECT_EQ(kernels::steepest_descent_index(lrs, {3.0, 2.9, 1.0, 0.9, 0.8}, 0, 0), 1);
}

TEST(RangeTest, TooFewKeptPointsGiveNoSuggestion) {
  const std::vector<Scalar> lrs = {1e-3, 1e-2, 1e-1, 1.0};
  const std::vector<Scalar> losses = {1.0, 0.9, 0.5, 0.4};
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 2, 1), -1) << "only one point kept";
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 3, 3), -1) << "none kept";
  EXPECT_EQ(kernels::steepest_descent_index(lrs, losses, 2, 0), 2)
      << "two points kept (2 and 3): both one-sided slopes are the same, the first wins";
}

// ------------------------------------------------------------------ the whole range test

TEST(RangeTest, FindsTheKnownAnswerOfASyntheticCurve) {
  // No smoothing (β = 0): the smoothed curve is the loss; its steepest descent is at 1e-3 (t = 75).
  Tensor p(row({0.0}), true);
  SGD opt({p}, 0.1);
  const RangeTestResult r = lr_range_test(opt, [&] { return synthetic_loss(opt.lr(), -3.0); }, sweep(0.0));
  ASSERT_GT(r.lrs.size(), 76u);
  EXPECT_EQ(r.suggestion_index, 75);
  EXPECT_NEAR(r.suggestion, 1e-3, 1e-12) << "the suggestion is the rate at the steepest descent";
  EXPECT_NEAR(r.lrs[0], 1e-6, 1e-18);
  for (std::size_t i = 0; i < r.lrs.size(); ++i) {
    ASSERT_EQ(r.losses[i], synthetic_loss(r.lrs[i], -3.0)) << "step " << i << " ran at its own rate";
    ASSERT_EQ(r.smoothed[i], r.losses[i]) << "β = 0: no smoothing";
  }
}

TEST(RangeTest, StopsAfterTheFirstSmoothedLossAboveFourTimesTheBest) {
  Tensor p(row({0.0}), true);
  SGD opt({p}, 0.1);
  const RangeTestOptions o = sweep(0.9);
  const RangeTestResult r = lr_range_test(opt, [&] { return synthetic_loss(opt.lr(), -3.0); }, o);
  // The same sweep, smoothing and stop written out here.
  std::size_t expected_steps = 0;
  Scalar average = 0, best = INFINITY;
  for (int t = 0; t < 201; ++t) {
    const Scalar lr = 1e-6 * std::pow(1e2 / 1e-6, t / 200.0);
    average = 0.9 * average + 0.1 * synthetic_loss(lr, -3.0);
    const Scalar smoothed = average / (1 - std::pow(0.9, t + 1));
    ++expected_steps;
    if (smoothed > 4 * best) break;
    best = std::min(best, smoothed);
  }
  ASSERT_LT(expected_steps, 201u) << "the test's curve must diverge";
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(r.lrs.size(), expected_steps) << "the step that exceeds 4× the best is recorded, and is the last";
  ASSERT_EQ(r.smoothed.size(), expected_steps);
  Scalar recorded_best = r.smoothed[0];
  for (std::size_t i = 1; i + 1 < r.smoothed.size(); ++i) recorded_best = std::min(recorded_best, r.smoothed[i]);
  EXPECT_GT(r.smoothed.back(), 4 * recorded_best);
  // The smoothing lags behind the curve: the suggestion comes later than the raw 1e-3.
  EXPECT_GT(r.suggestion, 1e-3);
  EXPECT_LT(r.suggestion, 1e-1);
}

TEST(RangeTest, RunsTheWholeSweepWhenTheLossNeverDiverges) {
  Tensor p(row({0.0}), true);
  SGD opt({p}, 0.1);
  const RangeTestOptions o{.start_lr = 1e-5, .end_lr = 1.0, .num_steps = 60};
  const RangeTestResult r = lr_range_test(opt, [&] { return 1.0 / (1.0 + opt.lr()); }, o);
  EXPECT_FALSE(r.diverged);
  EXPECT_EQ(r.lrs.size(), 60u);
  EXPECT_NEAR(r.lrs.back(), 1.0, 1e-12);
}

namespace {

// A small regression model trained by SGD with momentum: the state the range test must restore.
struct Problem {
  Problem() : rng(5), model(3, 2, rng), x(random_matrix(16, 3, 7)), y(random_matrix(16, 2, 8)) {}
  Scalar train_step(Optimizer& opt) {
    opt.zero_grad();
    Tensor loss = mse_loss(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  }
  Rng rng;
  Linear model;
  Tensor x, y;
};

struct OutOfData {};  // what a training step might throw

}  // namespace

TEST(RangeTest, RestoresTheModelAndTheOptimizerBitExactly) {
  Problem a, b;  // the same model and data twice
  SGD opt_a({{{a.model.weight()}, SGDOptions{.lr = 0.05, .momentum = 0.9}},
             {{a.model.bias()}, SGDOptions{.lr = 0.02, .momentum = 0.9}}});
  SGD opt_b({{{b.model.weight()}, SGDOptions{.lr = 0.05, .momentum = 0.9}},
             {{b.model.bias()}, SGDOptions{.lr = 0.02, .momentum = 0.9}}});
  for (int i = 0; i < 3; ++i) {
    a.train_step(opt_a);
    b.train_step(opt_b);
  }
  const Matrix w = a.model.weight().value(), w_grad = a.model.weight().grad();
  const Matrix buffer = opt_a.state(0).buffers.at("momentum_buffer");

  const RangeTestResult r = lr_range_test(opt_a, [&] { return a.train_step(opt_a); },
                                          RangeTestOptions{.start_lr = 1e-4, .end_lr = 10, .num_steps = 50});
  ASSERT_GT(r.lrs.size(), 2u);
  EXPECT_NEAR(r.lrs[0], 1e-4, 1e-18) << "the sweep starts at start_lr";
  EXPECT_NE(r.losses[0], r.losses[1]) << "the range test trains the model (at its own rates) before restoring it";
  EXPECT_TRUE(near(a.model.weight().value(), w, 0.0)) << "the weights are put back exactly";
  EXPECT_TRUE(near(a.model.weight().grad(), w_grad, 0.0)) << "and their gradient";
  EXPECT_TRUE(near(opt_a.state(0).buffers.at("momentum_buffer"), buffer, 0.0)) << "and the momentum buffer";
  EXPECT_EQ(opt_a.state(0).step, 3) << "and each parameter's step count";
  EXPECT_EQ(opt_a.step_count(), 3);
  EXPECT_EQ(opt_a.group_lr(0), 0.05) << "every group's rate is restored";
  EXPECT_EQ(opt_a.group_lr(1), 0.02);
  // Training on gives exactly what the twin that never ran the range test gets.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(a.train_step(opt_a), b.train_step(opt_b)) << "step " << i;
  EXPECT_TRUE(near(a.model.weight().value(), b.model.weight().value(), 0.0));
  EXPECT_TRUE(near(a.model.bias().value(), b.model.bias().value(), 0.0));
}

TEST(RangeTest, RestoresEvenWhenTheTrainingStepThrows) {
  // The sweep's first rate, outside EXPECT_THROW (which would swallow an unwritten kernel).
  ASSERT_EQ(kernels::range_test_lr(RangeTestOptions{}, 0), RangeTestOptions{}.start_lr);
  Problem a;
  Adam opt(a.model.parameters(), AdamOptions{.lr = 0.01});
  a.train_step(opt);
  const Matrix w = a.model.weight().value();
  int calls = 0;
  const auto failing = [&] {
    if (++calls == 20) throw OutOfData{};
    return a.train_step(opt);
  };
  EXPECT_THROW(lr_range_test(opt, failing, RangeTestOptions{.num_steps = 100}), OutOfData);
  EXPECT_EQ(calls, 20) << "the sweep ran until the training step threw";
  EXPECT_TRUE(near(a.model.weight().value(), w, 0.0)) << "the weights are put back when the step throws";
  EXPECT_EQ(opt.lr(), 0.01);
  EXPECT_EQ(opt.state(0).step, 1);
}
