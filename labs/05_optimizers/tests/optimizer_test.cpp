// Lab 05 tests: the step loop (Optimizer::step) — parameter groups, frozen parameters,
// parameters without a gradient, per-parameter state and t. (The option checks and
// the rest of the framework's plumbing are tested in framework/tests/optimizer_test.cpp.)
#include "golden.h"

#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <functional>
#include <memory>

using namespace gradlab;
using namespace gradlab::testing;
using lab05::gradient_sequence;
using lab05::replay;

// ------------------------------------------------------------------ groups

TEST(OptimizerGroups, EachGroupUsesItsOwnLearningRate) {
  // The transfer-learning recipe: a small rate for the pretrained body, a larger one for the head.
  Tensor body(row({1.0, 1.0}), true), head(row({1.0}), true);
  SGD opt({{{body}, SGDOptions{.lr = 0.01}}, {{head}, SGDOptions{.lr = 0.5}}});
  body.grad() = row({1.0, 2.0});
  head.grad() = row({1.0});
  opt.step();
  EXPECT_TRUE(near(body.value(), row({0.99, 0.98}), 1e-15)) << "group 0 steps with its own η = 0.01";
  EXPECT_TRUE(near(head.value(), row({0.5}), 1e-15)) << "group 1 steps with its own η = 0.5";
  EXPECT_EQ(opt.num_groups(), 2u);
  EXPECT_EQ(opt.params().size(), 2u);
}

TEST(OptimizerGroups, EachGroupUsesItsOwnOptions) {
  // Same parameters and gradients; group 1 adds weight decay and AMSGrad.
  const Matrix theta0 = random_matrix(2, 3, 5);
  const auto grads = gradient_sequence(4, 2, 3, 105);
  const AdamOptions plain{.lr = 0.02};
  const AdamOptions decayed{.lr = 0.05, .beta2 = 0.9, .weight_decay = 0.1, .amsgrad = true};
  Tensor a(theta0, true), b(theta0, true);
  Adam both({{{a}, plain}, {{b}, decayed}});
  for (const Matrix& g : grads) {
    both.zero_grad();
    a.grad() = g;
    b.grad() = g;
    both.step();
  }
  Tensor a_alone(theta0, true), b_alone(theta0, true);
  Adam only_a({a_alone}, plain), only_b({b_alone}, decayed);
  EXPECT_FALSE(near(a.value(), theta0, 1e-3)) << "four Adam steps of lr 0.02 move every parameter";
  EXPECT_TRUE(near(a.value(), replay(only_a, a_alone, grads), 1e-15)) << "group 0 = an Adam with group 0's options";
  EXPECT_TRUE(near(b.value(), replay(only_b, b_alone, grads), 1e-15)) << "group 1 = an Adam with group 1's options";
}

// ------------------------------------------------------------------ skipping

TEST(OptimizerSkips, AFrozenParameterDoesNotMoveAndHasNoState) {
  // Frozen after a first update: its old gradient was zeroed, and weight decay (L2 or
  // AdamW's) must not move it either.
  std::vector<std::function<std::unique_ptr<Optimizer>(Tensor)>> makers = {
      [](Tensor p) { return std::make_unique<SGD>(std::vector{p}, SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.1}); },
      [](Tensor p) { return std::make_unique<Adagrad>(std::vector{p}, AdagradOptions{.weight_decay = 0.1}); },
      [](Tensor p) { return std::make_unique<RMSprop>(std::vector{p}, RMSpropOptions{.weight_decay = 0.1}); },
      [](Tensor p) { return std::make_unique<Adam>(std::vector{p}, AdamOptions{.weight_decay = 0.1}); },
      [](Tensor p) { return std::make_unique<AdamW>(std::vector{p}, AdamOptions{.weight_decay = 0.1}); },
  };
  for (std::size_t k = 0; k < makers.size(); ++k) {
    Tensor frozen(row({1.0, -2.0}), true);
    auto opt = makers[k](frozen);
    frozen.set_requires_grad(false);
    opt->zero_grad();  // it has a (zero) gradient, but it is frozen
    opt->step();
    opt->step();
    EXPECT_TRUE(near(frozen.value(), row({1.0, -2.0}), 0.0))
        << "optimizer " << k << " (SGD, Adagrad, RMSprop, Adam, AdamW): a parameter that does not require a "
        << "gradient must not move, not even by weight decay";
    EXPECT_EQ(opt->state(0).step, 0) << "optimizer " << k << ": a frozen parameter is never counted";
    EXPECT_TRUE(opt->state(0).buffers.empty()) << "optimizer " << k << ": a frozen parameter has no state";
    EXPECT_EQ(opt->step_count(), 2) << "step_count counts the calls to step()";
  }
}

TEST(OptimizerSkips, FreezingKeepsTheOtherParametersTraining) {
  Tensor body(row({1.0}), true), head(row({1.0}), true);
  AdamW opt({body, head}, AdamOptions{.lr = 0.1, .weight_decay = 0.5});
  body.set_requires_grad(false);
  opt.zero_grad();
  head.grad() = row({1.0});
  opt.step();
  EXPECT_EQ(body.value()(0, 0), 1.0) << "the frozen body stays";
  EXPECT_NEAR(head.value()(0, 0), 1.0 - 0.05 - 0.1, 1e-7) << "the head decays and steps: 1·(1 − ηλ) − η";
}

TEST(OptimizerSkips, AParameterWithoutAGradientYetIsSkippedAndStartsItsOwnCountLater) {
  Tensor early(row({0.0}), true), late(row({0.0}), true);
  Adam opt({early, late}, AdamOptions{.lr = 0.1});
  early.grad() = row({1.0});  // `late` has received no gradient at all yet
  opt.step();
  EXPECT_EQ(late.value()(0, 0), 0.0) << "no gradient yet: no step";
  EXPECT_TRUE(opt.state(1).buffers.empty()) << "no gradient yet: no state";
  EXPECT_EQ(opt.state(0).step, 1);
  early.grad() = row({1.0});
  late.grad() = row({1.0});
  opt.step();
  EXPECT_EQ(opt.state(0).step, 2);
  EXPECT_EQ(opt.state(1).step, 1) << "each parameter counts its own t (PyTorch's convention)";
  EXPECT_NEAR(late.value()(0, 0), -0.1, 1e-7) << "its first update, at t = 1, moves it by η";
}

// ------------------------------------------------------------------ state

TEST(OptimizerState, LoadStateResumesBitExactly) {
  const auto grads = gradient_sequence(6, 2, 2, 300);
  const AdamOptions o{.lr = 0.05, .weight_decay = 0.1, .amsgrad = true};
  Tensor straight(random_matrix(2, 2, 31), true);
  AdamW through({straight}, o);
  replay(through, straight, grads);

  Tensor first(random_matrix(2, 2, 31), true);
  AdamW before({first}, o);
  replay(before, first, std::vector<Matrix>(grads.begin(), grads.begin() + 3));
  Tensor resumed(first.value(), true);
  AdamW after({resumed}, o);
  after.load_state({before.state(0)}, before.step_count());
  replay(after, resumed, std::vector<Matrix>(grads.begin() + 3, grads.end()));
  EXPECT_TRUE(near(resumed.value(), straight.value(), 0.0)) << "3 + 3 steps with the state carried over = 6 steps";
  EXPECT_EQ(after.step_count(), 6);
  EXPECT_EQ(after.state(0).step, 6);
}
