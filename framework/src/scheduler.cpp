#include "gradlab/scheduler.h"

#include <cmath>
#include <string>

namespace gradlab {

namespace {

constexpr auto* require = &check_option;  // core.h: "<what>: <name> must be <range>, got <value>"
void require_at_least(const char* what, const char* name, std::int64_t least, std::int64_t value) {
  if (value < least) {
    throw Error(std::string(what) + ": " + name + " must be >= " + std::to_string(least) + ", got " +
                std::to_string(value));
  }
}
void require_positive(const char* what, const char* name, Scalar v) {
  require(std::isfinite(v) && v > 0, what, name, "finite and > 0", v);
}
void require_non_negative(const char* what, const char* name, Scalar v) {
  require(std::isfinite(v) && v >= 0, what, name, "finite and >= 0", v);
}

}  // namespace

// ------------------------------------------------------------------ validation

void validate(const ConstantLROptions& o) {
  require(o.factor > 0 && o.factor <= 1, "ConstantLROptions", "factor", "in (0, 1]", o.factor);
  require_at_least("ConstantLROptions", "total_iters", 0, o.total_iters);
}

void validate(const StepLROptions& o) {
  require_at_least("StepLROptions", "step_size", 1, o.step_size);
  require_positive("StepLROptions", "gamma", o.gamma);
}

void validate(const MultiStepLROptions& o) {
  for (std::size_t i = 0; i < o.milestones.size(); ++i) {
    require_at_least("MultiStepLROptions", "every milestone", 1, o.milestones[i]);
    if (i > 0 && o.milestones[i] <= o.milestones[i - 1]) {
      throw Error("MultiStepLROptions: milestones must be strictly increasing, got " +
                  std::to_string(o.milestones[i - 1]) + " then " + std::to_string(o.milestones[i]));
    }
  }
  require_positive("MultiStepLROptions", "gamma", o.gamma);
}

void validate(const ExponentialLROptions& o) { require_positive("ExponentialLROptions", "gamma", o.gamma); }

void validate(const CosineAnnealingOptions& o) {
  require_at_least("CosineAnnealingOptions", "t_max", 1, o.t_max);
  require_non_negative("CosineAnnealingOptions", "eta_min", o.eta_min);
}

void validate(const WarmRestartsOptions& o) {
  require_at_least("WarmRestartsOptions", "t_0", 1, o.t_0);
  require_at_least("WarmRestartsOptions", "t_mult", 1, o.t_mult);
  require_non_negative("WarmRestartsOptions", "eta_min", o.eta_min);
}

void validate(const LinearWarmupOptions& o) {
  require_at_least("LinearWarmupOptions", "warmup_steps", 1, o.warmup_steps);
  require(o.start_factor >= 0 && o.start_factor < 1, "LinearWarmupOptions", "start_factor", "in [0, 1)",
          o.start_factor);
}

void validate(const WarmupCosineOptions& o) {
  require_at_least("WarmupCosineOptions", "warmup_steps", 0, o.warmup_steps);
  require_at_least("WarmupCosineOptions", "total_steps (more than warmup_steps)", o.warmup_steps + 1, o.total_steps);
  require(o.start_factor >= 0 && o.start_factor < 1, "WarmupCosineOptions", "start_factor", "in [0, 1)",
          o.start_factor);
  require_non_negative("WarmupCosineOptions", "eta_min", o.eta_min);
}

void validate(const OneCycleOptions& o) {
  const char* what = "OneCycleOptions";
  require_at_least(what, "total_steps", 2, o.total_steps);
  require(o.pct_start > 0 && o.pct_start < 1, what, "pct_start", "in (0, 1)", o.pct_start);
  require_positive(what, "div_factor", o.div_factor);
  require_positive(what, "final_div_factor", o.final_div_factor);
  // Every phase needs a positive length, or its fraction p divides by zero.
  const Scalar total = static_cast<Scalar>(o.total_steps);
  const Scalar end1 = o.pct_start * total - 1.0;
  require(end1 > 0, what, "pct_start * total_steps", "> 1 (the rising phase needs a step)", o.pct_start * total);
  if (o.three_phase) {
    const Scalar end2 = 2.0 * o.pct_start * total - 2.0;
    require(end2 < total - 1.0, what, "pct_start", "small enough to leave a third phase (2 pct_start T - 2 < T - 1)",
            o.pct_start);
  }
}

void validate(const PolynomialLROptions& o) {
  require_at_least("PolynomialLROptions", "total_iters", 1, o.total_iters);
  require_positive("PolynomialLROptions", "power", o.power);
}

void validate(const PlateauOptions& o) {
  const char* what = "PlateauOptions";
  require(o.factor > 0 && o.factor < 1, what, "factor", "in (0, 1)", o.factor);
  require_at_least(what, "patience", 0, o.patience);
  require_non_negative(what, "threshold", o.threshold);
  require_at_least(what, "cooldown", 0, o.cooldown);
  require_non_negative(what, "min_lr", o.min_lr);
  require_non_negative(what, "eps", o.eps);
}

void validate(const RangeTestOptions& o) {
  const char* what = "RangeTestOptions";
  require_positive(what, "start_lr", o.start_lr);
  require(std::isfinite(o.end_lr) && o.end_lr > o.start_lr, what, "end_lr", "finite and > start_lr", o.end_lr);
  require_at_least(what, "num_steps", 2, o.num_steps);
  require(o.beta >= 0 && o.beta < 1, what, "beta", "in [0, 1)", o.beta);
  require(std::isfinite(o.diverge_factor) && o.diverge_factor > 1, what, "diverge_factor", "finite and > 1",
          o.diverge_factor);
  require_at_least(what, "skip_start", 0, o.skip_start);
  require_at_least(what, "skip_end", 0, o.skip_end);
}

// ------------------------------------------------------------------ Scheduler

Scheduler::Scheduler(Optimizer& optimizer, RateFunction rate) : optimizer_(optimizer), rate_(std::move(rate)) {
  for (std::size_t g = 0; g < optimizer_.num_groups(); ++g) base_lrs_.push_back(optimizer_.group_lr(g));
  apply();
}

void Scheduler::step() {
  ++t_;
  apply();
}

void Scheduler::set_last_step(std::int64_t t) {
  GRADLAB_CHECK(t >= 0, "Scheduler::set_last_step: t must be >= 0, got " + std::to_string(t));
  t_ = t;
  apply();
}

Scalar Scheduler::rate(std::size_t group, std::int64_t t) const {
  GRADLAB_CHECK(group < base_lrs_.size(), "Scheduler::rate: group " + std::to_string(group) +
                                              " does not exist (there are " + std::to_string(base_lrs_.size()) + ")");
  return rate_(base_lrs_[group], t);
}

void Scheduler::apply() {
  for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer_.set_group_lr(g, rate(g, t_));
}

namespace {
// Validates the options first (before the base class sets any rate), then wraps the kernel.
template <class Options>
Scheduler::RateFunction rate_of(const Options& o, Scalar (*kernel)(Scalar, std::int64_t, const Options&)) {
  validate(o);
  return [o, kernel](Scalar base_lr, std::int64_t t) { return kernel(base_lr, t, o); };
}
}  // namespace

ConstantLR::ConstantLR(Optimizer& optimizer, const ConstantLROptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::constant_lr)) {}
StepLR::StepLR(Optimizer& optimizer, const StepLROptions& o) : Scheduler(optimizer, rate_of(o, &kernels::step_lr)) {}
MultiStepLR::MultiStepLR(Optimizer& optimizer, const MultiStepLROptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::multistep_lr)) {}
ExponentialLR::ExponentialLR(Optimizer& optimizer, const ExponentialLROptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::exponential_lr)) {}
CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, const CosineAnnealingOptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::cosine_annealing_lr)) {}
CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer, const WarmRestartsOptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::cosine_warm_restarts_lr)) {}
LinearWarmupLR::LinearWarmupLR(Optimizer& optimizer, const LinearWarmupOptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::linear_warmup_lr)) {}
WarmupCosineLR::WarmupCosineLR(Optimizer& optimizer, const WarmupCosineOptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::warmup_cosine_lr)) {}
PolynomialLR::PolynomialLR(Optimizer& optimizer, const PolynomialLROptions& o)
    : Scheduler(optimizer, rate_of(o, &kernels::polynomial_lr)) {}

