// Lab 07 experiment: regularization and gradient control at work.
//
//  (1) an over-parameterized MLP (10 → 64 → 64 → 1, ReLU, 4,929 parameters) on 40 noisy
//      training points, trained five ways from the same initial weights: no
//      regularization, an L2 penalty, an L1 penalty, dropout 0.5 after each hidden layer,
//      and early stopping. Training and validation loss per epoch ("overfit_train_<way>",
//      "overfit_val_<way>"; the early-stopped run ends where it stopped, with one more
//      point at that epoch for the restored weights) and the histograms of the first
//      layer's weights at the end, of w ("hist_<way>") and of log₁₀|w| ("loghist_<way>")
//      (early stopping: the restored weights). Only inputs 0 and 1 matter; the other 8
//      are noise to the target;
//  (2) a deep tanh network (12 layers, SGD η = 0.1, 150 steps) at a learning rate that
//      diverges: the loss and the gradient norm per step without clipping
//      ("clip_loss_none", "clip_norm_none"; the run is stopped once its loss passes 10⁶)
//      and with clipping by global norm at 1 ("clip_loss_norm1", "clip_norm_norm1"; the
//      norm before clipping, as clip_grad_norm_ returns it);
//  (3) a spiral classifier (2 → 64 → 64 → 3, ReLU, Adam) with dropout 0.7 on both hidden
//      layers, evaluated with and without the test-time rule: inverted dropout (scaled
//      in training) evaluated as is ("rule_inverted") or with the scaling applied once
//      more ("rule_inverted_rescaled"); classic dropout (not scaled in training)
//      evaluated with its rule, activations times 1 − p ("rule_classic"), or without it
//      ("rule_classic_no_rule"). Validation accuracy ("rule_…") and cross entropy
//      ("rule_loss_…") per epoch.
//
// Deterministic: every random draw comes from a fixed seed; the dropout masks from
// generators passed explicitly. Every matrix product stays under the size at which the
// GEMM of lab 10 starts threads (96³ multiply-adds): the experiment runs on one core.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/metrics.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"
#include "gradlab/regularization.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

// ------------------------------------------------------------------ (1) overfitting

constexpr Index kInputs = 10;
constexpr Index kWidth = 64;

struct Regression {
  Tensor x, y;
};

// y = x₀ + 0.5 sin(2 x₀) − 0.5 x₁ + 0.5 ε, x ~ N(0, 1)^10, ε ~ N(0, 1): only two inputs
// matter, and the noise alone gives a validation loss of 0.25 at best.
Regression noisy_regression(Index n, std::uint64_t seed) {
  Rng rng(seed);
  Matrix x(n, kInputs), y(n, 1);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < kInputs; ++j) x(i, j) = rng.normal();
    y(i, 0) = x(i, 0) + 0.5 * std::sin(2.0 * x(i, 0)) - 0.5 * x(i, 1) + 0.5 * rng.normal();
  }
  return {Tensor(x), Tensor(y)};
}

// 10 → 64 → 64 → 1 with ReLU, optionally dropout after each hidden ReLU. The same
// initial weights whatever the variant: the Dropout modules get their own generator.
struct Mlp {
  Mlp(Scalar p, std::uint64_t init_seed, std::uint64_t dropout_seed) {
    Rng init(init_seed), drop(dropout_seed);
    l1 = std::make_shared<gradlab::Linear>(kInputs, kWidth, init);
    l2 = std::make_shared<gradlab::Linear>(kWidth, kWidth, init);
    l3 = std::make_shared<gradlab::Linear>(kWidth, 1, init);
    net.add(l1).add(std::make_shared<gradlab::ReLU>());
    if (p > 0) net.add(std::make_shared<gradlab::Dropout>(p, drop));
    net.add(l2).add(std::make_shared<gradlab::ReLU>());
    if (p > 0) net.add(std::make_shared<gradlab::Dropout>(p, drop));
    net.add(l3);
  }
  std::vector<Tensor> weights() const { return {l1->weight(), l2->weight(), l3->weight()}; }
  std::shared_ptr<gradlab::Linear> l1, l2, l3;
  gradlab::Sequential net;
};

struct Way {
  std::string name;
  Scalar l2 = 0, l1 = 0, dropout = 0;
  bool early_stopping = false;
};

Scalar eval_loss(Mlp& m, const Regression& d) {
  gradlab::NoGradGuard no_grad;
  m.net.eval();
  const Scalar loss = gradlab::mse_loss(m.net(d.x), d.y).item();
  m.net.train();
  return loss;
}

