// Lab 02 experiment: what the choice of activation does to a network.
//
//  (1) every activation and its derivative on [−6, 6]; the derivative comes from
//      backward() through your kernels (series "sigmoid", "sigmoid_grad", …);
//  (2) the gradient reaching each layer of a 20-layer network (width 32), one network
//      per activation, all with the same initial weights and the same batch: a sigmoid
//      stack multiplies the gradient by σ' ≤ 1/4 at every layer and it vanishes
//      (series "gradnorm_sigmoid", …: ‖∂L/∂W_l‖ for l = 1 … 20);
//  (3) dead ReLU units: a ReLU MLP trained with plain SGD on a 3-arm spiral at a normal
//      and at a high learning rate; a unit is dead when its output is 0 on every
//      training example (series "dead_lr_normal", "dead_lr_high", and the losses).
//
// Deterministic: every random draw comes from a fixed seed. The loss is the mean
// squared error against one-hot targets, built from lab 01's elementary operations,
// so that only this lab's kernels differ between your run and the reference.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"


#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;

struct NamedActivation {
  std::string name;
  std::function<Tensor(const Tensor&)> apply;
};

// The activations compared, with the parameters used throughout the experiment.
std::vector<NamedActivation> activations() {
  return {
      {"sigmoid", [](const Tensor& x) { return gradlab::sigmoid(x); }},
      {"tanh", [](const Tensor& x) { return gradlab::tanh(x); }},
      {"relu", [](const Tensor& x) { return gradlab::relu(x); }},
      {"leaky_relu", [](const Tensor& x) { return gradlab::leaky_relu(x, {.alpha = 0.1}); }},
      {"elu", [](const Tensor& x) { return gradlab::elu(x, {.alpha = 1.0}); }},
      {"gelu", [](const Tensor& x) { return gradlab::gelu(x); }},
      {"silu", [](const Tensor& x) { return gradlab::silu(x, {.beta = 1.0}); }},
      {"softplus", [](const Tensor& x) { return gradlab::softplus(x); }},
  };
}

// The training data of parts (2) and (3): a 3-arm spiral, 100 points per arm.
gradlab::datasets::Classification spiral_data() {
  gradlab::Rng rng(7);
  return gradlab::datasets::spiral(3, 100, 0.2, rng);
}

// One-hot targets: row i has a 1 in column labels[i].
Matrix one_hot(const std::vector<Index>& labels, Index classes) {
  Matrix t = Matrix::Zero(static_cast<Index>(labels.size()), classes);
  for (std::size_t i = 0; i < labels.size(); ++i) t(static_cast<Index>(i), labels[i]) = 1.0;
  return t;
}

// L = mean over all N·K entries of (output − target)².
Tensor mse(const Tensor& output, const Matrix& target) {
  const Tensor diff = output - Tensor(target);
  return gradlab::mean(diff * diff);
}

// ------------------------------------------------------------------ (1) curves

// Each activation is one part of the experiment (see Recorder::part): an activation
// that is not written yet loses its own curves, not everyone else's.
void activation_curve(Recorder& rec, const NamedActivation& act) {
  const Index n = 241;  // x = −6, −5.95, …, 6 (x = 0 exactly at the middle)
  Matrix x(n, 1);
  for (Index i = 0; i < n; ++i) x(i, 0) = static_cast<Scalar>(i - 120) / 20.0;
  Tensor input(x, true);
  Tensor y = act.apply(input);
  y.backward(Matrix::Ones(n, 1));  // element-wise: the gradient is f'(x)
  for (Index i = 0; i < n; ++i) {
    rec.add(act.name, x(i, 0), y.value()(i, 0));
    rec.add(act.name + "_grad", x(i, 0), input.grad()(i, 0));
  }
}

// ------------------------------------------------------------------ (2) gradient flow

