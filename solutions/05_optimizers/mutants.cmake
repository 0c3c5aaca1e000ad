# Lab 05: the usual mistakes. Each variant must make lab 05's tests fail
# (ctest lab05.mutant.<name>; run build/default/bin/lab05_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements. A FIND
# replaces every occurrence: where a text also occurs in another kernel, a placeholder
# protects that kernel first and is put back last.)

# --- the issue's list
# Adam (and AdamW) without bias correction: m and v used raw.
gradlab_mutant(NAME adam_no_bias_correction FILE optimizers.cpp
  FIND "o.lr / bias_correction1" REPLACE "o.lr"
  FIND "std::sqrt(v_used) / bias_correction2_sqrt" REPLACE "std::sqrt(v_used)")
# t counted from 0 in the bias corrections: 1 − β⁰ = 0 at the first step.
gradlab_mutant(NAME adam_t_from_zero FILE optimizers.cpp
  FIND "const Scalar t = static_cast<Scalar>(step)" REPLACE "const Scalar t = static_cast<Scalar>(step - 1)")
# ε inside the square root: √(v̂ + ε) (Adam and AdamW, RMSprop, AdaGrad).
gradlab_mutant(NAME adam_eps_inside_sqrt FILE optimizers.cpp
  FIND "std::sqrt(v_used) / bias_correction2_sqrt + o.eps" REPLACE "std::sqrt(v_used / bias_correction2 + o.eps)")
gradlab_mutant(NAME rmsprop_eps_inside_sqrt FILE optimizers.cpp
  FIND "std::sqrt(v) + o.eps" REPLACE "std::sqrt(v + o.eps)")
gradlab_mutant(NAME adagrad_eps_inside_sqrt FILE optimizers.cpp
  FIND "(std::sqrt(sum(r, c)) + o.eps)" REPLACE "std::sqrt(sum(r, c) + o.eps)")
# AdamW's decay put into the gradient (that is Adam + L2, not AdamW).
gradlab_mutant(NAME adamw_decay_in_gradient FILE optimizers.cpp
  FIND "o.lr * o.weight_decay * theta(r, c)" REPLACE "0.0"
  FIND "grad(r, c) + o.weight_decay" REPLACE "GRAD_PLUS_DECAY"
  FIND "const Scalar g = grad(r, c)" REPLACE "const Scalar g = grad(r, c) + o.weight_decay * theta(r, c)"
  FIND "GRAD_PLUS_DECAY" REPLACE "grad(r, c) + o.weight_decay")
# AdamW's decay divided by the adaptive denominator along with the gradient step.
gradlab_mutant(NAME adamw_decay_scaled_by_denominator FILE optimizers.cpp
  FIND "theta(r, c) -= decay + step_size * m / denom" REPLACE "theta(r, c) -= (decay + step_size * m) / denom")
# SGD's momentum buffer started at zero: b₁ = μ·0 + (1 − τ)g₁ instead of g₁.
gradlab_mutant(NAME sgd_momentum_buffer_starts_at_zero FILE optimizers.cpp
  FIND "b = g" REPLACE "b = (1.0 - o.dampening) * g")
# AdaGrad accumulating g instead of g².
gradlab_mutant(NAME adagrad_accumulates_g FILE optimizers.cpp
  FIND "sum(r, c) += g * g" REPLACE "sum(r, c) += g")
# RMSprop with α and 1 − α swapped.
gradlab_mutant(NAME rmsprop_alpha_swapped FILE optimizers.cpp
  FIND "v = o.alpha * v + (1.0 - o.alpha) * g * g" REPLACE "v = (1.0 - o.alpha) * v + o.alpha * g * g")
# Nesterov written as plain (heavy-ball) momentum.
gradlab_mutant(NAME nesterov_as_plain_momentum FILE optimizers.cpp
  FIND "o.nesterov ? g + o.momentum * b : b" REPLACE "b")
# A frozen parameter not skipped: its zeroed gradient still gets weight decay.
gradlab_mutant(NAME frozen_parameter_not_skipped FILE optimizers.cpp
  FIND "!p.requires_grad() || !has_grad(p)" REPLACE "!has_grad(p)")

# --- more usual mistakes
# SGD's dampening applied as τ instead of 1 − τ.
gradlab_mutant(NAME sgd_dampening_inverted FILE optimizers.cpp
  FIND "(1.0 - o.dampening) * g" REPLACE "o.dampening * g")
# SGD's weight decay forgotten: g = ∇.
gradlab_mutant(NAME sgd_no_weight_decay FILE optimizers.cpp
  FIND "      Scalar g = grad(r, c) + o.weight_decay * theta(r, c)" REPLACE "      Scalar g = grad(r, c)")
# AdaGrad's learning-rate decay with t where t − 1 belongs.
gradlab_mutant(NAME adagrad_lr_decay_off_by_one FILE optimizers.cpp
  FIND "static_cast<Scalar>(step - 1) * o.lr_decay" REPLACE "static_cast<Scalar>(step) * o.lr_decay")
# Centered RMSprop dividing by √v: the mean never subtracted.
gradlab_mutant(NAME rmsprop_centered_ignores_mean FILE optimizers.cpp
  FIND "std::sqrt(v - g_avg * g_avg) + o.eps" REPLACE "std::sqrt(v) + o.eps")
# RMSprop's momentum buffer fed the raw gradient instead of g / d.
gradlab_mutant(NAME rmsprop_momentum_raw_gradient FILE optimizers.cpp
  FIND "b = o.momentum * b + g / d" REPLACE "b = o.momentum * b + g")
# AMSGrad's maximum kept but not used.
gradlab_mutant(NAME amsgrad_maximum_ignored FILE optimizers.cpp
  FIND "v_used = max_exp_avg_sq(r, c)" REPLACE "v_used = v")
# The second moment fed |g| instead of g².
gradlab_mutant(NAME adam_second_moment_of_abs_g FILE optimizers.cpp
  FIND "(1.0 - o.beta2) * g * g" REPLACE "(1.0 - o.beta2) * std::abs(g)")
# One t for the whole optimizer instead of one per parameter (a late parameter starts at t > 1).
gradlab_mutant(NAME step_shared_by_all_parameters FILE optimizers.cpp
  FIND "++s.step" REPLACE "s.step = step_count_")
# A parameter without a gradient yet updated anyway (and given state).
gradlab_mutant(NAME parameter_without_gradient_not_skipped FILE optimizers.cpp
  FIND "!p.requires_grad() || !has_grad(p)" REPLACE "!p.requires_grad()")
