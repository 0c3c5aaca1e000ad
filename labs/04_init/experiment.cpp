// Lab 04 experiment — "the starting point decides".
//
// Five initializations — zeros, N(0, 0.01²), N(0, 1), Xavier normal (gain 1) and
// Kaiming normal (ReLU gain, fan_in) — in 10-layer tanh and ReLU networks:
//
//  1. Statistics pass (width 256, 10 layers, a batch of 128 inputs x ~ N(0, 1)):
//     the standard deviation of every layer's activations h_l, and of the gradients
//     dL/dh_l after one backward pass with a random upstream gradient at the top
//     (L = Σ G ⊙ h_10, G ~ N(0, 1)). Also: with zero init all hidden units compute
//     the same thing (max pairwise difference between units = 0).
//  2. Training (10 linear layers, width 32, 120 steps of full-batch gradient descent
//     on a 3-arm spiral of 120 points, standardized with the training statistics):
//     the loss curve of each init. A run whose loss passes 1e6 is stopped (diverged).
//
// Everything is seeded: the same build gives the same numbers, and a correct student
// implementation of the lab's kernels reproduces the reference run.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/init.h"
#include "gradlab/metrics.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"
#include "gradlab/preprocessing.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

namespace {

using namespace gradlab;

enum class Act { Tanh, ReLU };

const char* act_name(Act act) { return act == Act::Tanh ? "tanh" : "relu"; }

// The activations are lab 02's differentiable ops (its reference kernels: this run
// depends only on lab 04's kernels being right).
Tensor activate(const Tensor& z, Act act) { return act == Act::Tanh ? tanh(z) : relu(z); }

struct Scheme {
  std::string name;
  Initializer init;
};

std::vector<Scheme> schemes() {
  return {
      {"zeros", init::zeros()},
      {"normal_0.01", init::normal(0.0, 0.01)},
      {"normal_1", init::normal(0.0, 1.0)},
      {"xavier", init::xavier_normal(1.0)},
      {"kaiming", init::kaiming_normal(Nonlinearity::ReLU, FanMode::FanIn)},
  };
}

// Population standard deviation of all elements.
Scalar stddev_of(const Matrix& m) {
  const Scalar mean = m.mean();
  return std::sqrt((m.array() - mean).square().mean());
}

// max over examples i and units j, k of |h_ij − h_ik|: 0 when every unit is identical.
Scalar max_unit_difference(const Matrix& h) {
  Scalar worst = 0.0;
  for (Index i = 0; i < h.rows(); ++i) worst = std::max(worst, h.row(i).maxCoeff() - h.row(i).minCoeff());
  return worst;
}

// ---------------------------------------------------------------- 1. statistics pass

constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();
constexpr Index kWidth = 256;
constexpr int kLayers = 10;
constexpr Index kBatch = 128;

void statistics_pass(Act act, const Scheme& scheme, const Matrix& x, const Matrix& upstream,
                     experiment::Recorder& rec) {
  Rng rng(404);  // the same weights' seed for every scheme
  std::vector<std::shared_ptr<Linear>> layers;
  for (int l = 0; l < kLayers; ++l) layers.push_back(make_linear(kWidth, kWidth, scheme.init, rng));

  std::vector<Tensor> h;  // h[l] = activation of layer l + 1
  Tensor input(x);
  for (int l = 0; l < kLayers; ++l) {
    h.push_back(activate(layers[l]->forward(l == 0 ? input : h.back()), act));
  }
  h.back().backward(upstream);  // L = Σ G ⊙ h_10

  const std::string tag = std::string(act_name(act)) + "_" + scheme.name;
  Scalar unit_difference = 0.0;
  for (int l = 0; l < kLayers; ++l) {
    rec.add("act_" + tag, l + 1, stddev_of(h[l].value()));
    rec.add("grad_" + tag, l + 1, stddev_of(h[l].grad()));
    unit_difference = std::max(unit_difference, max_unit_difference(h[l].value()));
  }
  rec.scalar("act_std_layer10_" + tag, stddev_of(h.back().value()));
  rec.scalar("grad_std_layer1_" + tag, stddev_of(h.front().grad()));
  rec.scalar("max_unit_difference_" + tag, unit_difference);
}

// ---------------------------------------------------------------- 2. training

constexpr Index kTrainWidth = 32;
constexpr int kSteps = 120;
constexpr Scalar kLearningRate = 0.1;
constexpr Scalar kDiverged = 1e6;  // a loss above this (or NaN) stops the run

// Mean softmax cross entropy through lab 02's (stable) log-softmax:
//   L = −(1/N) Σ_i log softmax(z_i)_{y_i}.
Tensor cross_entropy(const Tensor& logits, const Matrix& one_hot) {
  return -mean(sum(log_softmax(logits) * Tensor(one_hot), Axis::Cols));
}

void train(Act act, const Scheme& scheme, const Matrix& x, const Matrix& one_hot, const std::vector<Index>& labels,
           experiment::Recorder& rec) {
  Rng rng(2024);
  Sequential model;
  std::vector<std::shared_ptr<Linear>> layers;
  for (int l = 0; l < kLayers; ++l) {
    const Index in = l == 0 ? x.cols() : kTrainWidth;
    const Index out = l == kLayers - 1 ? one_hot.cols() : kTrainWidth;
    layers.push_back(make_linear(in, out, scheme.init, rng));
    model.add(layers.back());
  }
  SGD opt(model.parameters(), kLearningRate);
  const Tensor input(x);
  const std::string tag = std::string(act_name(act)) + "_" + scheme.name;

  auto forward = [&](std::vector<Tensor>* hidden) {
    Tensor h = input;
    for (int l = 0; l < kLayers; ++l) {
      h = layers[l]->forward(h);
      if (l < kLayers - 1) {
        h = activate(h, act);
        if (hidden) hidden->push_back(h);
      }
    }
    return h;
  };

  int step = 0;
  for (; step < kSteps; ++step) {
    opt.zero_grad();
    Tensor loss = cross_entropy(forward(nullptr), one_hot);
    const Scalar value = loss.item();
    rec.add("loss_" + tag, step, value);
    if (!std::isfinite(value) || value > kDiverged) break;  // diverged: the curve stops here
    loss.backward();
    opt.step();
  }
  rec.scalar("diverged_at_step_" + tag, step < kSteps ? step : -1);

  NoGradGuard no_grad;
  std::vector<Tensor> hidden;
  const Matrix logits = forward(&hidden).value();
  Scalar unit_difference = 0.0;
  for (const auto& h : hidden) unit_difference = std::max(unit_difference, max_unit_difference(h.value()));
  rec.scalar("final_loss_" + tag, rec.series("loss_" + tag).y.empty() ? kNaN : rec.series("loss_" + tag).y.back());
  rec.scalar("accuracy_" + tag, gradlab::accuracy(logits, labels));
  rec.scalar("trained_max_unit_difference_" + tag, unit_difference);
}

// "train_tanh_xavier": the name of one part of the experiment.
std::string part_name(const char* what, Act act, const Scheme& scheme) {
  return std::string(what) + "_" + act_name(act) + "_" + scheme.name;
}

}  // namespace