void gradient_flow(Recorder& rec, const gradlab::datasets::Classification& data, const NamedActivation& act) {
  const Index depth = 20;
  const Index width = 32;
  const Matrix target = one_hot(data.labels, data.classes);
  // The same weights for every activation: He-normal N(0, 2/fan_in), zero biases,
  // drawn from the same seed.
  gradlab::Rng rng(2024);
  std::vector<std::shared_ptr<gradlab::Linear>> layers;
  for (Index l = 0; l <= depth; ++l) {
    const Index in = l == 0 ? data.x.cols() : width;
    const Index out = l == depth ? data.classes : width;
    Matrix w(in, out);
    const Scalar stddev = std::sqrt(2.0 / static_cast<Scalar>(in));
    for (Index i = 0; i < w.size(); ++i) w.data()[i] = rng.normal(0.0, stddev);
    layers.push_back(std::make_shared<gradlab::Linear>(w, Matrix::Zero(1, out)));
  }
  Tensor h(data.x);
  for (Index l = 0; l < depth; ++l) h = act.apply((*layers[static_cast<std::size_t>(l)])(h));
  Tensor loss = mse((*layers.back())(h), target);
  loss.backward();
  for (Index l = 0; l < depth; ++l) {
    rec.add("gradnorm_" + act.name, static_cast<Scalar>(l + 1), layers[static_cast<std::size_t>(l)]->weight().grad().norm());
  }
  rec.scalar("gradnorm_layer1_" + act.name, layers.front()->weight().grad().norm());
}

// ------------------------------------------------------------------ (3) dead ReLUs

// Fraction of hidden units (over both hidden layers) whose output is 0 for every
// example of the batch.
Scalar dead_fraction(const std::vector<Matrix>& hidden) {
  Index dead = 0;
  Index total = 0;
  for (const Matrix& h : hidden) {
    for (Index j = 0; j < h.cols(); ++j) dead += h.col(j).maxCoeff() <= 0.0 ? 1 : 0;
    total += h.cols();
  }
  return static_cast<Scalar>(dead) / static_cast<Scalar>(total);
}

void dead_relus(Recorder& rec, const gradlab::datasets::Classification& data, const std::string& tag,
                Scalar lr) {
  const Index width = 64;
  const int steps = 1000;
  const Matrix target = one_hot(data.labels, data.classes);
  gradlab::Rng rng(11);  // the same initial network for both learning rates
  gradlab::Linear l1(data.x.cols(), width, rng);
  gradlab::Linear l2(width, width, rng);
  gradlab::Linear l3(width, data.classes, rng);
  std::vector<Tensor> params;
  for (auto* layer : {&l1, &l2, &l3}) {
    for (const auto& p : layer->parameters()) params.push_back(p);
  }
  gradlab::SGD sgd(params, lr);
  const Tensor x(data.x);
  for (int step = 0; step <= steps; ++step) {
    const Tensor h1 = gradlab::relu(l1(x));
    const Tensor h2 = gradlab::relu(l2(h1));
    Tensor loss = mse(l3(h2), target);
    if (step <= 100 || step % 10 == 0) {  // units die in the first steps: record those densely
      rec.add("dead_" + tag, step, 100.0 * dead_fraction({h1.value(), h2.value()}));
      rec.add("loss_" + tag, step, loss.item());
    }
    if (step == steps) {
      rec.scalar("dead_percent_" + tag, 100.0 * dead_fraction({h1.value(), h2.value()}));
      rec.scalar("final_loss_" + tag, loss.item());
      break;
    }
    sgd.zero_grad();
    loss.backward();
    sgd.step();
  }
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "02", "main", [](Recorder& rec) {
    for (const auto& act : activations()) rec.part("curve_" + act.name, [&] { activation_curve(rec, act); });
    const auto data = spiral_data();
    for (const auto& act : activations()) rec.part("gradient_flow_" + act.name, [&] { gradient_flow(rec, data, act); });
    rec.part("dead_relus_lr_normal", [&] { dead_relus(rec, data, "lr_normal", 0.1); });
    rec.part("dead_relus_lr_high", [&] { dead_relus(rec, data, "lr_high", 2.5); });
  });
}
