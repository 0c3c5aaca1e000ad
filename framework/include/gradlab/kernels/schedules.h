/// \file
/// \brief Lab 06 kernels: the learning rate of every schedule at a step, the
/// reduce-on-plateau state machine, the linear scaling rule and the pieces of the
/// learning-rate range test; with their option structs.
///
/// Conventions for every kernel here:
/// - a schedule is a pure function of the step: `t` is the number of scheduler steps
///   taken so far, **counted from 0** (t = 0 is the rate the optimizer starts with,
///   before the first `Scheduler::step()`), exactly PyTorch's `last_epoch`. Whether a
///   step is a batch or an epoch is the caller's choice (gradlab/scheduler.h);
/// - `base_lr` is the rate the parameter group had when its scheduler was made
///   (PyTorch's `base_lrs`); for one-cycle it is the peak rate `max_lr`;
/// - the options are already validated by the Scheduler classes (gradlab/scheduler.h):
///   the kernels check nothing;
/// - every formula is PyTorch 1.13's documented closed form (torch.optim.lr_scheduler),
///   where one exists; each kernel names the class it follows and says where gradlab
///   differs (linear warmup and warmup + cosine have no PyTorch class of their own).
///
/// The reference lives in `solutions/06_schedules/schedules.cpp`; your copy in
/// `labs/06_schedules/schedules.cpp`.
/// \sa \ref notes_schedules
#pragma once

#include "gradlab/core.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace gradlab {

/// \name Option structs of the schedules (defaults are PyTorch 1.13's where it has one)
/// Each is validated by `validate()` (gradlab/scheduler.h) with a message naming the
/// value and its valid range.
/// @{

/// \brief ConstantLR: the rate scaled by a constant factor for the first steps.
struct ConstantLROptions {
  Scalar factor = 1.0 / 3.0;      ///< in (0, 1]; 1 keeps the rate constant throughout
  std::int64_t total_iters = 5;   ///< ≥ 0: steps t < total_iters use factor · η₀
};

/// \brief StepLR: multiply by γ every `step_size` steps.
struct StepLROptions {
  std::int64_t step_size = 30;  ///< s ≥ 1
  Scalar gamma = 0.1;           ///< γ > 0
};

/// \brief MultiStepLR: multiply by γ at each milestone.
struct MultiStepLROptions {
  std::vector<std::int64_t> milestones;  ///< increasing steps ≥ 1 at which the rate drops
  Scalar gamma = 0.1;                    ///< γ > 0
};

/// \brief ExponentialLR: multiply by γ every step.
struct ExponentialLROptions {
  Scalar gamma = 0.95;  ///< γ > 0
};

/// \brief CosineAnnealingLR: half a cosine from η₀ down to η_min over `t_max` steps.
struct CosineAnnealingOptions {
  std::int64_t t_max = 100;  ///< T_max ≥ 1: the step at which the rate reaches η_min
  Scalar eta_min = 0.0;      ///< η_min ≥ 0, the floor
};

/// \brief CosineAnnealingWarmRestarts (SGDR): cosine periods, each `t_mult` times longer.
struct WarmRestartsOptions {
  std::int64_t t_0 = 10;     ///< T₀ ≥ 1: the length of the first period
  std::int64_t t_mult = 1;   ///< T_mult ≥ 1: each period is T_mult times the previous one
  Scalar eta_min = 0.0;      ///< η_min ≥ 0
};

/// \brief Linear warmup from start_factor · η₀ to η₀ over `warmup_steps`, then η₀.
struct LinearWarmupOptions {
  std::int64_t warmup_steps = 5;  ///< W ≥ 1
  Scalar start_factor = 0.0;      ///< in [0, 1): the rate at t = 0 is start_factor · η₀
};

/// \brief Linear warmup, then cosine annealing to η_min at `total_steps`.
struct WarmupCosineOptions {
  std::int64_t warmup_steps = 5;    ///< W ≥ 0 (0: no warmup)
  std::int64_t total_steps = 100;   ///< T > W: the step at which the rate reaches η_min
  Scalar start_factor = 0.0;        ///< in [0, 1): the rate at t = 0 is start_factor · η₀
  Scalar eta_min = 0.0;             ///< η_min ≥ 0
};