// A histogram of the elements of w: bins of width 0.01 centred on −0.5, −0.49, …, 0.5 (a
// bin centred on 0 holds the weights within 0.005 of it); a weight outside goes to the
// edge bin. And one of log₁₀|w|, bins of 0.2 decades from 10⁻⁶ to 10⁰ (smaller |w| in
// the first bin): "sparse" and "small" look alike on the first, not on the second.
void histograms(Recorder& rec, const std::string& way, const Matrix& w) {
  const auto bin_counts = [&](const std::string& series, Scalar low, Scalar width, int bins, auto value) {
    std::vector<Scalar> counts(static_cast<std::size_t>(bins), 0.0);
    for (Index i = 0; i < w.size(); ++i) {
      const int b = static_cast<int>(std::floor((value(w.data()[i]) - low) / width));
      counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))] += 1;
    }
    for (int b = 0; b < bins; ++b) rec.add(series, low + (b + 0.5) * width, counts[static_cast<std::size_t>(b)]);
  };
  bin_counts("hist_" + way, -0.505, 0.01, 101, [](Scalar v) { return v; });
  bin_counts("loghist_" + way, -6.0, 0.2, 30, [](Scalar v) { return std::log10(std::max(std::abs(v), 1e-300)); });
}

void overfit(Recorder& rec, const Way& way) {
  const Regression train = noisy_regression(40, 1), val = noisy_regression(200, 2);
  Mlp m(way.dropout, 7, 8);
  gradlab::SGD opt(m.net.parameters(), gradlab::SGDOptions{.lr = 0.005, .momentum = 0.9});
  gradlab::EarlyStopping stopper(m.net.parameters(), {.patience = 20, .min_delta = 1e-4});
  const int epochs = 1000;
  for (int epoch = 0; epoch <= epochs; ++epoch) {
    if (epoch % 10 == 0) {
      const Scalar val_loss = eval_loss(m, val);
      rec.add("overfit_train_" + way.name, epoch, eval_loss(m, train));
      rec.add("overfit_val_" + way.name, epoch, val_loss);
      if (way.early_stopping && stopper.step(val_loss)) break;
    }
    if (epoch == epochs) break;
    opt.zero_grad();
    Tensor loss = gradlab::mse_loss(m.net(train.x), train.y);
    if (way.l2 > 0) loss = loss + gradlab::l2_penalty(m.weights(), way.l2);
    if (way.l1 > 0) loss = loss + gradlab::l1_penalty(m.weights(), way.l1);
    loss.backward();
    opt.step();
  }
  if (way.early_stopping) {
    // The run ends with the restored weights, drawn at the epoch where it stopped: the
    // curve drops back to the best epoch's loss.
    stopper.restore_best();
    const Scalar stopped_at = rec.series("overfit_val_" + way.name).x.back();
    rec.add("overfit_train_" + way.name, stopped_at, eval_loss(m, train));
    rec.add("overfit_val_" + way.name, stopped_at, eval_loss(m, val));
    rec.scalar("overfit_early_stopping_best_epoch", 10.0 * static_cast<Scalar>(stopper.best_epoch() - 1));
    rec.scalar("overfit_early_stopping_stopped_at", stopped_at);
  }
  rec.scalar("overfit_final_val_" + way.name, eval_loss(m, val));
  const Matrix& w = m.l1->weight().value();
  rec.scalar("overfit_small_weights_" + way.name,
             static_cast<Scalar>((w.array().abs() < 0.01).count()) / static_cast<Scalar>(w.size()));
  histograms(rec, way.name, w);
}

// ------------------------------------------------------------------ (2) exploding gradients

constexpr int kDeepLayers = 12;

// 1 → 32 → … → 32 → 1, tanh between the layers (12 linear layers).
struct DeepNet {
  explicit DeepNet(std::uint64_t seed) {
    Rng init(seed);
    layers.push_back(std::make_shared<gradlab::Linear>(1, 32, init));
    for (int i = 1; i < kDeepLayers - 1; ++i) layers.push_back(std::make_shared<gradlab::Linear>(32, 32, init));
    layers.push_back(std::make_shared<gradlab::Linear>(32, 1, init));
    for (auto& l : layers) {  // a larger init than the default, as deep nets often get: gain 1.8
      l->weight().value() *= 1.8 * std::sqrt(3.0);
    }
  }
  Tensor operator()(Tensor h) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      h = (*layers[i])(h);
      if (i + 1 < layers.size()) h = gradlab::tanh(h);
    }
    return h;
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> p;
    for (const auto& l : layers)
      for (const Tensor& t : l->parameters()) p.push_back(t);
    return p;
  }
  std::vector<std::shared_ptr<gradlab::Linear>> layers;
};

Scalar global_grad_norm(const std::vector<Tensor>& params) {
  Scalar s = 0;
  for (const Tensor& p : params) s += p.grad().squaredNorm();
  return std::sqrt(s);
}

void exploding(Recorder& rec, const std::string& name, Scalar max_norm) {
  Matrix x(64, 1), y(64, 1);
  for (Index i = 0; i < 64; ++i) {
    x(i, 0) = -3.0 + 6.0 * static_cast<Scalar>(i) / 63.0;
    y(i, 0) = 2.0 * std::sin(2.0 * x(i, 0));
  }
  const Tensor xt(x), yt(y);
  DeepNet net(11);
  const auto params = net.parameters();
  gradlab::SGD opt(params, 0.1);
  for (int step = 0; step < 150; ++step) {
    opt.zero_grad();
    Tensor loss = gradlab::mse_loss(net(xt), yt);
    loss.backward();
    const Scalar norm = max_norm > 0 ? gradlab::clip_grad_norm_(params, max_norm) : global_grad_norm(params);
    rec.add("clip_loss_" + name, step, loss.item());
    rec.add("clip_norm_" + name, step, norm);
    if (!(loss.item() < 1e6)) break;  // diverged (or NaN): nothing more to draw
    opt.step();
  }
}

