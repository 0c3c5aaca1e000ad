// Lab 06 tests: warmup — linear warmup, warmup followed by cosine, and the linear
// scaling rule that large batches use with them (kernels::linear_warmup_lr,
// warmup_cosine_lr, linear_scaling_lr). The boundaries that matter: step 0, the last
// warmup step W − 1, the first step after it W, the cosine's end T and the step after.
#include "schedule_checks.h"

#include "gradlab/kernels/schedules.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace gradlab;
using lab06::expect_rates;

namespace {
Scalar half_cosine(Scalar p) { return 0.5 * (1.0 + std::cos(std::numbers::pi * p)); }
}  // namespace

// ------------------------------------------------------------------ linear warmup

TEST(LinearWarmup, GrowsLinearlyFromZeroAndReachesTheBaseRateAtW) {
  const LinearWarmupOptions o{.warmup_steps = 5, .start_factor = 0.0};
  // η₀ t/5 with η₀ = 1: 0, 0.2, 0.4, 0.6, 0.8 (t = 4, the last warmup step), then 1 from t = 5
  expect_rates([&](std::int64_t t) { return kernels::linear_warmup_lr(1.0, t, o); },
               {{0, 0.0}, {1, 0.2}, {2, 0.4}, {4, 0.8}, {5, 1.0}, {6, 1.0}, {1000, 1.0}},
               "LinearWarmup W 5, start_factor 0");
}

TEST(LinearWarmup, StartFactorSetsTheFirstRate) {
  const LinearWarmupOptions o{.warmup_steps = 4, .start_factor = 0.2};
  // 0.5 (0.2 + 0.8 t/4): 0.1, 0.2, 0.3, 0.4 (t = 3), then 0.5
  expect_rates([&](std::int64_t t) { return kernels::linear_warmup_lr(0.5, t, o); },
               {{0, 0.1}, {1, 0.2}, {3, 0.4}, {4, 0.5}, {9, 0.5}}, "LinearWarmup W 4, start_factor 0.2");
}

TEST(LinearWarmup, TheLastWarmupStepIsStillBelowTheBaseRate) {
  for (const std::int64_t w : {1, 2, 10, 64}) {
    const LinearWarmupOptions o{.warmup_steps = w, .start_factor = 0.0};
    const Scalar last = kernels::linear_warmup_lr(0.4, w - 1, o);
    EXPECT_NEAR(last, 0.4 * static_cast<Scalar>(w - 1) / static_cast<Scalar>(w), 1e-15)
        << "W = " << w << ": at t = W − 1 (the last warmup step) the rate is η₀ (W − 1)/W";
    EXPECT_EQ(kernels::linear_warmup_lr(0.4, w, o), 0.4) << "W = " << w << ": at t = W the rate is η₀";
  }
}

// ------------------------------------------------------------------ warmup + cosine

TEST(WarmupCosine, WarmsUpThenFollowsTheCosineToEtaMinAtT) {
  // W = 4, T = 14, η₀ = 1, η_min = 0.1: warmup 0, 0.25, 0.5, 0.75 (t = 3); cosine over t − 4 ∈ [0, 10].
  const WarmupCosineOptions o{.warmup_steps = 4, .total_steps = 14, .start_factor = 0.0, .eta_min = 0.1};
  const auto cosine = [](Scalar p) { return 0.1 + 0.9 * half_cosine(p); };
  expect_rates([&](std::int64_t t) { return kernels::warmup_cosine_lr(1.0, t, o); },
               {{0, 0.0},
                {1, 0.25},
                {3, 0.75},           // the last warmup step
                {4, 1.0},            // the first after it: the top of the cosine
                {5, cosine(0.1)},
                {9, 0.55},           // halfway: the mean of η₀ and η_min
                {13, cosine(0.9)},   // the step before the end
                {14, 0.1},           // the end: η_min
                {15, 0.1},           // and after it: held at η_min
                {100, 0.1}},
               "WarmupCosine W 4, T 14, eta_min 0.1");
}

TEST(WarmupCosine, TheCosineRunsOverTMinusWSteps) {
  // Cosine over T instead of T − W (or starting it at t = 0) puts η_min in the wrong place.
  for (const std::int64_t w : {1, 5, 20}) {
    const WarmupCosineOptions o{.warmup_steps = w, .total_steps = w + 30, .start_factor = 0.0, .eta_min = 0.0};
    for (std::int64_t k = 0; k <= 30; ++k) {
      EXPECT_NEAR(kernels::warmup_cosine_lr(2.0, w + k, o), 2.0 * half_cosine(static_cast<Scalar>(k) / 30.0), 1e-14)
          << "W = " << w << ", t = W + " << k << ": η₀ ½(1 + cos(π (t − W)/(T − W)))";
    }
    EXPECT_GT(kernels::warmup_cosine_lr(2.0, w + 29, o), 1e-6) << "W = " << w << ": above η_min one step before T";
  }
}

TEST(WarmupCosine, NoWarmupIsCosineAnnealing) {
  const WarmupCosineOptions o{.warmup_steps = 0, .total_steps = 25, .eta_min = 0.05};
  for (std::int64_t t = 0; t <= 25; ++t) {
    EXPECT_NEAR(kernels::warmup_cosine_lr(0.5, t, o), 0.05 + 0.45 * half_cosine(static_cast<Scalar>(t) / 25.0), 1e-14)
        << "t = " << t;
  }
}

TEST(WarmupCosine, StartFactorAppliesToTheWarmup) {
  const WarmupCosineOptions o{.warmup_steps = 10, .total_steps = 20, .start_factor = 0.5, .eta_min = 0.0};
  // 0.4 (0.5 + 0.5 t/10): 0.2 at t = 0, 0.38 at t = 9, then 0.4 at t = 10
  expect_rates([&](std::int64_t t) { return kernels::warmup_cosine_lr(0.4, t, o); }, {{0, 0.2}, {9, 0.38}, {10, 0.4}},
               "WarmupCosine W 10, start_factor 0.5");
}

// ------------------------------------------------------------------ the linear scaling rule

TEST(LinearScaling, TheRateGrowsWithTheBatch) {
  // 32 → 256 is 8 times the batch: 0.001 → 0.008.
  EXPECT_NEAR(kernels::linear_scaling_lr(0.001, 32, 256), 0.008, 1e-18) << "η · 256/32";
  EXPECT_NEAR(kernels::linear_scaling_lr(0.1, 256, 64), 0.025, 1e-17) << "a smaller batch: η · 64/256";
  EXPECT_EQ(kernels::linear_scaling_lr(0.3, 100, 100), 0.3) << "the same batch keeps the rate";
  for (const std::int64_t b : {1, 3, 17, 1024}) {
    EXPECT_NEAR(kernels::linear_scaling_lr(0.05, 10, b), 0.05 * static_cast<Scalar>(b) / 10.0, 1e-15) << "batch " << b;
  }
}