namespace {
Scheduler::RateFunction one_cycle_rate(const OneCycleOptions& o) {
  validate(o);
  return [o](Scalar max_lr, std::int64_t t) {
    // PyTorch allows t = total_steps (the last phase extrapolated by one step) and no further.
    GRADLAB_CHECK(t <= o.total_steps, "OneCycleLR: stepped " + std::to_string(t) + " times, more than total_steps = " +
                                          std::to_string(o.total_steps));
    return kernels::one_cycle_lr(max_lr, t, o);
  };
}
}  // namespace

OneCycleLR::OneCycleLR(Optimizer& optimizer, const OneCycleOptions& o) : Scheduler(optimizer, one_cycle_rate(o)) {}

// ------------------------------------------------------------------ ReduceLROnPlateau

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& o)
    : optimizer_(optimizer), options_(o), state_(initial_plateau_state(o)) {
  validate(options_);
}

bool ReduceLROnPlateau::step(Scalar metric) {
  GRADLAB_CHECK(std::isfinite(metric), "ReduceLROnPlateau::step: the metric is " + number_string(metric));
  if (!kernels::plateau_step(state_, metric, options_)) return false;
  for (std::size_t g = 0; g < optimizer_.num_groups(); ++g) {
    optimizer_.set_group_lr(g, kernels::plateau_reduced_lr(optimizer_.group_lr(g), options_));
  }
  return true;
}