// ------------------------------------------------------------------ (3) the test-time rule

constexpr Scalar kP = 0.7;
constexpr Index kSpiralWidth = 64;

// 2 → 64 → 64 → 3, ReLU, dropout p = 0.7 after each hidden layer. `classic`: dropout
// without the 1/(1 − p) (the inverted mask times 1 − p), which needs "× (1 − p)" at test time.
struct SpiralNet {
  SpiralNet(std::uint64_t seed, bool classic_dropout)
      : init(seed), l1(2, kSpiralWidth, init), l2(kSpiralWidth, kSpiralWidth, init), l3(kSpiralWidth, 3, init),
        classic(classic_dropout) {}
  // Training: a random mask; evaluation: `test_scale` multiplies the hidden activations.
  Tensor operator()(const Tensor& x, bool training, Rng& rng, Scalar test_scale) {
    Tensor h = hidden(gradlab::relu(l1(x)), training, rng, test_scale);
    h = hidden(gradlab::relu(l2(h)), training, rng, test_scale);
    return l3(h);
  }
  Tensor hidden(const Tensor& h, bool training, Rng& rng, Scalar test_scale) const {
    if (!training) return test_scale == 1.0 ? h : h * test_scale;
    const Tensor kept = gradlab::dropout(h, kP, true, rng);
    return classic ? kept * (1.0 - kP) : kept;
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> p = l1.parameters();
    for (const Tensor& t : l2.parameters()) p.push_back(t);
    for (const Tensor& t : l3.parameters()) p.push_back(t);
    return p;
  }
  Rng init;
  gradlab::Linear l1, l2, l3;
  bool classic;
};

// Trains one net and records its validation accuracy and loss under two evaluation rules.
void test_time_rule(Recorder& rec, bool classic) {
  Rng train_rng(21), val_rng(22);
  const ds::Classification train = ds::spiral(3, 70, 0.2, train_rng), val = ds::spiral(3, 70, 0.2, val_rng);
  SpiralNet net(23, classic);
  Rng masks(24);
  gradlab::Adam opt(net.parameters(), gradlab::AdamOptions{.lr = 0.01});
  const Tensor x(train.x), x_val(val.x);
  // (name, scale at evaluation): the right rule first, then the wrong one.
  const std::vector<std::pair<std::string, Scalar>> rules =
      classic ? std::vector<std::pair<std::string, Scalar>>{{"classic", 1.0 - kP}, {"classic_no_rule", 1.0}}
              : std::vector<std::pair<std::string, Scalar>>{{"inverted", 1.0}, {"inverted_rescaled", 1.0 / (1.0 - kP)}};
  const int epochs = 300;
  for (int epoch = 0; epoch <= epochs; ++epoch) {
    if (epoch % 10 == 0) {
      gradlab::NoGradGuard no_grad;
      for (const auto& [name, scale] : rules) {
        const Tensor logits = net(x_val, false, masks, scale);
        rec.add("rule_" + name, epoch, 100.0 * gradlab::accuracy(logits.value(), val.labels));
        rec.add("rule_loss_" + name, epoch, gradlab::cross_entropy_loss(logits, val.labels).item());
      }
    }
    if (epoch == epochs) break;
    opt.zero_grad();
    gradlab::cross_entropy_loss(net(x, true, masks, 1.0), train.labels).backward();
    opt.step();
  }
  for (const auto& [name, scale] : rules) rec.scalar("rule_" + name + "_final", rec.series("rule_" + name).y.back());
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "07", "main", [](Recorder& rec) {
    const std::vector<Way> ways = {
        {.name = "none"},
        {.name = "l2", .l2 = 0.1},
        {.name = "l1", .l1 = 0.03},
        {.name = "dropout", .dropout = 0.5},
        {.name = "early_stopping", .early_stopping = true},
    };
    for (const Way& way : ways) rec.part("overfit_" + way.name, [&] { overfit(rec, way); });
    rec.part("clip_none", [&] { exploding(rec, "none", 0.0); });
    rec.part("clip_norm1", [&] { exploding(rec, "norm1", 1.0); });
    rec.part("rule_chance", [&] {  // the accuracy of guessing among 3 classes, for reference
      for (int epoch = 0; epoch <= 300; epoch += 10) rec.add("rule_chance", epoch, 100.0 / 3.0);
    });
    rec.part("rule_inverted", [&] { test_time_rule(rec, false); });
    rec.part("rule_classic", [&] { test_time_rule(rec, true); });
  });
}
