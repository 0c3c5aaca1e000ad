// Lab 07 tests: early stopping (EarlyStopping::step and restore_best) on scripted
// validation curves. In every test the "training" sets the parameter to a value that
// identifies the epoch, so the restored weights tell which epoch they came from.
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// The weights "after epoch e": w = e in every element, b = −e.
void train_epoch(Tensor& w, Tensor& b, Index e) {
  w.value().setConstant(static_cast<Scalar>(e));
  b.value().setConstant(-static_cast<Scalar>(e));
}

// Runs the scripted curve until step() says stop; returns the epoch (1-based) at which it did, or 0.
Index run(EarlyStopping& stopper, Tensor& w, Tensor& b, const std::vector<Scalar>& curve) {
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const Index epoch = static_cast<Index>(i) + 1;
    train_epoch(w, b, epoch);
    if (stopper.step(curve[i])) return epoch;
  }
  return 0;
}

struct Model {
  Tensor w{Matrix::Zero(2, 3), true};
  Tensor b{Matrix::Zero(1, 3), true};
  std::vector<Tensor> params() const { return {w, b}; }
};

}  // namespace

TEST(EarlyStopping, StopsAfterPatienceEpochsWithoutImprovement) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 3});
  //                                   best ↓ (epoch 3)
  const std::vector<Scalar> curve = {1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.95};
  EXPECT_EQ(run(stopper, m.w, m.b, curve), 6) << "epochs 4, 5, 6 do not beat 0.7: the wait reaches patience 3 at epoch 6";
  EXPECT_EQ(stopper.best(), 0.7);
  EXPECT_EQ(stopper.best_epoch(), 3);
  EXPECT_EQ(stopper.wait(), 3);
  EXPECT_EQ(stopper.epoch(), 6);
  EXPECT_TRUE(stopper.should_stop());
}

TEST(EarlyStopping, RestoresTheBestEpochsWeights) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 2});
  const std::vector<Scalar> curve = {0.9, 0.5, 0.6, 0.4, 0.45, 0.41, 0.3};
  EXPECT_EQ(run(stopper, m.w, m.b, curve), 6);
  EXPECT_EQ(stopper.best_epoch(), 4);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 4.0), 0.0))
      << "after stopping, the weights are those of the best epoch (4), not of the last one (6): save a COPY of the "
         "values when the metric improves (a Tensor is a handle to the live weights)";
  EXPECT_TRUE(near(m.b.value(), Matrix::Constant(1, 3, -4.0), 0.0)) << "every parameter is restored";
  ASSERT_EQ(stopper.best_weights().size(), 2u);
  EXPECT_TRUE(near(stopper.best_weights()[0], Matrix::Constant(2, 3, 4.0), 0.0));
}

TEST(EarlyStopping, MinDeltaIgnoresTinyImprovements) {
  // After 0.9 every epoch improves by only 1e-4 < min_delta = 1e-3: none of them counts.
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 3, .min_delta = 1e-3});
  const std::vector<Scalar> curve = {1.0, 0.9, 0.8999, 0.8998, 0.8997, 0.8996};
  EXPECT_EQ(run(stopper, m.w, m.b, curve), 5) << "an improvement must beat the best by MORE than min_delta";
  EXPECT_EQ(stopper.best(), 0.9);
  EXPECT_EQ(stopper.best_epoch(), 2);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 2.0), 0.0));

  Model m2;
  EarlyStopping no_delta(m2.params(), {.patience = 3});
  EXPECT_EQ(run(no_delta, m2.w, m2.b, curve), 0) << "with min_delta = 0 each of those epochs is an improvement";
  EXPECT_EQ(no_delta.best_epoch(), 6);
}

TEST(EarlyStopping, AnImprovementOfExactlyMinDeltaDoesNotCount) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 1, .min_delta = 0.25});
  EXPECT_FALSE(stopper.step(1.0));
  EXPECT_TRUE(stopper.step(0.75)) << "0.75 is not < 1.0 − 0.25: no improvement, and patience 1 is reached";
  EXPECT_EQ(stopper.best(), 1.0);
}

