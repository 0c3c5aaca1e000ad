// Lab 12 experiment: mixed precision and advanced techniques at work, on the UCI digits
// (8×8 images, 10 classes; a stratified split 60 / 20 / 20) and on the spirals.
//
//  (1) gradient magnitudes of a digits MLP (64-64-64-10, ReLU) against half precision's
//      smallest normal (2⁻¹⁴ ≈ 6.1e-5) and subnormal (2⁻²⁴ ≈ 6.0e-8): the histogram of
//      log₁₀|g| of every weight gradient over one epoch, at initialization and after
//      training ("grad_hist_start", "grad_hist_end"), and the fraction of non-zero
//      gradients that round to 0 in half (underflow) or to ±∞ (overflow) when multiplied
//      by a loss scale S = 2^k ("underflow_vs_scale_*", "overflow_vs_scale_end");
//  (2) the same MLP trained with emulated half-precision activations and gradients
//      (every layer's input, weights and output pass through gradlab::quantize; master
//      weights in double): without loss scaling, with GradScaler, and in double
//      ("half_loss_*": training loss per epoch; "half_scale": the scale per step);
//  (3) bfloat16 against half: the largest relative rounding error of numbers in each
//      tenth of a decade from 1e-45 to 1e40 ("relerr_half", "relerr_bfloat16"; 1 means
//      the number became 0 or ∞);
//  (4) mixup on the spirals: a 2-64-64-3 MLP trained with and without mixup (α = 0.4);
//      the decision boundary of each (grid points whose class differs from a neighbour's:
//      "boundary_none", "boundary_mixup") over the training points ("spiral_k");
//  (5) an ensemble of small digits MLPs (64-16-10): test accuracy of the mean of
//      probabilities, the weighted mean (weights = validation accuracy) and the majority
//      vote of the first M members, M = 1 … 10, and each member's own accuracy;
//  (6) distillation (lab 03's distillation_loss) of a 64-128-128-10 teacher into a
//      64-8-10 student for T = 1, 2, 4, 8, 16, against the student trained alone;
//  (7) transfer: a 64-64-64 body pretrained on digits 0–4, then digits 5–9 learnt from
//      n labelled examples with the body frozen, fine-tuned (body 1e-4, head 1e-2), or
//      from scratch ("transfer_*": test accuracy on 5–9 against n).
//
// Deterministic: every random draw from a fixed seed. Every matrix product stays under
// the size at which lab 10's GEMM starts threads: the experiment runs on one core.
#include "gradlab/activations.h"
#include "gradlab/advanced.h"
#include "gradlab/autograd.h"
#include "gradlab/datasets/digits.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/metrics.h"
#include "gradlab/node.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"
#include "gradlab/precision.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace {

using gradlab::FloatFormat;
using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

// ------------------------------------------------------------------ shared pieces

// The digits split once: 60 % train, 20 % validation, 20 % test, stratified.
const ds::Split& digits() {
  static const ds::Split split = ds::stratified_split(ds::load_digits(), 0.2, 0.2, 2024);
  return split;
}

// An MLP of Linear layers with ReLU between them. `half` emulates half precision: the
// input, each layer's weights and bias, and each layer's output are rounded to half
// (values forward, gradients backward).
struct Mlp {
  Mlp(const std::vector<Index>& widths, std::uint64_t seed) {
    Rng init(seed);
    for (std::size_t i = 0; i + 1 < widths.size(); ++i)
      layers.push_back(std::make_shared<gradlab::Linear>(widths[i], widths[i + 1], init));
  }
  // `sink`: where the gradients flowing between the layers (w.r.t. each layer's output)
  // are collected in the backward pass, when given.
  Tensor operator()(Tensor h, std::optional<FloatFormat> half = std::nullopt, std::vector<Scalar>* sink = nullptr) const {
    const auto q = [&](const Tensor& t) { return half ? gradlab::quantize(t, *half) : t; };
    h = q(h);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      h = q(gradlab::linear(h, q(layers[i]->weight()), q(layers[i]->bias())));
      if (sink) h = tap(h, sink);
      if (i + 1 < layers.size()) h = gradlab::relu(h);
    }
    return h;
  }
  // The identity, whose backward pass also copies the non-zero |upstream gradient|s into `sink`.
  static Tensor tap(const Tensor& x, std::vector<Scalar>* sink) {
    return gradlab::record_op(x.value(), "tap", {&x}, [sink](gradlab::Node& self) {
      for (Index i = 0; i < self.grad.size(); ++i)
        if (self.grad.data()[i] != 0.0) sink->push_back(std::abs(self.grad.data()[i]));
      self.parents[0]->ensure_grad() += self.grad;
    });
  }
  std::vector<Tensor> parameters() const {
    std::vector<Tensor> p;
    for (const auto& l : layers)
      for (const Tensor& t : l->parameters()) p.push_back(t);
    return p;
  }
  std::vector<std::shared_ptr<gradlab::Linear>> layers;
};

