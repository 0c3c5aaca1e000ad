// Lab 09 experiment: gradient flow through deep networks.
//
//  (1) plain networks of L = 10, 20, 50 Linear layers (width 16, default initialization)
//      with sigmoid, tanh or ReLU after every hidden Linear: at initialization, one
//      batch of 32 random inputs, MSE to random targets, the gradient norm of every
//      layer's weights ‖∂L/∂W_l‖ against the layer index l ("plain_<act>_<L>"), and for
//      the 50-layer sigmoid network the bound σ' ≤ 1/4 carried down from the last
//      layer, ‖∂L/∂W_L‖·4^−(L−l) ("bound_sigmoid_50");
//  (2) the same networks with every hidden layer wrapped as a residual block
//      h ← h + act(Linear(h)) ("res_<act>_<L>"); the first layer's gradient norm against
//      the depth for both ("first_plain_<act>", "first_res_<act>"); and the training
//      loss of the 50-layer tanh networks, plain and residual, on a 3-arm spiral with
//      SGD at 0.01 ("train_plain_50", "train_res_50"), and the largest gradient norm
//      of the first layer over the run;
//  (3) a 10-layer ReLU network started with weights × 4 and trained with SGD at a high
//      rate: the loss and the total gradient norm per step, as is, with clipping by
//      norm (max 1), and with BatchNorm after every hidden Linear ("explode_<v>_loss",
//      "explode_<v>_grad", v = plain, clip, bn; a run is cut when the loss passes 1e6
//      or stops being finite);
//  (4) a dashboard of one training run (a 2-32-32-32-32-3 ReLU MLP, SGD with momentum,
//      batches of 32, a cosine-annealed learning rate), recorded by GradientMonitor at
//      every step: the loss, the gradient norm and the update ratio of every layer,
//      the learning rate, the dead-unit fraction of every hidden layer.
//
// Deterministic: fixed seeds, shuffles drawn from explicit generators.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/deep.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/kernels/deep.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/normalization.h"
#include "gradlab/optimizer.h"
#include "gradlab/regularization.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Module;
using gradlab::Rng;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

constexpr Index kWidth = 16;
constexpr double kPi = 3.14159265358979323846;

enum class Act { Sigmoid, Tanh, ReLU };

std::shared_ptr<Module> activation(Act a) {
  switch (a) {
    case Act::Sigmoid: return std::make_shared<gradlab::Sigmoid>();
    case Act::Tanh: return std::make_shared<gradlab::Tanh>();
    case Act::ReLU: break;
  }
  return std::make_shared<gradlab::ReLU>();
}

// L Linear layers: in → 16, (L − 2) × 16 → 16, 16 → out, the activation after every
// hidden one. Residual: each 16 → 16 layer and its activation become h + act(Linear(h)).
struct DeepNet {
  DeepNet(Index depth, Act act, bool residual, Index in, Index out, std::uint64_t seed) {
    Rng rng(seed);
    const auto linear = [&](Index a, Index b) {
      auto l = std::make_shared<gradlab::Linear>(a, b, rng);
      layers.push_back(l);
      return l;
    };
    net.add(linear(in, kWidth)).add(activation(act));
    for (Index l = 1; l + 1 < depth; ++l) {
      auto fc = linear(kWidth, kWidth);
      if (residual) {
        auto branch = std::make_shared<gradlab::Sequential>();
        branch->add(fc).add(activation(act));
        net.add(std::make_shared<gradlab::Residual>(branch));
      } else {
        net.add(fc).add(activation(act));
      }
    }
    net.add(linear(kWidth, out));
  }
  gradlab::Sequential net;
  std::vector<std::shared_ptr<gradlab::Linear>> layers;  // in order, first to last
};

const char* act_name(Act a) { return a == Act::Sigmoid ? "sigmoid" : a == Act::Tanh ? "tanh" : "relu"; }

Matrix normal_matrix(Index r, Index c, Rng& rng) {
  Matrix m(r, c);
  for (Index i = 0; i < r; ++i)
    for (Index j = 0; j < c; ++j) m(i, j) = rng.normal();
  return m;
}

// (1), (2): ‖∂L/∂W_l‖ per layer at initialization, one batch of 32, MSE to random targets.
std::vector<Scalar> init_grad_norms(Index depth, Act act, bool residual) {
  DeepNet m(depth, act, residual, kWidth, 4, 100 + static_cast<std::uint64_t>(depth));
  Rng data(7);
  const Matrix x = normal_matrix(32, kWidth, data), target = normal_matrix(32, 4, data);
  Tensor loss = gradlab::mse_loss(m.net(Tensor(x)), Tensor(target));
  loss.backward();
  std::vector<Scalar> norms;
  for (const auto& l : m.layers) norms.push_back(gradlab::kernels::grad_norm(l->weight().grad()));
  return norms;
}

