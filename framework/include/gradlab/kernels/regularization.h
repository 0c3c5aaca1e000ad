/// \file
/// \brief Lab 07 kernels: weight penalties (L1, L2, elastic net), inverted dropout, and
/// gradient clipping by global norm and by value.
///
/// Conventions for every kernel here:
/// - a penalty is a number computed from one weight matrix `w` `[R, C]`; its backward
///   receives the upstream gradient `dout` = ∂L/∂penalty (a scalar) and *adds* into
///   `dw` (`dw += …`, never `dw = …`);
/// - L2 is \f$ \frac{\lambda}{2}\sum w^2 \f$ (so that its gradient λw is PyTorch's
///   `weight_decay` term), L1 is \f$ \lambda\sum |w| \f$ with the subgradient sign(0) = 0,
///   elastic net is the sum of the two, \f$ \lambda_1\sum|w| + \frac{\lambda_2}{2}\sum w^2 \f$;
/// - dropout draws its random numbers only from the generator passed in: one
///   `rng.uniform()` per element, in row-major order (row 0 left to right, then row 1 …);
/// - clipping works in place on gradients and follows PyTorch 1.13's
///   `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_` exactly, including how a
///   NaN or infinite gradient propagates (it is reported, never hidden);
/// - the hyperparameters (λ ≥ 0, max_norm ≥ 0, …) arrive validated by the glue
///   (gradlab/regularization.h): the kernels check nothing.
///
/// The differentiable operations, the Dropout module, clip_grad_norm_(),
/// clip_grad_value_(), EarlyStopping and GradientAccumulator are in
/// gradlab/regularization.h; gradlab::dropout(), EarlyStopping::step(),
/// EarlyStopping::restore_best(), GradientAccumulator::backward() and
/// GradientAccumulator::step() are part of the lab too. The reference lives in
/// `solutions/07_regularization/`; your copy in `labs/07_regularization/`.
/// \sa \ref notes_regularization
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

#include <span>

namespace gradlab::kernels {

/// \name Weight penalties (regularization.cpp)
/// @{

/// \brief L1 penalty \f[ P = \lambda \sum_{ij} |w_{ij}| \f] \p lambda ≥ 0. w: `[R, C]`.
Scalar l1_penalty_forward(ConstMatrixRef w, Scalar lambda);
/// \brief \f[ \bar w \mathrel{+}= \bar P\, \lambda\, \operatorname{sign}(w), \qquad
/// \operatorname{sign}(0) = 0 \f]
/// |w| has no derivative at 0; 0 is the subgradient PyTorch's `abs` uses there (and the
/// one that leaves a weight that is exactly 0 where it is). \p dout = \f$ \bar P \f$.
/// w, dw: `[R, C]`.
void l1_penalty_backward(ConstMatrixRef w, Scalar lambda, Scalar dout, MatrixRef dw);

/// \brief L2 penalty \f[ P = \frac{\lambda}{2} \sum_{ij} w_{ij}^2 \f] \p lambda ≥ 0. w: `[R, C]`.
Scalar l2_penalty_forward(ConstMatrixRef w, Scalar lambda);
/// \brief \f[ \bar w \mathrel{+}= \bar P\, \lambda\, w \f]
/// (the ½ in the penalty cancels the 2 of the square: a gradient step then multiplies w
/// by 1 − ηλ, "weight decay"). w, dw: `[R, C]`.
void l2_penalty_backward(ConstMatrixRef w, Scalar lambda, Scalar dout, MatrixRef dw);

/// \brief Elastic net \f[ P = \lambda_1 \sum_{ij} |w_{ij}| + \frac{\lambda_2}{2} \sum_{ij} w_{ij}^2 \f]
/// (= the L1 penalty with λ₁ plus the L2 penalty with λ₂). w: `[R, C]`.
Scalar elastic_net_forward(ConstMatrixRef w, Scalar l1, Scalar l2);
/// \brief \f[ \bar w \mathrel{+}= \bar P \left(\lambda_1 \operatorname{sign}(w) + \lambda_2 w\right) \f]
/// w, dw: `[R, C]`.
void elastic_net_backward(ConstMatrixRef w, Scalar l1, Scalar l2, Scalar dout, MatrixRef dw);
/// @}

/// \name Inverted dropout (regularization.cpp)
/// @{

/// \brief Inverted dropout in training: keep each element with probability q = 1 − p
/// and scale the kept ones by 1/q.
/// \f[ m_{ij} = \begin{cases} 1/(1-p) & u_{ij} < 1 - p \\ 0 & \text{otherwise} \end{cases}, \qquad
///     y = m \odot x, \qquad u_{ij} = \texttt{rng.uniform()} \f]
/// One draw per element in row-major order (u₀₀, u₀₁, …, u₁₀, …), so the same seed gives
/// the same mask. The scaled mask is written to \p mask for the backward pass: then
/// \f$ E[y_{ij}] = q \cdot x_{ij}/q = x_{ij} \f$, and evaluation needs no rule at all.
/// Requires 0 ≤ p < 1 (at p = 0, m = 1 and y = x exactly).
/// x, mask, y: `[N, D]`.
void dropout_forward(ConstMatrixRef x, Scalar p, Rng& rng, MatrixRef mask, MatrixRef y);
/// \brief \f[ \bar x \mathrel{+}= m \odot \bar y \f]
/// with the mask the forward pass drew (already scaled by 1/(1 − p)): the units dropped
/// in the forward pass pass no gradient back. mask, dy, dx: `[N, D]`.
void dropout_backward(ConstMatrixRef mask, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name Gradient clipping (gradient_control.cpp)
/// @{

/// \brief Clips the gradients of several parameters together by their global norm
/// (torch.nn.utils.clip_grad_norm_ of PyTorch 1.13) and returns the norm *before* clipping.
/// \f[ \lVert g\rVert = \Big(\sum_k \sum_{ij} |g^{(k)}_{ij}|^{\,p}\Big)^{1/p}
///     \quad(p = \infty:\ \max_{k,ij} |g^{(k)}_{ij}|), \qquad
///     c = \min\!\Big(1,\ \frac{\text{max\_norm}}{\lVert g\rVert + 10^{-6}}\Big), \qquad g^{(k)} \leftarrow c\, g^{(k)} \f]
/// One norm over *all* the matrices, so every gradient is scaled by the same c: the
/// direction of the whole update is kept and its length is at most max_norm. Small
/// gradients (c = 1) are left exactly as they are; an all-zero gradient gives norm 0 and
/// c = 1 (the 1e-6 keeps 0/0 away). A NaN anywhere makes the norm NaN and c NaN, so every
/// gradient becomes NaN, as in PyTorch: the problem shows, it is not hidden. No
/// matrices: returns 0.
/// \param grads the gradients, each `[R_k, C_k]`, scaled in place
/// \param max_norm the largest norm allowed, ≥ 0
/// \param norm_type p > 0, or `std::numeric_limits<Scalar>::infinity()`
Scalar clip_grad_norm(std::span<MatrixRef> grads, Scalar max_norm, Scalar norm_type);

/// \brief Clamps every element of \p grad into [−clip_value, clip_value]
/// (torch.nn.utils.clip_grad_value_). \f[ g \leftarrow \min(\max(g, -c), c) \f]
/// Changes the direction when some elements are clipped and others not. A NaN stays NaN.
/// grad: `[R, C]`.
void clip_grad_value(MatrixRef grad, Scalar clip_value);
/// @}

}  // namespace gradlab::kernels
