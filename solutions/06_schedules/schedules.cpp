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
  // BEGIN SOLUTION
  return t < o.total_iters ? o.factor * base_lr : base_lr;
  // END SOLUTION
}

// StepLR: η₀ γ^⌊t/s⌋ — integer division, so the drop happens AT t = s, 2s, …
Scalar step_lr(Scalar base_lr, std::int64_t t, const StepLROptions& o) {
  // BEGIN SOLUTION
  const std::int64_t drops = t / o.step_size;
  return base_lr * std::pow(o.gamma, static_cast<Scalar>(drops));
  // END SOLUTION
}

// MultiStepLR: η₀ γ^k with k the number of milestones m ≤ t (reached or passed).
Scalar multistep_lr(Scalar base_lr, std::int64_t t, const MultiStepLROptions& o) {
  // BEGIN SOLUTION
  std::int64_t drops = 0;
  for (const std::int64_t m : o.milestones) {
    if (m <= t) ++drops;
  }
  return base_lr * std::pow(o.gamma, static_cast<Scalar>(drops));
  // END SOLUTION
}

// ExponentialLR: η₀ γ^t.
Scalar exponential_lr(Scalar base_lr, std::int64_t t, const ExponentialLROptions& o) {
  // BEGIN SOLUTION
  return base_lr * std::pow(o.gamma, static_cast<Scalar>(t));
  // END SOLUTION
}

// ============================================================== cosine
// η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T_max))
// t = 0: cos 0 = 1 → η₀;  t = T_max: cos π = −1 → η_min;  halfway: the mean.
// (PyTorch's closed form: past T_max the cosine goes on and the rate rises again.)
Scalar cosine_annealing_lr(Scalar base_lr, std::int64_t t, const CosineAnnealingOptions& o) {
  // BEGIN SOLUTION
  const Scalar progress = static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max);
  return o.eta_min + 0.5 * (base_lr - o.eta_min) * (1.0 + std::cos(std::numbers::pi * progress));
  // END SOLUTION
}

// SGDR: the same half cosine, restarted at η₀ at the start of every period.
// Periods: T₀, T₀·T_mult, T₀·T_mult², …  Walk through them: while t is past the end of
// the current period, subtract its length and make the next one T_mult times longer.
// What is left is T_cur (steps into the current period) and T_i (its length):
// η_t = η_min + ½(η₀ − η_min)(1 + cos(π T_cur / T_i)).
// Example T₀ = 5, T_mult = 2: periods [0, 5), [5, 15), [15, 35); restarts at 5 and 15.
Scalar cosine_warm_restarts_lr(Scalar base_lr, std::int64_t t, const WarmRestartsOptions& o) {
  // BEGIN SOLUTION
  std::int64_t t_i = o.t_0;  // the length of the current period
  std::int64_t t_cur = t;    // steps since the start of the current period
  if (o.t_mult == 1) {
    t_cur = t % o.t_0;
  } else {
    while (t_cur >= t_i) {
      t_cur -= t_i;
      t_i *= o.t_mult;
    }
  }
  const Scalar progress = static_cast<Scalar>(t_cur) / static_cast<Scalar>(t_i);
  return o.eta_min + 0.5 * (base_lr - o.eta_min) * (1.0 + std::cos(std::numbers::pi * progress));
  // END SOLUTION
}

// ============================================================== warmup
// t < W:  η₀ (s + (1 − s) t/W)      (s = start_factor; t = W − 1 is the LAST warmup step,
// t ≥ W:  η₀                          still below η₀; t = W the first at the full rate)
Scalar linear_warmup_lr(Scalar base_lr, std::int64_t t, const LinearWarmupOptions& o) {
  // BEGIN SOLUTION
  if (t >= o.warmup_steps) return base_lr;
  const Scalar fraction = static_cast<Scalar>(t) / static_cast<Scalar>(o.warmup_steps);
  return base_lr * (o.start_factor + (1.0 - o.start_factor) * fraction);
  // END SOLUTION
}

