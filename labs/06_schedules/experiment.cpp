// Lab 06 experiment: what the learning rate's schedule does to training.
//
//  (1) every schedule's rate over 100 epochs, from η₀ = 0.1 ("lr_<schedule>"), and
//      reduce-on-plateau on a scripted validation loss ("lr_plateau", with the loss
//      itself in "plateau_metric");
//  (2) a spiral MLP trained with Adam at a large rate, with and without a linear warmup:
//      the training loss over the first steps ("warmup_loss_none", "warmup_loss_<W>");
//  (3) the learning-rate range test on the same MLP: the smoothed loss against the rate
//      ("finder_smoothed", the raw losses in "finder_raw"), the suggested rate
//      ("finder_suggestion", drawn as a vertical segment), then training at the
//      suggestion, 10× lower and 10× higher ("suggested_loss_<factor>");
//  (4) the linear scaling rule: batch 32 at η against batch 256 at 8η with warmup (and
//      without, and at η), the training loss against the number of examples seen
//      ("scaling_loss_<setting>").
//
// Deterministic: every random draw (data, initial weights, batch order) comes from a
// fixed seed. Only this lab's kernels differ between your run and the reference.
#include "gradlab/activations.h"
#include "gradlab/datasets/synthetic.h"
#include "gradlab/experiment/recorder.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/optimizer.h"
#include "gradlab/scheduler.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::experiment::Recorder;
namespace ds = gradlab::datasets;

// ------------------------------------------------------------------ (1) the schedules

constexpr Scalar kBaseLr = 0.1;
constexpr int kEpochs = 100;

// Records the rate of every epoch 0 … 99 under the scheduler that make() builds.
void rate_curve(Recorder& rec, const std::string& name,
                const std::function<std::unique_ptr<gradlab::Scheduler>(gradlab::Optimizer&)>& make) {
  Tensor p(Matrix::Zero(1, 1), true);
  gradlab::SGD opt({p}, kBaseLr);
  const auto schedule = make(opt);
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    rec.add("lr_" + name, epoch, opt.lr());
    schedule->step();
  }
}

template <class S, class Options>
std::function<std::unique_ptr<gradlab::Scheduler>(gradlab::Optimizer&)> make(Options o) {
  return [o](gradlab::Optimizer& opt) { return std::make_unique<S>(opt, o); };
}

// A validation loss that falls quickly, then creeps down and wobbles: ReduceLROnPlateau
// (patience 5, relative threshold 1%, cooldown 3) halves the rate when it stalls.
void plateau_curve(Recorder& rec) {
  Tensor p(Matrix::Zero(1, 1), true);
  gradlab::SGD opt({p}, kBaseLr);
  gradlab::ReduceLROnPlateau plateau(
      opt, gradlab::PlateauOptions{.factor = 0.5, .patience = 5, .threshold = 1e-2, .cooldown = 3, .min_lr = 1e-3});
  for (int epoch = 0; epoch < kEpochs; ++epoch) {
    const Scalar e = epoch;
    const Scalar metric = 0.3 + 0.7 * std::exp(-e / 12.0) + 0.02 * std::sin(1.3 * e) / (1.0 + e / 20.0);
    rec.add("lr_plateau", epoch, opt.lr());
    rec.add("plateau_metric", epoch, metric);
    plateau.step(metric);
  }
}