TEST(EarlyStopping, MaxModeForAccuracy) {
  Model m;
  EarlyStopping stopper(m.params(), {.mode = EarlyStoppingMode::Max, .patience = 2, .min_delta = 0.5});
  const std::vector<Scalar> curve = {60.0, 70.0, 80.0, 80.4, 79.0, 90.0};
  EXPECT_EQ(run(stopper, m.w, m.b, curve), 5) << "Max mode: an improvement is m > best + min_delta (80.4 is not > 80.5)";
  EXPECT_EQ(stopper.best(), 80.0);
  EXPECT_EQ(stopper.best_epoch(), 3);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 3.0), 0.0));
}

TEST(EarlyStopping, TheWaitRestartsAtEveryImprovement) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 3});
  const std::vector<Scalar> curve = {5.0, 6.0, 7.0, 4.0, 6.0, 7.0, 3.0, 8.0, 9.0, 9.5, 1.0};
  EXPECT_EQ(run(stopper, m.w, m.b, curve), 10) << "two epochs without improvement, then one: the wait starts again at 0";
  EXPECT_EQ(stopper.best_epoch(), 7);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 7.0), 0.0));
}

TEST(EarlyStopping, NaNIsNotAnImprovement) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 2});
  const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
  EXPECT_EQ(run(stopper, m.w, m.b, {2.0, nan, nan, 1.0}), 3);
  EXPECT_EQ(stopper.best(), 2.0);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 1.0), 0.0));
}

TEST(EarlyStopping, NoRestoreWhenTurnedOff) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 2, .restore_best_weights = false});
  EXPECT_EQ(run(stopper, m.w, m.b, {1.0, 0.5, 0.7, 0.8}), 4);
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 4.0), 0.0)) << "restore_best_weights = false: the last weights stay";
  stopper.restore_best();
  EXPECT_TRUE(near(m.w.value(), Matrix::Constant(2, 3, 2.0), 0.0)) << "restore_best() on demand";
}

TEST(EarlyStopping, RestoreBeforeAnyImprovementChangesNothing) {
  Model m;
  m.w.value() = random_matrix(2, 3, 5);
  const Matrix before = m.w.value();
  EarlyStopping stopper(m.params(), {.patience = 5});
  stopper.restore_best();
  EXPECT_TRUE(near(m.w.value(), before, 0.0));
  EXPECT_EQ(stopper.best_epoch(), 0);
  // After a first epoch the best values are those of epoch 1: a later change is undone.
  stopper.step(1.0);
  m.w.value().setZero();
  stopper.restore_best();
  EXPECT_TRUE(near(m.w.value(), before, 0.0));
  EXPECT_EQ(stopper.best_epoch(), 1);
}

TEST(EarlyStopping, FirstEpochIsAlwaysTheBestSoFar) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 1, .min_delta = 10.0});
  EXPECT_FALSE(stopper.step(1e300)) << "best starts at +∞: any finite first value improves";
  EXPECT_EQ(stopper.best_epoch(), 1);
  EXPECT_EQ(stopper.wait(), 0);
}

TEST(EarlyStopping, StopsWhereAnIndependentRunOfTheRuleStops) {
  Model m;
  EarlyStopping stopper(m.params(), {.patience = 1, .min_delta = 0.01});
  std::vector<Scalar> curve;
  for (int e = 0; e < 50; ++e) curve.push_back(1.0 / (1.0 + 0.5 * e));
  // Improvements shrink below 0.01 after a while: from then on it must stop.
  const Index stopped = run(stopper, m.w, m.b, curve);
  Index expected = 0;
  Scalar best = std::numeric_limits<Scalar>::infinity();
  for (std::size_t i = 0; i < curve.size() && expected == 0; ++i) {
    if (curve[i] < best - 0.01) best = curve[i];
    else expected = static_cast<Index>(i) + 1;
  }
  EXPECT_EQ(stopped, expected) << "an independent run of the rule: m < best − min_delta, stop at patience 1";
}
