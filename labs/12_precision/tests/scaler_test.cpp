// Lab 12 tests: dynamic loss scaling (kernels::unscale_grads, kernels::update_loss_scale,
// GradScaler::step), against PyTorch 1.13's GradScaler: initial scale 2^16, growth ×2
// after growth_interval clean steps in a row, backoff ×0.5 and the step skipped on an
// inf/NaN gradient, the count of clean steps restarted by an overflow.
#include "gradlab/kernels/precision.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"
#include "gradlab/precision.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

const Scalar kInf = std::numeric_limits<Scalar>::infinity();
const Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();

bool unscale(std::vector<Matrix>& grads, Scalar inv_scale) {
  std::vector<MatrixRef> refs(grads.begin(), grads.end());
  return k::unscale_grads(refs, inv_scale);
}

// PyTorch's update rule, written out independently: the expected (scale, tracker) after
// each flag of a script.
struct Expected {
  Scalar scale;
  std::int64_t tracker;
};
std::vector<Expected> pytorch_script(const std::vector<bool>& overflow, const GradScalerOptions& o) {
  std::vector<Expected> out;
  Scalar scale = o.init_scale;
  std::int64_t tracker = 0;
  for (bool inf : overflow) {
    if (inf) {
      scale *= o.backoff_factor;
      tracker = 0;
    } else if (++tracker == o.growth_interval) {
      scale *= o.growth_factor;
      tracker = 0;
    }
    out.push_back({scale, tracker});
  }
  return out;
}

// Runs the kernel over a script; reports the first step that differs.
void check_script(const std::vector<bool>& overflow, const GradScalerOptions& o) {
  LossScaleState state{o.init_scale, 0};
  const auto expected = pytorch_script(overflow, o);
  for (std::size_t i = 0; i < overflow.size(); ++i) {
    k::update_loss_scale(state, overflow[i], o);
    if (state.scale != expected[i].scale || state.growth_tracker != expected[i].tracker) {
      ADD_FAILURE() << "after step " << i + 1 << " (" << (overflow[i] ? "overflow" : "clean")
                    << "): scale " << state.scale << ", tracker " << state.growth_tracker << "; expected scale "
                    << expected[i].scale << ", tracker " << expected[i].tracker
                    << (overflow[i] ? " (an overflow halves the scale AND restarts the count of clean steps)"
                                    : " (growth after growth_interval clean steps in a row, then the count restarts)");
      return;
    }
  }
}

}  // namespace

// ------------------------------------------------------------------ unscaling

TEST(LossScale, UnscaleDividesEveryGradientByTheScale) {
  std::vector<Matrix> grads = {mat({{1024.0, -512.0}, {3.0, 0.0}}), row({2048.0})};
  const bool found_inf = unscale(grads, 1.0 / 1024.0);
  EXPECT_FALSE(found_inf) << "finite gradients: no overflow";
  EXPECT_EQ(grads[0], mat({{1.0, -0.5}, {3.0 / 1024.0, 0.0}})) << "g ← g · (1/S), every element";
  EXPECT_EQ(grads[1](0, 0), 2.0) << "every gradient of the list";
}

TEST(LossScale, UnscaleFindsInfinityAndNaNAnywhere) {
  for (const Scalar bad : {kInf, -kInf, kNaN}) {
    std::vector<Matrix> grads = {mat({{1.0, 2.0}}), mat({{3.0, 4.0}, {5.0, 6.0}})};
    grads[1](1, 0) = bad;
    EXPECT_TRUE(unscale(grads, 0.5)) << "a " << bad << " in the LAST gradient must be found";
    EXPECT_EQ(grads[0](0, 1), 1.0) << "the others are unscaled all the same";
  }
  std::vector<Matrix> first = {mat({{kNaN}}), mat({{1.0}})};
  EXPECT_TRUE(unscale(first, 0.5)) << "a NaN in the first gradient";
}

// ------------------------------------------------------------------ the update's state machine

TEST(LossScale, BacksOffAndRestartsTheCountOnOverflow) {
  const GradScalerOptions o;  // 2^16, ×2 after 2000, ×0.5
  LossScaleState state{o.init_scale, 0};
  k::update_loss_scale(state, true, o);
  EXPECT_EQ(state.scale, 32768.0) << "an overflow halves the scale";
  EXPECT_EQ(state.growth_tracker, 0);
  for (int i = 0; i < 5; ++i) k::update_loss_scale(state, false, o);
  EXPECT_EQ(state.growth_tracker, 5) << "clean steps are counted";
  k::update_loss_scale(state, true, o);
  EXPECT_EQ(state.scale, 16384.0);
  EXPECT_EQ(state.growth_tracker, 0) << "an overflow restarts the count of clean steps";
}

TEST(LossScale, GrowsAfterExactlyGrowthIntervalCleanSteps) {
  const GradScalerOptions o;
  LossScaleState state{o.init_scale, 0};
  for (int i = 0; i < 1999; ++i) k::update_loss_scale(state, false, o);
  EXPECT_EQ(state.scale, 65536.0) << "1999 clean steps: no growth yet";
  EXPECT_EQ(state.growth_tracker, 1999);
  k::update_loss_scale(state, false, o);
  EXPECT_EQ(state.scale, 131072.0) << "the 2000th clean step doubles the scale";
  EXPECT_EQ(state.growth_tracker, 0) << "and restarts the count";
  for (int i = 0; i < 1999; ++i) k::update_loss_scale(state, false, o);
  EXPECT_EQ(state.scale, 131072.0) << "the next growth needs 2000 more";
}