void schedules(Recorder& rec) {
  using namespace gradlab;
  rec.part("lr_constant", [&] { rate_curve(rec, "constant", make<ConstantLR>(ConstantLROptions{.factor = 0.5, .total_iters = 10})); });
  rec.part("lr_step", [&] { rate_curve(rec, "step", make<StepLR>(StepLROptions{.step_size = 30, .gamma = 0.1})); });
  rec.part("lr_multistep", [&] {
    rate_curve(rec, "multistep", make<MultiStepLR>(MultiStepLROptions{.milestones = {40, 70, 90}, .gamma = 0.3}));
  });
  rec.part("lr_exponential", [&] { rate_curve(rec, "exponential", make<ExponentialLR>(ExponentialLROptions{.gamma = 0.95})); });
  rec.part("lr_cosine", [&] {
    rate_curve(rec, "cosine", make<CosineAnnealingLR>(CosineAnnealingOptions{.t_max = kEpochs, .eta_min = 1e-3}));
  });
  rec.part("lr_restarts", [&] {
    rate_curve(rec, "restarts",
               make<CosineAnnealingWarmRestarts>(WarmRestartsOptions{.t_0 = 10, .t_mult = 2, .eta_min = 1e-3}));
  });
  rec.part("lr_warmup", [&] {
    rate_curve(rec, "warmup", make<LinearWarmupLR>(LinearWarmupOptions{.warmup_steps = 10, .start_factor = 0.01}));
  });
  rec.part("lr_warmup_cosine", [&] {
    rate_curve(rec, "warmup_cosine",
               make<WarmupCosineLR>(WarmupCosineOptions{
                   .warmup_steps = 10, .total_steps = kEpochs, .start_factor = 0.01, .eta_min = 1e-3}));
  });
  rec.part("lr_one_cycle", [&] { rate_curve(rec, "one_cycle", make<OneCycleLR>(OneCycleOptions{.total_steps = kEpochs})); });
  rec.part("lr_polynomial", [&] {
    rate_curve(rec, "polynomial", make<PolynomialLR>(PolynomialLROptions{.total_iters = kEpochs, .power = 2.0}));
  });
  rec.part("lr_plateau", [&] { plateau_curve(rec); });
}

// ------------------------------------------------------------------ the spiral MLP

struct Mlp {
  Mlp(Index hidden, gradlab::Rng& rng) : l1(2, hidden, rng), l2(hidden, hidden, rng), out(hidden, 3, rng) {}
  Tensor operator()(const Tensor& x) { return out(gradlab::relu(l2(gradlab::relu(l1(x))))); }
  std::vector<Tensor> parameters() {
    std::vector<Tensor> p;
    for (gradlab::Linear* layer : {&l1, &l2, &out})
      for (const Tensor& t : layer->parameters()) p.push_back(t);
    return p;
  }
  gradlab::Linear l1, l2, out;
};

ds::Classification spiral_data() {
  gradlab::Rng rng(11);
  return ds::spiral(3, 200, 0.2, rng);
}

// Mini-batches in a fixed shuffled order: epoch after epoch, each a fresh permutation
// drawn from the batch generator's own seed (the same for every run).
class Batches {
 public:
  Batches(const ds::Classification& data, Index batch_size) : data_(data), size_(batch_size), rng_(99) { shuffle(); }
  // The next batch: its rows and labels.
  std::pair<Tensor, std::vector<Index>> next() {
    const Index n = data_.x.rows();
    if (at_ + size_ > n) shuffle();
    Matrix x(size_, data_.x.cols());
    std::vector<Index> labels(static_cast<std::size_t>(size_));
    for (Index i = 0; i < size_; ++i) {
      const Index row = order_[static_cast<std::size_t>(at_ + i)];
      x.row(i) = data_.x.row(row);
      labels[static_cast<std::size_t>(i)] = data_.labels[static_cast<std::size_t>(row)];
    }
    at_ += size_;
    return {Tensor(x), labels};
  }

 private:
  void shuffle() {
    const Index n = data_.x.rows();
    order_.resize(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) order_[static_cast<std::size_t>(i)] = i;
    for (Index i = n - 1; i > 0; --i) std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(rng_.index(i + 1))]);
    at_ = 0;
  }
  const ds::Classification& data_;
  Index size_;
  gradlab::Rng rng_;
  std::vector<Index> order_;
  Index at_ = 0;
};

Scalar full_loss(Mlp& model, const ds::Classification& data) {
  gradlab::NoGradGuard no_grad;
  const Scalar loss = gradlab::cross_entropy_loss(model(Tensor(data.x)), data.labels).item();
  return std::isfinite(loss) ? loss : NAN;
}