// The rows `idx` of x and of the labels.
struct Batch {
  Matrix x;
  std::vector<Index> labels;
};
Batch rows(const ds::Classification& d, const std::vector<Index>& idx) {
  Batch b{Matrix(static_cast<Index>(idx.size()), d.x.cols()), {}};
  for (std::size_t i = 0; i < idx.size(); ++i) {
    b.x.row(static_cast<Index>(i)) = d.x.row(idx[i]);
    b.labels.push_back(d.labels[static_cast<std::size_t>(idx[i])]);
  }
  return b;
}

// The mini-batches of one epoch: a fresh shuffle (Fisher–Yates) from `rng`.
std::vector<Batch> epoch_batches(const ds::Classification& d, Index batch_size, Rng& rng) {
  std::vector<Index> order(d.labels.size());
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = static_cast<Index>(order.size()) - 1; i >= 1; --i)
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(rng.index(i + 1))]);
  std::vector<Batch> batches;
  for (std::size_t start = 0; start < order.size(); start += static_cast<std::size_t>(batch_size)) {
    const std::size_t end = std::min(order.size(), start + static_cast<std::size_t>(batch_size));
    batches.push_back(rows(d, std::vector<Index>(order.begin() + static_cast<long>(start), order.begin() + static_cast<long>(end))));
  }
  return batches;
}

Matrix logits_of(const Mlp& net, const Matrix& x, std::optional<FloatFormat> half = std::nullopt) {
  gradlab::NoGradGuard no_grad;
  return net(Tensor(x), half).value();
}

Scalar accuracy_of(const Mlp& net, const ds::Classification& d) {
  return 100.0 * gradlab::accuracy(logits_of(net, d.x), d.labels);
}

// Plain Adam training on a classification set, `epochs` passes of mini-batches.
void train(Mlp& net, const ds::Classification& d, int epochs, Scalar lr, std::uint64_t seed, Index batch = 32) {
  gradlab::Adam opt(net.parameters(), gradlab::AdamOptions{.lr = lr});
  Rng shuffle(seed);
  for (int e = 0; e < epochs; ++e)
    for (const Batch& b : epoch_batches(d, batch, shuffle)) {
      opt.zero_grad();
      gradlab::cross_entropy_loss(net(Tensor(b.x)), b.labels).backward();
      opt.step();
    }
}

// ------------------------------------------------------------------ (1) gradient magnitudes

// The non-zero |gradients| of one epoch's mini-batches (no update): of the weights and
// biases, and of the activations (each layer's output, per example).
struct Gradients {
  std::vector<Scalar> weights, activations;
};
Gradients epoch_gradients(const Mlp& net, const ds::Classification& d, std::uint64_t seed) {
  Rng shuffle(seed);
  Gradients out;
  const auto params = net.parameters();
  for (const Batch& b : epoch_batches(d, 32, shuffle)) {
    for (Tensor p : params) p.zero_grad();
    gradlab::cross_entropy_loss(net(Tensor(b.x), std::nullopt, &out.activations), b.labels).backward();
    for (const Tensor& p : params)
      for (Index i = 0; i < p.grad().size(); ++i)
        if (p.grad().data()[i] != 0.0) out.weights.push_back(std::abs(p.grad().data()[i]));
  }
  return out;
}