/// \brief OneCycleLR with cosine annealing (anneal_strategy = "cos").
/// The peak rate max_lr is the group's rate when the scheduler is made.
struct OneCycleOptions {
  std::int64_t total_steps = 100;  ///< ≥ 2: the length of the cycle
  Scalar pct_start = 0.3;          ///< in (0, 1): the share of the cycle spent rising
  Scalar div_factor = 25.0;        ///< > 0: the initial rate is max_lr / div_factor
  Scalar final_div_factor = 1e4;   ///< > 0: the final rate is initial / final_div_factor
  bool three_phase = false;        ///< rise, fall back to the initial rate, then anneal (fast.ai)
};

/// \brief PolynomialLR: (1 − t/total_iters)^power, 0 from total_iters on.
struct PolynomialLROptions {
  std::int64_t total_iters = 5;  ///< ≥ 1
  Scalar power = 1.0;            ///< > 0
};

/// \brief Whether a smaller or a larger metric is better (a loss or an accuracy).
enum class PlateauMode {
  min,  ///< smaller is better (a loss)
  max,  ///< larger is better (an accuracy)
};
/// \brief How the improvement threshold is measured: relative to the best, or absolute.
enum class ThresholdMode {
  rel,  ///< better means beyond best · (1 ∓ threshold)
  abs,  ///< better means beyond best ∓ threshold
};

/// \brief ReduceLROnPlateau: multiply the rate by `factor` when the metric stops improving.
struct PlateauOptions {
  PlateauMode mode = PlateauMode::min;           ///< min: a loss; max: an accuracy
  Scalar factor = 0.1;                           ///< in (0, 1): the new rate is factor · rate
  std::int64_t patience = 10;                    ///< ≥ 0: bad steps tolerated before a reduction
  Scalar threshold = 1e-4;                       ///< ≥ 0: how much better "better" must be
  ThresholdMode threshold_mode = ThresholdMode::rel;  ///< rel: a fraction of the best; abs: an amount
  std::int64_t cooldown = 0;                     ///< ≥ 0: steps after a reduction during which bad steps are not counted
  Scalar min_lr = 0.0;                           ///< ≥ 0: the rate never goes below it
  Scalar eps = 1e-8;                             ///< ≥ 0: a reduction smaller than eps is not applied
};

/// \brief The state of ReduceLROnPlateau between two metrics (PyTorch's attribute names).
struct PlateauState {
  Scalar best = std::numeric_limits<Scalar>::infinity();  ///< the best metric so far (+∞ for min, −∞ for max at first)
  std::int64_t num_bad_epochs = 0;                        ///< steps in a row without an improvement
  std::int64_t cooldown_counter = 0;                      ///< steps of cooldown left
  std::int64_t last_epoch = 0;                            ///< how many metrics were seen
};

/// \brief The state before the first metric: best = +∞ for mode min, −∞ for mode max.
inline PlateauState initial_plateau_state(const PlateauOptions& o) {
  PlateauState s;
  if (o.mode == PlateauMode::max) s.best = -std::numeric_limits<Scalar>::infinity();
  return s;
}

/// \brief The learning-rate range test (LR finder): an exponential sweep of the rate.
struct RangeTestOptions {
  Scalar start_lr = 1e-7;          ///< > 0: the rate of the first step
  Scalar end_lr = 10.0;            ///< > start_lr: the rate of the last step
  std::int64_t num_steps = 300;    ///< N ≥ 2: the steps of the sweep
  Scalar beta = 0.98;              ///< in [0, 1): the smoothing of the loss (weight of the old average)
  Scalar diverge_factor = 4.0;     ///< > 1: stop when the smoothed loss exceeds this times its best
  std::int64_t skip_start = 10;    ///< ≥ 0: points ignored at the start when suggesting a rate
  std::int64_t skip_end = 5;       ///< ≥ 0: points ignored at the end when suggesting a rate
};

/// @}