// One mini-batch step; returns the batch's loss before the step.
Scalar train_step(Mlp& model, gradlab::Optimizer& opt, Batches& batches) {
  auto [x, labels] = batches.next();
  opt.zero_grad();
  Tensor loss = gradlab::cross_entropy_loss(model(x), labels);
  loss.backward();
  opt.step();
  return loss.item();
}

// ------------------------------------------------------------------ (2) warmup

// A linear warmup from 0 over `warmup` steps, or (0) the constant schedule: every run
// is driven by a scheduler.
std::unique_ptr<gradlab::Scheduler> warmup_or_constant(gradlab::Optimizer& opt, int warmup) {
  if (warmup == 0) return std::make_unique<gradlab::ConstantLR>(opt, gradlab::ConstantLROptions{.factor = 1.0, .total_iters = 0});
  return std::make_unique<gradlab::LinearWarmupLR>(opt, gradlab::LinearWarmupOptions{.warmup_steps = warmup});
}

constexpr Index kHidden = 64;
constexpr int kWarmupSteps = 300;

// Adam at η = 0.05 (a large rate for this network), batch 32, with a linear warmup of
// `warmup` steps from 0 (0: none). The full training loss every 2 steps.
void warmup_run(Recorder& rec, const ds::Classification& data, int warmup) {
  gradlab::Rng init(2024);
  Mlp model(kHidden, init);
  gradlab::Adam opt(model.parameters(), gradlab::AdamOptions{.lr = 0.05});
  const auto schedule = warmup_or_constant(opt, warmup);
  Batches batches(data, 32);
  const std::string name = "warmup_loss_" + (warmup > 0 ? std::to_string(warmup) : std::string("none"));
  for (int step = 0; step <= kWarmupSteps; ++step) {
    if (step % 2 == 0) rec.add(name, step, full_loss(model, data));
    if (step == kWarmupSteps) break;
    train_step(model, opt, batches);
    schedule->step();
  }
}

// ------------------------------------------------------------------ (3) the range test

constexpr int kSuggestedSteps = 400;

// SGD with momentum 0.9, batch 32: the range test from 1e-4 to 10 over 300 steps.
gradlab::RangeTestResult find_rate(const ds::Classification& data) {
  gradlab::Rng init(2024);
  Mlp model(kHidden, init);
  gradlab::SGD opt(model.parameters(), gradlab::SGDOptions{.lr = 0.01, .momentum = 0.9});
  Batches batches(data, 32);
  return gradlab::lr_range_test(opt, [&] { return train_step(model, opt, batches); },
                                gradlab::RangeTestOptions{.start_lr = 1e-4, .end_lr = 10.0, .num_steps = 300});
}

// \p x to 10 significant digits.
Scalar rounded(Scalar x) {
  if (x == 0 || !std::isfinite(x)) return x;
  const Scalar scale = std::pow(10.0, 9 - std::floor(std::log10(std::abs(x))));
  return std::round(x * scale) / scale;
}

void record_range_test(Recorder& rec, const gradlab::RangeTestResult& r) {
  // The rates are drawn rounded to 10 significant digits: a correct sweep computed in
  // another order (an ulp apart) still lands on the reference's points.
  for (std::size_t i = 0; i < r.lrs.size(); ++i) {
    rec.add("finder_raw", rounded(r.lrs[i]), std::isfinite(r.losses[i]) ? r.losses[i] : NAN);
    rec.add("finder_smoothed", rounded(r.lrs[i]), std::isfinite(r.smoothed[i]) ? r.smoothed[i] : NAN);
  }
  // The suggestion as a vertical segment from the lowest loss to the highest smoothed one.
  Scalar low = INFINITY, high = 0;
  for (std::size_t i = 0; i < r.lrs.size(); ++i) {
    if (std::isfinite(r.losses[i])) low = std::min(low, r.losses[i]);
    if (std::isfinite(r.smoothed[i])) high = std::max(high, r.smoothed[i]);
  }
  rec.add("finder_suggestion", rounded(r.suggestion), low);
  rec.add("finder_suggestion", rounded(r.suggestion), high);
  rec.scalar("finder_suggested_lr", r.suggestion);
  rec.scalar("finder_steps", static_cast<Scalar>(r.lrs.size()));
}

