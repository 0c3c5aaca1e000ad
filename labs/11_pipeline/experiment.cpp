// Lab 11 experiment: the whole training pipeline on real data, the UCI handwritten digits
// (1,797 images of 8×8 pixels, 10 classes), split 60/20/20 per class (seed 11).
//
//  (1) capstone: a 64-256-128-10 ReLU MLP with dropout 0.2 after each hidden layer,
//      trained by the Trainer (your train_epoch, evaluate and data loader) with AdamW
//      (η = 3e-3, weight decay 0.01, batches of 32, reshuffled each epoch), a schedule of
//      3 epochs of linear warmup from 0.1η then cosine to 1e-5 at epoch 30, gradient
//      clipping at norm 5, no early stopping; every epoch the training and validation
//      loss and accuracy, the learning rate and the mean gradient norm ("train_loss",
//      "val_loss", "train_acc", "val_acc", "lr", "grad_norm"). The last epoch's weights
//      (the end of the cosine schedule: steadier than the epoch of the best validation
//      accuracy, which 360 validation digits pick noisily) go through your checkpoint
//      encoding and restore into a NEW model, which is then evaluated once on the test
//      set: the confusion matrix as a heat map ("confusion": x = 10·true + predicted,
//      y = count), the per-class F1 ("f1"), the test accuracy (scalar "test_accuracy").
//  (2) search: random against grid search, the same budget of 16 trials over two
//      hyperparameters — Adam's learning rate (1e-4 … 1e-1, log scale) and the L2 weight
//      decay (1e-6 … 1e-2, log scale, which matters much less) — each trial a 64-32-10
//      MLP trained for 6 epochs and scored by its validation accuracy: the best so far
//      against the number of trials ("random_best", "grid_best") and every trial's
//      accuracy against its learning rate ("random_trials", "grid_trials").
//
// Deterministic: fixed seeds, shuffles drawn from the loaders' own generators.
#include "gradlab/activations.h"
#include "gradlab/datasets/digits.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/optimizer.h"
#include "gradlab/pipeline.h"
#include "gradlab/regularization.h"
#include "gradlab/scheduler.h"
#include "gradlab/trainer.h"

#include <cmath>
#include <memory>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
using gradlab::Sequential;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

gradlab::LossFunction cross_entropy() {
  return [](const Tensor& scores, const std::vector<Index>& labels) { return gradlab::cross_entropy_loss(scores, labels); };
}

// in → widths… → out, ReLU (then dropout p, if p > 0) between the layers, weights and
// dropout masks from a seeded generator.
std::shared_ptr<Sequential> mlp(const std::vector<Index>& widths, std::uint64_t seed, Scalar dropout = 0) {
  Rng rng(seed);
  auto net = std::make_shared<Sequential>();
  for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
    if (i > 0) {
      net->add(std::make_shared<gradlab::ReLU>());
      if (dropout > 0) net->add(std::make_shared<gradlab::Dropout>(dropout, rng));
    }
    net->add(std::make_shared<gradlab::Linear>(widths[i], widths[i + 1], rng));
  }
  return net;
}

