// Lab 06: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 06 — learning-rate schedules.
//
// Every schedule is a pure function: the rate of one parameter group at step t, from
// the rate η₀ the group started with (base_lr). Nothing is stored between calls; the
// Scheduler classes (gradlab/scheduler.h) ask for η_t after every step() and hand it
// to the optimizer. The one exception is reduce-on-plateau, which watches a metric
// and keeps a small state (PlateauState) between calls.
//
// Notation: t the step, COUNTED FROM 0 (t = 0 is the rate before the first
// Scheduler::step(), PyTorch's last_epoch); η₀ = base_lr; W the warmup length; T the
// length of a cosine.
//
// Conventions: PyTorch 1.13's closed forms (torch.optim.lr_scheduler.*), followed
// exactly; read each kernel's comment in framework/include/gradlab/kernels/schedules.h
// for its boundaries (which step is the last of the warmup, where the cosine ends).
// The options are validated before they reach you: no division by zero is possible.
#include "gradlab/kernels/schedules.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace gradlab::kernels {

// ============================================================== simple decays
// ConstantLR: factor·η₀ while t < total_iters, then η₀.
Scalar constant_lr(Scalar base_lr, std::int64_t t, const ConstantLROptions& o) {
  // TODO(lab 06): implement constant_lr.
  throw gradlab::NotImplemented("lab 06: constant_lr");
}

// StepLR: η₀ γ^⌊t/s⌋ — integer division, so the drop happens AT t = s, 2s, …
Scalar step_lr(Scalar base_lr, std::int64_t t, const StepLROptions& o) {
  // TODO(lab 06): implement step_lr.
  throw gradlab::NotImplemented("lab 06: step_lr");
}

// MultiStepLR: η₀ γ^k with k the number of milestones m ≤ t (reached or passed).
Scalar multistep_lr(Scalar base_lr, std::int64_t t, const MultiStepLROptions& o) {
  // TODO(lab 06): implement multistep_lr.
  throw gradlab::NotImplemented("lab 06: multistep_lr");
}

// ExponentialLR: η₀ γ^t.
Scalar exponential_lr(Scalar base_lr, std::int64_t t, const ExponentialLROptions& o) {
  // TODO(lab 06): implement exponential_lr.
  throw gradlab::NotImplemented("lab 06: exponential_lr");
}

// ============================================================== cosine
// η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T_max))
// t = 0: cos 0 = 1 → η₀;  t = T_max: cos π = −1 → η_min;  halfway: the mean.
// (PyTorch's closed form: past T_max the cosine goes on and the rate rises again.)
Scalar cosine_annealing_lr(Scalar base_lr, std::int64_t t, const CosineAnnealingOptions& o) {
  // TODO(lab 06): implement cosine_annealing_lr.
  throw gradlab::NotImplemented("lab 06: cosine_annealing_lr");
}

// SGDR: the same half cosine, restarted at η₀ at the start of every period.
// Periods: T₀, T₀·T_mult, T₀·T_mult², …  Walk through them: while t is past the end of
// the current period, subtract its length and make the next one T_mult times longer.
// What is left is T_cur (steps into the current period) and T_i (its length):
// η_t = η_min + ½(η₀ − η_min)(1 + cos(π T_cur / T_i)).
// Example T₀ = 5, T_mult = 2: periods [0, 5), [5, 15), [15, 35); restarts at 5 and 15.
Scalar cosine_warm_restarts_lr(Scalar base_lr, std::int64_t t, const WarmRestartsOptions& o) {
  // TODO(lab 06): implement cosine_warm_restarts_lr.
  throw gradlab::NotImplemented("lab 06: cosine_warm_restarts_lr");
}

// ============================================================== warmup
// t < W:  η₀ (s + (1 − s) t/W)      (s = start_factor; t = W − 1 is the LAST warmup step,
// t ≥ W:  η₀                          still below η₀; t = W the first at the full rate)
Scalar linear_warmup_lr(Scalar base_lr, std::int64_t t, const LinearWarmupOptions& o) {
  // TODO(lab 06): implement linear_warmup_lr.
  throw gradlab::NotImplemented("lab 06: linear_warmup_lr");
}

// t < W:       the linear warmup above
// W ≤ t ≤ T:   η_min + ½(η₀ − η_min)(1 + cos(π (t − W)/(T − W)))   (η₀ at W, η_min at T)
// t > T:       η_min (held)
Scalar warmup_cosine_lr(Scalar base_lr, std::int64_t t, const WarmupCosineOptions& o) {
  // TODO(lab 06): implement warmup_cosine_lr.
  throw gradlab::NotImplemented("lab 06: warmup_cosine_lr");
}

