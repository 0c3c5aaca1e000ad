// Lab 06 tests: reduce-on-plateau (kernels::plateau_is_better, plateau_step,
// plateau_reduced_lr, driven through gradlab::ReduceLROnPlateau) on scripted metric
// sequences whose reductions were worked out by hand from PyTorch's algorithm:
// patience, the reset of the bad count after a reduction, cooldown, the rel/abs
// threshold in both modes, min_lr and eps.
#include "gradlab/kernels/schedules.h"
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// Feeds \p metrics to a ReduceLROnPlateau on a one-parameter SGD at rate \p lr and
// returns the 1-based positions of the metrics after which the rate was reduced, and
// the rate after each metric.
struct PlateauRun {
  std::vector<int> reductions;
  std::vector<Scalar> lrs;
};

PlateauRun run(const std::vector<Scalar>& metrics, const PlateauOptions& o, Scalar lr = 1.0) {
  Tensor p(row({0.0}), true);
  SGD opt({p}, lr);
  ReduceLROnPlateau plateau(opt, o);
  PlateauRun r;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (plateau.step(metrics[i])) r.reductions.push_back(static_cast<int>(i + 1));
    r.lrs.push_back(opt.lr());
  }
  return r;
}

std::string list(const std::vector<int>& v) {
  std::string out = "{";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(v[i]);
  }
  return out + "}";
}

}  // namespace

// ------------------------------------------------------------------ patience

TEST(Plateau, ReducesAfterMoreThanPatienceBadSteps) {
  // patience 2: the best is 9 after metric 2; metrics 3, 4 are bad (1, 2 ≤ patience),
  // metric 5 is the third bad one in a row (3 > 2): reduce after it.
  const PlateauRun r = run({10, 9, 9, 9, 9}, PlateauOptions{.factor = 0.1, .patience = 2});
  EXPECT_EQ(r.reductions, (std::vector<int>{5})) << "reductions after metrics " << list(r.reductions);
  EXPECT_NEAR(r.lrs.back(), 0.1, 1e-15) << "one reduction: 1 → 0.1";
  EXPECT_EQ(r.lrs[3], 1.0) << "after only patience bad steps the rate is unchanged";
}

TEST(Plateau, PatienceZeroReducesAtTheFirstBadStep) {
  const PlateauRun r = run({3, 2, 2, 1, 1}, PlateauOptions{.factor = 0.5, .patience = 0});
  EXPECT_EQ(r.reductions, (std::vector<int>{3, 5})) << "reductions after metrics " << list(r.reductions);
}

TEST(Plateau, AnImprovementClearsTheBadCount) {
  // patience 2: bad, bad, better (count back to 0), bad, bad: no reduction yet; one more bad: reduce.
  const PlateauRun r = run({5, 5, 5, 4, 4, 4, 4}, PlateauOptions{.patience = 2});
  EXPECT_EQ(r.reductions, (std::vector<int>{7})) << "reductions after metrics " << list(r.reductions);
}

TEST(Plateau, TheBadCountStartsAgainAfterAReduction) {
  // patience 2, no cooldown, a flat metric: bad counts 1, 2, 3 → reduce (count back to 0),
  // then 1, 2, 3 → reduce again. Without the reset it would reduce after every metric.
  const PlateauRun r = run(std::vector<Scalar>(11, 1.0), PlateauOptions{.factor = 0.5, .patience = 2});
  // metric 1 is the first (better than +∞); bad from metric 2: reductions after 4, 7, 10
  EXPECT_EQ(r.reductions, (std::vector<int>{4, 7, 10})) << "reductions after metrics " << list(r.reductions);
  EXPECT_NEAR(r.lrs.back(), 0.125, 1e-15);
}

// ------------------------------------------------------------------ cooldown

TEST(Plateau, BadStepsDuringTheCooldownDoNotCount) {
  // patience 1, cooldown 2, a flat metric: bad 1, bad 2 > 1 → reduce after metric 3,
  // cooldown 2; metrics 4 and 5 are in the cooldown (not counted); 6 bad 1, 7 bad 2 → reduce.
  // Ignoring the cooldown would reduce after 3, 5, 7, 9, 11.
  const PlateauRun r = run(std::vector<Scalar>(11, 5.0), PlateauOptions{.patience = 1, .cooldown = 2});
  EXPECT_EQ(r.reductions, (std::vector<int>{3, 7, 11})) << "reductions after metrics " << list(r.reductions);
}