void capstone(Recorder& rec, const ds::Split& split) {
  const std::vector<Index> widths = {64, 256, 128, 10};
  constexpr Scalar dropout = 0.2;
  constexpr Index epochs = 30;
  auto net = mlp(widths, 1, dropout);
  gradlab::AdamW opt(net->parameters(), {.lr = 3e-3, .weight_decay = 1e-2});
  gradlab::WarmupCosineLR schedule(opt, {.warmup_steps = 3, .total_steps = epochs, .start_factor = 0.1, .eta_min = 1e-5});
  gradlab::DataLoader loader(split.train.x, split.train.labels, {.batch_size = 32}, 7);
  gradlab::Trainer trainer(*net, opt, &schedule, loader, split.validation.x, split.validation.labels, cross_entropy(),
                           {.epochs = epochs, .max_grad_norm = 5.0, .restore_best = false, .progress = true});
  for (const gradlab::EpochLog& e : trainer.fit()) {
    const auto x = static_cast<double>(e.epoch);
    rec.add("train_loss", x, e.train_loss);
    rec.add("val_loss", x, e.val_loss);
    rec.add("train_acc", x, 100.0 * e.train_accuracy);
    rec.add("val_acc", x, 100.0 * e.val_accuracy);
    rec.add("lr", x, e.lr);
    rec.add("grad_norm", x, e.grad_norm);
  }
  rec.scalar("best_epoch", static_cast<double>(trainer.best_epoch()));
  rec.scalar("best_val_accuracy", trainer.best_accuracy());

  // The last epoch's weights through a checkpoint into a fresh model.
  Rng unused(0);
  const std::vector<std::uint8_t> bytes =
      gradlab::encode_checkpoint(gradlab::capture_checkpoint(trainer.epoch(), *net, opt, nullptr, unused));
  auto fresh = mlp(widths, 99, dropout);
  gradlab::AdamW fresh_opt(fresh->parameters());
  gradlab::restore_checkpoint(gradlab::decode_checkpoint(bytes, "best checkpoint"), *fresh, fresh_opt, nullptr, unused);

  const gradlab::Evaluation test = gradlab::evaluate(*fresh, split.test.x, split.test.labels, cross_entropy());
  rec.scalar("test_accuracy", test.accuracy);
  rec.scalar("test_loss", test.loss);
  const gradlab::ClassificationReport report = gradlab::classification_report(split.test.labels, test.predictions, 10);
  for (Index i = 0; i < 10; ++i)
    for (Index j = 0; j < 10; ++j) rec.add("confusion", static_cast<double>(10 * i + j), report.confusion(i, j));
  for (Index k = 0; k < 10; ++k) rec.add("f1", static_cast<double>(k), report.metrics.f1[static_cast<std::size_t>(k)]);
}

// One trial: a small MLP, 6 epochs of Adam at (η, weight decay), the validation accuracy.
Scalar trial(const ds::Split& split, const std::vector<Scalar>& h) {
  auto net = mlp({64, 32, 10}, 3);
  gradlab::Adam opt(net->parameters(), {.lr = h[0], .weight_decay = h[1]});
  gradlab::DataLoader loader(split.train.x, split.train.labels, {.batch_size = 32}, 5);
  for (int epoch = 0; epoch < 6; ++epoch) gradlab::train_epoch(*net, opt, loader, cross_entropy());
  return gradlab::evaluate(*net, split.validation.x, split.validation.labels, cross_entropy()).accuracy;
}

void search(Recorder& rec, const ds::Split& split) {
  const std::vector<gradlab::kernels::SearchAxis> axes = {{1e-4, 1e-1, true}, {1e-6, 1e-2, true}};
  constexpr Index budget = 16;
  Rng rng(2012);
  const auto objective = [&](const std::vector<Scalar>& h) { return trial(split, h); };
  const gradlab::SearchResult random = gradlab::run_search(gradlab::kernels::random_search_trials(axes, budget, rng), objective);
  const gradlab::SearchResult grid = gradlab::run_search(gradlab::kernels::grid_search_trials(axes, budget), objective);
  for (const auto& [name, r] : {std::pair{"random", &random}, std::pair{"grid", &grid}}) {
    for (std::size_t t = 0; t < r->scores.size(); ++t) {
      rec.add(std::string(name) + "_best", static_cast<double>(t + 1), 100.0 * r->best[t]);
      rec.add(std::string(name) + "_trials", r->trials(static_cast<Index>(t), 0), 100.0 * r->scores[t]);
    }
    rec.scalar(std::string(name) + "_best_accuracy", r->best.back());
    rec.scalar(std::string(name) + "_best_lr", r->trials(r->best_trial, 0));
  }
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "11", "main", [](Recorder& rec) {
    const ds::Split split = ds::stratified_split(ds::load_digits(), 0.2, 0.2, 11);
    rec.part("capstone", [&] { capstone(rec, split); });
    rec.part("search", [&] { search(rec, split); });
  });
}