void gradient_histograms(Recorder& rec) {
  const ds::Split& s = digits();
  Mlp net({64, 64, 64, 10}, 1);
  const auto record = [&](const std::string& when, const std::vector<Scalar>& g) {  // when: "weights_end", …
    // log₁₀|g| in bins of 0.25 decades from 10⁻¹² to 10⁰, as a fraction of the gradients.
    const Scalar low = -12.0, width = 0.25;
    const int bins = 48;
    std::vector<Scalar> counts(bins, 0.0);
    for (Scalar v : g) {
      const int b = static_cast<int>(std::floor((std::log10(v) - low) / width));
      counts[static_cast<std::size_t>(std::clamp(b, 0, bins - 1))] += 1;
    }
    for (int b = 0; b < bins; ++b)
      rec.add("grad_hist_" + when, low + (b + 0.5) * width, 100.0 * counts[static_cast<std::size_t>(b)] / static_cast<Scalar>(g.size()));
    // The share that rounds to 0 / ±∞ in half once multiplied by S = 2^k.
    for (int k = 0; k <= 24; ++k) {
      const Scalar scale = std::ldexp(1.0, k);
      Scalar under = 0, over = 0;
      for (Scalar v : g) {
        const Scalar r = gradlab::round_to(FloatFormat::Half, scale * v);
        under += r == 0.0 ? 1 : 0;
        over += std::isinf(r) ? 1 : 0;
      }
      // (Only the non-zero shares: the plot has a logarithmic axis.)
      if (under > 0) rec.add("underflow_vs_scale_" + when, k, 100.0 * under / static_cast<Scalar>(g.size()));
      if (over > 0 && when.ends_with("end")) rec.add("overflow_vs_scale_" + when, k, 100.0 * over / static_cast<Scalar>(g.size()));
      if (k == 0) rec.scalar("underflow_percent_" + when + "_unscaled", 100.0 * under / static_cast<Scalar>(g.size()));
      if (k == 16) rec.scalar("underflow_percent_" + when + "_scale_2^16", 100.0 * under / static_cast<Scalar>(g.size()));
    }
  };
  const Gradients start = epoch_gradients(net, s.train, 5);
  record("weights_start", start.weights);
  record("activations_start", start.activations);
  train(net, s.train, 30, 1e-3, 6);
  rec.scalar("grad_mlp_test_accuracy", accuracy_of(net, s.test));
  const Gradients end = epoch_gradients(net, s.train, 5);
  record("weights_end", end.weights);
  record("activations_end", end.activations);
}

// The thresholds as vertical lines on the histogram (log₁₀ of the value, from 0 to 20 %).
void thresholds(Recorder& rec) {
  for (const auto& [name, v] : {std::pair<std::string, Scalar>{"half_min_normal", gradlab::format_min_normal(FloatFormat::Half)},
                                {"half_min_subnormal", gradlab::format_min_subnormal(FloatFormat::Half)}}) {
    for (int i = 0; i <= 20; ++i) rec.add(name, std::log10(v), i);  // a dotted vertical line
  }
}

// ------------------------------------------------------------------ (2) emulated half training

enum class Precision { Double, Half, HalfScaled };

void half_training(Recorder& rec, const std::string& name, Precision precision) {
  const ds::Split& s = digits();
  Mlp net({64, 64, 64, 10}, 1);
  gradlab::SGD opt(net.parameters(), gradlab::SGDOptions{.lr = 0.05, .momentum = 0.9});
  gradlab::GradScaler scaler({.growth_interval = 100});
  const std::optional<FloatFormat> half =
      precision == Precision::Double ? std::nullopt : std::optional<FloatFormat>(FloatFormat::Half);
  Rng shuffle(7);
  const auto train_loss = [&] {
    gradlab::NoGradGuard no_grad;
    return gradlab::cross_entropy_loss(net(Tensor(s.train.x), half), s.train.labels).item();
  };
  rec.add("half_loss_" + name, 0, train_loss());
  int step = 0, skipped = 0;
  Scalar zero_fraction = 0;
  std::int64_t grads_seen = 0;
  for (int epoch = 1; epoch <= 40; ++epoch) {
    for (const Batch& b : epoch_batches(s.train, 32, shuffle)) {
      opt.zero_grad();
      Tensor loss = gradlab::cross_entropy_loss(net(Tensor(b.x), half), b.labels);
      if (precision == Precision::HalfScaled) {
        scaler.scale(loss).backward();
        skipped += scaler.step(opt) ? 0 : 1;
        scaler.update();
        rec.add("half_scale", step, scaler.get_scale());
      } else {
        loss.backward();
        opt.step();
      }
      if (epoch == 40)  // the share of weight gradients that are exactly 0 in the last epoch
        for (const Tensor& p : opt.params()) {
          zero_fraction += static_cast<Scalar>((p.grad().array() == 0.0).count());
          grads_seen += p.grad().size();
        }
      ++step;
    }
    rec.add("half_loss_" + name, epoch, train_loss());
  }
  rec.scalar("half_test_accuracy_" + name, 100.0 * gradlab::accuracy(logits_of(net, s.test.x, half), s.test.labels));
  rec.scalar("half_final_loss_" + name, train_loss());
  rec.scalar("half_zero_gradients_last_epoch_percent_" + name, 100.0 * zero_fraction / static_cast<Scalar>(grads_seen));
  if (precision == Precision::HalfScaled) {
    rec.scalar("half_skipped_steps", skipped);
    rec.scalar("half_final_scale", scaler.get_scale());
  }
}

