/// \file
/// \brief Learning-rate schedulers that drive any optimizer, per parameter group, and
/// the learning-rate range test (LR finder). The rates come from lab 06's kernels
/// (gradlab/kernels/schedules.h).
///
/// A scheduler, like PyTorch's, only computes the rate for a step and hands it to the
/// optimizer (Optimizer::set_group_lr). Its unit of time is whatever the training loop
/// makes it: call step() once per batch and the lengths in the options are batches,
/// once per epoch and they are epochs.
/// \code
/// gradlab::SGD opt(model.parameters(), {.lr = 0.1, .momentum = 0.9});
/// gradlab::WarmupCosineLR schedule(opt, {.warmup_steps = 100, .total_steps = 5000, .eta_min = 1e-4});
/// for (int step = 0; step < 5000; ++step) {
///   opt.zero_grad();
///   loss(model, next_batch()).backward();
///   opt.step();       // at the rate of this step
///   schedule.step();  // the rate of the next one
/// }
/// \endcode
#pragma once

#include "gradlab/kernels/schedules.h"
#include "gradlab/optimizer.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace gradlab {

/// \name Validation of the schedule options
/// Each throws gradlab::Error naming the first invalid value and its valid range, e.g.
/// "StepLROptions: step_size must be >= 1, got 0".
/// @{
void validate(const ConstantLROptions& o);     ///< factor in (0, 1], total_iters ≥ 0
void validate(const StepLROptions& o);         ///< step_size ≥ 1, gamma > 0
void validate(const MultiStepLROptions& o);    ///< milestones ≥ 1 and strictly increasing, gamma > 0
void validate(const ExponentialLROptions& o);  ///< gamma > 0
void validate(const CosineAnnealingOptions& o);  ///< t_max ≥ 1, eta_min ≥ 0
void validate(const WarmRestartsOptions& o);   ///< t_0 ≥ 1, t_mult ≥ 1, eta_min ≥ 0
void validate(const LinearWarmupOptions& o);   ///< warmup_steps ≥ 1, start_factor in [0, 1)
void validate(const WarmupCosineOptions& o);   ///< warmup_steps ≥ 0, total_steps > warmup_steps, start_factor in [0, 1), eta_min ≥ 0
void validate(const OneCycleOptions& o);       ///< total_steps ≥ 2, pct_start in (0, 1), every phase at least one step long, div factors > 0
void validate(const PolynomialLROptions& o);   ///< total_iters ≥ 1, power > 0
void validate(const PlateauOptions& o);        ///< factor in (0, 1), patience, cooldown ≥ 0, threshold, min_lr, eps ≥ 0
void validate(const RangeTestOptions& o);      ///< 0 < start_lr < end_lr, num_steps ≥ 2, beta in [0, 1), diverge_factor > 1, skips ≥ 0
/// @}

/// \brief Base class of the step schedules: sets every group's rate from a function of
/// the group's initial rate and the step.
///
/// On construction it records each group's current rate as its base rate η₀ (PyTorch's
/// `base_lrs`) and sets the rate of step t = 0. Each step() advances t by one and sets
/// every group's rate to rate(η₀ of the group, t). Groups with different rates keep
/// their ratio under every schedule but one-cycle's and the floors (η_min).
/// \sa \ref notes_schedules
class Scheduler {
 public:
  /// \brief The rate of a group at step t, from the group's base rate.
  using RateFunction = std::function<Scalar(Scalar base_lr, std::int64_t t)>;

  virtual ~Scheduler() = default;
  Scheduler(const Scheduler&) = delete;             ///< not copyable: it drives one optimizer
  Scheduler& operator=(const Scheduler&) = delete;  ///< not copyable

  /// \brief Advances to the next step and sets every group's rate for it.
  void step();
  /// \brief t: the number of step() calls so far (0 right after construction).
  std::int64_t last_step() const { return t_; }
  /// \brief Jumps to step \p t ≥ 0 and sets every group's rate for it (resuming from a
  /// checkpoint: the schedule continues as if step() had been called t times).
  void set_last_step(std::int64_t t);
  /// \brief The rate of group \p group at step \p t (nothing is changed).
  Scalar rate(std::size_t group, std::int64_t t) const;
  /// \brief The rate the optimizer's group \p group has now.
  Scalar lr(std::size_t group = 0) const { return optimizer_.group_lr(group); }
  /// \brief Every group's base rate η₀.
  const std::vector<Scalar>& base_lrs() const { return base_lrs_; }

 protected:
  /// \brief Drives \p optimizer with \p rate; sets the rates of step 0.
  Scheduler(Optimizer& optimizer, RateFunction rate);

 private:
  void apply();

  Optimizer& optimizer_;
  RateFunction rate_;
  std::vector<Scalar> base_lrs_;
  std::int64_t t_ = 0;
};

/// \brief factor · η₀ for the first total_iters steps, then η₀: kernels::constant_lr.
class ConstantLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  ConstantLR(Optimizer& optimizer, const ConstantLROptions& o = {});
};

