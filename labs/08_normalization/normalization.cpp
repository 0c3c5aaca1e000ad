// Lab 08: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 08 — normalization: batch, layer and group normalization, forward and backward.
//
// Each layer standardizes a set of M numbers (BatchNorm: a column over the batch;
// LayerNorm: a row over its features; GroupNorm: D/G consecutive features of one row)
// and then applies a per-feature scale γ and shift β.
//
// Conventions (read framework/include/gradlab/kernels/normalization.h too), PyTorch 1.13's:
//   - normalize with the BIASED variance (divide by M), ε = 1e-5 INSIDE the square root;
//   - BatchNorm's running statistics: running ← (1 − m)·running + m·batch with m = 0.1,
//     and the running variance gets the UNBIASED batch variance σ²·N/(N − 1);
//   - backward kernels ADD into dx, dgamma, dbeta (+=).
// Shapes: x, y, x_hat, dy, dx: [N, D]; gamma, beta, dgamma, dbeta: [1, D].
//
// ============================================================== the backward, derived once
// For one set of M numbers x_1..x_M (a column, a row or a group), with the upstream
// gradient ȳ and g_i = γ_i ȳ_i = ∂L/∂x̂_i:
//   μ = (1/M) Σ x_k,   σ² = (1/M) Σ (x_k − μ)²,   s = (σ² + ε)^(−1/2),   x̂_i = (x_i − μ) s.
// x_i reaches L three ways: directly through x̂_i, through μ, and through σ²:
//   ∂L/∂x_i = g_i s + (∂L/∂μ)(1/M) + (∂L/∂σ²)·2(x_i − μ)/M
//   ∂L/∂σ² = Σ_k g_k (x_k − μ)·(−½)(σ² + ε)^(−3/2) = −½ s² Σ_k g_k x̂_k
//   ∂L/∂μ  = −s Σ_k g_k + (∂L/∂σ²)·(−2/M) Σ_k (x_k − μ) = −s Σ_k g_k      (Σ(x_k − μ) = 0)
// so, with x_i − μ = x̂_i / s,
//   ∂L/∂x_i = s g_i − (s/M) Σ_k g_k − (s/M) x̂_i Σ_k g_k x̂_k
//           = (s/M) ( M g_i − Σ_k g_k − x̂_i Σ_k g_k x̂_k ).
// It reuses x̂ and s from the forward pass. The two sums remove from g its components
// along "shift every x" and "scale every x", which the normalization cannot see.
// γ and β act per feature on every row: ∂L/∂γ_j = Σ_rows ȳ x̂, ∂L/∂β_j = Σ_rows ȳ.
#include "gradlab/autograd.h"
#include "gradlab/kernels/normalization.h"
#include "gradlab/normalization.h"

#include <cmath>

namespace gradlab::kernels {

// ============================================================== BatchNorm, training
// Per column j: μ_j = mean of the column, σ²_j = mean of (x − μ_j)² (biased, /N),
// s_j = 1/√(σ²_j + ε), x̂ = (x − μ_j) s_j, y = γ_j x̂ + β_j.
void batch_norm_forward_train(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps, MatrixRef y,
                              MatrixRef x_hat, MatrixRef inv_std, MatrixRef mean, MatrixRef var) {
  // TODO(lab 08): implement batch_norm_forward_train.
  throw gradlab::NotImplemented("lab 08: batch_norm_forward_train");
}

// running ← (1 − m)·running + m·batch; the variance term is the unbiased σ²·n/(n − 1).
void batch_norm_update_running(ConstMatrixRef mean, ConstMatrixRef var, Index n, Scalar momentum,
                               MatrixRef running_mean, MatrixRef running_var) {
  // TODO(lab 08): implement batch_norm_update_running.
  throw gradlab::NotImplemented("lab 08: batch_norm_update_running");
}

// ============================================================== BatchNorm, evaluation
// The same map with the running statistics, which are constants here:
// s_j = 1/√(σ²_run,j + ε), x̂ = (x − μ_run,j) s_j, y = γ_j x̂ + β_j.
void batch_norm_forward_eval(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, ConstMatrixRef running_mean,
                             ConstMatrixRef running_var, Scalar eps, MatrixRef y, MatrixRef x_hat, MatrixRef inv_std) {
  // TODO(lab 08): implement batch_norm_forward_eval.
  throw gradlab::NotImplemented("lab 08: batch_norm_forward_eval");
}

// ============================================================== BatchNorm, backward
// Training (M = N per column): dx += (s/N)(N g − Σ g − x̂ Σ g x̂), g = γ ȳ.
void batch_norm_backward_train(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                               MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta) {
  // TODO(lab 08): implement batch_norm_backward_train.
  throw gradlab::NotImplemented("lab 08: batch_norm_backward_train");
}

// Evaluation: μ_run and σ²_run do not depend on x, so y is affine in x: dx += γ s ȳ.
void batch_norm_backward_eval(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                              MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta) {
  // TODO(lab 08): implement batch_norm_backward_eval.
  throw gradlab::NotImplemented("lab 08: batch_norm_backward_eval");
}

// ============================================================== GroupNorm
// Row i, group g: the features [g·K, (g+1)·K), K = D/G, normalized together
// (their mean and biased variance), then y = γ_j x̂ + β_j per feature j.
void group_norm_forward(ConstMatrixRef x, Index groups, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps,
                        MatrixRef y, MatrixRef x_hat, MatrixRef inv_std) {
  // TODO(lab 08): implement group_norm_forward.
  throw gradlab::NotImplemented("lab 08: group_norm_forward");
}

// Per row and group (M = K = D/G): dx += (s/K)(K g − Σ g − x̂ Σ g x̂), g = γ ȳ;
// dγ += Σ_rows ȳ x̂, dβ += Σ_rows ȳ.
void group_norm_backward(ConstMatrixRef x_hat, ConstMatrixRef inv_std, Index groups, ConstMatrixRef gamma,
                         ConstMatrixRef dy, MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta) {
  // TODO(lab 08): implement group_norm_backward.
  throw gradlab::NotImplemented("lab 08: group_norm_backward");
}

// ============================================================== LayerNorm
// GroupNorm with one group: each row normalized over all its D features. inv_std: [N, 1].
void layer_norm_forward(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps, MatrixRef y,
                        MatrixRef x_hat, MatrixRef inv_std) {
  // TODO(lab 08): implement layer_norm_forward.
  throw gradlab::NotImplemented("lab 08: layer_norm_forward");
}

void layer_norm_backward(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                         MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta) {
  // TODO(lab 08): implement layer_norm_backward.
  throw gradlab::NotImplemented("lab 08: layer_norm_backward");
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== the batch_norm operation
// 1. check_batch_norm_input(x, D, training): D columns, and N ≥ 2 in training;
// 2. evaluation: batch_norm_forward_eval with the running statistics (left unchanged),
//    and a backward closure calling batch_norm_backward_eval;
// 3. training: batch_norm_forward_train, then batch_norm_update_running with this batch's
//    μ and biased σ² (n = N), and a backward closure calling batch_norm_backward_train.
// The closures capture x̂ and s by value (moved in). self.parents: x, gamma, beta.
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Matrix& running_mean, Matrix& running_var,
                  bool training, Scalar momentum, Scalar eps) {
  // TODO(lab 08): implement batch_norm.
  throw gradlab::NotImplemented("lab 08: batch_norm");
}

}  // namespace gradlab
