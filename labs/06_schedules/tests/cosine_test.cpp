// Lab 06 tests: the cosine family — CosineAnnealingLR, CosineAnnealingWarmRestarts
// (SGDR) and OneCycleLR (kernels::cosine_annealing_lr, cosine_warm_restarts_lr,
// one_cycle_lr): the ends of every cosine, the step after an end, every restart.
#include "schedule_checks.h"

#include "gradlab/kernels/schedules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using namespace gradlab;
using lab06::expect_rates;

namespace {

constexpr Scalar kPi = std::numbers::pi;

// ½(1 + cos(π p)): 1 at p = 0, ½ at p = ½, 0 at p = 1.
Scalar half_cosine(Scalar p) { return 0.5 * (1.0 + std::cos(kPi * p)); }

// SGDR written differently from the usual loop: list where every period starts
// (0, T₀, T₀ + T₀T_mult, …), take the last start ≤ t.
Scalar warm_restarts_by_hand(Scalar base_lr, std::int64_t t, std::int64_t t_0, std::int64_t t_mult, Scalar eta_min) {
  std::int64_t start = 0, length = t_0;
  while (start + length <= t) {
    start += length;
    length *= t_mult;
  }
  return eta_min + (base_lr - eta_min) * half_cosine(static_cast<Scalar>(t - start) / static_cast<Scalar>(length));
}

}  // namespace

// ------------------------------------------------------------------ CosineAnnealingLR

TEST(CosineAnnealing, StartsAtTheBaseRateAndReachesEtaMinExactlyAtTMax) {
  const CosineAnnealingOptions o{.t_max = 10, .eta_min = 0.01};
  // η_min + ½(η₀ − η_min)(1 + cos(πt/10)), η₀ = 0.11: t = 5 is the mean 0.06
  expect_rates([&](std::int64_t t) { return kernels::cosine_annealing_lr(0.11, t, o); },
               {{0, 0.11},
                {5, 0.06},
                {9, 0.01 + 0.1 * half_cosine(0.9)},
                {10, 0.01}},
               "CosineAnnealing t_max 10, eta_min 0.01");
}

TEST(CosineAnnealing, TheStepBeforeTheEndIsStillAboveEtaMin) {
  // Reaching η_min one step early (dividing by T_max − 1) or late (by T_max + 1) fails here.
  for (const std::int64_t t_max : {4, 10, 37}) {
    const CosineAnnealingOptions o{.t_max = t_max, .eta_min = 0.001};
    const Scalar before = kernels::cosine_annealing_lr(0.1, t_max - 1, o);
    const Scalar end = kernels::cosine_annealing_lr(0.1, t_max, o);
    EXPECT_GT(before, 0.001 + 1e-6) << "t_max " << t_max << ": at t = t_max − 1 the rate must still be above η_min";
    EXPECT_NEAR(end, 0.001, 1e-15) << "t_max " << t_max << ": at t = t_max the rate must be exactly η_min";
  }
}

TEST(CosineAnnealing, PastTMaxTheCosineGoesOnAsInPyTorch) {
  // PyTorch's closed form is periodic: the step after the end mirrors the step before.
  const CosineAnnealingOptions o{.t_max = 8, .eta_min = 0.0};
  for (std::int64_t k = 1; k <= 8; ++k) {
    EXPECT_NEAR(kernels::cosine_annealing_lr(1.0, 8 + k, o), kernels::cosine_annealing_lr(1.0, 8 - k, o), 1e-15)
        << "η(T_max + " << k << ") = η(T_max − " << k << ")";
  }
  EXPECT_NEAR(kernels::cosine_annealing_lr(1.0, 16, o), 1.0, 1e-15) << "back at η₀ after 2 T_max";
}

TEST(CosineAnnealing, MatchesTheFormulaForManyOptions) {
  for (const std::int64_t t_max : {1, 3, 50}) {
    for (const Scalar eta_min : {0.0, 0.02}) {
      const CosineAnnealingOptions o{.t_max = t_max, .eta_min = eta_min};
      for (std::int64_t t = 0; t <= 2 * t_max; ++t) {
        const Scalar expected =
            eta_min + (0.3 - eta_min) * half_cosine(static_cast<Scalar>(t) / static_cast<Scalar>(t_max));
        EXPECT_NEAR(kernels::cosine_annealing_lr(0.3, t, o), expected, 1e-14)
            << "t_max " << t_max << ", eta_min " << eta_min << ", t = " << t;
      }
    }
  }
}

// ------------------------------------------------------------------ warm restarts

TEST(WarmRestarts, RestartsEveryT0WhenTMultIsOne) {
  const WarmRestartsOptions o{.t_0 = 4, .t_mult = 1, .eta_min = 0.0};
  // periods [0, 4), [4, 8), …: η₀ at 0, 4, 8; t = 2 and 6 halfway; t = 3 and 7 the last of a period
  expect_rates([&](std::int64_t t) { return kernels::cosine_warm_restarts_lr(1.0, t, o); },
               {{0, 1.0}, {2, 0.5}, {3, half_cosine(0.75)}, {4, 1.0}, {6, 0.5}, {7, half_cosine(0.75)}, {8, 1.0}},
               "WarmRestarts t_0 4, t_mult 1");
}