namespace kernels {

/// \brief ConstantLR (torch.optim.lr_scheduler.ConstantLR):
/// \f[ \eta_t = \begin{cases} \text{factor}\cdot\eta_0 & t < \text{total\_iters} \\ \eta_0 & t \ge \text{total\_iters} \end{cases} \f]
/// With factor = 1 the rate is simply constant.
Scalar constant_lr(Scalar base_lr, std::int64_t t, const ConstantLROptions& o);

/// \brief StepLR (torch.optim.lr_scheduler.StepLR, closed form):
/// \f[ \eta_t = \eta_0\, \gamma^{\lfloor t / s \rfloor} \f]
Scalar step_lr(Scalar base_lr, std::int64_t t, const StepLROptions& o);

/// \brief MultiStepLR (torch.optim.lr_scheduler.MultiStepLR, closed form):
/// \f[ \eta_t = \eta_0\, \gamma^{\#\{m \in \text{milestones} : m \le t\}} \f]
/// (Python's `bisect_right(milestones, t)`: the drop happens AT the milestone.)
Scalar multistep_lr(Scalar base_lr, std::int64_t t, const MultiStepLROptions& o);

/// \brief ExponentialLR (torch.optim.lr_scheduler.ExponentialLR): \f$ \eta_t = \eta_0\, \gamma^t \f$.
Scalar exponential_lr(Scalar base_lr, std::int64_t t, const ExponentialLROptions& o);

/// \brief CosineAnnealingLR (torch.optim.lr_scheduler.CosineAnnealingLR, its closed form):
/// \f[ \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min}) \Big(1 + \cos\frac{\pi t}{T_{\max}}\Big) \f]
/// η_0 at t = 0, η_min exactly at t = T_max. Like PyTorch's closed form, the cosine
/// goes on past T_max: the rate rises again, η_{T_max + k} = η_{T_max − k}.
Scalar cosine_annealing_lr(Scalar base_lr, std::int64_t t, const CosineAnnealingOptions& o);

/// \brief CosineAnnealingWarmRestarts (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts, SGDR):
/// \f[ \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min}) \Big(1 + \cos\frac{\pi T_{cur}}{T_i}\Big) \f]
/// The periods are T₀, T₀·T_mult, T₀·T_mult², …; period i starts at step
/// T₀(T_multⁱ − 1)/(T_mult − 1) (i·T₀ when T_mult = 1), where the rate restarts at η_0;
/// T_cur is the number of steps since the start of the current period, T_i its length.
/// (PyTorch finds i with a logarithm; for integer t this is the same.)
Scalar cosine_warm_restarts_lr(Scalar base_lr, std::int64_t t, const WarmRestartsOptions& o);

/// \brief Linear warmup (PyTorch's LinearLR with end_factor 1 and total_iters = W):
/// \f[ \eta_t = \eta_0 \Big(s + (1 - s)\,\frac{t}{W}\Big)\ \ (t < W), \qquad \eta_t = \eta_0\ \ (t \ge W) \f]
/// with s = start_factor. With s = 0 the first step has rate 0 and step W − 1 has
/// η_0 (W − 1)/W: the full rate is reached at t = W, the first step after the warmup.
Scalar linear_warmup_lr(Scalar base_lr, std::int64_t t, const LinearWarmupOptions& o);

/// \brief Linear warmup, then cosine annealing (no PyTorch class; the shape of
/// transformers' get_cosine_schedule_with_warmup with a floor η_min, held at the end):
/// \f[ \eta_t = \begin{cases}
///     \eta_0 \big(s + (1 - s)\, t / W\big) & t < W
///     \\ \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min}) \Big(1 + \cos\frac{\pi (t - W)}{T - W}\Big) & W \le t \le T
///     \\ \eta_{\min} & t > T \end{cases} \f]
/// η_0 at t = W, η_min exactly at t = T and after it.
Scalar warmup_cosine_lr(Scalar base_lr, std::int64_t t, const WarmupCosineOptions& o);

/// \brief OneCycleLR with anneal_strategy = "cos" (torch.optim.lr_scheduler.OneCycleLR).
///
/// η_init = max_lr / div_factor, η_final = η_init / final_div_factor. Phases (start
/// rate → end rate, ending at step e, a real number):
/// - two phases: η_init → max_lr, e₁ = pct_start·T − 1; max_lr → η_final, e₂ = T − 1;
/// - three phases: η_init → max_lr, e₁ = pct_start·T − 1; max_lr → η_init,
///   e₂ = 2 pct_start·T − 2; η_init → η_final, e₃ = T − 1.
///
/// Step t belongs to the first phase with t ≤ e (or to the last one); with the previous
/// phase's end e₀ (0 for the first phase), p = (t − e₀)/(e − e₀) and
/// \f[ \eta_t = \eta_{end} + \tfrac12 (\eta_{start} - \eta_{end})\,(1 + \cos \pi p) \f]
/// (PyTorch also cycles the momentum; gradlab does not.) Defined for 0 ≤ t ≤ T.
Scalar one_cycle_lr(Scalar max_lr, std::int64_t t, const OneCycleOptions& o);

/// \brief PolynomialLR (torch.optim.lr_scheduler.PolynomialLR, 1.13's closed form):
/// \f[ \eta_t = \eta_0 \Big(1 - \frac{\min(t, \text{total\_iters})}{\text{total\_iters}}\Big)^{\text{power}} \f]
/// 0 from t = total_iters on.
Scalar polynomial_lr(Scalar base_lr, std::int64_t t, const PolynomialLROptions& o);

/// \brief Whether \p current improves on \p best (ReduceLROnPlateau's is_better):
/// | mode | rel | abs |
/// |---|---|---|
/// | min | current < best · (1 − threshold) | current < best − threshold |
/// | max | current > best · (1 + threshold) | current > best + threshold |
bool plateau_is_better(Scalar current, Scalar best, const PlateauOptions& o);

/// \brief One step of ReduceLROnPlateau's state machine (torch.optim.lr_scheduler.ReduceLROnPlateau.step):
/// \code
/// last_epoch += 1
/// if is_better(metric, best): best = metric, num_bad_epochs = 0
/// else:                       num_bad_epochs += 1
/// if cooldown_counter > 0:    cooldown_counter -= 1, num_bad_epochs = 0   (bad steps in cooldown do not count)
/// if num_bad_epochs > patience: reduce, cooldown_counter = cooldown, num_bad_epochs = 0
/// \endcode
/// \return true when the rate must be reduced now (the caller applies
/// plateau_reduced_lr to every group).
bool plateau_step(PlateauState& state, Scalar metric, const PlateauOptions& o);

/// \brief The rate after a reduction (ReduceLROnPlateau._reduce_lr):
/// new = max(lr · factor, min_lr), kept only when lr − new > eps (otherwise lr).
Scalar plateau_reduced_lr(Scalar lr, const PlateauOptions& o);

/// \brief The linear scaling rule (Goyal et al. 2017): when the batch grows k-fold, so does the rate.
/// \f[ \eta = \eta_{base} \cdot \frac{B}{B_{base}} \f]
Scalar linear_scaling_lr(Scalar base_lr, std::int64_t base_batch, std::int64_t batch);

/// \brief The rate of step t of the range test: an exponential sweep from start_lr to
/// end_lr, both included.
/// \f[ \eta_t = \eta_{start} \Big(\frac{\eta_{end}}{\eta_{start}}\Big)^{t/(N-1)}, \qquad t = 0, …, N − 1 \f]
/// Equal ratios between consecutive rates: evenly spaced on a log axis.
Scalar range_test_lr(const RangeTestOptions& o, std::int64_t t);

/// \brief One step of the debiased exponential moving average of the loss (fast.ai's lr_find):
/// \f[ a \leftarrow \beta a + (1 - \beta)\,\ell, \qquad \text{returns } \frac{a}{1 - \beta^t} \f]
/// \p average starts at 0 and is updated in place; \p t counts the losses seen, from 1
/// (so the first smoothed value is the first loss itself).
Scalar smoothed_loss(Scalar& average, Scalar loss, Scalar beta, std::int64_t t);

/// \brief The range test's suggestion: the point where the smoothed loss falls fastest
/// against log η.
///
/// The slope at every point is numpy.gradient's estimate of dL/d(ln η): central
/// differences inside, (L_{i+1} − L_{i−1}) / (x_{i+1} − x_{i−1}) with x = ln η, and
/// one-sided differences at the two ends. The points kept are
/// i ∈ [skip_start, n − skip_end) of the n recorded; the slopes are computed over the
/// kept points only. Returns the index (into the full arrays) of the most negative
/// slope, the first one on a tie; −1 when fewer than 2 points are kept.
/// \p lrs and \p smoothed: n values each.
std::int64_t steepest_descent_index(const std::vector<Scalar>& lrs, const std::vector<Scalar>& smoothed,
                                    std::int64_t skip_start, std::int64_t skip_end);

}  // namespace kernels
}  // namespace gradlab
