# Lab 06: the usual mistakes. Each variant must make lab 06's tests fail
# (ctest lab06.mutant.<name>; run build/default/bin/lab06_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements. A FIND
# replaces every occurrence: a text shared by two kernels changes both.)

# --- the issue's list
# Off-by-one at the warmup's end: the full rate one step early (at t = W − 1) …
gradlab_mutant(NAME warmup_full_rate_one_step_early FILE schedules.cpp
  FIND "if (t >= o.warmup_steps) return base_lr" REPLACE "if (t >= o.warmup_steps - 1) return base_lr")
# … or the ramp counted from 1: (t + 1)/W (both warmups).
gradlab_mutant(NAME warmup_counts_from_one FILE schedules.cpp
  FIND "static_cast<Scalar>(t) / static_cast<Scalar>(o.warmup_steps)"
  REPLACE "static_cast<Scalar>(t + 1) / static_cast<Scalar>(o.warmup_steps)")
# … or divided by W − 1, so that the ramp ends at η₀ one step early (both warmups).
gradlab_mutant(NAME warmup_divides_by_w_minus_one FILE schedules.cpp
  FIND "static_cast<Scalar>(t) / static_cast<Scalar>(o.warmup_steps)"
  REPLACE "static_cast<Scalar>(t) / static_cast<Scalar>(o.warmup_steps - 1)")
# The cosine reaching η_min one step early or late (CosineAnnealingLR).
gradlab_mutant(NAME cosine_reaches_eta_min_one_step_early FILE schedules.cpp
  FIND "static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max)" REPLACE "static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max - 1)")
gradlab_mutant(NAME cosine_reaches_eta_min_one_step_late FILE schedules.cpp
  FIND "static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max)" REPLACE "static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max + 1)")
# The same after a warmup: over T − W − 1 or T − W + 1 steps, or held from T − 1.
gradlab_mutant(NAME warmup_cosine_reaches_eta_min_one_step_early FILE schedules.cpp
  FIND "static_cast<Scalar>(o.total_steps - o.warmup_steps)" REPLACE "static_cast<Scalar>(o.total_steps - o.warmup_steps - 1)")
gradlab_mutant(NAME warmup_cosine_reaches_eta_min_one_step_late FILE schedules.cpp
  FIND "static_cast<Scalar>(o.total_steps - o.warmup_steps)" REPLACE "static_cast<Scalar>(o.total_steps - o.warmup_steps + 1)")
gradlab_mutant(NAME warmup_cosine_held_one_step_early FILE schedules.cpp
  FIND "if (t >= o.total_steps) return o.eta_min" REPLACE "if (t >= o.total_steps - 1) return o.eta_min")
# The plateau's bad count not reset after a reduction (it stays at patience + 1).
gradlab_mutant(NAME plateau_count_not_reset_after_reduction FILE schedules.cpp
  FIND "s.cooldown_counter = o.cooldown" REPLACE "s.cooldown_counter = o.cooldown, s.num_bad_epochs = o.patience + 1")
# Cooldown ignored: bad steps right after a reduction count.
gradlab_mutant(NAME plateau_cooldown_ignored FILE schedules.cpp
  FIND "if (s.cooldown_counter > 0) {" REPLACE "if (false) {")
# Warm restarts with T_mult applied to the wrong period: the first period already
# stretched, or the period subtracted being the next one.
gradlab_mutant(NAME restarts_first_period_stretched FILE schedules.cpp
  FIND "std::int64_t t_i = o.t_0" REPLACE "std::int64_t t_i = o.t_0 * o.t_mult")
gradlab_mutant(NAME restarts_subtract_the_next_period FILE schedules.cpp
  FIND "      t_cur -= t_i" REPLACE "      t_cur -= t_i * o.t_mult")

# --- more usual mistakes
# StepLR without the floor: a smooth exponential instead of steps.
gradlab_mutant(NAME step_lr_without_floor FILE schedules.cpp
  FIND "const std::int64_t drops = t / o.step_size" REPLACE "const Scalar drops = static_cast<Scalar>(t) / static_cast<Scalar>(o.step_size)")