// t < W:       the linear warmup above
// W ≤ t ≤ T:   η_min + ½(η₀ − η_min)(1 + cos(π (t − W)/(T − W)))   (η₀ at W, η_min at T)
// t > T:       η_min (held)
Scalar warmup_cosine_lr(Scalar base_lr, std::int64_t t, const WarmupCosineOptions& o) {
  // BEGIN SOLUTION
  if (t < o.warmup_steps) {
    const Scalar fraction = static_cast<Scalar>(t) / static_cast<Scalar>(o.warmup_steps);
    return base_lr * (o.start_factor + (1.0 - o.start_factor) * fraction);
  }
  if (t >= o.total_steps) return o.eta_min;
  const Scalar progress =
      static_cast<Scalar>(t - o.warmup_steps) / static_cast<Scalar>(o.total_steps - o.warmup_steps);
  return o.eta_min + 0.5 * (base_lr - o.eta_min) * (1.0 + std::cos(std::numbers::pi * progress));
  // END SOLUTION
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
  // BEGIN SOLUTION
  const Scalar total = static_cast<Scalar>(o.total_steps);
  const Scalar initial_lr = max_lr / o.div_factor;
  const Scalar final_lr = initial_lr / o.final_div_factor;
  struct Phase {
    Scalar end_step, from, to;
  };
  std::vector<Phase> phases;
  if (o.three_phase) {
    phases = {{o.pct_start * total - 1.0, initial_lr, max_lr},
              {2.0 * o.pct_start * total - 2.0, max_lr, initial_lr},
              {total - 1.0, initial_lr, final_lr}};
  } else {
    phases = {{o.pct_start * total - 1.0, initial_lr, max_lr}, {total - 1.0, max_lr, final_lr}};
  }
  const Scalar step = static_cast<Scalar>(t);
  Scalar start_step = 0.0;
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const Phase& phase = phases[i];
    if (step <= phase.end_step || i + 1 == phases.size()) {
      const Scalar p = (step - start_step) / (phase.end_step - start_step);
      return phase.to + 0.5 * (phase.from - phase.to) * (1.0 + std::cos(std::numbers::pi * p));
    }
    start_step = phase.end_step;
  }
  return final_lr;  // not reached: the last phase always returns
  // END SOLUTION
}

// ============================================================== polynomial
// η₀ (1 − min(t, total_iters)/total_iters)^power: 0 from total_iters on.
Scalar polynomial_lr(Scalar base_lr, std::int64_t t, const PolynomialLROptions& o) {
  // BEGIN SOLUTION
  const std::int64_t done = t < o.total_iters ? t : o.total_iters;
  const Scalar remaining = 1.0 - static_cast<Scalar>(done) / static_cast<Scalar>(o.total_iters);
  return base_lr * std::pow(remaining, o.power);
  // END SOLUTION
}

// ============================================================== reduce on plateau
// "Better" must beat the best by the threshold: a relative one scales with the best
// (1e-4: 0.01% better), an absolute one is a fixed amount. Strict inequalities: a
// metric exactly at the bound is not better.
//   min, rel: current < best (1 − threshold)     min, abs: current < best − threshold
//   max, rel: current > best (1 + threshold)     max, abs: current > best + threshold
bool plateau_is_better(Scalar current, Scalar best, const PlateauOptions& o) {
  // BEGIN SOLUTION
  const bool rel = o.threshold_mode == ThresholdMode::rel;
  if (o.mode == PlateauMode::min) {
    return rel ? current < best * (1.0 - o.threshold) : current < best - o.threshold;
  }
  return rel ? current > best * (1.0 + o.threshold) : current > best + o.threshold;
  // END SOLUTION
}