TEST(Plateau, TheCooldownRunsDownOnePerStep) {
  Tensor p(row({0.0}), true);
  SGD opt({p}, 1.0);
  ReduceLROnPlateau plateau(opt, PlateauOptions{.patience = 0, .cooldown = 3});
  plateau.step(1.0);  // the first metric: the best
  EXPECT_TRUE(plateau.step(1.0)) << "patience 0: the first bad metric reduces";
  EXPECT_EQ(plateau.state().cooldown_counter, 3) << "a reduction starts the cooldown";
  EXPECT_EQ(plateau.state().num_bad_epochs, 0) << "a reduction clears the bad count";
  plateau.step(1.0);
  EXPECT_EQ(plateau.state().cooldown_counter, 2);
  EXPECT_EQ(plateau.state().num_bad_epochs, 0) << "a bad metric in the cooldown is not counted";
  plateau.step(0.5);  // better, still in the cooldown
  EXPECT_EQ(plateau.state().best, 0.5) << "the best is tracked during the cooldown too";
  EXPECT_EQ(plateau.state().cooldown_counter, 1);
  EXPECT_EQ(plateau.state().last_epoch, 4);
}

// ------------------------------------------------------------------ threshold

TEST(Plateau, RelativeThresholdInModeMin) {
  const PlateauOptions o{.mode = PlateauMode::min, .threshold = 0.1, .threshold_mode = ThresholdMode::rel};
  EXPECT_TRUE(kernels::plateau_is_better(0.89, 1.0, o)) << "0.89 < 1.0 (1 − 0.1) = 0.9";
  EXPECT_FALSE(kernels::plateau_is_better(0.95, 1.0, o)) << "0.95 is lower, but not by 10%";
  EXPECT_FALSE(kernels::plateau_is_better(0.9, 1.0, o)) << "exactly best (1 − threshold) is not better (strict <)";
  EXPECT_TRUE(kernels::plateau_is_better(17.0, 20.0, o)) << "relative: the margin scales with the best (18)";
  EXPECT_FALSE(kernels::plateau_is_better(18.5, 20.0, o)) << "18.5 is not below 20 · 0.9 = 18";
}

TEST(Plateau, AbsoluteThresholdInModeMin) {
  const PlateauOptions o{.mode = PlateauMode::min, .threshold = 0.1, .threshold_mode = ThresholdMode::abs};
  EXPECT_TRUE(kernels::plateau_is_better(9.89, 10.0, o)) << "9.89 < 10 − 0.1";
  EXPECT_FALSE(kernels::plateau_is_better(9.95, 10.0, o)) << "9.95 is not below 10 − 0.1 = 9.9";
  EXPECT_TRUE(kernels::plateau_is_better(19.5, 20.0, o)) << "19.5 < 20 − 0.1 (a relative 0.1 would need < 18)";
  EXPECT_FALSE(kernels::plateau_is_better(0.42, 0.5, o)) << "0.42 is not below 0.5 − 0.1 (a relative 0.1 would accept it)";
}

TEST(Plateau, ThresholdsInModeMax) {
  const PlateauOptions rel{.mode = PlateauMode::max, .threshold = 0.1, .threshold_mode = ThresholdMode::rel};
  EXPECT_TRUE(kernels::plateau_is_better(0.56, 0.5, rel)) << "0.56 > 0.5 (1 + 0.1) = 0.55";
  EXPECT_FALSE(kernels::plateau_is_better(0.54, 0.5, rel)) << "0.54 is higher, but not by 10%";
  EXPECT_FALSE(kernels::plateau_is_better(0.4, 0.5, rel)) << "lower is worse in mode max";
  const PlateauOptions abs{.mode = PlateauMode::max, .threshold = 0.1, .threshold_mode = ThresholdMode::abs};
  EXPECT_TRUE(kernels::plateau_is_better(0.61, 0.5, abs)) << "0.61 > 0.5 + 0.1";
  EXPECT_FALSE(kernels::plateau_is_better(0.58, 0.5, abs)) << "0.58 is not above 0.5 + 0.1";
}

