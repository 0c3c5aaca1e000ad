// Lab 09 tests: GradientMonitor's records in a real training loop (the statistics
// kernels called at every step), against values computed here from the gradients and
// the SGD step.
#include "gradlab/activations.h"
#include "gradlab/deep.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <memory>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// A 3 → 4 → 2 network: Linear, ReLU, Linear; MSE to fixed targets; SGD.
struct Loop {
  Loop() : fc1(3, 4, rng), fc2(4, 2, rng), opt(params(), SGDOptions{.lr = 0.1}) {
    monitor.watch("fc1", fc1.weight(), UnitKind::ReLU);
    monitor.watch("fc2", fc2.weight());
  }
  std::vector<Tensor> params() { return {fc1.weight(), fc1.bias(), fc2.weight(), fc2.bias()}; }

  // One step; returns (gradients of the two weights, their values before the step, the
  // hidden activation) so that the test can compute the expected record.
  struct Seen {
    Matrix g1, g2, w1, w2, h;
    Scalar loss;
  };
  Seen step() {
    Tensor h = relu(fc1.forward(Tensor(x)));
    monitor.observe(0, h.value());
    Tensor loss = mse_loss(fc2.forward(h), Tensor(target));
    opt.zero_grad();
    loss.backward();
    Seen s{fc1.weight().grad(), fc2.weight().grad(), fc1.weight().value(), fc2.weight().value(), h.value(),
           loss.item()};
    monitor.before_update();
    opt.step();
    monitor.after_update(loss.item(), opt.lr());
    return s;
  }

  Rng rng{3};
  Linear fc1, fc2;
  SGD opt;
  GradientMonitor monitor;
  Matrix x = random_matrix(5, 3, 4, -2.0, 2.0);
  Matrix target = random_matrix(5, 2, 5);
};

}  // namespace

TEST(GradientMonitor, RecordsLossRateAndGradientNormsEveryStep) {
  Loop loop;
  std::vector<Loop::Seen> seen;
  for (int t = 0; t < 3; ++t) {
    if (t == 2) loop.opt.set_lr(0.05);
    seen.push_back(loop.step());
  }
  const auto& records = loop.monitor.records();
  ASSERT_EQ(records.size(), 3u) << "one record per after_update()";
  for (std::size_t t = 0; t < 3; ++t) {
    const StepRecord& r = records[t];
    EXPECT_EQ(r.step, static_cast<std::int64_t>(t));
    EXPECT_NEAR(r.loss, seen[t].loss, 1e-12);
    EXPECT_NEAR(r.lr, t == 2 ? 0.05 : 0.1, 1e-15);
    ASSERT_EQ(r.layers.size(), 2u);
    EXPECT_EQ(r.layers[0].name, "fc1");
    EXPECT_NEAR(r.layers[0].grad_norm, std::sqrt(seen[t].g1.squaredNorm()), 1e-12) << "‖∂L/∂W₁‖ at step " << t;
    EXPECT_NEAR(r.layers[1].grad_norm, std::sqrt(seen[t].g2.squaredNorm()), 1e-12) << "‖∂L/∂W₂‖ at step " << t;
  }
}

TEST(GradientMonitor, UpdateRatioOfSgdIsLrTimesGradOverWeights) {
  // Plain SGD moves W by −η g: r = η ‖g‖ / ‖W_before‖.
  Loop loop;
  for (int t = 0; t < 3; ++t) {
    const Loop::Seen s = loop.step();
    const StepRecord& r = loop.monitor.records().back();
    EXPECT_NEAR(r.layers[0].update_ratio, 0.1 * s.g1.norm() / s.w1.norm(), 1e-10)
        << "r = ‖ΔW‖ / ‖W before the step‖ at step " << t;
    EXPECT_NEAR(r.layers[1].update_ratio, 0.1 * s.g2.norm() / s.w2.norm(), 1e-10);
  }
}

TEST(GradientMonitor, DeadFractionOfTheObservedBatch) {
  Loop loop;
  // Hidden unit 1 is dead (zero weights, negative bias); unit 3 is zero on the first
  // example (x₀ = −1) but fires on the second (x₀ = 1.5): alive.
  loop.x(0, 0) = -1.0;
  loop.x(1, 0) = 1.5;
  loop.fc1.weight().value().col(1).setZero();
  loop.fc1.bias().value()(0, 1) = -1.0;
  loop.fc1.weight().value().col(3) << 1.0, 0.0, 0.0;
  loop.fc1.bias().value()(0, 3) = -0.5;
  const Loop::Seen s = loop.step();
  Index dead = 0;
  for (Index j = 0; j < 4; ++j) dead += (s.h.col(j).array() > 0.0).any() ? 0 : 1;
  ASSERT_GE(dead, 1);
  ASSERT_EQ(s.h(0, 3), 0.0);
  ASSERT_GT(s.h(1, 3), 0.0);
  const StepRecord& r = loop.monitor.records().back();
  EXPECT_NEAR(r.layers[0].dead_fraction, static_cast<Scalar>(dead) / 4.0, 1e-12)
      << "dead units of the observed batch: " << str(s.h);
  EXPECT_TRUE(std::isnan(r.layers[1].dead_fraction)) << "a Linear layer has no dead-unit statistic";
}

TEST(GradientMonitor, SaturatedFractionOfSigmoidAndTanhLayers) {
  GradientMonitor monitor(0.05);
  Tensor w1(random_matrix(2, 2, 1), true), w2(random_matrix(2, 2, 2), true);
  monitor.watch("s", w1, UnitKind::Sigmoid);
  monitor.watch("t", w2, UnitKind::Tanh);
  monitor.observe(0, mat({{0.96, 0.5}, {0.01, 0.94}}));   // 2 of 4 saturated
  monitor.observe(1, mat({{-0.97, 0.5}, {0.99, 0.94}}));  // 2 of 4
  monitor.before_update();
  w1.value()(0, 0) += 0.01;
  monitor.after_update(1.0, 0.1);
  const StepRecord& r = monitor.records().back();
  EXPECT_NEAR(r.layers[0].saturated_fraction, 0.5, 1e-12) << "sigmoid: within 0.05 of 0 or 1";
  EXPECT_NEAR(r.layers[1].saturated_fraction, 0.5, 1e-12) << "tanh: within 0.05 of −1 or 1";
  EXPECT_NEAR(r.layers[0].update_ratio, 0.01 / random_matrix(2, 2, 1).norm(), 1e-12);
  EXPECT_NEAR(r.layers[1].update_ratio, 0.0, 0.0);
}

TEST(GradientMonitor, MisuseIsReported) {
  GradientMonitor monitor;
  Tensor w(random_matrix(2, 2, 1), true);
  monitor.watch("w", w, UnitKind::ReLU);
  monitor.observe(0, mat({{0, 1}, {0, 2}}));  // a valid use first
  monitor.before_update();
  monitor.after_update(1.0, 0.1);
  ASSERT_NEAR(monitor.records().back().layers[0].dead_fraction, 0.5, 1e-12);
  EXPECT_TRUE(throws_error_mentioning([&] { monitor.after_update(1.0, 0.1); }, {"before_update"}));
  EXPECT_TRUE(throws_error_mentioning([&] { monitor.observe(3, Matrix::Ones(1, 1)); }, {"layer 3"}));
  EXPECT_TRUE(throws_error_mentioning([] { GradientMonitor bad(0.7); }, {"0.7", "(0, 0.5)"}));
}
