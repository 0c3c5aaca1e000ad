// Lab 06 tests: the decays — ConstantLR, StepLR, MultiStepLR, ExponentialLR,
// PolynomialLR (kernels::constant_lr, step_lr, multistep_lr, exponential_lr,
// polynomial_lr). Each is checked at its boundaries against values worked out by hand,
// and over many steps and options against the formula written out independently here.
#include "schedule_checks.h"

#include "gradlab/kernels/schedules.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace gradlab;
using lab06::expect_rates;

// ------------------------------------------------------------------ ConstantLR

TEST(ConstantLR, ScaledUntilTotalItersThenTheBaseRate) {
  const ConstantLROptions o{.factor = 0.5, .total_iters = 4};
  // t = 0 … 3: 0.5 · 0.2 = 0.1; t = 4 (the first step at the full rate) and later: 0.2
  expect_rates([&](std::int64_t t) { return kernels::constant_lr(0.2, t, o); },
               {{0, 0.1}, {1, 0.1}, {3, 0.1}, {4, 0.2}, {5, 0.2}, {100, 0.2}}, "ConstantLR factor 0.5, total_iters 4");
}

TEST(ConstantLR, FactorOneIsAConstantRate) {
  const ConstantLROptions o{.factor = 1.0, .total_iters = 3};
  for (std::int64_t t = 0; t < 50; ++t) EXPECT_EQ(kernels::constant_lr(0.03, t, o), 0.03) << "t = " << t;
}

TEST(ConstantLR, ZeroTotalItersIsTheBaseRateFromTheStart) {
  EXPECT_EQ(kernels::constant_lr(0.7, 0, ConstantLROptions{.factor = 0.25, .total_iters = 0}), 0.7);
}

// ------------------------------------------------------------------ StepLR

TEST(StepLR, DropsByGammaAtEveryMultipleOfTheStepSize) {
  // η₀ = 0.1, s = 30, γ = 0.1: 0.1 for t = 0…29, 0.01 for 30…59, 0.001 from 60.
  const StepLROptions o{.step_size = 30, .gamma = 0.1};
  expect_rates([&](std::int64_t t) { return kernels::step_lr(0.1, t, o); },
               {{0, 0.1}, {29, 0.1}, {30, 0.01}, {59, 0.01}, {60, 0.001}, {89, 0.001}, {90, 1e-4}},
               "StepLR step_size 30, gamma 0.1");
}

TEST(StepLR, MatchesTheFormulaForManyOptions) {
  for (const std::int64_t s : {1, 2, 7}) {
    for (const Scalar gamma : {0.5, 0.9, 1.5}) {
      const StepLROptions o{.step_size = s, .gamma = gamma};
      for (std::int64_t t = 0; t < 40; ++t) {
        const Scalar expected = 0.3 * std::pow(gamma, static_cast<Scalar>(t / s));
        EXPECT_NEAR(kernels::step_lr(0.3, t, o), expected, 1e-14 * expected)
            << "step_size " << s << ", gamma " << gamma << ", t = " << t << ": η₀ γ^⌊t/s⌋";
      }
    }
  }
}

// ------------------------------------------------------------------ MultiStepLR

TEST(MultiStepLR, DropsAtEachMilestoneItself) {
  const MultiStepLROptions o{.milestones = {3, 8}, .gamma = 0.5};
  // t = 0…2: 1; t = 3 (a milestone): 0.5; t = 7: 0.5; t = 8: 0.25; after: 0.25
  expect_rates([&](std::int64_t t) { return kernels::multistep_lr(1.0, t, o); },
               {{0, 1.0}, {2, 1.0}, {3, 0.5}, {7, 0.5}, {8, 0.25}, {50, 0.25}}, "MultiStepLR milestones {3, 8}, gamma 0.5");
}

TEST(MultiStepLR, NoMilestonesIsAConstantRate) {
  const MultiStepLROptions o{.milestones = {}, .gamma = 0.1};
  for (std::int64_t t = 0; t < 20; ++t) EXPECT_EQ(kernels::multistep_lr(0.04, t, o), 0.04) << "t = " << t;
}

TEST(MultiStepLR, MatchesTheFormulaForManyMilestones) {
  const MultiStepLROptions o{.milestones = {1, 2, 5, 13, 14}, .gamma = 0.3};
  for (std::int64_t t = 0; t < 20; ++t) {
    int passed = 0;
    for (const std::int64_t m : o.milestones) passed += m <= t ? 1 : 0;
    const Scalar expected = 2.0 * std::pow(0.3, passed);
    EXPECT_NEAR(kernels::multistep_lr(2.0, t, o), expected, 1e-14 * expected)
        << "t = " << t << ": η₀ γ^(number of milestones ≤ t) = 2 · 0.3^" << passed;
  }
}

// ------------------------------------------------------------------ ExponentialLR

TEST(ExponentialLR, MultipliesByGammaEveryStep) {
  const ExponentialLROptions o{.gamma = 0.5};
  expect_rates([&](std::int64_t t) { return kernels::exponential_lr(0.8, t, o); },
               {{0, 0.8}, {1, 0.4}, {2, 0.2}, {5, 0.025}}, "ExponentialLR gamma 0.5");
  for (std::int64_t t = 0; t < 60; ++t) {
    const Scalar expected = 0.8 * std::pow(0.97, static_cast<Scalar>(t));
    EXPECT_NEAR(kernels::exponential_lr(0.8, t, ExponentialLROptions{.gamma = 0.97}), expected, 1e-14 * expected)
        << "t = " << t << ": η₀ γ^t";
  }
}

// ------------------------------------------------------------------ PolynomialLR

TEST(PolynomialLR, LinearDecayToZeroAtTotalIters) {
  const PolynomialLROptions o{.total_iters = 4, .power = 1.0};
  // η₀ (1 − t/4): 1, 0.75, 0.5, 0.25, then 0 at t = 4 and after
  expect_rates([&](std::int64_t t) { return kernels::polynomial_lr(1.0, t, o); },
               {{0, 1.0}, {1, 0.75}, {2, 0.5}, {3, 0.25}, {4, 0.0}, {5, 0.0}, {40, 0.0}},
               "PolynomialLR total_iters 4, power 1");
}

TEST(PolynomialLR, PowerBendsTheCurve) {
  const PolynomialLROptions o{.total_iters = 10, .power = 2.0};
  // 0.5 (1 − 3/10)² = 0.245; 0.5 (1 − 9/10)² = 0.005
  expect_rates([&](std::int64_t t) { return kernels::polynomial_lr(0.5, t, o); },
               {{0, 0.5}, {3, 0.245}, {9, 0.005}, {10, 0.0}, {11, 0.0}}, "PolynomialLR total_iters 10, power 2");
  for (const Scalar power : {0.5, 1.0, 3.0}) {
    for (std::int64_t t = 0; t < 15; ++t) {
      const Scalar left = 1.0 - static_cast<Scalar>(std::min<std::int64_t>(t, 12)) / 12.0;
      const Scalar expected = 0.2 * std::pow(left, power);
      EXPECT_NEAR(kernels::polynomial_lr(0.2, t, PolynomialLROptions{.total_iters = 12, .power = power}), expected,
                  1e-15)
          << "power " << power << ", t = " << t << ": η₀ (1 − min(t, T)/T)^power";
    }
  }
}