// ------------------------------------------------------------------ (3) half against bfloat16

void formats(Recorder& rec) {
  Rng rng(3);
  for (int t = -450; t <= 400; ++t) {  // tenths of a decade
    Scalar worst_half = 0, worst_bf16 = 0;
    for (int i = 0; i < 32; ++i) {
      const Scalar x = std::pow(10.0, (t + rng.uniform()) / 10.0);
      const auto rel = [&](FloatFormat f) {
        const Scalar r = gradlab::round_to(f, x);
        return std::isfinite(r) ? std::abs(r - x) / x : 1.0;
      };
      worst_half = std::max(worst_half, rel(FloatFormat::Half));
      worst_bf16 = std::max(worst_bf16, rel(FloatFormat::BFloat16));
    }
    // Exactly 0 error cannot be drawn on a log axis; it does not happen with random x.
    rec.add("relerr_half", t / 10.0, worst_half);
    rec.add("relerr_bfloat16", t / 10.0, worst_bf16);
  }
  rec.scalar("bfloat16_unit_roundoff", std::ldexp(1.0, -8));
  rec.scalar("half_unit_roundoff", std::ldexp(1.0, -11));
}

// ------------------------------------------------------------------ (4) mixup on the spirals

struct Spirals {
  ds::Classification train, val;
};
const Spirals& spirals() {
  static const Spirals s = [] {
    Rng a(31), b(32);
    return Spirals{ds::spiral(3, 60, 0.25, a), ds::spiral(3, 200, 0.25, b)};
  }();
  return s;
}

void mixup_run(Recorder& rec, const std::string& name, Scalar alpha) {
  const Spirals& s = spirals();
  Mlp net({2, 64, 64, 3}, 33);
  gradlab::Adam opt(net.parameters(), gradlab::AdamOptions{.lr = 0.01});
  const Matrix y = gradlab::one_hot(s.train.labels, 3);
  Rng draws(34);
  for (int step = 0; step < 1500; ++step) {
    opt.zero_grad();
    if (alpha > 0) {
      const gradlab::MixupBatch b = gradlab::mixup(s.train.x, y, alpha, draws);
      gradlab::soft_cross_entropy_loss(net(Tensor(b.x)), Tensor(b.y)).backward();
    } else {
      gradlab::cross_entropy_loss(net(Tensor(s.train.x)), s.train.labels).backward();
    }
    opt.step();
  }
  // The boundary: grid points whose class differs from the right or upper neighbour's.
  const int n = 121;
  const Scalar lo = -1.2, hi = 1.2, step = (hi - lo) / (n - 1);
  Matrix grid(n * n, 2);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) grid.row(i * n + j) << lo + j * step, lo + i * step;
  const Matrix logits = logits_of(net, grid);
  const std::vector<Index> cls = gradlab::argmax_rows(logits);
  Scalar confident = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const Index c = cls[static_cast<std::size_t>(i * n + j)];
      const bool edge = (j + 1 < n && cls[static_cast<std::size_t>(i * n + j + 1)] != c) ||
                        (i + 1 < n && cls[static_cast<std::size_t>((i + 1) * n + j)] != c);
      if (edge) rec.add("boundary_" + name, grid(i * n + j, 0) + 0.5 * step, grid(i * n + j, 1) + 0.5 * step);
      const Eigen::RowVectorXd z = logits.row(i * n + j);
      const Scalar p_max = 1.0 / (z.array() - z.maxCoeff()).exp().sum();
      confident += p_max > 0.99 ? 1 : 0;
    }
  rec.scalar("mixup_val_accuracy_" + name, 100.0 * gradlab::accuracy(logits_of(net, s.val.x), s.val.labels));
  rec.scalar("mixup_train_accuracy_" + name, 100.0 * gradlab::accuracy(logits_of(net, s.train.x), s.train.labels));
  rec.scalar("mixup_grid_confident_percent_" + name, 100.0 * confident / (n * n));
}