TEST(Plateau, SmallImprovementsBelowTheThresholdStillCountAsBad) {
  // rel 1e-2: the loss creeps down by 0.2% per metric, never 1% below the best (1, the
  // first): metrics 2… are bad, the fourth bad one (metric 5) exceeds patience 3.
  std::vector<Scalar> creeping;
  Scalar loss = 1.0;
  for (int i = 0; i < 6; ++i, loss *= 0.998) creeping.push_back(loss);
  const PlateauRun r = run(creeping, PlateauOptions{.patience = 3, .threshold = 1e-2});
  EXPECT_EQ(r.reductions, (std::vector<int>{5})) << "reductions after metrics " << list(r.reductions);
  // The same sequence with an absolute threshold of 1e-3: every step improves by ≥ 0.00198.
  const PlateauRun a = run(creeping, PlateauOptions{.patience = 3, .threshold = 1e-3, .threshold_mode = ThresholdMode::abs});
  EXPECT_TRUE(a.reductions.empty()) << "abs threshold 1e-3: every metric is better; reductions " << list(a.reductions);
}

TEST(Plateau, ModeMaxWatchesARisingMetric) {
  // accuracy: 0.5, 0.6, 0.7, then flat: patience 1 → reduce after metric 5.
  const PlateauRun r = run({0.5, 0.6, 0.7, 0.7, 0.7, 0.7}, PlateauOptions{.mode = PlateauMode::max, .patience = 1});
  EXPECT_EQ(r.reductions, (std::vector<int>{5})) << "reductions after metrics " << list(r.reductions);
  const PlateauRun falling = run({0.5, 0.6, 0.7, 0.8}, PlateauOptions{.mode = PlateauMode::max, .patience = 0});
  EXPECT_TRUE(falling.reductions.empty()) << "a rising accuracy is improving: " << list(falling.reductions);
}

// ------------------------------------------------------------------ min_lr and eps

TEST(Plateau, NeverBelowMinLr) {
  const PlateauOptions o{.factor = 0.1, .min_lr = 0.05};
  EXPECT_NEAR(kernels::plateau_reduced_lr(1.0, o), 0.1, 1e-16) << "1 · 0.1";
  EXPECT_NEAR(kernels::plateau_reduced_lr(0.1, o), 0.05, 1e-16) << "0.1 · 0.1 = 0.01 is below min_lr: 0.05";
  EXPECT_EQ(kernels::plateau_reduced_lr(0.05, o), 0.05) << "at min_lr already: unchanged";
  const PlateauRun r = run(std::vector<Scalar>(12, 1.0), PlateauOptions{.factor = 0.1, .patience = 1, .min_lr = 0.05});
  EXPECT_EQ(r.lrs.back(), 0.05) << "many reductions stop at min_lr";
}

TEST(Plateau, AReductionSmallerThanEpsIsNotApplied) {
  const PlateauOptions o{.factor = 0.5, .eps = 1e-8};
  EXPECT_EQ(kernels::plateau_reduced_lr(1e-8, o), 1e-8) << "1e-8 → 5e-9 changes by 5e-9 ≤ eps: keep 1e-8";
  EXPECT_NEAR(kernels::plateau_reduced_lr(1e-6, o), 5e-7, 1e-22) << "a change of 5e-7 > eps is applied";
}

TEST(Plateau, EveryGroupIsReducedFromItsOwnRate) {
  Tensor a(row({0.0}), true), b(row({0.0}), true);
  Adam opt({{{a}, AdamOptions{.lr = 0.01}}, {{b}, AdamOptions{.lr = 0.3}}});
  ReduceLROnPlateau plateau(opt, PlateauOptions{.factor = 0.5, .patience = 0, .min_lr = 0.004});
  plateau.step(1.0);
  EXPECT_TRUE(plateau.step(2.0));
  EXPECT_NEAR(opt.group_lr(0), 0.005, 1e-17);
  EXPECT_NEAR(opt.group_lr(1), 0.15, 1e-16);
  EXPECT_TRUE(plateau.step(3.0));
  EXPECT_NEAR(opt.group_lr(0), 0.004, 1e-17) << "group 0 stops at min_lr";
  EXPECT_NEAR(opt.group_lr(1), 0.075, 1e-16);
}
