// Lab 11 tests: grid and random hyperparameter search under a budget of trials.
//
// The claims checked: the grid's size (the largest m with m^D ≤ budget), its values
// (ends included, log axes spread in log(value)) and order (last axis fastest); random
// trials against independent draws in the documented order; the running best.
#include "tests/helpers.h"

#include <cmath>
#include <set>

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;

namespace {
const std::vector<kernels::SearchAxis> lr_and_momentum = {{1e-3, 1e-1, true}, {0.0, 0.9, false}};
}

TEST(GridSearch, ValuesOrderAndEnds) {
  const Matrix t = kernels::grid_search_trials(lr_and_momentum, 10);
  ASSERT_EQ(t.rows(), 9) << "budget 10 over 2 axes: m = 3 values per axis (3² = 9 ≤ 10 < 4²)";
  ASSERT_EQ(t.cols(), 2);
  // Row-major: the last axis (momentum) changes fastest.
  const Scalar lrs[] = {1e-3, 1e-2, 1e-1};
  const Scalar moms[] = {0.0, 0.45, 0.9};
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 3; ++j) {
      EXPECT_NEAR(t(3 * i + j, 0), lrs[i], 1e-15 + 1e-13 * lrs[i])
          << "trial " << 3 * i + j << ": a log axis is spread evenly in log(value) (1e-3, 1e-2, 1e-1), ends included";
      EXPECT_NEAR(t(3 * i + j, 1), moms[j], 1e-15) << "trial " << 3 * i + j << ": the last axis changes fastest";
    }
}

TEST(GridSearch, SizeIsTheLargestPowerWithinTheBudget) {
  EXPECT_EQ(kernels::grid_search_trials(lr_and_momentum, 16).rows(), 16) << "4² = 16 fits exactly";
  EXPECT_EQ(kernels::grid_search_trials(lr_and_momentum, 15).rows(), 9);
  const std::vector<kernels::SearchAxis> three(3, kernels::SearchAxis{0.0, 1.0, false});
  EXPECT_EQ(kernels::grid_search_trials(three, 8).rows(), 8) << "2³ = 8 fits exactly";
  EXPECT_EQ(kernels::grid_search_trials(three, 26).rows(), 8);
  EXPECT_EQ(kernels::grid_search_trials(three, 27).rows(), 27);
  const Matrix one = kernels::grid_search_trials(three, 7);
  ASSERT_EQ(one.rows(), 1) << "7 < 2³: one value per axis";
  EXPECT_EQ(one(0, 2), 0.0) << "m = 1: the low end";
  const std::vector<kernels::SearchAxis> single = {{2.0, 4.0, false}};
  const Matrix five = kernels::grid_search_trials(single, 5);
  ASSERT_EQ(five.rows(), 5);
  EXPECT_TRUE(near(five, mat({{2.0}, {2.5}, {3.0}, {3.5}, {4.0}}), 1e-15));
}

TEST(RandomSearch, MatchesIndependentDrawsInTheDocumentedOrder) {
  Rng rng(8), reference(8);
  const Matrix t = kernels::random_search_trials(lr_and_momentum, 12, rng);
  ASSERT_EQ(t.rows(), 12) << "random search uses the whole budget";
  ASSERT_EQ(t.cols(), 2);
  for (Index i = 0; i < 12; ++i) {
    const Scalar u0 = reference.uniform(), u1 = reference.uniform();
    EXPECT_NEAR(t(i, 0), std::exp(std::log(1e-3) + u0 * (std::log(1e-1) - std::log(1e-3))), 1e-15)
        << "trial " << i << ": log axis: exp(log low + u (log high − log low)); draws trial by trial, axis by axis";
    EXPECT_NEAR(t(i, 1), 0.9 * u1, 1e-15) << "trial " << i;
  }
}

TEST(RandomSearch, TriesMoreDistinctValuesOfEachAxisThanTheGrid) {
  Rng rng(1);
  const Matrix r = kernels::random_search_trials(lr_and_momentum, 16, rng);
  const Matrix g = kernels::grid_search_trials(lr_and_momentum, 16);
  std::set<Scalar> random_lrs(r.col(0).begin(), r.col(0).end()), grid_lrs(g.col(0).begin(), g.col(0).end());
  EXPECT_EQ(random_lrs.size(), 16u);
  EXPECT_EQ(grid_lrs.size(), 4u);
  for (const Scalar lr : random_lrs) {
    EXPECT_GE(lr, 1e-3);
    EXPECT_LE(lr, 1e-1);
  }
}

TEST(BestSoFar, RunningMaximumSkippingNaN) {
  const Scalar nan = std::nan("");
  const std::vector<Scalar> scores = {0.5, 0.3, 0.7, nan, 0.6, 0.9};
  EXPECT_EQ(kernels::best_so_far(scores), (std::vector<Scalar>{0.5, 0.5, 0.7, 0.7, 0.7, 0.9}));
  const std::vector<Scalar> late = {nan, 0.2};
  const std::vector<Scalar> b = kernels::best_so_far(late);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_TRUE(std::isnan(b[0]));
  EXPECT_EQ(b[1], 0.2);
}

TEST(RunSearch, ScoresEveryTrialAndFindsTheBest) {
  const Matrix trials = kernels::grid_search_trials(lr_and_momentum, 9);
  // Best at lr = 1e-2, momentum 0.9.
  const SearchResult r = run_search(trials, [](const std::vector<Scalar>& h) {
    return -std::abs(std::log10(h[0]) + 2.0) - std::abs(h[1] - 0.9);
  });
  ASSERT_EQ(r.scores.size(), 9u);
  EXPECT_EQ(r.best_trial, 5);
  EXPECT_EQ(r.best.back(), r.scores[5]);
}
