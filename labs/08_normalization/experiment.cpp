// Lab 08 experiment: normalization layers at work, on a 3-arm spiral (2 inputs, 3 classes).
//
//  (1) the same MLP (2 → 32 → 32 → 3, ReLU, plain SGD, mini-batches of 32) without and
//      with BatchNorm after each hidden Linear, at learning rates η = 0.1, 5η and 10η:
//      the training loss per epoch ("lr_plain_<k>", "lr_bn_<k>", k = 1, 5, 10; a run whose
//      loss passes 10³ or stops being finite is cut there);
//  (2) the same two networks (SGD, η = 0.1) with every weight matrix of the default
//      initialization multiplied by 0.1, 1 or 10: the training loss per epoch
//      ("init_plain_<s>", "init_bn_<s>", s = 0p1, 1, 10);
//  (3) BatchNorm, LayerNorm and GroupNorm (8 groups of 4) after each hidden Linear,
//      trained with Adam (0.01) for the same 10 epochs at batch sizes 2, 4, 8, 32, 128:
//      the validation accuracy in evaluation mode against the batch size ("bs_bn",
//      "bs_ln", "bs_gn");
//  (4) the BatchNorm network (Adam, batches of 32), evaluated every epoch on the
//      validation set with the running statistics (correct), with the statistics of the
//      whole validation batch, and, wrongly, with the statistics of each batch of 4
//      ("gap_running", "gap_batch_all", "gap_batch4"); the running statistics are saved
//      and restored around the wrong evaluations (BatchNorm1d::running_mean() /
//      set_running_stats()), so training is not disturbed.
//
// Deterministic: fixed seeds, shuffles drawn from explicit generators. The matrices are
// small: the experiment runs on one core.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/metrics.h"
#include "gradlab/normalization.h"
#include "gradlab/optimizer.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
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

constexpr Index kWidth = 32;

enum class Norm { None, Batch, Layer, Group };

// 2 → 32 → 32 → 3, ReLU, the normalization (if any) between each hidden Linear and its
// ReLU. The same Linear weights for every variant (the same seed), times `init_scale`.
struct Net {
  Net(Norm norm, Scalar init_scale, std::uint64_t seed) {
    Rng init(seed);
    const auto linear = [&](Index in, Index out) {
      auto l = std::make_shared<gradlab::Linear>(in, out, init);
      Tensor w = l->weight();
      w.value() *= init_scale;
      return l;
    };
    const auto normalization = [&]() -> std::shared_ptr<gradlab::Module> {
      switch (norm) {
        case Norm::Batch: {
          auto bn = std::make_shared<gradlab::BatchNorm1d>(kWidth);
          batch_norms.push_back(bn);
          return bn;
        }
        case Norm::Layer: return std::make_shared<gradlab::LayerNorm>(kWidth);
        case Norm::Group: return std::make_shared<gradlab::GroupNorm>(8, kWidth);
        case Norm::None: break;
      }
      return nullptr;
    };
    for (Index in : {Index{2}, kWidth}) {
      net.add(linear(in, kWidth));
      if (auto n = normalization()) net.add(n);
      net.add(std::make_shared<gradlab::ReLU>());
    }
    net.add(linear(kWidth, 3));
  }
  gradlab::Sequential net;
  std::vector<std::shared_ptr<gradlab::BatchNorm1d>> batch_norms;
};

struct Data {
  ds::Classification train, val;
};

Data spiral_data() {
  Rng train_rng(1), val_rng(2);
  return {ds::spiral(3, 80, 0.15, train_rng), ds::spiral(3, 80, 0.15, val_rng)};
}

// The rows `order[begin, end)` of a data set as a batch.
Tensor batch_x(const ds::Classification& d, const std::vector<Index>& order, std::size_t begin, std::size_t end) {
  Matrix x(static_cast<Index>(end - begin), d.x.cols());
  for (std::size_t i = begin; i < end; ++i) x.row(static_cast<Index>(i - begin)) = d.x.row(order[i]);
  return Tensor(x);
}
std::vector<Index> batch_labels(const ds::Classification& d, const std::vector<Index>& order, std::size_t begin,
                                std::size_t end) {
  std::vector<Index> l;
  for (std::size_t i = begin; i < end; ++i) l.push_back(d.labels[static_cast<std::size_t>(order[i])]);
  return l;
}

void shuffle(std::vector<Index>& order, Rng& rng) {
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<Scalar>(i + 1));
    std::swap(order[i], order[std::min(j, i)]);
  }
}

// One epoch of mini-batch training (a last batch of one row is skipped: BatchNorm
// rejects it); returns the mean of the batches' losses.
Scalar train_epoch(Net& m, gradlab::Optimizer& opt, const ds::Classification& d, std::size_t batch, Rng& rng) {
  std::vector<Index> order(d.labels.size());
  std::iota(order.begin(), order.end(), Index{0});
  shuffle(order, rng);
  m.net.train();
  Scalar total = 0;
  int batches = 0;
  for (std::size_t b = 0; b + 2 <= order.size(); b += batch) {
    const std::size_t e = std::min(b + batch, order.size());
    opt.zero_grad();
    Tensor loss = gradlab::cross_entropy_loss(m.net(batch_x(d, order, b, e)), batch_labels(d, order, b, e));
    loss.backward();
    opt.step();
    total += loss.item();
    ++batches;
  }
  return total / batches;
}