// Training from the same start at factor × the suggested rate.
void suggested_run(Recorder& rec, const ds::Classification& data, Scalar lr, const std::string& name) {
  gradlab::Rng init(2024);
  Mlp model(kHidden, init);
  gradlab::SGD opt(model.parameters(), gradlab::SGDOptions{.lr = lr, .momentum = 0.9});
  Batches batches(data, 32);
  for (int step = 0; step <= kSuggestedSteps; ++step) {
    if (step % 5 == 0) rec.add("suggested_loss_" + name, step, full_loss(model, data));
    if (step == kSuggestedSteps) break;
    train_step(model, opt, batches);
  }
  rec.scalar("suggested_final_" + name, rec.series("suggested_loss_" + name).y.back());
}

// ------------------------------------------------------------------ (4) the linear scaling rule

constexpr Scalar kSmallBatchLr = 0.05;
constexpr Index kRecordEvery = 2048;            // examples between two points: 64 batches of 32, 8 of 256
constexpr Index kExamples = 24 * kRecordEvery;  // about 82 epochs of 600

// Plain SGD at batch `batch`; its rate from the linear scaling rule when `scaled`
// (η · batch/32), with a warmup of `warmup` steps. The loss against examples seen.
void scaling_run(Recorder& rec, const ds::Classification& data, Index batch, bool scaled, int warmup,
                 const std::string& name) {
  gradlab::Rng init(2024);
  Mlp model(kHidden, init);
  const Scalar lr = scaled ? gradlab::kernels::linear_scaling_lr(kSmallBatchLr, 32, batch) : kSmallBatchLr;
  gradlab::SGD opt(model.parameters(), gradlab::SGDOptions{.lr = lr});
  const auto schedule = warmup_or_constant(opt, warmup);
  Batches batches(data, batch);
  for (Index seen = 0; seen <= kExamples; seen += batch) {
    if (seen % kRecordEvery == 0) rec.add("scaling_loss_" + name, static_cast<Scalar>(seen), full_loss(model, data));
    if (seen + batch > kExamples) break;
    train_step(model, opt, batches);
    schedule->step();
  }
  rec.scalar("scaling_final_" + name, full_loss(model, data));
}

}  // namespace

int main(int argc, char** argv) {
  return gradlab::experiment::run_main(argc, argv, "06", "main", [](Recorder& rec) {
    schedules(rec);
    const ds::Classification data = spiral_data();
    rec.part("warmup_none", [&] { warmup_run(rec, data, 0); });
    rec.part("warmup_50", [&] { warmup_run(rec, data, 50); });
    rec.part("warmup_150", [&] { warmup_run(rec, data, 150); });
    // Each part that trains at the suggested rate finds it itself (once per process),
    // so that every part can also run alone (--part).
    std::optional<Scalar> suggested;
    const auto suggestion = [&] {
      if (!suggested) suggested = find_rate(data).suggestion;
      return *suggested;
    };
    rec.part("finder", [&] { record_range_test(rec, find_rate(data)); });
    rec.part("suggested_x1", [&] { suggested_run(rec, data, suggestion(), "x1"); });
    rec.part("suggested_x0.1", [&] { suggested_run(rec, data, suggestion() / 10, "x0.1"); });
    rec.part("suggested_x10", [&] { suggested_run(rec, data, suggestion() * 10, "x10"); });
    rec.part("scaling_b32", [&] { scaling_run(rec, data, 32, false, 0, "b32"); });
    rec.part("scaling_b256_warmup", [&] { scaling_run(rec, data, 256, true, 20, "b256_8x_warmup"); });
    rec.part("scaling_b256_no_warmup", [&] { scaling_run(rec, data, 256, true, 0, "b256_8x"); });
    rec.part("scaling_b256_same_lr", [&] { scaling_run(rec, data, 256, false, 0, "b256_1x"); });
  });
}