TEST(LossScale, ScriptedOverflowSequences) {
  const GradScalerOptions small{.init_scale = 8.0, .growth_factor = 2.0, .backoff_factor = 0.5, .growth_interval = 3};
  check_script({false, false, false, false, false, false, true, false, false, false}, small);
  check_script({false, false, true, false, false, true, false, false, false, false, true}, small);
  check_script({true, true, true, false, false, false, false, false, false}, small);
  const GradScalerOptions odd{.init_scale = 100.0, .growth_factor = 3.0, .backoff_factor = 0.25, .growth_interval = 2};
  check_script({false, true, false, false, false, true, true, false, false}, odd);
  // 1999 clean, overflow, 1999 clean: never grows (a count not restarted would grow).
  std::vector<bool> long_script(1999, false);
  long_script.push_back(true);
  long_script.insert(long_script.end(), 1999, false);
  check_script(long_script, GradScalerOptions{});
}

TEST(LossScale, GrowsOnlyToAFiniteScale) {
  const GradScalerOptions o{.init_scale = 1e308, .growth_factor = 10.0, .backoff_factor = 0.5, .growth_interval = 1};
  LossScaleState grows{1e300, 0};
  k::update_loss_scale(grows, false, o);
  EXPECT_EQ(grows.scale, 1e301) << "growth_interval 1: every clean step multiplies the scale by growth_factor";
  LossScaleState state{1e308, 0};
  k::update_loss_scale(state, false, o);
  EXPECT_EQ(state.scale, 1e308) << "1e309 is not finite: the scale stays (PyTorch checks isfinite)";
  EXPECT_EQ(state.growth_tracker, 0);
}

// ------------------------------------------------------------------ GradScaler::step

namespace {

// L = Σ w ⊙ c: dL/dw = c exactly, so the scaled gradient is S·c.
struct Tiny {
  Tensor w{mat({{1.0, -2.0}, {0.5, 4.0}}), true};
  Tensor c{mat({{0.25, -1.0}, {3.0, 1e-3}})};
  Tensor loss() const { return sum(w * c); }
};

}  // namespace

TEST(GradScaler, StepsWithTheUnscaledGradient) {
  Tiny t;
  SGD opt({t.w}, 0.1);
  GradScaler scaler;
  scaler.scale(t.loss()).backward();
  EXPECT_EQ(t.w.grad()(0, 0), 65536.0 * 0.25) << "scale() multiplies the loss by S = 2^16";
  EXPECT_TRUE(scaler.step(opt)) << "finite gradients: the step is taken";
  const Matrix expected = mat({{1.0, -2.0}, {0.5, 4.0}}) - 0.1 * mat({{0.25, -1.0}, {3.0, 1e-3}});
  EXPECT_LT((t.w.value() - expected).cwiseAbs().maxCoeff(), 1e-15) << "w ← w − η g with g UNSCALED (÷ S)";
  scaler.update();
  EXPECT_EQ(scaler.get_scale(), 65536.0);
  EXPECT_EQ(scaler.growth_tracker(), 1);
}

TEST(GradScaler, SkipsTheStepOnOverflow) {
  Tiny t;
  SGD opt({t.w}, 0.1);
  GradScaler scaler;
  scaler.scale(t.loss()).backward();
  t.w.grad()(1, 0) = kInf;  // an overflow in the backward pass
  const Matrix before = t.w.value();
  EXPECT_FALSE(scaler.step(opt)) << "an inf gradient: the step must be skipped";
  EXPECT_EQ(t.w.value(), before) << "the weights must not move on an overflow";
  scaler.update();
  EXPECT_EQ(scaler.get_scale(), 32768.0) << "and the scale backs off";
  EXPECT_EQ(scaler.growth_tracker(), 0);
  // The next iteration is clean: it steps.
  opt.zero_grad();
  scaler.scale(t.loss()).backward();
  EXPECT_TRUE(scaler.step(opt));
  EXPECT_NE(t.w.value(), before);
}

TEST(GradScaler, UnscalesOnceWhenUnscaleWasCalledBeforeStep) {
  // unscale_ before clipping, then step: the gradients must not be divided twice.
  Tiny t;
  SGD opt({t.w}, 1.0);
  GradScaler scaler({.init_scale = 1024.0});
  scaler.scale(t.loss()).backward();
  scaler.unscale_(opt);
  EXPECT_EQ(t.w.grad()(0, 0), 0.25);
  EXPECT_TRUE(scaler.step(opt));
  EXPECT_EQ(t.w.value()(0, 0), 1.0 - 0.25) << "the step used the gradient unscaled once";
  scaler.update();
}

TEST(GradScaler, AScriptedRunMatchesPyTorch) {
  // growth_interval 2: overflow at iterations 1 and 4. Scales before each iteration:
  // 16, 8 (after backoff), 8, 16 (grown), 8, 8, 16.
  Tiny t;
  SGD opt({t.w}, 0.01);
  GradScaler scaler({.init_scale = 16.0, .growth_interval = 2});
  const std::vector<bool> overflow = {true, false, false, true, false, false};
  const std::vector<Scalar> scale_after = {8.0, 8.0, 16.0, 8.0, 8.0, 16.0};
  int steps = 0;
  for (std::size_t i = 0; i < overflow.size(); ++i) {
    opt.zero_grad();
    scaler.scale(t.loss()).backward();
    if (overflow[i]) t.w.grad()(0, 0) = kNaN;
    steps += scaler.step(opt) ? 1 : 0;
    scaler.update();
    EXPECT_EQ(scaler.get_scale(), scale_after[i]) << "after iteration " << i + 1;
  }
  EXPECT_EQ(steps, 4) << "4 clean iterations, 4 steps";
  EXPECT_EQ(opt.step_count(), 4) << "the optimizer saw only the clean iterations";
  EXPECT_THROW(GradScaler({.backoff_factor = 1.5}), Error) << "backoff_factor must be in (0, 1)";
}
