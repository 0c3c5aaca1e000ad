# Lab 08: the usual mistakes. Each variant must make lab 08's tests fail
# (ctest lab08.mutant.<name>; run build/default/bin/lab08_mutant_<name> to see which tests catch it).
# (FIND/REPLACE texts avoid ';', which CMake would split into list elements.)

# --- the issue's list
# The unbiased variance (÷ N − 1) used to normalize.
gradlab_mutant(NAME bn_normalizes_with_unbiased_variance FILE normalization.cpp
  FIND "(x.col(j).array() - mu).square().sum() / static_cast<Scalar>(n)"
  REPLACE "(x.col(j).array() - mu).square().sum() / static_cast<Scalar>(n - 1)")
# ε outside the square root: 1/(√σ² + ε).
gradlab_mutant(NAME bn_eps_outside_sqrt FILE normalization.cpp
  FIND "const Scalar s = 1.0 / std::sqrt(sigma2 + eps)" REPLACE "const Scalar s = 1.0 / (std::sqrt(sigma2) + eps)")
# The backward treating μ and σ as constants (dx = γ s ȳ in training).
gradlab_mutant(NAME bn_backward_treats_stats_as_constants FILE normalization.cpp
  FIND "(inv_std(0, j) / n) * (n * g - sum_g - x_hat.col(j).array() * sum_g_xhat)"
  REPLACE "inv_std(0, j) * g")
# γ and β gradients not summed over the batch (only the first row).
gradlab_mutant(NAME bn_param_grads_not_summed FILE normalization.cpp
  FIND "dgamma(0, j) += (dy.col(j).array() * x_hat.col(j).array()).sum()"
  REPLACE "dgamma(0, j) += dy(0, j) * x_hat(0, j)"
  FIND "dbeta(0, j) += dy.col(j).sum()" REPLACE "dbeta(0, j) += dy(0, j)")
# The running variance updated with the biased batch variance.
gradlab_mutant(NAME bn_running_var_biased FILE normalization.cpp
  FIND "(momentum * unbiased) * var" REPLACE "momentum * var")
# Evaluation normalizing with the batch's statistics.
gradlab_mutant(NAME bn_eval_uses_batch_statistics FILE normalization.cpp
  FIND "  if (!training) {" REPLACE "  if (false) {")
# Momentum the other way round: 0.9 on the new value.
gradlab_mutant(NAME bn_momentum_reversed FILE normalization.cpp
  FIND "running_mean = (1.0 - momentum) * running_mean + momentum * mean"
  REPLACE "running_mean = momentum * running_mean + (1.0 - momentum) * mean"
  FIND "running_var = (1.0 - momentum) * running_var + (momentum * unbiased) * var"
  REPLACE "running_var = momentum * running_var + ((1.0 - momentum) * unbiased) * var")

# --- more usual mistakes: batch norm
# No ε at all.
gradlab_mutant(NAME bn_no_eps FILE normalization.cpp
  FIND "const Scalar s = 1.0 / std::sqrt(sigma2 + eps)" REPLACE "const Scalar s = 1.0 / std::sqrt(sigma2 + 0.0 * eps)")
# Dividing by the variance instead of the standard deviation.
gradlab_mutant(NAME bn_divides_by_variance FILE normalization.cpp
  FIND "const Scalar s = 1.0 / std::sqrt(sigma2 + eps)" REPLACE "const Scalar s = 1.0 / (sigma2 + eps)")
# β forgotten in the forward pass.
gradlab_mutant(NAME bn_forward_without_beta FILE normalization.cpp
  FIND "y.col(j) = gamma(0, j) * x_hat.col(j).array() + beta(0, j)"
  REPLACE "y.col(j) = gamma(0, j) * x_hat.col(j).array() + 0.0 * beta(0, j)")
# The backward's x̂ term forgotten (only the mean is removed: σ² taken as constant).
gradlab_mutant(NAME bn_backward_without_variance_term FILE normalization.cpp
  FIND "n * g - sum_g - x_hat.col(j).array() * sum_g_xhat" REPLACE "n * g - sum_g")
# The backward's 1/N forgotten.
gradlab_mutant(NAME bn_backward_missing_one_over_n FILE normalization.cpp
  FIND "(inv_std(0, j) / n) * (n * g" REPLACE "inv_std(0, j) * (n * g")
# γ left out of g (g = ȳ instead of γ ȳ).
gradlab_mutant(NAME bn_backward_without_gamma FILE normalization.cpp
  FIND "const auto g = (gamma(0, j) * dy.col(j).array()).eval()" REPLACE "const auto g = dy.col(j).array().eval()")
# The training backward overwriting dx.
gradlab_mutant(NAME bn_backward_overwrites FILE normalization.cpp
  FIND "dx.col(j).array() += (inv_std(0, j) / n)" REPLACE "dx.col(j).array() = (inv_std(0, j) / n)")
