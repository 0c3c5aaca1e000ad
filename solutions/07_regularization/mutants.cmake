# Lab 07: the usual mistakes. Each variant must make lab 07's tests fail
# (ctest lab07.mutant.<name>; run build/default/bin/lab07_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements. A FIND
# replaces every occurrence: where a text also occurs elsewhere, a placeholder
# protects it first and is put back last.)

# --- the issue's list
# Dropout without the 1/(1 − p) rescaling of the kept units.
gradlab_mutant(NAME dropout_no_rescale FILE regularization.cpp
  FIND "mask(r, c) = kept ? scale : 0.0" REPLACE "mask(r, c) = kept ? 1.0 : 0.0")
# Dropout rescaling at evaluation as well (x / (1 − p) instead of x).
gradlab_mutant(NAME dropout_rescales_in_evaluation FILE regularization.cpp
  FIND "if (!training || p == 0.0) return x" REPLACE "if (!training) return x * (1.0 / (1.0 - p))")
# A new mask drawn in the backward pass (the closure keeps the generator and draws again).
gradlab_mutant(NAME dropout_new_mask_in_backward FILE regularization.cpp
  FIND "[mask = std::move(mask)](Node& self) {"
  REPLACE "[mask = std::move(mask), scratch = Matrix(x.rows(), x.cols()), &rng, p](Node& self) mutable {"
  FIND "kernels::dropout_backward(mask, self.grad,"
  REPLACE "kernels::dropout_backward((kernels::dropout_forward(self.parents[0]->value, p, rng, mask, scratch), mask), self.grad,")
# Clipping each parameter by its own norm instead of the global one.
gradlab_mutant(NAME clip_each_parameter_by_its_own_norm FILE gradient_control.cpp
  FIND "for (MatrixRef& g : grads) g *= clip_coef_clamped"
  REPLACE "for (MatrixRef& g : grads) g *= std::min(1.0, max_norm / (g.norm() + 1e-6))")
# Accumulation that averages twice (the loss divided by k², e.g. a mean of means divided by k again).
gradlab_mutant(NAME accumulation_averages_twice FILE gradient_control.cpp
  FIND "(1.0 / static_cast<Scalar>(steps_))" REPLACE "(1.0 / static_cast<Scalar>(steps_ * steps_))")
# Accumulation that does not average at all (the gradients of k losses summed).
gradlab_mutant(NAME accumulation_not_averaged FILE gradient_control.cpp
  FIND "(loss * (1.0 / static_cast<Scalar>(steps_))).backward()" REPLACE "Tensor(loss).backward()")
# Early stopping with min_delta ignored (any decrease counts as an improvement).
gradlab_mutant(NAME early_stopping_ignores_min_delta FILE regularization.cpp
  FIND "metric < best_ - options_.min_delta" REPLACE "metric < best_"
  FIND "metric > best_ + options_.min_delta" REPLACE "metric > best_")

# --- more usual mistakes: penalties
# sign(0) taken as 1 (w >= 0 ? 1 : −1): L1 pushes a zero weight away from 0.
gradlab_mutant(NAME l1_subgradient_one_at_zero FILE regularization.cpp
  FIND "w(r, c) > 0.0 ? 1.0 : (w(r, c) < 0.0 ? -1.0 : 0.0)" REPLACE "w(r, c) >= 0.0 ? 1.0 : -1.0")
# L1's value as λΣw (the absolute value forgotten).
gradlab_mutant(NAME l1_value_without_abs FILE regularization.cpp
  FIND "lambda * w.cwiseAbs().sum()" REPLACE "lambda * w.sum()")
# L1's gradient without the upstream gradient.
gradlab_mutant(NAME l1_ignores_upstream_gradient FILE regularization.cpp
  FIND "dw(r, c) += dout * lambda * sign" REPLACE "dw(r, c) += lambda * sign")
# L2's gradient 2λw (the ½ of the penalty forgotten in the derivative).
gradlab_mutant(NAME l2_gradient_twice_lambda_w FILE regularization.cpp
  FIND "dw += (dout * lambda) * w" REPLACE "dw += (2.0 * dout * lambda) * w")
# L2's value λΣw² (without the ½).
gradlab_mutant(NAME l2_value_without_half FILE regularization.cpp
  FIND "0.5 * lambda * w.squaredNorm()" REPLACE "lambda * w.squaredNorm()")
# L2's backward overwriting dw instead of adding to it.
gradlab_mutant(NAME l2_backward_overwrites FILE regularization.cpp
  FIND "dw += (dout * lambda) * w" REPLACE "dw = (dout * lambda) * w")
# Elastic net's backward with the L2 part forgotten.
gradlab_mutant(NAME elastic_net_backward_without_l2 FILE regularization.cpp
  FIND "  l2_penalty_backward(w, l2, dout, dw)" REPLACE "  (void)l2")

# --- dropout
# Kept with probability p instead of 1 − p.
gradlab_mutant(NAME dropout_keeps_with_probability_p FILE regularization.cpp
  FIND "rng.uniform() < keep" REPLACE "rng.uniform() < p")
# Dropout left on in evaluation (the training flag ignored).
gradlab_mutant(NAME dropout_active_in_evaluation FILE regularization.cpp
  FIND "if (!training || p == 0.0) return x" REPLACE "if (p == 0.0) return x")
# The backward pass ignores the mask (every unit gets the gradient).
gradlab_mutant(NAME dropout_backward_ignores_mask FILE regularization.cpp
  FIND "dx += mask.cwiseProduct(dy)" REPLACE "dx += dy")