TEST(WarmRestarts, EachPeriodIsTMultTimesTheLastOne) {
  // T₀ = 5, T_mult = 2: periods [0, 5), [5, 15), [15, 35), [35, 75); restarts at 5, 15, 35.
  const WarmRestartsOptions o{.t_0 = 5, .t_mult = 2, .eta_min = 0.1};
  const auto eta = [](Scalar p) { return 0.1 + 0.9 * half_cosine(p); };
  expect_rates([&](std::int64_t t) { return kernels::cosine_warm_restarts_lr(1.0, t, o); },
               {{0, 1.0},
                {4, eta(4.0 / 5.0)},     // the last step of the first period (length T₀ = 5)
                {5, 1.0},                // restart
                {10, eta(5.0 / 10.0)},   // halfway through the second period (length 10)
                {14, eta(9.0 / 10.0)},   // its last step
                {15, 1.0},               // restart
                {25, eta(10.0 / 20.0)},  // halfway through the third (length 20)
                {34, eta(19.0 / 20.0)},
                {35, 1.0},
                {55, eta(20.0 / 40.0)}},
               "WarmRestarts t_0 5, t_mult 2, eta_min 0.1");
}

TEST(WarmRestarts, MatchesTheListOfRestartsForManyOptions) {
  for (const std::int64_t t_0 : {1, 3, 7}) {
    for (const std::int64_t t_mult : {1, 2, 3}) {
      const WarmRestartsOptions o{.t_0 = t_0, .t_mult = t_mult, .eta_min = 0.01};
      for (std::int64_t t = 0; t < 120; ++t) {
        EXPECT_NEAR(kernels::cosine_warm_restarts_lr(0.5, t, o), warm_restarts_by_hand(0.5, t, t_0, t_mult, 0.01),
                    1e-14)
            << "t_0 " << t_0 << ", t_mult " << t_mult << ", t = " << t;
      }
    }
  }
}

// ------------------------------------------------------------------ one-cycle

TEST(OneCycle, RisesFromMaxOverDivToMaxThenAnnealsToTheFinalRate) {
  // max_lr 1, T = 100, pct_start 0.3: the first phase ends at e₁ = 29, the second at 99.
  // η_init = 1/25 = 0.04, η_final = 0.04/1e4 = 4e-6.
  const OneCycleOptions o{.total_steps = 100, .pct_start = 0.3, .div_factor = 25, .final_div_factor = 1e4};
  expect_rates([&](std::int64_t t) { return kernels::one_cycle_lr(1.0, t, o); },
               {{0, 0.04},
                {29, 1.0},                                                  // the peak at e₁
                {30, 4e-6 + (1.0 - 4e-6) * half_cosine(1.0 / 70.0)},         // p = (30 − 29)/(99 − 29)
                {64, 4e-6 + (1.0 - 4e-6) * half_cosine(35.0 / 70.0)},        // halfway down
                {99, 4e-6}},                                                // the end of the cycle
               "OneCycle T 100, pct_start 0.3");
  // Inside the first phase: η_init + (1 − η_init)·(1 − cos(π t/29))/2 rising.
  EXPECT_NEAR(kernels::one_cycle_lr(1.0, 10, o), 1.0 + (0.04 - 1.0) * half_cosine(10.0 / 29.0), 1e-14);
}

TEST(OneCycle, PhaseEndsNeedNotBeWholeSteps) {
  // T = 10, pct_start 0.25: e₁ = 1.5, e₂ = 9. max_lr 2, div 4 → η_init 0.5, final div 10 → 0.05.
  const OneCycleOptions o{.total_steps = 10, .pct_start = 0.25, .div_factor = 4, .final_div_factor = 10};
  expect_rates([&](std::int64_t t) { return kernels::one_cycle_lr(2.0, t, o); },
               {{0, 0.5},
                {1, 2.0 + (0.5 - 2.0) * half_cosine(1.0 / 1.5)},           // still rising: 1.625
                {2, 0.05 + (2.0 - 0.05) * half_cosine(0.5 / 7.5)},         // falling, from e₁ = 1.5
                {9, 0.05}},
               "OneCycle T 10, pct_start 0.25");
  EXPECT_NEAR(kernels::one_cycle_lr(2.0, 1, o), 1.625, 1e-14) << "½(1 + cos(2π/3)) = ¼ of the way back from max_lr";
}

TEST(OneCycle, ThreePhasesGoBackToTheInitialRateBeforeAnnealing) {
  // T = 20, pct_start 0.25: e₁ = 4, e₂ = 8, e₃ = 19. max_lr 1, div 10 → 0.1, final div 100 → 0.001.
  const OneCycleOptions o{
      .total_steps = 20, .pct_start = 0.25, .div_factor = 10, .final_div_factor = 100, .three_phase = true};
  expect_rates([&](std::int64_t t) { return kernels::one_cycle_lr(1.0, t, o); },
               {{0, 0.1},
                {2, 0.55},                                          // halfway up
                {4, 1.0},                                           // peak
                {6, 0.55},                                          // halfway back down
                {8, 0.1},                                           // back at η_init
                {9, 0.001 + 0.099 * half_cosine(1.0 / 11.0)},       // the third phase: 8 → 19
                {19, 0.001}},
               "OneCycle three_phase, T 20, pct_start 0.25");
}

TEST(OneCycle, ScalesWithMaxLr) {
  const OneCycleOptions o{.total_steps = 40, .pct_start = 0.4};
  EXPECT_NEAR(kernels::one_cycle_lr(3.0, 0, o), 3.0 / 25.0, 1e-15) << "t = 0: max_lr / div_factor (25 by default)";
  EXPECT_NEAR(kernels::one_cycle_lr(3.0, 15, o), 3.0, 1e-14) << "t = pct_start·T − 1 = 15: the peak";
  for (std::int64_t t = 0; t < 40; ++t) {
    EXPECT_NEAR(kernels::one_cycle_lr(3.0, t, o), 3.0 * kernels::one_cycle_lr(1.0, t, o), 1e-14) << "t = " << t;
  }
}