/// \brief η₀ γ^⌊t/s⌋: kernels::step_lr.
class StepLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  StepLR(Optimizer& optimizer, const StepLROptions& o);
};

/// \brief η₀ γ^(milestones reached): kernels::multistep_lr.
class MultiStepLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  MultiStepLR(Optimizer& optimizer, const MultiStepLROptions& o);
};

/// \brief η₀ γ^t: kernels::exponential_lr.
class ExponentialLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  ExponentialLR(Optimizer& optimizer, const ExponentialLROptions& o);
};

/// \brief Cosine from η₀ to η_min over t_max steps: kernels::cosine_annealing_lr.
class CosineAnnealingLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  CosineAnnealingLR(Optimizer& optimizer, const CosineAnnealingOptions& o);
};

/// \brief Cosine with warm restarts (SGDR): kernels::cosine_warm_restarts_lr.
class CosineAnnealingWarmRestarts : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  CosineAnnealingWarmRestarts(Optimizer& optimizer, const WarmRestartsOptions& o);
};

/// \brief Linear warmup to η₀, then η₀: kernels::linear_warmup_lr.
class LinearWarmupLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  LinearWarmupLR(Optimizer& optimizer, const LinearWarmupOptions& o);
};

/// \brief Linear warmup, then cosine to η_min: kernels::warmup_cosine_lr.
class WarmupCosineLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  WarmupCosineLR(Optimizer& optimizer, const WarmupCosineOptions& o);
};

/// \brief One-cycle (cosine): kernels::one_cycle_lr. Each group's rate at construction
/// is its peak max_lr; the cycle starts at max_lr / div_factor. Stepping past
/// total_steps throws (as in PyTorch).
class OneCycleLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  OneCycleLR(Optimizer& optimizer, const OneCycleOptions& o);
};

/// \brief η₀ (1 − t/total_iters)^power, then 0: kernels::polynomial_lr.
class PolynomialLR : public Scheduler {
 public:
  /// \brief Drives \p optimizer with options \p o (validated).
  PolynomialLR(Optimizer& optimizer, const PolynomialLROptions& o = {});
};

/// \brief Reduces every group's rate by a factor when a watched metric stops improving
/// (kernels::plateau_step, kernels::plateau_reduced_lr).
///
/// Call step(metric) once per evaluation (usually per epoch, with the validation loss
/// in mode min or the accuracy in mode max).
class ReduceLROnPlateau {
 public:
  /// \brief Watches a metric for \p optimizer with options \p o (validated).
  explicit ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& o = {});
  ReduceLROnPlateau(const ReduceLROnPlateau&) = delete;             ///< not copyable
  ReduceLROnPlateau& operator=(const ReduceLROnPlateau&) = delete;  ///< not copyable
  /// \brief Feeds the next value of the metric; returns true when the rates were reduced.
  bool step(Scalar metric);
  /// \brief The state machine: the best metric, the bad steps, the cooldown left.
  const PlateauState& state() const { return state_; }
  /// \brief The rate the optimizer's group \p group has now.
  Scalar lr(std::size_t group = 0) const { return optimizer_.group_lr(group); }

 private:
  Optimizer& optimizer_;
  PlateauOptions options_;
  PlateauState state_;
};

/// \brief What the range test recorded: one entry per step taken.
struct RangeTestResult {
  std::vector<Scalar> lrs;       ///< the rate of each step
  std::vector<Scalar> losses;    ///< the loss train_step returned at that rate
  std::vector<Scalar> smoothed;  ///< the debiased moving average of the losses
  bool diverged = false;         ///< stopped early: the smoothed loss exceeded diverge_factor × its best (or was not finite)
  std::int64_t suggestion_index = -1;  ///< kernels::steepest_descent_index; −1: too few points
  Scalar suggestion = 0.0;       ///< lrs[suggestion_index], or 0 when there is none
};

/// \brief The learning-rate range test (LR finder, Smith 2017): train with an
/// exponentially growing rate and suggest the rate where the loss falls fastest.
///
/// For t = 0, 1, …, N − 1: set every group's rate to kernels::range_test_lr(o, t), call
/// \p train_step (one training step at the optimizer's current rate: zero the
/// gradients, compute the loss, backward, opt.step(); it returns the loss of that
/// step), smooth the loss (kernels::smoothed_loss) and record all three; stop after
/// the step whose smoothed loss is not finite or exceeds diverge_factor times the best
/// smoothed loss so far. The suggestion is kernels::steepest_descent_index of the
/// recorded curve.
///
/// Afterwards, and also when \p train_step throws, the optimizer's parameters (their
/// values and gradients), its per-parameter state, step count and every group's rate
/// are restored exactly: the test leaves no trace in the model or the optimizer.
RangeTestResult lr_range_test(Optimizer& optimizer, const std::function<Scalar()>& train_step,
                              const RangeTestOptions& o = {});

}  // namespace gradlab