// The state machine, in PyTorch's order:
//   count the step; a better metric becomes the best and clears the bad count,
//   otherwise the bad count grows; during a cooldown the cooldown counter runs down
//   and the bad count is cleared (bad steps right after a reduction do not count);
//   more than `patience` bad steps in a row: reduce, start the cooldown, clear the count.
bool plateau_step(PlateauState& s, Scalar metric, const PlateauOptions& o) {
  // BEGIN SOLUTION
  ++s.last_epoch;
  if (plateau_is_better(metric, s.best, o)) {
    s.best = metric;
    s.num_bad_epochs = 0;
  } else {
    ++s.num_bad_epochs;
  }
  if (s.cooldown_counter > 0) {
    --s.cooldown_counter;
    s.num_bad_epochs = 0;  // ignore bad steps during the cooldown
  }
  if (s.num_bad_epochs > o.patience) {
    s.num_bad_epochs = 0;
    s.cooldown_counter = o.cooldown;
    return true;
  }
  return false;
  // END SOLUTION
}

// new = max(lr · factor, min_lr); a change of eps or less is not worth making.
Scalar plateau_reduced_lr(Scalar lr, const PlateauOptions& o) {
  // BEGIN SOLUTION
  const Scalar reduced = std::max(lr * o.factor, o.min_lr);
  return lr - reduced > o.eps ? reduced : lr;
  // END SOLUTION
}

// ============================================================== batch size
// k times the batch: the gradient's noise shrinks, and k small steps of η ≈ one large
// step of kη. So η = η_base · B / B_base.
Scalar linear_scaling_lr(Scalar base_lr, std::int64_t base_batch, std::int64_t batch) {
  // BEGIN SOLUTION
  return base_lr * static_cast<Scalar>(batch) / static_cast<Scalar>(base_batch);
  // END SOLUTION
}

// ============================================================== the range test
// η_t = η_start (η_end/η_start)^(t/(N − 1)):  η_start at t = 0, η_end at t = N − 1.
Scalar range_test_lr(const RangeTestOptions& o, std::int64_t t) {
  // BEGIN SOLUTION
  const Scalar fraction = static_cast<Scalar>(t) / static_cast<Scalar>(o.num_steps - 1);
  return o.start_lr * std::pow(o.end_lr / o.start_lr, fraction);
  // END SOLUTION
}

// a ← βa + (1 − β)ℓ starts from a = 0, so it is biased towards 0 early on: after t
// losses the weights sum to 1 − βᵗ. Dividing by 1 − βᵗ removes the bias (like Adam's
// bias correction); the first smoothed value is the first loss.
Scalar smoothed_loss(Scalar& average, Scalar loss, Scalar beta, std::int64_t t) {
  // BEGIN SOLUTION
  average = beta * average + (1.0 - beta) * loss;
  return average / (1.0 - std::pow(beta, static_cast<Scalar>(t)));
  // END SOLUTION
}

// Keep the points i ∈ [skip_start, n − skip_end); x = ln η. The slope at kept point k
// (numpy.gradient over the kept points): (L[k+1] − L[k−1])/(x[k+1] − x[k−1]) inside,
// (L[1] − L[0])/(x[1] − x[0]) at the first, the mirror image at the last.
// Return the full-array index of the most negative slope (the first on a tie).
std::int64_t steepest_descent_index(const std::vector<Scalar>& lrs, const std::vector<Scalar>& smoothed,
                                    std::int64_t skip_start, std::int64_t skip_end) {
  // BEGIN SOLUTION
  const std::int64_t n = static_cast<std::int64_t>(smoothed.size());
  const std::int64_t first = skip_start;
  const std::int64_t last = n - skip_end - 1;  // the last kept point
  if (last - first + 1 < 2) return -1;
  const auto x = [&](std::int64_t i) { return std::log(lrs[static_cast<std::size_t>(i)]); };
  const auto loss = [&](std::int64_t i) { return smoothed[static_cast<std::size_t>(i)]; };
  std::int64_t best = -1;
  Scalar best_slope = 0.0;
  for (std::int64_t i = first; i <= last; ++i) {
    const std::int64_t lo = i == first ? i : i - 1;
    const std::int64_t hi = i == last ? i : i + 1;
    const Scalar slope = (loss(hi) - loss(lo)) / (x(hi) - x(lo));
    if (best == -1 || slope < best_slope) {
      best = i;
      best_slope = slope;
    }
  }
  return best;
  // END SOLUTION
}

}  // namespace gradlab::kernels
