// Lab 01 experiment: train two small two-layer networks with nothing but the
// elementary operations whose backward rules you wrote.
//
//   1. sin(x) on [-π, π] from 64 samples: 1 → 10 sigmoid units → 1, mean squared error.
//   2. XOR from its 4 points: 2 → 4 sigmoid units → 1 sigmoid output, mean squared error.
//
// There are no Modules and no Optimizer here: the sigmoid is written as 1 / (1 + e^(−z)),
// the loss as mean((ŷ − y)²), and gradient descent as `w.value() -= lr * w.grad()`.
// Everything is seeded, so the reference and a correct solution draw the same curves.
//
// Writes (see lab.toml): series loss, xor_loss, prediction, target; scalars final_loss,
// xor_final_loss, xor_00, xor_01, xor_10, xor_11.
#include "gradlab/experiment/recorder.h"
#include "gradlab/ops.h"  // only the elementary operations of lab 01

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

using namespace gradlab;

namespace {

// σ(z) = 1 / (1 + e^(−z)), element-wise, from elementary operations only.
Tensor sigmoid(const Tensor& z) {
  const Tensor one = Tensor::ones(1, 1);  // a [1, 1] constant, broadcast by div
  return one / (exp(-z) + 1.0);
}

// Mean squared error: mean((prediction − target)²).
Tensor mse(const Tensor& prediction, const Tensor& target) {
  const Tensor diff = prediction - target;
  return mean(diff * diff);
}

// A two-layer network x → σ(x W1 + b1) W2 + b2 (with an optional output sigmoid).
struct TwoLayer {
  Tensor W1, b1, W2, b2;

  TwoLayer(Index in, Index hidden, Rng& rng, Scalar init_scale)
      : W1(Tensor::normal(in, hidden, 0.0, init_scale, rng, true)),
        b1(Tensor::normal(1, hidden, 0.0, init_scale, rng, true)),
        W2(Tensor::normal(hidden, 1, 0.0, 1.0 / std::sqrt(static_cast<Scalar>(hidden)), rng, true)),
        b2(Tensor::zeros(1, 1, true)) {}

  Tensor operator()(const Tensor& x) const {
    const Tensor h = sigmoid(matmul(x, W1) + b1);  // [N, hidden]
    return matmul(h, W2) + b2;                     // [N, 1]
  }

  // Plain gradient descent: w ← w − lr ∂L/∂w, then clear the gradients for the next step.
  void descend(Scalar lr) {
    for (Tensor* w : {&W1, &b1, &W2, &b2}) {
      w->value() -= lr * w->grad();
      w->zero_grad();
    }
  }
};

void fit_sine(experiment::Recorder& rec) {
  constexpr Index kSamples = 64;
  constexpr int kSteps = 5000;
  constexpr Scalar kLearningRate = 0.5;
  const Scalar pi = std::numbers::pi;

  Matrix xs(kSamples, 1), ys(kSamples, 1);
  for (Index i = 0; i < kSamples; ++i) {
    xs(i, 0) = -pi + 2.0 * pi * static_cast<Scalar>(i) / static_cast<Scalar>(kSamples - 1);
    ys(i, 0) = std::sin(xs(i, 0));
  }
  const Tensor x(xs), y(ys);

  Rng rng(2024);
  TwoLayer net(1, 10, rng, 1.0);
  Scalar loss_value = 0.0;
  for (int step = 0; step <= kSteps; ++step) {
    Tensor loss = mse(net(x), y);
    loss_value = loss.item();
    if (step % 10 == 0) rec.add("loss", step, loss_value);
    if (step == kSteps) break;
    loss.backward();
    net.descend(kLearningRate);
  }
  rec.scalar("final_loss", loss_value);

  // The fitted function on a fine grid, and the target for reference.
  NoGradGuard no_grad;
  constexpr Index kGrid = 201;
  Matrix grid(kGrid, 1);
  for (Index i = 0; i < kGrid; ++i) {
    grid(i, 0) = -pi + 2.0 * pi * static_cast<Scalar>(i) / static_cast<Scalar>(kGrid - 1);
  }
  const Tensor prediction = net(Tensor(grid));
  for (Index i = 0; i < kGrid; ++i) {
    rec.add("prediction", grid(i, 0), prediction.value()(i, 0));
    rec.add("target", grid(i, 0), std::sin(grid(i, 0)));
  }
}

void fit_xor(experiment::Recorder& rec) {
  constexpr int kSteps = 3000;
  constexpr Scalar kLearningRate = 2.0;
  const Tensor x({{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  const Tensor y({{0}, {1}, {1}, {0}});

  Rng rng(7);
  TwoLayer net(2, 4, rng, 1.0);
  Scalar loss_value = 0.0;
  for (int step = 0; step <= kSteps; ++step) {
    Tensor loss = mse(sigmoid(net(x)), y);
    loss_value = loss.item();
    if (step % 10 == 0) rec.add("xor_loss", step, loss_value);
    if (step == kSteps) break;
    loss.backward();
    net.descend(kLearningRate);
  }
  rec.scalar("xor_final_loss", loss_value);
  NoGradGuard no_grad;
  const Matrix p = sigmoid(net(x)).value();
  rec.scalar("xor_00", p(0, 0));
  rec.scalar("xor_01", p(1, 0));
  rec.scalar("xor_10", p(2, 0));
  rec.scalar("xor_11", p(3, 0));
}

}  // namespace

int main(int argc, char** argv) {
  return experiment::run_main(argc, argv, "01", "fit", [](experiment::Recorder& rec) {
    rec.part("sine", [&] { fit_sine(rec); });
    rec.part("xor", [&] { fit_xor(rec); });
  });
}