// ============================================================== one-cycle
// η_init = max_lr / div_factor,  η_final = η_init / final_div_factor.
// Phases (from → to, ending at step e):
//   two:   η_init → max_lr (e₁ = pct_start·T − 1),  max_lr → η_final (e₂ = T − 1)
//   three: η_init → max_lr (e₁),  max_lr → η_init (e₂ = 2·pct_start·T − 2),
//          η_init → η_final (e₃ = T − 1)
// t is in the first phase with t ≤ e (or in the last); with e₀ the previous phase's end
// (0 for the first): p = (t − e₀)/(e − e₀), η_t = to + ½(from − to)(1 + cos πp).
// The ends e are real numbers (pct_start·T need not be whole), as in PyTorch.
Scalar one_cycle_lr(Scalar max_lr, std::int64_t t, const OneCycleOptions& o) {
  // TODO(lab 06): implement one_cycle_lr.
  throw gradlab::NotImplemented("lab 06: one_cycle_lr");
}

// ============================================================== polynomial
// η₀ (1 − min(t, total_iters)/total_iters)^power: 0 from total_iters on.
Scalar polynomial_lr(Scalar base_lr, std::int64_t t, const PolynomialLROptions& o) {
  // TODO(lab 06): implement polynomial_lr.
  throw gradlab::NotImplemented("lab 06: polynomial_lr");
}

// ============================================================== reduce on plateau
// "Better" must beat the best by the threshold: a relative one scales with the best
// (1e-4: 0.01% better), an absolute one is a fixed amount. Strict inequalities: a
// metric exactly at the bound is not better.
//   min, rel: current < best (1 − threshold)     min, abs: current < best − threshold
//   max, rel: current > best (1 + threshold)     max, abs: current > best + threshold
bool plateau_is_better(Scalar current, Scalar best, const PlateauOptions& o) {
  // TODO(lab 06): implement plateau_is_better.
  throw gradlab::NotImplemented("lab 06: plateau_is_better");
}

// The state machine, in PyTorch's order:
//   count the step; a better metric becomes the best and clears the bad count,
//   otherwise the bad count grows; during a cooldown the cooldown counter runs down
//   and the bad count is cleared (bad steps right after a reduction do not count);
//   more than `patience` bad steps in a row: reduce, start the cooldown, clear the count.
bool plateau_step(PlateauState& s, Scalar metric, const PlateauOptions& o) {
  // TODO(lab 06): implement plateau_step.
  throw gradlab::NotImplemented("lab 06: plateau_step");
}

// new = max(lr · factor, min_lr); a change of eps or less is not worth making.
Scalar plateau_reduced_lr(Scalar lr, const PlateauOptions& o) {
  // TODO(lab 06): implement plateau_reduced_lr.
  throw gradlab::NotImplemented("lab 06: plateau_reduced_lr");
}

// ============================================================== batch size
// k times the batch: the gradient's noise shrinks, and k small steps of η ≈ one large
// step of kη. So η = η_base · B / B_base.
Scalar linear_scaling_lr(Scalar base_lr, std::int64_t base_batch, std::int64_t batch) {
  // TODO(lab 06): implement linear_scaling_lr.
  throw gradlab::NotImplemented("lab 06: linear_scaling_lr");
}

// ============================================================== the range test
// η_t = η_start (η_end/η_start)^(t/(N − 1)):  η_start at t = 0, η_end at t = N − 1.
Scalar range_test_lr(const RangeTestOptions& o, std::int64_t t) {
  // TODO(lab 06): implement range_test_lr.
  throw gradlab::NotImplemented("lab 06: range_test_lr");
}

// a ← βa + (1 − β)ℓ starts from a = 0, so it is biased towards 0 early on: after t
// losses the weights sum to 1 − βᵗ. Dividing by 1 − βᵗ removes the bias (like Adam's
// bias correction); the first smoothed value is the first loss.
Scalar smoothed_loss(Scalar& average, Scalar loss, Scalar beta, std::int64_t t) {
  // TODO(lab 06): implement smoothed_loss.
  throw gradlab::NotImplemented("lab 06: smoothed_loss");
}

// Keep the points i ∈ [skip_start, n − skip_end); x = ln η. The slope at kept point k
// (numpy.gradient over the kept points): (L[k+1] − L[k−1])/(x[k+1] − x[k−1]) inside,
// (L[1] − L[0])/(x[1] − x[0]) at the first, the mirror image at the last.
// Return the full-array index of the most negative slope (the first on a tie).
std::int64_t steepest_descent_index(const std::vector<Scalar>& lrs, const std::vector<Scalar>& smoothed,
                                    std::int64_t skip_start, std::int64_t skip_end) {
  // TODO(lab 06): implement steepest_descent_index.
  throw gradlab::NotImplemented("lab 06: steepest_descent_index");
}

}  // namespace gradlab::kernels