void gradient_at_init(Recorder& rec, Act act, bool residual) {
  const std::string kind = residual ? "res" : "plain";
  for (const Index depth : {10, 20, 50}) {
    const std::vector<Scalar> g = init_grad_norms(depth, act, residual);
    const std::string name = kind + "_" + act_name(act) + "_" + std::to_string(depth);
    for (std::size_t l = 0; l < g.size(); ++l) rec.add(name, static_cast<double>(l + 1), g[l]);
    rec.add(std::string("first_") + kind + "_" + act_name(act), static_cast<double>(depth), g.front());
    // The average factor per layer from the last layer down to the first.
    rec.scalar(name + "_factor", std::pow(g.front() / g.back(), 1.0 / static_cast<double>(depth - 1)));
    if (!residual && act == Act::Sigmoid && depth == 50) {
      for (std::size_t l = 0; l < g.size(); ++l)
        rec.add("bound_sigmoid_50", static_cast<double>(l + 1), g.back() * std::pow(0.25, static_cast<double>(g.size() - 1 - l)));
    }
  }
}

// ------------------------------------------------------------------ training helpers

ds::Classification spiral_data() {
  Rng rng(1);
  return ds::spiral(3, 80, 0.15, rng);
}

void shuffle(std::vector<Index>& order, Rng& rng) {
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<Scalar>(i + 1));
    std::swap(order[i], order[std::min(j, i)]);
  }
}

struct Batch {
  Tensor x;
  std::vector<Index> labels;
};

// The batches of one epoch, in a shuffled order.
std::vector<Batch> epoch_batches(const ds::Classification& d, std::size_t size, Rng& rng) {
  std::vector<Index> order(d.labels.size());
  std::iota(order.begin(), order.end(), Index{0});
  shuffle(order, rng);
  std::vector<Batch> batches;
  for (std::size_t b = 0; b + 2 <= order.size(); b += size) {
    const std::size_t e = std::min(b + size, order.size());
    Matrix x(static_cast<Index>(e - b), d.x.cols());
    Batch batch;
    for (std::size_t i = b; i < e; ++i) {
      x.row(static_cast<Index>(i - b)) = d.x.row(order[i]);
      batch.labels.push_back(d.labels[static_cast<std::size_t>(order[i])]);
    }
    batch.x = Tensor(x);
    batches.push_back(std::move(batch));
  }
  return batches;
}

// (2) the 50-layer tanh networks on the spiral: full-batch SGD, the loss per step.
void train_50(Recorder& rec, bool residual) {
  const ds::Classification d = spiral_data();
  DeepNet m(50, Act::Tanh, residual, 2, 3, 21);
  gradlab::SGD opt(m.net.parameters(), 0.01);
  const Tensor x(d.x);
  const std::string name = residual ? "train_res_50" : "train_plain_50";
  Scalar first_grad = 0;  // the largest ‖∂L/∂W_1‖ over the run
  for (int step = 0; step <= 300; ++step) {
    opt.zero_grad();
    Tensor loss = gradlab::cross_entropy_loss(m.net(x), d.labels);
    rec.add(name, step, loss.item());
    loss.backward();
    first_grad = std::max(first_grad, gradlab::kernels::grad_norm(m.layers.front()->weight().grad()));
    opt.step();
  }
  rec.scalar(name + "_final", rec.series(name).y.back());
  rec.scalar(name + "_max_first_grad", first_grad);
}

// (3) an exploding network: weights × 4, SGD at η = 0.1; as is, clipped, with BatchNorm.
enum class Fix { None, Clip, BatchNorm };

