// Lab 03 experiment: what the choice of loss does to training.
//
//  (1) A small MLP classifier on a 3-class spiral, trained with softmax cross entropy
//      and with MSE on one-hot targets (same network, same init, same learning rate):
//      loss and accuracy curves.
//  (2) The same classifier with label smoothing ε = 0 and ε = 0.1: confidence (the mean
//      largest softmax probability on the training set) and held-out accuracy.
//  (3) A line y = a x + b fitted to 1-D data with 10% one-sided outliers with MSE, L1
//      and Huber(1): the fitted lines over the data.
//
// Everything is seeded and full-batch, so the run is deterministic. Writes one JSON file
// (--out FILE, default 03_losses.json) with every series; the plots are in lab.toml.
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/gradlab.h"
#include "gradlab/losses.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Reduction;
using gradlab::Scalar;
using gradlab::Tensor;
namespace ds = gradlab::datasets;

constexpr Index kClasses = 3;
constexpr Index kHidden = 64;
constexpr int kSteps = 2000;
constexpr int kRecordEvery = 20;
constexpr Scalar kLearningRate = 0.5;

// A one-hidden-layer MLP: 2 → 64 → ReLU → 3 logits.
struct Mlp {
  explicit Mlp(gradlab::Rng& rng) : hidden(2, kHidden, rng), out(kHidden, kClasses, rng) {}
  Tensor operator()(const Tensor& x) { return out(relu(hidden(x))); }
  std::vector<Tensor> parameters() {
    std::vector<Tensor> p = hidden.parameters();
    for (const Tensor& t : out.parameters()) p.push_back(t);
    return p;
  }
  gradlab::Linear hidden;
  gradlab::Linear out;
};

// Row-wise softmax of logits, for the metrics only (not differentiated).
Matrix softmax(const Matrix& z) {
  Matrix p(z.rows(), z.cols());
  for (Index i = 0; i < z.rows(); ++i) {
    const Matrix e = (z.row(i).array() - z.row(i).maxCoeff()).exp().matrix();
    p.row(i) = e / e.sum();
  }
  return p;
}

Scalar mean_confidence(const Matrix& logits) { return softmax(logits).rowwise().maxCoeff().mean(); }

using LossFn = std::function<Tensor(const Tensor& logits)>;

// Trains a fresh MLP (same seed every time: same init) on `train` with `loss`; records
// <name>_loss, <name>_accuracy (training set), <name>_test_accuracy and <name>_confidence.
void train_classifier(const std::string& name, const ds::Classification& train,
                      const ds::Classification& test, const LossFn& loss,
                      gradlab::experiment::Recorder& rec) {
  gradlab::Rng init(2024);
  Mlp model(init);
  gradlab::SGD opt(model.parameters(), kLearningRate);
  const Tensor x(train.x);
  const Tensor x_test(test.x);
  for (int step = 0; step <= kSteps; ++step) {
    opt.zero_grad();
    Tensor logits = model(x);
    Tensor l = loss(logits);
    if (step % kRecordEvery == 0) {
      gradlab::NoGradGuard no_grad;
      const Matrix test_logits = model(x_test).value();
      rec.add(name + "_loss", step, l.item());
      rec.add(name + "_accuracy", step, gradlab::accuracy(logits.value(), train.labels));
      rec.add(name + "_test_accuracy", step, gradlab::accuracy(test_logits, test.labels));
      rec.add(name + "_confidence", step, mean_confidence(logits.value()));
    }
    if (step == kSteps) break;
    l.backward();
    opt.step();
  }
  const auto& acc = rec.series(name + "_accuracy").y;
  const auto& test_acc = rec.series(name + "_test_accuracy").y;
  const auto& conf = rec.series(name + "_confidence").y;
  rec.scalar(name + "_final_accuracy", acc.back());
  rec.scalar(name + "_final_test_accuracy", test_acc.back());
  rec.scalar(name + "_final_confidence", conf.back());
  std::printf("%-6s train accuracy %.3f  test accuracy %.3f  confidence %.3f  final loss %.4f\n", name.c_str(),
              acc.back(), test_acc.back(), conf.back(), rec.series(name + "_loss").y.back());
}