# MultiStepLR dropping one step after the milestone (m < t instead of m ≤ t).
gradlab_mutant(NAME multistep_drops_after_the_milestone FILE schedules.cpp
  FIND "if (m <= t) ++drops" REPLACE "if (m < t) ++drops")
# ExponentialLR counting t from 1: η₀γ^(t+1).
gradlab_mutant(NAME exponential_counts_from_one FILE schedules.cpp
  FIND "std::pow(o.gamma, static_cast<Scalar>(t))" REPLACE "std::pow(o.gamma, static_cast<Scalar>(t + 1))")
# ConstantLR keeping the factor one step too long.
gradlab_mutant(NAME constant_factor_one_step_too_long FILE schedules.cpp
  FIND "return t < o.total_iters" REPLACE "return t <= o.total_iters")
# PolynomialLR not clamped at total_iters: the rate goes negative.
gradlab_mutant(NAME polynomial_not_clamped FILE schedules.cpp
  FIND "t < o.total_iters ? t : o.total_iters" REPLACE "t")
# Cosine forgetting η_min (all three cosines).
gradlab_mutant(NAME cosine_forgets_eta_min FILE schedules.cpp
  FIND "o.eta_min + 0.5 * (base_lr - o.eta_min)" REPLACE "0.5 * base_lr")
# Cosine adding η_min to the amplitude instead of subtracting it (peaks at η₀ + η_min).
gradlab_mutant(NAME cosine_amplitude_without_eta_min FILE schedules.cpp
  FIND "0.5 * (base_lr - o.eta_min)" REPLACE "0.5 * base_lr")
# CosineAnnealingLR held at η_min after T_max (not PyTorch's closed form).
gradlab_mutant(NAME cosine_held_after_t_max FILE schedules.cpp
  FIND "static_cast<Scalar>(t) / static_cast<Scalar>(o.t_max)"
  REPLACE "static_cast<Scalar>(t < o.t_max ? t : o.t_max) / static_cast<Scalar>(o.t_max)")
# Warmup + cosine: the cosine over all T steps, or started at t = 0 instead of W.
gradlab_mutant(NAME warmup_cosine_over_total_steps FILE schedules.cpp
  FIND "static_cast<Scalar>(o.total_steps - o.warmup_steps)" REPLACE "static_cast<Scalar>(o.total_steps)")
gradlab_mutant(NAME warmup_cosine_starts_at_zero FILE schedules.cpp
  FIND "static_cast<Scalar>(t - o.warmup_steps)" REPLACE "static_cast<Scalar>(t)")
# Warmup + cosine not held at η_min after T: the cosine rises again.
gradlab_mutant(NAME warmup_cosine_not_held_after_t FILE schedules.cpp
  FIND "if (t >= o.total_steps) return o.eta_min" REPLACE "if (false) return o.eta_min")
# Warm restarts treating every T_mult as 1.
gradlab_mutant(NAME restarts_ignore_t_mult FILE schedules.cpp
  FIND "if (o.t_mult == 1) {" REPLACE "if (true) {")
# One-cycle annealing linearly instead of along the cosine.
gradlab_mutant(NAME one_cycle_linear_annealing FILE schedules.cpp
  FIND "phase.to + 0.5 * (phase.from - phase.to) * (1.0 + std::cos(std::numbers::pi * p))"
  REPLACE "phase.from + (phase.to - phase.from) * p")
# One-cycle rounding the phase end to a whole step.
gradlab_mutant(NAME one_cycle_phase_end_rounded FILE schedules.cpp
  FIND "{{o.pct_start * total - 1.0, initial_lr, max_lr}, {total - 1.0"
  REPLACE "{{std::floor(o.pct_start * total) - 1.0, initial_lr, max_lr}, {total - 1.0")
# One-cycle's final rate from max_lr instead of the initial rate.
gradlab_mutant(NAME one_cycle_final_from_max_lr FILE schedules.cpp
  FIND "initial_lr / o.final_div_factor" REPLACE "max_lr / o.final_div_factor")
# One-cycle measuring every phase from step 0.
gradlab_mutant(NAME one_cycle_phase_starts_at_zero FILE schedules.cpp
  FIND "start_step = phase.end_step" REPLACE "start_step = 0.0")
