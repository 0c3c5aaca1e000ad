// Framework tests of gradlab/scheduler.h that are not lab 06's: the option checks, the
// errors of the Scheduler classes and of the range test. (The rates themselves, the
// plateau logic and the range test's results are lab 06's tests.)
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <limits>

using namespace gradlab;
using namespace gradlab::testing;

TEST(SchedulerOptions, EveryInvalidValueIsNamedWithItsRange) {
  EXPECT_TRUE(throws_error_mentioning([] { validate(ConstantLROptions{.factor = 0.0}); }, {"ConstantLROptions", "factor", "(0, 1]"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(ConstantLROptions{.total_iters = -1}); }, {"total_iters", ">= 0", "-1"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(StepLROptions{.step_size = 0}); }, {"StepLROptions", "step_size", ">= 1", "got 0"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(StepLROptions{.gamma = -0.5}); }, {"gamma", "> 0", "-0.5"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(MultiStepLROptions{.milestones = {5, 3}}); }, {"milestones", "increasing", "5", "3"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(MultiStepLROptions{.milestones = {0}}); }, {"milestone", ">= 1"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(ExponentialLROptions{.gamma = 0.0}); }, {"ExponentialLROptions", "gamma"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(CosineAnnealingOptions{.t_max = 0}); }, {"CosineAnnealingOptions", "t_max"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(CosineAnnealingOptions{.eta_min = -1e-3}); }, {"eta_min", ">= 0"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(WarmRestartsOptions{.t_0 = 0}); }, {"WarmRestartsOptions", "t_0"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(WarmRestartsOptions{.t_mult = 0}); }, {"t_mult", ">= 1"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(LinearWarmupOptions{.warmup_steps = 0}); }, {"LinearWarmupOptions", "warmup_steps"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(LinearWarmupOptions{.start_factor = 1.0}); }, {"start_factor", "[0, 1)"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(WarmupCosineOptions{.warmup_steps = 10, .total_steps = 10}); },
                                      {"WarmupCosineOptions", "total_steps", ">= 11", "got 10"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(OneCycleOptions{.total_steps = 1}); }, {"OneCycleOptions", "total_steps"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(OneCycleOptions{.total_steps = 3, .pct_start = 0.3}); },
                                      {"pct_start * total_steps", "> 1"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(OneCycleOptions{.total_steps = 10, .pct_start = 0.6, .three_phase = true}); },
                                      {"pct_start", "third phase"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(PolynomialLROptions{.power = 0.0}); }, {"PolynomialLROptions", "power"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(PlateauOptions{.factor = 1.0}); }, {"PlateauOptions", "factor", "(0, 1)"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(PlateauOptions{.patience = -1}); }, {"patience"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(PlateauOptions{.cooldown = -2}); }, {"cooldown"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(PlateauOptions{.min_lr = -1.0}); }, {"min_lr"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(RangeTestOptions{.start_lr = 1.0, .end_lr = 0.5}); }, {"RangeTestOptions", "end_lr", "start_lr"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(RangeTestOptions{.num_steps = 1}); }, {"num_steps", ">= 2"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(RangeTestOptions{.beta = 1.0}); }, {"beta", "[0, 1)"}));
  EXPECT_TRUE(throws_error_mentioning([] { validate(RangeTestOptions{.diverge_factor = 1.0}); }, {"diverge_factor", "> 1"}));
}

TEST(SchedulerOptions, DefaultsAreValid) {
  EXPECT_NO_THROW(validate(ConstantLROptions{}));
  EXPECT_NO_THROW(validate(StepLROptions{}));
  EXPECT_NO_THROW(validate(MultiStepLROptions{.milestones = {10, 20}}));
  EXPECT_NO_THROW(validate(ExponentialLROptions{}));
  EXPECT_NO_THROW(validate(CosineAnnealingOptions{}));
  EXPECT_NO_THROW(validate(WarmRestartsOptions{}));
  EXPECT_NO_THROW(validate(LinearWarmupOptions{}));
  EXPECT_NO_THROW(validate(WarmupCosineOptions{}));
  EXPECT_NO_THROW(validate(OneCycleOptions{}));
  EXPECT_NO_THROW(validate(OneCycleOptions{.three_phase = true}));
  EXPECT_NO_THROW(validate(PolynomialLROptions{}));
  EXPECT_NO_THROW(validate(PlateauOptions{}));
  EXPECT_NO_THROW(validate(RangeTestOptions{}));
}

TEST(Schedulers, AnInvalidOptionIsRejectedBeforeAnyRateIsSet) {
  Tensor p(row({1.0}), true);
  SGD opt({p}, 0.3);
  EXPECT_TRUE(throws_error_mentioning([&] { StepLR bad(opt, StepLROptions{.step_size = 0}); }, {"step_size"}));
  EXPECT_TRUE(throws_error_mentioning([&] { OneCycleLR bad(opt, OneCycleOptions{.total_steps = 1}); }, {"total_steps"}));
  EXPECT_EQ(opt.lr(), 0.3) << "the optimizer's rate is untouched";
  EXPECT_TRUE(throws_error_mentioning([&] { ReduceLROnPlateau bad(opt, PlateauOptions{.factor = 2.0}); }, {"factor"}));
}

TEST(Schedulers, RateOfAGroupThatDoesNotExist) {
  Tensor p(row({1.0}), true);
  SGD opt({p}, 0.3);
  StepLR schedule(opt, StepLROptions{.step_size = 2});
  EXPECT_TRUE(throws_error_mentioning([&] { (void)schedule.rate(1, 0); }, {"group 1", "there are 1"}));
}

TEST(Schedulers, PlateauRejectsANonFiniteMetric) {
  Tensor p(row({1.0}), true);
  SGD opt({p}, 0.3);
  ReduceLROnPlateau plateau(opt);
  EXPECT_TRUE(throws_error_mentioning([&] { plateau.step(std::numeric_limits<Scalar>::quiet_NaN()); }, {"metric", "nan"}));
}

// Resuming from a checkpoint: set_last_step(t) is t calls of step(), and the schedule
// continues from there as the uninterrupted one does.
TEST(Schedulers, SetLastStepIsTStepsAndContinuesTheSame) {
  Tensor p(row({1.0}), true), q(row({1.0}), true);
  SGD straight_opt({p}, 0.3), resumed_opt({q}, 0.3);
  WarmupCosineLR straight(straight_opt, {.warmup_steps = 2, .total_steps = 10, .start_factor = 0.1, .eta_min = 1e-3});
  WarmupCosineLR resumed(resumed_opt, {.warmup_steps = 2, .total_steps = 10, .start_factor = 0.1, .eta_min = 1e-3});
  for (int t = 0; t < 4; ++t) straight.step();
  resumed.set_last_step(4);
  EXPECT_EQ(resumed.last_step(), 4);
  EXPECT_EQ(resumed_opt.lr(), straight_opt.lr());
  EXPECT_NE(resumed_opt.lr(), 0.3) << "step 4 of a warmup + cosine is not the base rate";
  for (int t = 0; t < 3; ++t) {
    straight.step();
    resumed.step();
    EXPECT_EQ(resumed_opt.lr(), straight_opt.lr());
  }
  resumed.set_last_step(0);
  EXPECT_EQ(resumed_opt.lr(), resumed.rate(0, 0)) << "going back works too";
  EXPECT_TRUE(throws_error_mentioning([&] { resumed.set_last_step(-1); }, {"set_last_step", "-1"}));
}