// ------------------------------------------------------------------ the range test

namespace {

// Everything the range test may change, to put back afterwards.
struct Snapshot {
  std::vector<Matrix> values, grads;
  std::vector<ParamState> states;
  std::int64_t step_count = 0;
  std::vector<Scalar> lrs;

  explicit Snapshot(const Optimizer& opt) : step_count(opt.step_count()) {
    for (std::size_t i = 0; i < opt.params().size(); ++i) {
      values.push_back(opt.params()[i].node()->value);
      grads.push_back(opt.params()[i].node()->grad);
      states.push_back(opt.state(i));
    }
    for (std::size_t g = 0; g < opt.num_groups(); ++g) lrs.push_back(opt.group_lr(g));
  }

  void restore(Optimizer& opt) const {
    for (std::size_t i = 0; i < values.size(); ++i) {
      opt.params()[i].node()->value = values[i];
      opt.params()[i].node()->grad = grads[i];
    }
    opt.load_state(states, step_count);
    for (std::size_t g = 0; g < lrs.size(); ++g) opt.set_group_lr(g, lrs[g]);
  }
};

}  // namespace

RangeTestResult lr_range_test(Optimizer& optimizer, const std::function<Scalar()>& train_step,
                              const RangeTestOptions& o) {
  validate(o);
  const Snapshot snapshot(optimizer);
  RangeTestResult r;
  try {
    Scalar average = 0.0;
    Scalar best = 0.0;
    for (std::int64_t t = 0; t < o.num_steps; ++t) {
      const Scalar lr = kernels::range_test_lr(o, t);
      optimizer.set_lr(lr);
      const Scalar loss = train_step();
      const Scalar smoothed = kernels::smoothed_loss(average, loss, o.beta, t + 1);
      r.lrs.push_back(lr);
      r.losses.push_back(loss);
      r.smoothed.push_back(smoothed);
      if (!std::isfinite(smoothed) || (t > 0 && smoothed > o.diverge_factor * best)) {
        r.diverged = true;
        break;
      }
      if (t == 0 || smoothed < best) best = smoothed;
    }
  } catch (...) {
    snapshot.restore(optimizer);
    throw;
  }
  snapshot.restore(optimizer);
  r.suggestion_index = kernels::steepest_descent_index(r.lrs, r.smoothed, o.skip_start, o.skip_end);
  if (r.suggestion_index >= 0) r.suggestion = r.lrs[static_cast<std::size_t>(r.suggestion_index)];
  return r;
}

}  // namespace gradlab