# The evaluation backward without γ.
gradlab_mutant(NAME bn_eval_backward_without_gamma FILE normalization.cpp
  FIND "dx.col(j) += (gamma(0, j) * inv_std(0, j)) * dy.col(j)" REPLACE "dx.col(j) += inv_std(0, j) * dy.col(j)")
# Evaluation using the batch's statistics through the training backward (eval recorded as train).
gradlab_mutant(NAME bn_eval_records_training_backward FILE normalization.cpp
  FIND "kernels::batch_norm_backward_eval(x_hat" REPLACE "kernels::batch_norm_backward_train(x_hat")
# The running statistics not updated at all.
gradlab_mutant(NAME bn_running_not_updated FILE normalization.cpp
  FIND "  kernels::batch_norm_update_running(mean, var, n, momentum, running_mean, running_var)" REPLACE "  (void)momentum")
# The running statistics replaced by the batch's (no averaging).
gradlab_mutant(NAME bn_running_replaced FILE normalization.cpp
  FIND "running_mean = (1.0 - momentum) * running_mean + momentum * mean" REPLACE "running_mean = mean")
# Evaluation with the running standard deviation squared wrongly: ε outside the root.
gradlab_mutant(NAME bn_eval_eps_outside_sqrt FILE normalization.cpp
  FIND "const Scalar s = 1.0 / std::sqrt(running_var(0, j) + eps)"
  REPLACE "const Scalar s = 1.0 / (std::sqrt(running_var(0, j)) + eps)")
# The batch-of-one check dropped.
gradlab_mutant(NAME bn_batch_of_one_not_checked FILE normalization.cpp
  FIND "  check_batch_norm_input(x, gamma.cols(), training)" REPLACE "  (void)0")

# --- layer and group norm
# Groups strided (feature j in group j mod G) instead of consecutive.
gradlab_mutant(NAME gn_strided_groups FILE normalization.cpp
  FIND "const auto xs = x.row(i).segment(g * k, k).array()"
  REPLACE "const Eigen::Array<Scalar, 1, Eigen::Dynamic> xs = x.row(i)(Eigen::seqN(g, k, groups)).array()")
# GroupNorm normalizing with the unbiased variance.
gradlab_mutant(NAME gn_unbiased_variance FILE normalization.cpp
  FIND "(xs - mu).square().sum() / static_cast<Scalar>(k)" REPLACE "(xs - mu).square().sum() / static_cast<Scalar>(k - 1 + (k == 1))")
# GroupNorm's ε outside the square root.
gradlab_mutant(NAME gn_eps_outside_sqrt FILE normalization.cpp
  FIND "std::sqrt(group_var + eps)" REPLACE "(std::sqrt(group_var) + eps)")
# GroupNorm's backward treating μ and σ as constants.
gradlab_mutant(NAME gn_backward_treats_stats_as_constants FILE normalization.cpp
  FIND "(inv_std(i, g) / m) * (m * gi - sum_g - xh * sum_g_xhat)" REPLACE "inv_std(i, g) * gi")
# GroupNorm's γ and β gradients from the first row only.
gradlab_mutant(NAME gn_param_grads_not_summed FILE normalization.cpp
  FIND "dgamma += dy.cwiseProduct(x_hat).colwise().sum()" REPLACE "dgamma += dy.row(0).cwiseProduct(x_hat.row(0))"
  FIND "dbeta += dy.colwise().sum()" REPLACE "dbeta += dy.row(0)")
# GroupNorm's backward overwriting dx.
gradlab_mutant(NAME gn_backward_overwrites FILE normalization.cpp
  FIND "dx.row(i).segment(g * k, k).array() +=" REPLACE "dx.row(i).segment(g * k, k).array() =")
# GroupNorm's dβ overwriting.
gradlab_mutant(NAME gn_dbeta_overwrites FILE normalization.cpp
  FIND "dbeta += dy.colwise().sum()" REPLACE "dbeta = dy.colwise().sum()")

# --- large-mean features
# The batch variance as E[x²] − μ² (one pass): catastrophic cancellation for a column near 1e8.
gradlab_mutant(NAME bn_variance_one_pass FILE normalization.cpp
  FIND "const Scalar sigma2 = (x.col(j).array() - mu).square().sum() / static_cast<Scalar>(n)"
  REPLACE "const Scalar sigma2 = x.col(j).array().square().sum() / static_cast<Scalar>(n) - mu * mu")
# The group variance as E[x²] − μ² (one pass): catastrophic cancellation for a group near 1e8.
gradlab_mutant(NAME gn_variance_one_pass FILE normalization.cpp
  FIND "const Scalar group_var = (xs - mu).square().sum() / static_cast<Scalar>(k)"
  REPLACE "const Scalar group_var = xs.square().sum() / static_cast<Scalar>(k) - mu * mu")