# Plateau: a relative threshold treated as absolute.
gradlab_mutant(NAME plateau_rel_threshold_as_abs FILE schedules.cpp
  FIND "current < best * (1.0 - o.threshold)" REPLACE "current < best - o.threshold")
# Plateau: equal to the threshold counted as better (≤ instead of <).
gradlab_mutant(NAME plateau_not_strict FILE schedules.cpp
  FIND "current < best * (1.0 - o.threshold)" REPLACE "current <= best * (1.0 - o.threshold)")
# Plateau: mode max compared the wrong way.
gradlab_mutant(NAME plateau_max_mode_flipped FILE schedules.cpp
  FIND "return rel ? current > best * (1.0 + o.threshold) : current > best + o.threshold"
  REPLACE "return rel ? current < best * (1.0 - o.threshold) : current < best - o.threshold")
# Plateau: reducing after patience bad steps instead of more than patience.
gradlab_mutant(NAME plateau_patience_off_by_one FILE schedules.cpp
  FIND "s.num_bad_epochs > o.patience" REPLACE "s.num_bad_epochs >= o.patience")
# Plateau: the cooldown never runs down.
gradlab_mutant(NAME plateau_cooldown_never_ends FILE schedules.cpp
  FIND "--s.cooldown_counter" REPLACE "s.cooldown_counter += 0")
# Plateau: min_lr or eps ignored.
gradlab_mutant(NAME plateau_min_lr_ignored FILE schedules.cpp
  FIND "std::max(lr * o.factor, o.min_lr)" REPLACE "lr * o.factor")
gradlab_mutant(NAME plateau_eps_ignored FILE schedules.cpp
  FIND "return lr - reduced > o.eps ? reduced : lr" REPLACE "return reduced")
# The linear scaling rule upside down.
gradlab_mutant(NAME linear_scaling_inverted FILE schedules.cpp
  FIND "static_cast<Scalar>(batch) / static_cast<Scalar>(base_batch)"
  REPLACE "static_cast<Scalar>(base_batch) / static_cast<Scalar>(batch)")
# Range test: the sweep divided by N (never reaches end_lr), or linear instead of exponential.
gradlab_mutant(NAME range_test_divides_by_n FILE schedules.cpp
  FIND "static_cast<Scalar>(o.num_steps - 1)" REPLACE "static_cast<Scalar>(o.num_steps)")
gradlab_mutant(NAME range_test_linear_sweep FILE schedules.cpp
  FIND "o.start_lr * std::pow(o.end_lr / o.start_lr, fraction)" REPLACE "o.start_lr + (o.end_lr - o.start_lr) * fraction")
# Smoothing without the debiasing, or with β and 1 − β swapped.
gradlab_mutant(NAME smoothing_not_debiased FILE schedules.cpp
  FIND "return average / (1.0 - std::pow(beta, static_cast<Scalar>(t)))" REPLACE "return average")
gradlab_mutant(NAME smoothing_beta_swapped FILE schedules.cpp
  FIND "average = beta * average + (1.0 - beta) * loss" REPLACE "average = (1.0 - beta) * average + beta * loss")
# Suggestion: the index into the kept points, not the full arrays.
gradlab_mutant(NAME steepest_index_relative_to_kept_points FILE schedules.cpp
  FIND "      best = i" REPLACE "      best = i - first")
# Suggestion: the steepest rise instead of the steepest fall.
gradlab_mutant(NAME steepest_picks_the_largest_slope FILE schedules.cpp
  FIND "slope < best_slope" REPLACE "slope > best_slope")
# Suggestion: forward differences everywhere.
gradlab_mutant(NAME steepest_forward_differences FILE schedules.cpp
  FIND "const std::int64_t lo = i == first ? i : i - 1" REPLACE "const std::int64_t lo = i == last ? i - 1 : i"
  FIND "const std::int64_t hi = i == last ? i : i + 1" REPLACE "const std::int64_t hi = i == last ? i : i + 1")
# Suggestion: the skipped points not skipped at the start.
gradlab_mutant(NAME steepest_ignores_skip_start FILE schedules.cpp
  FIND "const std::int64_t first = skip_start" REPLACE "const std::int64_t first = 0")
