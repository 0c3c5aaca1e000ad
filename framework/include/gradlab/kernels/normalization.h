/// \file
/// \brief Lab 08 kernels: batch, layer and group normalization over `[N, D]` inputs,
/// forward and backward, and the running statistics of batch normalization.
///
/// Conventions for every kernel here (PyTorch 1.13's, stated once):
/// - a normalization layer standardizes a set of M numbers with their mean μ and their
///   *biased* variance σ² (divided by M), with ε = 1e-5 inside the square root, then
///   applies a per-feature affine map:
///   \f[ \hat x = (x - \mu)\, s, \qquad s = \frac{1}{\sqrt{\sigma^2 + \epsilon}}, \qquad
///       y = \gamma \odot \hat x + \beta ; \f]
/// - the sets: BatchNorm, one column (a feature over the batch, M = N); LayerNorm, one
///   row (an example over its features, M = D); GroupNorm, the D/G consecutive features
///   of one group of one example (M = D/G);
/// - the forward kernels write x̂ and s for the backward pass, which reuses them (the
///   "compact" backward): with g = γ ⊙ ȳ, per set of M elements,
///   \f[ \bar x = \frac{s}{M}\Big( M g - \sum g - \hat x \sum g \odot \hat x \Big), \qquad
///       \bar\gamma = \sum \bar y \odot \hat x, \qquad \bar\beta = \sum \bar y \f]
///   (γ̄ and β̄ summed over every row). Backward kernels *add* into dx, dgamma, dbeta (+=);
/// - running statistics (BatchNorm): momentum m = 0.1 means
///   running ← (1 − m)·running + m·batch, and the running variance receives the
///   *unbiased* batch variance σ²·N/(N − 1); evaluation normalizes with them.
/// Shapes: x, y, x_hat, dy, dx: `[N, D]`; gamma, beta, dgamma, dbeta: `[1, D]`.
/// Hyperparameters arrive validated by the glue (gradlab/normalization.h).
/// The reference lives in `solutions/08_normalization/`; your copy in `labs/08_normalization/`.
/// \sa \ref notes_normalization
#pragma once

#include "gradlab/core.h"

namespace gradlab::kernels {

/// \name Batch normalization (normalization.cpp)
/// @{

/// \brief BatchNorm in training: per column j, with the batch's statistics,
/// \f[ \mu_j = \frac1N\sum_i x_{ij}, \quad \sigma^2_j = \frac1N\sum_i (x_{ij}-\mu_j)^2, \quad
///     s_j = (\sigma^2_j+\epsilon)^{-1/2}, \quad \hat x_{ij} = (x_{ij}-\mu_j)s_j, \quad
///     y_{ij} = \gamma_j \hat x_{ij} + \beta_j . \f]
/// Writes y, x̂, s (\p inv_std), μ (\p mean) and the biased σ² (\p var). Requires N ≥ 2.
/// x, y, x_hat: `[N, D]`; gamma, beta, inv_std, mean, var: `[1, D]`.
void batch_norm_forward_train(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps, MatrixRef y,
                              MatrixRef x_hat, MatrixRef inv_std, MatrixRef mean, MatrixRef var);

/// \brief Updates the running statistics after a training batch of \p n rows:
/// \f[ \mu_{run} \leftarrow (1-m)\mu_{run} + m\,\mu, \qquad
///     \sigma^2_{run} \leftarrow (1-m)\sigma^2_{run} + m\,\sigma^2 \frac{n}{n-1} \f]
/// (\p var is the biased batch variance; the running one gets the unbiased estimate).
/// All `[1, D]`.
void batch_norm_update_running(ConstMatrixRef mean, ConstMatrixRef var, Index n, Scalar momentum,
                               MatrixRef running_mean, MatrixRef running_var);

/// \brief BatchNorm in evaluation: the same map with the running statistics,
/// \f$ s_j = (\sigma^2_{run,j}+\epsilon)^{-1/2},\ \hat x_{ij} = (x_{ij}-\mu_{run,j}) s_j,\ y = \gamma\hat x + \beta \f$:
/// an affine map of x, row by row, independent of the rest of the batch. Writes y, x̂, s.
void batch_norm_forward_eval(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, ConstMatrixRef running_mean,
                             ConstMatrixRef running_var, Scalar eps, MatrixRef y, MatrixRef x_hat, MatrixRef inv_std);

/// \brief Backward of batch_norm_forward_train (μ and σ² depend on x):
/// \f[ g = \gamma \odot \bar y,\quad \bar x_{ij} \mathrel{+}= \frac{s_j}{N}\Big(N g_{ij} - \sum_k g_{kj}
///     - \hat x_{ij}\sum_k g_{kj}\hat x_{kj}\Big),\quad \bar\gamma_j \mathrel{+}= \sum_i \bar y_{ij}\hat x_{ij},\quad
///     \bar\beta_j \mathrel{+}= \sum_i \bar y_{ij} \f]
void batch_norm_backward_train(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                               MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta);

/// \brief Backward of batch_norm_forward_eval (the statistics are constants there):
/// \f$ \bar x_{ij} \mathrel{+}= \gamma_j s_j \bar y_{ij} \f$, γ̄ and β̄ as in training.
void batch_norm_backward_eval(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                              MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta);
/// @}

/// \name Layer and group normalization (normalization.cpp)
/// @{

/// \brief LayerNorm: per row i, μᵢ and the biased σᵢ² over its D features,
/// \f$ \hat x_{ij} = (x_{ij}-\mu_i)s_i,\ y_{ij} = \gamma_j\hat x_{ij} + \beta_j \f$. Writes y, x̂ and
/// s (\p inv_std `[N, 1]`). The same in training and evaluation.
void layer_norm_forward(ConstMatrixRef x, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps, MatrixRef y,
                        MatrixRef x_hat, MatrixRef inv_std);
/// \brief \f$ g = \gamma\odot\bar y,\ \bar x_{ij} \mathrel{+}= \frac{s_i}{D}\big(D g_{ij} - \sum_k g_{ik} - \hat x_{ij}\sum_k g_{ik}\hat x_{ik}\big) \f$;
/// γ̄ and β̄ summed over the rows. inv_std: `[N, 1]`.
void layer_norm_backward(ConstMatrixRef x_hat, ConstMatrixRef inv_std, ConstMatrixRef gamma, ConstMatrixRef dy,
                         MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta);

/// \brief GroupNorm with \p groups groups G (D divisible by G): features
/// [g·D/G, (g+1)·D/G) of row i are normalized together (their mean and biased variance),
/// then the per-feature affine map. G = 1 is LayerNorm; G = D normalizes each feature of
/// each example alone (x̂ = 0, y = β). Writes y, x̂, s (\p inv_std `[N, G]`).
void group_norm_forward(ConstMatrixRef x, Index groups, ConstMatrixRef gamma, ConstMatrixRef beta, Scalar eps,
                        MatrixRef y, MatrixRef x_hat, MatrixRef inv_std);
/// \brief LayerNorm's backward applied to each group (M = D/G elements). inv_std: `[N, G]`.
void group_norm_backward(ConstMatrixRef x_hat, ConstMatrixRef inv_std, Index groups, ConstMatrixRef gamma,
                         ConstMatrixRef dy, MatrixRef dx, MatrixRef dgamma, MatrixRef dbeta);
/// @}

}  // namespace gradlab::kernels
