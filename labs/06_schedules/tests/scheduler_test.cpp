// Lab 06 tests: the Scheduler classes (gradlab/scheduler.h) driving lab 05's
// optimizers with your kernels — the rate at construction (t = 0), after each step(),
// per parameter group, stepped per batch or per epoch, and the rate the optimizer
// actually steps with.
#include "gradlab/kernels/schedules.h"
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

TEST(Schedulers, ConstructionSetsTheRateOfStepZero) {
  Tensor p(row({0.0}), true);
  SGD opt({p}, 0.5);
  LinearWarmupLR warmup(opt, LinearWarmupOptions{.warmup_steps = 4, .start_factor = 0.0});
  EXPECT_EQ(warmup.last_step(), 0);
  EXPECT_EQ(opt.lr(), 0.0) << "the warmup's rate at t = 0 is start_factor · η₀ = 0, set at once";
  EXPECT_EQ(warmup.base_lrs(), std::vector<Scalar>{0.5}) << "η₀ is the rate the group had before";
  std::vector<Scalar> seen;
  for (int i = 0; i < 6; ++i) {
    warmup.step();
    seen.push_back(opt.lr());
  }
  const std::vector<Scalar> expected = {0.125, 0.25, 0.375, 0.5, 0.5, 0.5};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(seen[i], expected[i], 1e-15) << "after step() number " << i + 1;
  }
}

TEST(Schedulers, EveryGroupFollowsTheScheduleFromItsOwnBaseRate) {
  Tensor body(row({0.0}), true), head(row({0.0}), true);
  AdamW opt({{{body}, AdamOptions{.lr = 1e-4}}, {{head}, AdamOptions{.lr = 1e-2}}});
  CosineAnnealingLR cosine(opt, CosineAnnealingOptions{.t_max = 10, .eta_min = 0.0});
  for (std::int64_t t = 1; t <= 10; ++t) {
    cosine.step();
    const Scalar factor = 0.5 * (1 + std::cos(std::numbers::pi * static_cast<Scalar>(t) / 10.0));
    EXPECT_NEAR(opt.group_lr(0), 1e-4 * factor, 1e-18) << "group 0 at t = " << t;
    EXPECT_NEAR(opt.group_lr(1), 1e-2 * factor, 1e-16) << "group 1 at t = " << t;
  }
  EXPECT_NEAR(cosine.rate(1, 5), 5e-3, 1e-16) << "rate(group, t) computes without changing anything";
  EXPECT_EQ(cosine.last_step(), 10);
}

TEST(Schedulers, TheOptimizerStepsWithTheScheduledRate) {
  // SGD: θ ← θ − η_t g with g = 1, under StepLR s = 2, γ = 0.5 from η₀ = 1:
  // rates 1, 1, 0.5, 0.5, 0.25 → θ = −(1 + 1 + 0.5 + 0.5 + 0.25) = −3.25.
  Tensor theta(row({0.0}), true);
  SGD opt({theta}, 1.0);
  StepLR schedule(opt, StepLROptions{.step_size = 2, .gamma = 0.5});
  for (int i = 0; i < 5; ++i) {
    opt.zero_grad();
    theta.grad() = row({1.0});
    opt.step();
    schedule.step();
  }
  EXPECT_NEAR(theta.value()(0, 0), -3.25, 1e-15);
}

TEST(Schedulers, PerEpochOrPerBatchIsTheCallersChoice) {
  // The same warmup + cosine in epochs (4 batches each) and in batches: equal at every epoch start.
  Tensor a(row({0.0}), true), b(row({0.0}), true);
  SGD per_epoch_opt({a}, 0.2), per_batch_opt({b}, 0.2);
  WarmupCosineLR per_epoch(per_epoch_opt, WarmupCosineOptions{.warmup_steps = 2, .total_steps = 10});
  WarmupCosineLR per_batch(per_batch_opt, WarmupCosineOptions{.warmup_steps = 8, .total_steps = 40});
  for (int epoch = 0; epoch < 12; ++epoch) {
    EXPECT_NEAR(per_epoch_opt.lr(), per_batch_opt.lr(), 1e-15) << "at the start of epoch " << epoch;
    if (epoch == 1) {
      EXPECT_NEAR(per_epoch_opt.lr(), 0.1, 1e-16) << "epoch 1 of a 2-epoch warmup: η₀/2";
    }
    if (epoch == 2) {
      EXPECT_NEAR(per_epoch_opt.lr(), 0.2, 1e-16) << "epoch 2: the end of the warmup, η₀";
    }
    for (int batch = 0; batch < 4; ++batch) per_batch.step();
    per_epoch.step();
  }
}