void explode(Recorder& rec, Fix fix) {
  const ds::Classification d = spiral_data();
  Rng init(31);
  gradlab::Sequential net;
  std::vector<std::shared_ptr<gradlab::Linear>> layers;
  for (Index l = 0; l < 10; ++l) {
    auto fc = std::make_shared<gradlab::Linear>(l == 0 ? 2 : kWidth, l == 9 ? 3 : kWidth, init);
    fc->weight().value() *= 4.0;
    layers.push_back(fc);
    net.add(fc);
    if (l == 9) break;
    if (fix == Fix::BatchNorm) net.add(std::make_shared<gradlab::BatchNorm1d>(kWidth));
    net.add(std::make_shared<gradlab::ReLU>());
  }
  gradlab::SGD opt(net.parameters(), 0.1);
  const std::string name = std::string("explode_") + (fix == Fix::None ? "plain" : fix == Fix::Clip ? "clip" : "bn");
  Rng shuffle_rng(32);
  int step = 0;
  for (int epoch = 0; epoch < 8 && step < 60; ++epoch) {
    for (const Batch& b : epoch_batches(d, 32, shuffle_rng)) {
      opt.zero_grad();
      Tensor loss = gradlab::cross_entropy_loss(net(b.x), b.labels);
      loss.backward();
      Scalar total = 0;  // √(Σ_l ‖∂L/∂W_l‖²), before any clipping
      for (const auto& l : layers) total += std::pow(gradlab::kernels::grad_norm(l->weight().grad()), 2);
      total = std::sqrt(total);
      if (!std::isfinite(loss.item()) || loss.item() > 1e6 || !std::isfinite(total)) return;
      rec.add(name + "_loss", step, loss.item());
      rec.add(name + "_grad", step, total);
      if (fix == Fix::Clip) gradlab::clip_grad_norm_(net.parameters(), 1.0);
      opt.step();
      if (++step >= 60) break;
    }
  }
}

// (4) one training run watched by GradientMonitor.
void dashboard(Recorder& rec) {
  const ds::Classification d = spiral_data();
  Rng init(41);
  std::vector<std::shared_ptr<gradlab::Linear>> layers;
  gradlab::GradientMonitor monitor;
  const Index widths[] = {2, 32, 32, 32, 32, 3};
  for (Index l = 0; l < 5; ++l) {
    layers.push_back(std::make_shared<gradlab::Linear>(widths[l], widths[l + 1], init));
    monitor.watch("layer " + std::to_string(l + 1), layers.back()->weight(),
                  l < 4 ? gradlab::UnitKind::ReLU : gradlab::UnitKind::Linear);
  }
  std::vector<Tensor> params;
  for (const auto& l : layers) {
    params.push_back(l->weight());
    params.push_back(l->bias());
  }
  const Scalar base_lr = 0.1;
  gradlab::SGD opt(params, gradlab::SGDOptions{.lr = base_lr, .momentum = 0.9});
  Rng shuffle_rng(42);
  const int total_steps = 210;  // 30 epochs of 7 batches
  int step = 0;
  while (step < total_steps) {
    for (const Batch& b : epoch_batches(d, 32, shuffle_rng)) {
      if (step >= total_steps) break;
      // Cosine annealing from base_lr to 0 over the run.
      opt.set_lr(0.5 * base_lr * (1.0 + std::cos(kPi * step / total_steps)));
      Tensor h = b.x;
      for (std::size_t l = 0; l < layers.size(); ++l) {
        h = layers[l]->forward(h);
        if (l + 1 < layers.size()) {
          h = gradlab::relu(h);
          monitor.observe(l, h.value());
        }
      }
      Tensor loss = gradlab::cross_entropy_loss(h, b.labels);
      opt.zero_grad();
      loss.backward();
      monitor.before_update();
      opt.step();
      monitor.after_update(loss.item(), opt.lr());
      ++step;
    }
  }
  for (const gradlab::StepRecord& r : monitor.records()) {
    const auto t = static_cast<double>(r.step);
    rec.add("dashboard_loss", t, r.loss);
    rec.add("dashboard_lr", t, r.lr);
    if (r.step % 5 == 0) rec.add("rule_of_thumb", t, 1e-3);
    for (std::size_t l = 0; l < r.layers.size(); ++l) {
      const std::string k = std::to_string(l + 1);
      rec.add("grad_norm_" + k, t, r.layers[l].grad_norm);
      rec.add("update_ratio_" + k, t, r.layers[l].update_ratio);
      if (l + 1 < r.layers.size()) rec.add("dead_" + k, t, r.layers[l].dead_fraction);
    }
  }
  rec.scalar("dashboard_final_loss", rec.series("dashboard_loss").y.back());
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "09", "main", [](Recorder& rec) {
    for (const Act act : {Act::Sigmoid, Act::Tanh, Act::ReLU}) {
      rec.part(std::string("plain_") + act_name(act), [&] { gradient_at_init(rec, act, false); });
      rec.part(std::string("res_") + act_name(act), [&] { gradient_at_init(rec, act, true); });
    }
    rec.part("train_plain_50", [&] { train_50(rec, false); });
    rec.part("train_res_50", [&] { train_50(rec, true); });
    rec.part("explode_plain", [&] { explode(rec, Fix::None); });
    rec.part("explode_clip", [&] { explode(rec, Fix::Clip); });
    rec.part("explode_bn", [&] { explode(rec, Fix::BatchNorm); });
    rec.part("dashboard", [&] { dashboard(rec); });
  });
}