// Fits y = a x + b (a Linear(1, 1) from a = b = 0) by full-batch gradient descent with a
// decaying learning rate (L1's gradient does not shrink near the optimum); returns (a, b).
std::pair<Scalar, Scalar> fit_line(const ds::Regression& data,
                                   const std::function<Tensor(const Tensor&, const Tensor&)>& loss) {
  gradlab::Linear line(Matrix::Zero(1, 1), Matrix::Zero(1, 1));
  gradlab::SGD opt(line.parameters(), 0.5);
  const Tensor x(data.x);
  const Tensor y(data.y);
  for (int step = 0; step < 2000; ++step) {
    opt.set_lr(0.5 / (1.0 + step / 100.0));
    opt.zero_grad();
    loss(line(x), y).backward();
    opt.step();
  }
  return {line.weight().value()(0, 0), line.bias().value()(0, 0)};
}

void run(gradlab::experiment::Recorder& rec) {
  // ---------------------------------------------------------- (1) and (2): spiral
  gradlab::Rng data_rng(3);
  const ds::Classification train = ds::spiral(kClasses, 100, 0.2, data_rng);
  const ds::Classification test = ds::spiral(kClasses, 100, 0.2, data_rng);
  const Tensor one_hot(ds::one_hot(train.labels, kClasses));

  // Each training run is one part of the experiment (see Recorder::part): a loss that
  // is not written yet loses its own curves, not everyone else's.
  // ε = 0 of experiment (2) is the cross-entropy run itself.
  rec.part("train_ce", [&] {
    train_classifier("ce", train, test, [&](const Tensor& z) { return gradlab::cross_entropy_loss(z, train.labels); },
                     rec);
  });
  rec.part("train_mse", [&] {
    train_classifier("mse", train, test, [&](const Tensor& z) { return gradlab::mse_loss(z, one_hot); }, rec);
  });
  rec.part("train_ls01", [&] {
    train_classifier("ls01", train, test,
                     [&](const Tensor& z) { return gradlab::label_smoothing_cross_entropy_loss(z, train.labels, 0.1); },
                     rec);
  });

  // ---------------------------------------------------------- (3): robust regression
  gradlab::Rng reg_rng(11);
  ds::OutlierRegressionOptions opt;  // y = 2x + 0.5, noise 0.1, 10% outliers moved up by 6–12
  const ds::Regression reg = ds::regression_with_outliers(100, opt, reg_rng);
  for (Index i = 0; i < reg.x.rows(); ++i) rec.add("data", reg.x(i, 0), reg.y(i, 0));

  const std::vector<std::pair<std::string, std::function<Tensor(const Tensor&, const Tensor&)>>> fits = {
      {"mse", [](const Tensor& p, const Tensor& t) { return gradlab::mse_loss(p, t); }},
      {"l1", [](const Tensor& p, const Tensor& t) { return gradlab::l1_loss(p, t); }},
      {"huber", [](const Tensor& p, const Tensor& t) { return gradlab::huber_loss(p, t, 1.0); }},
  };
  for (const auto& [name, loss] : fits) {
    rec.part("fit_" + name, [&] {
      const auto [a, b] = fit_line(reg, loss);
      for (int k = 0; k <= 20; ++k) {
        const Scalar xk = opt.x_low + (opt.x_high - opt.x_low) * k / 20.0;
        rec.add("fit_" + name, xk, a * xk + b);
      }
      rec.scalar("fit_" + name + "_slope", a);
      rec.scalar("fit_" + name + "_intercept", b);
      std::printf("fit %-6s y = %.4f x + %.4f   (true: y = %.1f x + %.1f)\n", name.c_str(), a, b, opt.slope,
                  opt.intercept);
    });
  }
  for (int k = 0; k <= 1; ++k) {
    const Scalar xk = k == 0 ? opt.x_low : opt.x_high;
    rec.add("true_line", xk, opt.slope * xk + opt.intercept);
  }
}

}  // namespace

int main(int argc, char** argv) { return gradlab::experiment::run_main(argc, argv, "03", "main", run); }
