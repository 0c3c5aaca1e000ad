# Buggy variants of the lab 03 reference: the lab's tests must fail on each.
# (FIND/REPLACE texts avoid ';', which CMake would read as a list separator.)

# The issue's list.
gradlab_mutant(NAME mse_mean_missing_1_over_n FILE losses.cpp
  FIND "squared / static_cast<Scalar>(pred.size()) : squared" REPLACE "squared : squared"
  FIND "2.0 * mse_scale * (pred - target)" REPLACE "2.0 * dloss * (pred - target)")
gradlab_mutant(NAME ce_gradient_not_divided_by_batch FILE losses.cpp
  FIND "dlogits += ce_scale * p_minus_y" REPLACE "dlogits += dloss * p_minus_y")
gradlab_mutant(NAME bce_on_probabilities FILE losses.cpp
  FIND "bce_total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)))"
  REPLACE "bce_total += -(y * std::log(1.0 / (1.0 + std::exp(-z))) + (1.0 - y) * std::log(1.0 - 1.0 / (1.0 + std::exp(-z))))")
gradlab_mutant(NAME label_smoothing_over_k_minus_1 FILE losses.cpp
  FIND "targets.setConstant(epsilon / static_cast<Scalar>(classes))"
  REPLACE "targets.setConstant(epsilon / static_cast<Scalar>(classes - 1))"
  FIND "targets(static_cast<Index>(i), labels[i]) += 1.0 - epsilon"
  REPLACE "targets(static_cast<Index>(i), labels[i]) = 1.0 - epsilon")
gradlab_mutant(NAME distillation_without_t_squared FILE losses.cpp
  FIND "const Scalar kl_total = temperature * temperature * kl" REPLACE "const Scalar kl_total = kl"
  FIND "kl_scale * temperature * (p_student - p_teacher)" REPLACE "kl_scale / temperature * (p_student - p_teacher)")
gradlab_mutant(NAME mse_assign_instead_of_add FILE losses.cpp
  FIND "dpred += 2.0 * mse_scale" REPLACE "dpred = 2.0 * mse_scale")

# More usual mistakes.
gradlab_mutant(NAME ce_assign_instead_of_add FILE losses.cpp
  FIND "dlogits += ce_scale * p_minus_y" REPLACE "dlogits = ce_scale * p_minus_y")
gradlab_mutant(NAME distillation_assign_instead_of_add FILE losses.cpp
  FIND "dstudent_logits += kl_scale" REPLACE "dstudent_logits = kl_scale")
gradlab_mutant(NAME log_softmax_without_max FILE losses.cpp
  FIND "const Scalar m = z.row(i).maxCoeff()" REPLACE "const Scalar m = 0.0")
gradlab_mutant(NAME ce_mean_over_elements FILE losses.cpp
  FIND "ce_total / static_cast<Scalar>(logits.rows())" REPLACE "ce_total / static_cast<Scalar>(logits.size())")
gradlab_mutant(NAME l1_gradient_one_at_zero FILE losses.cpp
  FIND "r < 0 ? -1.0 : 0.0" REPLACE "r < 0 ? -1.0 : 1.0")
gradlab_mutant(NAME huber_linear_piece_without_delta FILE losses.cpp
  FIND "delta * (r - 0.5 * delta)" REPLACE "r - 0.5 * delta")
gradlab_mutant(NAME nll_gradient_sign FILE losses.cpp
  FIND "dlog_probs(i, labels[i]) -= nll_scale" REPLACE "dlog_probs(i, labels[i]) += nll_scale")
gradlab_mutant(NAME bce_gradient_not_averaged FILE losses.cpp
  FIND "dlogits(i, j) += bce_scale *" REPLACE "dlogits(i, j) += dloss *")
gradlab_mutant(NAME soft_ce_ignores_target_mass FILE losses.cpp
  FIND "(row_mass * p.row(i) - targets.row(i))" REPLACE "(p.row(i) - targets.row(i))")

# log-softmax as z − (m + log Σ): rounds away one unit of the largest logit.
gradlab_mutant(NAME log_softmax_rounds_the_max_first FILE losses.cpp
  FIND "out.row(i) = (z.row(i).array() - m) - log_sum"
  REPLACE "out.row(i) = z.row(i).array() - (m + log_sum)")

# --- δ ≠ 1, targets that do not sum to 1, the largest logit elsewhere than first
# Huber's threshold compared with δ² (|r| ≤ δ²): δ = 1 cannot tell.
gradlab_mutant(NAME huber_threshold_delta_squared FILE losses.cpp
  FIND "huber_total += r <= delta ? 0.5 * r * r" REPLACE "huber_total += r <= delta * delta ? 0.5 * r * r"
  FIND "std::clamp(r, -delta, delta)" REPLACE "(std::abs(r) <= delta * delta ? r : std::copysign(delta, r))")
# Huber's threshold compared with the squared residual (r² ≤ δ, i.e. |r| ≤ √δ).
gradlab_mutant(NAME huber_threshold_squared_residual FILE losses.cpp
  FIND "huber_total += r <= delta ? 0.5 * r * r" REPLACE "huber_total += r * r <= delta ? 0.5 * r * r"
  FIND "std::clamp(r, -delta, delta)" REPLACE "(r * r <= delta ? r : std::copysign(delta, r))")
# Soft targets renormalized to sum to 1 (in the loss and in its gradient, consistently).
gradlab_mutant(NAME soft_ce_normalizes_targets FILE losses.cpp
  FIND "const Scalar soft_total = -(targets.array() * log_p.array()).sum()"
  REPLACE "const Scalar soft_total = -((targets.array().colwise() / targets.array().rowwise().sum()) * log_p.array()).sum()"
  FIND "dlogits.row(i) += soft_scale * (row_mass * p.row(i) - targets.row(i))"
  REPLACE "dlogits.row(i) += soft_scale * (p.row(i) - targets.row(i) / row_mass)")
# Log-softmax shifted by the row's first logit instead of its maximum.
gradlab_mutant(NAME log_softmax_shift_by_first_logit FILE losses.cpp
  FIND "const Scalar log_sum = std::log((z.row(i).array() - m).exp().sum())"
  REPLACE "const Scalar log_sum = std::log((z.row(i).array() - z(i, 0)).exp().sum()) + z(i, 0) - m")