TEST(Schedulers, EveryScheduleDrivesAnyOptimizer) {
  Tensor p(row({1.0}), true), q(row({1.0}), true), r(row({1.0}), true);
  SGD sgd({p}, SGDOptions{.lr = 0.1, .momentum = 0.9});
  RMSprop rmsprop({q}, RMSpropOptions{.lr = 0.1});
  Adagrad adagrad({r}, AdagradOptions{.lr = 0.1});
  ConstantLR constant(sgd, ConstantLROptions{.factor = 0.5, .total_iters = 2});
  ExponentialLR exponential(rmsprop, ExponentialLROptions{.gamma = 0.5});
  PolynomialLR polynomial(adagrad, PolynomialLROptions{.total_iters = 4, .power = 1.0});
  for (int i = 0; i < 3; ++i) {
    constant.step();
    exponential.step();
    polynomial.step();
  }
  EXPECT_NEAR(sgd.lr(), 0.1, 1e-16) << "ConstantLR: back to η₀ from t = total_iters";
  EXPECT_NEAR(rmsprop.lr(), 0.0125, 1e-16) << "ExponentialLR: 0.1 · 0.5³";
  EXPECT_NEAR(adagrad.lr(), 0.025, 1e-16) << "PolynomialLR: 0.1 (1 − 3/4)";
}

TEST(Schedulers, MultiStepAndWarmRestartsThroughTheClass) {
  Tensor p(row({1.0}), true), q(row({1.0}), true);
  SGD a({p}, 1.0), b({q}, 1.0);
  MultiStepLR multistep(a, MultiStepLROptions{.milestones = {2, 3}, .gamma = 0.1});
  CosineAnnealingWarmRestarts restarts(b, WarmRestartsOptions{.t_0 = 2, .t_mult = 2, .eta_min = 0.0});
  const std::vector<Scalar> multistep_rates = {1.0, 1.0, 0.1, 0.01, 0.01, 0.01, 0.01};
  const std::vector<Scalar> restart_rates = {1.0, 0.5, 1.0, 0.5 * (1 + std::cos(std::numbers::pi / 4)), 0.5,
                                             0.5 * (1 + std::cos(3 * std::numbers::pi / 4)), 1.0};
  for (std::size_t t = 0; t < multistep_rates.size(); ++t) {
    EXPECT_NEAR(a.lr(), multistep_rates[t], 1e-15) << "MultiStepLR at t = " << t;
    EXPECT_NEAR(b.lr(), restart_rates[t], 1e-15) << "warm restarts (T₀ 2, T_mult 2: restarts at 2, 6) at t = " << t;
    multistep.step();
    restarts.step();
  }
}

TEST(Schedulers, OneCycleStartsBelowThePeakAndStopsAfterTotalSteps) {
  Tensor p(row({1.0}), true);
  SGD opt({p}, SGDOptions{.lr = 0.5, .momentum = 0.9});
  OneCycleLR cycle(opt, OneCycleOptions{.total_steps = 20, .pct_start = 0.3, .div_factor = 10});
  EXPECT_NEAR(opt.lr(), 0.05, 1e-16) << "t = 0: max_lr / div_factor (the group's rate is max_lr)";
  Scalar peak = 0;
  for (int t = 1; t <= 19; ++t) {
    cycle.step();
    peak = std::max(peak, opt.lr());
  }
  EXPECT_NEAR(peak, 0.5, 1e-15) << "the peak is the group's rate when the scheduler was made";
  EXPECT_NEAR(opt.lr(), 0.05 / 1e4, 1e-18) << "t = T − 1: max_lr / div_factor / final_div_factor";
  cycle.step();  // t = total_steps is allowed, as in PyTorch
  EXPECT_TRUE(throws_error_mentioning([&] { cycle.step(); }, {"OneCycleLR", "total_steps"}));
}