void spiral_points(Recorder& rec) {
  const ds::Classification& t = spirals().train;
  for (Index i = 0; i < t.x.rows(); ++i)
    rec.add("spiral_" + std::to_string(t.labels[static_cast<std::size_t>(i)]), t.x(i, 0), t.x(i, 1));
}

// ------------------------------------------------------------------ (5) ensembles

void ensembles(Recorder& rec) {
  const ds::Split& s = digits();
  const int members = 10;
  std::vector<Matrix> test_logits;
  std::vector<Scalar> weights;
  for (int m = 0; m < members; ++m) {
    Mlp net({64, 16, 10}, 100 + m);
    train(net, s.train, 8, 3e-3, 200 + m);
    test_logits.push_back(logits_of(net, s.test.x));
    weights.push_back(accuracy_of(net, s.validation));
    const Scalar own = 100.0 * gradlab::accuracy(test_logits.back(), s.test.labels);
    rec.add("ensemble_member", m + 1, own);
    const std::vector<Matrix> first(test_logits.begin(), test_logits.end());
    rec.add("ensemble_mean", m + 1, 100.0 * gradlab::accuracy(gradlab::ensemble_mean(first), s.test.labels));
    rec.add("ensemble_weighted", m + 1, 100.0 * gradlab::accuracy(gradlab::ensemble_weighted_mean(first, weights), s.test.labels));
    const std::vector<Index> votes = gradlab::majority_vote(first);
    Scalar right = 0;
    for (std::size_t i = 0; i < votes.size(); ++i) right += votes[i] == s.test.labels[i] ? 1 : 0;
    rec.add("ensemble_vote", m + 1, 100.0 * right / static_cast<Scalar>(votes.size()));
  }
  Scalar mean_member = 0;
  for (Scalar a : rec.series("ensemble_member").y) mean_member += a / members;
  rec.scalar("ensemble_mean_member_accuracy", mean_member);
  rec.scalar("ensemble_mean_accuracy_10", rec.series("ensemble_mean").y.back());
  rec.scalar("ensemble_vote_accuracy_10", rec.series("ensemble_vote").y.back());
  rec.scalar("ensemble_weighted_accuracy_10", rec.series("ensemble_weighted").y.back());
}

// ------------------------------------------------------------------ (6) distillation

void distillation(Recorder& rec) {
  const ds::Split& s = digits();
  Mlp teacher({64, 128, 128, 10}, 41);
  train(teacher, s.train, 30, 1e-3, 42);
  const Scalar teacher_acc = accuracy_of(teacher, s.test);
  rec.scalar("distill_teacher_accuracy", teacher_acc);
  const std::vector<Scalar> temperatures = {1, 2, 4, 8, 16};
  const int epochs = 40;
  // The student alone (hard labels), then distilled at each T (α = 0.1 on the hard loss).
  const auto student_run = [&](std::optional<Scalar> temperature) {
    Scalar total = 0;
    for (int seed = 0; seed < 3; ++seed) {  // mean over 3 initializations: one is noisy
      Mlp student({64, 8, 10}, 50 + seed);
      gradlab::Adam opt(student.parameters(), gradlab::AdamOptions{.lr = 3e-3});
      Rng shuffle(60 + seed);
      for (int e = 0; e < epochs; ++e)
        for (const Batch& b : epoch_batches(s.train, 32, shuffle)) {
          opt.zero_grad();
          const Tensor z = student(Tensor(b.x));
          if (temperature) {
            const Tensor t(logits_of(teacher, b.x));
            gradlab::distillation_loss(z, t, b.labels, {.temperature = *temperature, .alpha = 0.1}).backward();
          } else {
            gradlab::cross_entropy_loss(z, b.labels).backward();
          }
          opt.step();
        }
      total += accuracy_of(student, s.test);
    }
    return total / 3.0;
  };
  const Scalar alone = student_run(std::nullopt);
  rec.scalar("distill_student_alone_accuracy", alone);
  for (Scalar t : temperatures) {
    const Scalar acc = student_run(t);
    rec.add("distill_student", t, acc);
    rec.add("distill_alone", t, alone);
    rec.add("distill_teacher", t, teacher_acc);
    rec.scalar("distill_accuracy_T" + std::to_string(static_cast<int>(t)), acc);
  }
}

// ------------------------------------------------------------------ (7) transfer

ds::Classification digits_between(const ds::Classification& d, Index first, Index last) {
  std::vector<Index> idx;
  for (std::size_t i = 0; i < d.labels.size(); ++i)
    if (d.labels[i] >= first && d.labels[i] <= last) idx.push_back(static_cast<Index>(i));
  const Batch b = rows(d, idx);
  ds::Classification out{b.x, b.labels, last - first + 1};
  for (Index& l : out.labels) l -= first;
  return out;
}