# The backward pass overwrites dx.
gradlab_mutant(NAME dropout_backward_overwrites FILE regularization.cpp
  FIND "dx += mask.cwiseProduct(dy)" REPLACE "dx = mask.cwiseProduct(dy)")
# p not checked: p = 1 silently gives zeros, p < 0 a scale below 1.
gradlab_mutant(NAME dropout_p_not_checked FILE regularization.cpp
  FIND "  check_dropout_p(p)" REPLACE "  (void)p")

# --- clipping
# The factor not clamped to 1: small gradients are scaled UP to max_norm.
gradlab_mutant(NAME clip_factor_not_clamped FILE gradient_control.cpp
  FIND "clip_coef > 1.0 ? 1.0 : clip_coef" REPLACE "clip_coef")
# No 1e-6 in the denominator (differs from PyTorch's clip_coef).
gradlab_mutant(NAME clip_without_epsilon FILE gradient_control.cpp
  FIND "max_norm / (total_norm + 1e-6)" REPLACE "max_norm / total_norm")
# The norm returned after clipping instead of before.
gradlab_mutant(NAME clip_returns_norm_after_clipping FILE gradient_control.cpp
  FIND "return total_norm" REPLACE "return total_norm * clip_coef_clamped")
# The squared norm used as the norm (the square root forgotten).
gradlab_mutant(NAME clip_norm_without_sqrt FILE gradient_control.cpp
  FIND "total_norm = std::sqrt(sum_of_squares)" REPLACE "total_norm = sum_of_squares")
# A NaN hidden by the clamp: std::min(1.0, NaN) is 1.0, so the gradients stay as they were.
gradlab_mutant(NAME clip_clamp_hides_nan FILE gradient_control.cpp
  FIND "clip_coef > 1.0 ? 1.0 : clip_coef" REPLACE "std::min(1.0, clip_coef)")
# A non-finite norm skipped silently (the gradients left unclipped).
gradlab_mutant(NAME clip_skips_non_finite_norm FILE gradient_control.cpp
  FIND "const Scalar clip_coef = max_norm / (total_norm + 1e-6)"
  REPLACE "const Scalar clip_coef = std::isfinite(total_norm) ? max_norm / (total_norm + 1e-6) : 1.0")
# The largest |g| for p = ∞ forgetting that a NaN must win.
gradlab_mutant(NAME clip_inf_norm_drops_nan FILE gradient_control.cpp
  FIND "if (std::isnan(a) || a > total_norm) total_norm = a" REPLACE "if (a > total_norm) total_norm = a")
# Clipping by value on one side only.
gradlab_mutant(NAME clip_value_one_sided FILE gradient_control.cpp
  FIND "if (g < -clip_value) g = -clip_value" REPLACE "if (g < -clip_value) g = g")

# --- accumulation
# The step one mini-batch late (after k + 1 mini-batches).
gradlab_mutant(NAME accumulation_steps_one_batch_late FILE gradient_control.cpp
  FIND "if (pending_ < steps_) return false" REPLACE "if (pending_ <= steps_) return false")
# The gradients not zeroed after the step: they leak into the next group.
gradlab_mutant(NAME accumulation_no_zero_grad FILE gradient_control.cpp
  FIND "  optimizer_.zero_grad()" REPLACE "  (void)0")
# The gradients zeroed before the step: the step uses zeros.
gradlab_mutant(NAME accumulation_zero_grad_before_step FILE gradient_control.cpp
  FIND "optimizer_.step()" REPLACE "STEP_PLACEHOLDER"
  FIND "optimizer_.zero_grad()" REPLACE "optimizer_.step()"
  FIND "STEP_PLACEHOLDER" REPLACE "optimizer_.zero_grad()")

# --- early stopping
# min_delta with the wrong sign: anything within min_delta ABOVE the best counts as progress.
gradlab_mutant(NAME early_stopping_min_delta_wrong_sign FILE regularization.cpp
  FIND "metric < best_ - options_.min_delta" REPLACE "metric < best_ + options_.min_delta")
# Stopping one epoch late (wait > patience).
gradlab_mutant(NAME early_stopping_patience_off_by_one FILE regularization.cpp
  FIND "wait_ >= options_.patience" REPLACE "wait_ > options_.patience")
# The wait not reset by an improvement.
gradlab_mutant(NAME early_stopping_wait_not_reset FILE regularization.cpp
  FIND "    wait_ = 0" REPLACE "    (void)wait_")
# The weights saved every epoch, not only at a new best: the "best" weights are the last ones.
gradlab_mutant(NAME early_stopping_saves_every_epoch FILE regularization.cpp
  FIND "if (best_epoch_ == epoch_)" REPLACE "if (epoch_ > 0)")
# The best weights never restored when stopping.
gradlab_mutant(NAME early_stopping_no_restore FILE regularization.cpp
  FIND "if (options_.restore_best_weights) restore_best()" REPLACE "(void)0")
# Max mode treated as Min (an accuracy that rises counts as getting worse).
gradlab_mutant(NAME early_stopping_max_mode_as_min FILE regularization.cpp
  FIND "options_.mode == EarlyStoppingMode::Min ?" REPLACE "true ?")
# restore_best() restoring only the first parameter.
gradlab_mutant(NAME early_stopping_restores_first_parameter_only FILE regularization.cpp
  FIND "params_[i].value() = best_weights_[i]" REPLACE "params_[0].value() = best_weights_[0]")