Scalar eval_accuracy(Net& m, const ds::Classification& d) {
  gradlab::NoGradGuard no_grad;
  m.net.eval();
  const Scalar acc = 100.0 * gradlab::accuracy(m.net(Tensor(d.x)), d.labels);
  m.net.train();
  return acc;
}

std::string scale_name(Scalar s) { return s == 0.1 ? "0p1" : std::to_string(static_cast<int>(s)); }

// (1) and (2): the training loss per epoch, cut when it blows up.
void loss_curve(Recorder& rec, const std::string& series, Norm norm, Scalar lr, Scalar init_scale) {
  const Data data = spiral_data();
  Net m(norm, init_scale, 7);
  gradlab::SGD opt(m.net.parameters(), lr);
  Rng rng(8);
  for (int epoch = 1; epoch <= 40; ++epoch) {
    const Scalar loss = train_epoch(m, opt, data.train, 32, rng);
    if (!std::isfinite(loss) || loss > 1e3) break;
    rec.add(series, epoch, loss);
  }
  rec.scalar(series + "_final", rec.series(series).y.back());
}

// (3): validation accuracy after 10 epochs at one batch size.
void batch_size_point(Recorder& rec, const std::string& series, Norm norm, std::size_t batch) {
  const Data data = spiral_data();
  Net m(norm, 1.0, 11);
  gradlab::Adam opt(m.net.parameters(), gradlab::AdamOptions{.lr = 0.01});
  Rng rng(12);
  for (int epoch = 0; epoch < 10; ++epoch) train_epoch(m, opt, data.train, batch, rng);
  rec.add(series, static_cast<Scalar>(batch), eval_accuracy(m, data.val));
}

// (4): accuracy on the validation set with batch statistics over batches of `batch`
// rows, the running statistics saved and restored around it.
Scalar accuracy_with_batch_statistics(Net& m, const ds::Classification& d, std::size_t batch) {
  std::vector<std::pair<Matrix, Matrix>> saved;
  for (const auto& bn : m.batch_norms) saved.emplace_back(bn->running_mean(), bn->running_var());
  gradlab::NoGradGuard no_grad;
  m.net.train();
  // The validation set is ordered by class: a fixed shuffle, so that a batch of 4 mixes classes.
  std::vector<Index> order(d.labels.size());
  std::iota(order.begin(), order.end(), Index{0});
  Rng shuffle_rng(15);
  shuffle(order, shuffle_rng);
  Index correct = 0;
  for (std::size_t b = 0; b < order.size(); b += batch) {
    const std::size_t e = std::min(b + batch, order.size());
    const Tensor logits = m.net(batch_x(d, order, b, e));
    const std::vector<Index> labels = batch_labels(d, order, b, e);
    correct += static_cast<Index>(std::lround(gradlab::accuracy(logits, labels) * static_cast<Scalar>(e - b)));
  }
  for (std::size_t i = 0; i < saved.size(); ++i) m.batch_norms[i]->set_running_stats(saved[i].first, saved[i].second);
  return 100.0 * static_cast<Scalar>(correct) / static_cast<Scalar>(order.size());
}

void train_eval_gap(Recorder& rec) {
  const Data data = spiral_data();
  Net m(Norm::Batch, 1.0, 13);
  gradlab::Adam opt(m.net.parameters(), gradlab::AdamOptions{.lr = 0.01});
  Rng rng(14);
  for (int epoch = 1; epoch <= 30; ++epoch) {
    train_epoch(m, opt, data.train, 32, rng);
    rec.add("gap_running", epoch, eval_accuracy(m, data.val));
    rec.add("gap_batch_all", epoch, accuracy_with_batch_statistics(m, data.val, data.val.labels.size()));
    rec.add("gap_batch4", epoch, accuracy_with_batch_statistics(m, data.val, 4));
  }
  for (const char* s : {"gap_running", "gap_batch_all", "gap_batch4"}) {
    rec.scalar(std::string(s) + "_final", rec.series(s).y.back());
  }
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "08", "main", [](Recorder& rec) {
    const Scalar eta = 0.1;
    for (const int k : {1, 5, 10}) {
      const std::string suffix = std::to_string(k);
      rec.part("lr_plain_" + suffix, [&] { loss_curve(rec, "lr_plain_" + suffix, Norm::None, k * eta, 1.0); });
      rec.part("lr_bn_" + suffix, [&] { loss_curve(rec, "lr_bn_" + suffix, Norm::Batch, k * eta, 1.0); });
    }
    for (const Scalar s : {0.1, 1.0, 10.0}) {
      const std::string suffix = scale_name(s);
      rec.part("init_plain_" + suffix, [&] { loss_curve(rec, "init_plain_" + suffix, Norm::None, eta, s); });
      rec.part("init_bn_" + suffix, [&] { loss_curve(rec, "init_bn_" + suffix, Norm::Batch, eta, s); });
    }
    const std::vector<std::pair<std::string, Norm>> norms = {{"bn", Norm::Batch}, {"ln", Norm::Layer}, {"gn", Norm::Group}};
    for (const auto& [name, norm] : norms) {
      rec.part("bs_" + name, [&, name = name, norm = norm] {
        for (const std::size_t b : {2, 4, 8, 32, 128}) batch_size_point(rec, "bs_" + name, norm, b);
      });
    }
    rec.part("gap", [&] { train_eval_gap(rec); });
  });
}