int main(int argc, char** argv) {
  return experiment::run_main(argc, argv, "04", "main", [](experiment::Recorder& rec) {
    // 1. statistics: one batch, one random upstream gradient, shared by every run.
    Rng data_rng(7);
    Matrix x(kBatch, kWidth);
    Matrix upstream(kBatch, kWidth);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = data_rng.normal();
    for (Index i = 0; i < upstream.size(); ++i) upstream.data()[i] = data_rng.normal();
    // Each (activation, scheme) run is one part of the experiment (see Recorder::part):
    // an initializer that is not written yet loses its own curves, not everyone else's.
    for (Act act : {Act::Tanh, Act::ReLU})
      for (const Scheme& scheme : schemes())
        rec.part(part_name("statistics", act, scheme), [&] { statistics_pass(act, scheme, x, upstream, rec); });

    // 2. training on a standardized 3-arm spiral (statistics fitted on it: it is the training set).
    Rng spiral_rng(3);
    const datasets::Classification spiral = datasets::spiral(3, 40, 0.2, spiral_rng);
    for (Act act : {Act::Tanh, Act::ReLU})
      for (const Scheme& scheme : schemes())
        rec.part(part_name("train", act, scheme), [&] {
          // Standardized inside the part: the lab's own preprocessing, which may not be written yet either.
          const Matrix features = Standardizer().fit_transform(spiral.x);
          Matrix one_hot = Matrix::Zero(features.rows(), spiral.classes);
          for (Index i = 0; i < features.rows(); ++i) one_hot(i, spiral.labels[static_cast<std::size_t>(i)]) = 1.0;
          train(act, scheme, features, one_hot, spiral.labels, rec);
        });
  });
}
