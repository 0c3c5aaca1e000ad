// The regularization plumbing (gradlab/regularization.h) that does not depend on lab
// 07's kernels: the checks of λ, p, max_norm, clip_value, the early-stopping options and
// the accumulation count, with messages that name the value and the valid range. The
// math is tested by lab 07.
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <limits>

using namespace gradlab;
using namespace gradlab::testing;

TEST(RegularizationChecks, PenaltiesRejectNegativeOrNonFiniteLambda) {
  const Tensor w(random_matrix(2, 2, 1));
  EXPECT_TRUE(throws_error_mentioning([&] { l1_penalty(w, -0.1); }, {"l1_penalty", "lambda", "-0.1", ">= 0"}));
  EXPECT_TRUE(throws_error_mentioning([&] { l2_penalty(w, std::nan("")); }, {"l2_penalty", "lambda", "nan"}));
  EXPECT_TRUE(throws_error_mentioning([&] { elastic_net_penalty(w, 0.1, -1.0); }, {"elastic_net_penalty", "l2", "-1"}));
  EXPECT_TRUE(throws_error_mentioning([&] { l1_penalty(std::vector<Tensor>{w}, -2.0); }, {"lambda", "-2"}));
}

TEST(RegularizationChecks, PenaltyOfNoParametersIsZero) {
  EXPECT_EQ(l2_penalty(std::vector<Tensor>{}, 0.5).item(), 0.0);
}

TEST(RegularizationChecks, DropoutModuleChecksP) {
  Rng rng(1);
  EXPECT_TRUE(throws_error_mentioning([&] { Dropout(1.0, rng); }, {"p = 1", "[0, 1)"}));
  EXPECT_TRUE(throws_error_mentioning([&] { Dropout(-0.5, rng); }, {"p = -0.5", "[0, 1)"}));
  EXPECT_TRUE(throws_error_mentioning([] { check_dropout_p(std::nan("")); }, {"p = nan"}));
  Dropout ok(0.25, rng);
  EXPECT_EQ(ok.p(), 0.25);
  EXPECT_EQ(ok.parameter_count(), 0);
}

TEST(RegularizationChecks, ClippingChecksItsArguments) {
  Tensor p(row({1.0, 2.0}), true);
  p.grad() = row({3.0, 4.0});
  EXPECT_TRUE(throws_error_mentioning([&] { clip_grad_norm_({p}, -1.0); }, {"max_norm", "-1", ">= 0"}));
  EXPECT_TRUE(throws_error_mentioning([&] { clip_grad_norm_({p}, std::numeric_limits<Scalar>::infinity()); },
                                      {"max_norm", "finite"}));
  EXPECT_TRUE(throws_error_mentioning([&] { clip_grad_norm_({p}, 1.0, {.norm_type = 0.0}); }, {"norm_type", "> 0"}));
  EXPECT_TRUE(throws_error_mentioning([&] { clip_grad_value_({p}, -0.5); }, {"clip_value", "-0.5", ">= 0"}));
  EXPECT_TRUE(near(p.grad(), row({3.0, 4.0}), 0.0)) << "a rejected call changes nothing";
}

TEST(RegularizationChecks, EarlyStoppingChecksItsOptions) {
  Tensor w(row({1.0}), true);
  EXPECT_TRUE(throws_error_mentioning([&] { EarlyStopping({w}, {.patience = 0}); }, {"patience = 0", ">= 1"}));
  EXPECT_TRUE(throws_error_mentioning([&] { EarlyStopping({w}, {.min_delta = -1e-3}); }, {"min_delta", ">= 0"}));
  const EarlyStopping min_mode({w});
  EXPECT_EQ(min_mode.best(), std::numeric_limits<Scalar>::infinity()) << "Min: best starts at +inf";
  const EarlyStopping max_mode({w}, {.mode = EarlyStoppingMode::Max});
  EXPECT_EQ(max_mode.best(), -std::numeric_limits<Scalar>::infinity()) << "Max: best starts at -inf";
  EXPECT_EQ(min_mode.epoch(), 0);
  EXPECT_FALSE(min_mode.should_stop());
}

TEST(RegularizationChecks, GradientAccumulatorChecksSteps) {
  Tensor w(row({1.0}), true);
  SGD opt({w}, 0.1);
  EXPECT_TRUE(throws_error_mentioning([&] { GradientAccumulator(opt, 0); }, {"steps = 0", ">= 1"}));
  const GradientAccumulator acc(opt, 3);
  EXPECT_EQ(acc.steps(), 3);
  EXPECT_EQ(acc.pending(), 0);
  EXPECT_FALSE(acc.ready());
}