constexpr int kBodyLayers = 1;  // the pretrained layers reused: the first (generic strokes)

void transfer(Recorder& rec) {
  const ds::Split& s = digits();
  const ds::Classification pre = digits_between(s.train, 0, 4);
  const ds::Classification target_train = digits_between(s.train, 5, 9), target_test = digits_between(s.test, 5, 9);
  // Pretraining: body 64-64-64 (ReLU after each) and a head for digits 0–4.
  Mlp pretrained({64, 64, 64, 5}, 71);
  train(pretrained, pre, 5, 1e-3, 72);
  rec.scalar("transfer_pretrain_accuracy_0_4", accuracy_of(pretrained, digits_between(s.test, 0, 4)));
  // Balanced subsets of the 5–9 training set: the first n/5 of each class.
  const auto subset = [&](Index n) {
    std::vector<Index> idx;
    std::vector<Index> taken(5, 0);
    for (std::size_t i = 0; i < target_train.labels.size(); ++i) {
      const Index c = target_train.labels[i];
      if (taken[static_cast<std::size_t>(c)] < n / 5) {
        idx.push_back(static_cast<Index>(i));
        ++taken[static_cast<std::size_t>(c)];
      }
    }
    const Batch b = rows(target_train, idx);
    return ds::Classification{b.x, b.labels, 5};
  };
  for (const Index n : {10, 25, 50, 100, 200, 500}) {
    const ds::Classification d = subset(n);
    for (const std::string mode : {"frozen", "finetune", "scratch"}) {
      Mlp net({64, 64, 64, 5}, 80);  // a fresh head (and, for scratch, a fresh body)
      if (mode != "scratch")
        for (int l = 0; l < kBodyLayers; ++l) {
          net.layers[static_cast<std::size_t>(l)]->weight().value() = pretrained.layers[static_cast<std::size_t>(l)]->weight().value();
          net.layers[static_cast<std::size_t>(l)]->bias().value() = pretrained.layers[static_cast<std::size_t>(l)]->bias().value();
        }
      std::vector<Tensor> body, head;
      for (std::size_t l = kBodyLayers; l < net.layers.size(); ++l)
        for (const Tensor& p : net.layers[l]->parameters()) head.push_back(p);
      for (int l = 0; l < kBodyLayers; ++l)
        for (const Tensor& p : net.layers[static_cast<std::size_t>(l)]->parameters()) body.push_back(p);
      const auto groups = gradlab::transfer_param_groups(
          body, head, mode == "frozen" ? gradlab::TransferMode::Frozen : gradlab::TransferMode::FineTune,
          {.lr = mode == "scratch" ? 1e-2 : 1e-4}, {.lr = 1e-2});
      gradlab::Adam opt(groups);
      for (int step = 0; step < 150; ++step) {  // full batch: n is small
        opt.zero_grad();
        gradlab::cross_entropy_loss(net(Tensor(d.x)), d.labels).backward();
        opt.step();
      }
      const Scalar acc = accuracy_of(net, target_test);
      rec.add("transfer_" + mode, static_cast<Scalar>(d.labels.size()), acc);
      rec.scalar("transfer_" + mode + "_n" + std::to_string(d.labels.size()), acc);
      rec.scalar("transfer_" + mode + "_train_n" + std::to_string(d.labels.size()), accuracy_of(net, d));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "12", "main", [](Recorder& rec) {
    rec.part("thresholds", [&] { thresholds(rec); });
    rec.part("grad_hist", [&] { gradient_histograms(rec); });
    rec.part("half_double", [&] { half_training(rec, "double", Precision::Double); });
    rec.part("half_unscaled", [&] { half_training(rec, "half", Precision::Half); });
    rec.part("half_scaled", [&] { half_training(rec, "half_scaled", Precision::HalfScaled); });
    rec.part("formats", [&] { formats(rec); });
    rec.part("spiral_points", [&] { spiral_points(rec); });
    rec.part("mixup_none", [&] { mixup_run(rec, "none", 0.0); });
    rec.part("mixup", [&] { mixup_run(rec, "mixup", 0.4); });
    rec.part("ensembles", [&] { ensembles(rec); });
    rec.part("distillation", [&] { distillation(rec); });
    rec.part("transfer", [&] { transfer(rec); });
  });
}
