/// \file
/// \brief Lab 09 kernels: the residual block y = x + F(x) (with an optional linear
/// projection of the skip path), forward and backward, and the gradient-health
/// statistics a training monitor records per layer.
///
/// Conventions for every kernel here (stated once):
/// - x: `[N, D_in]` the block's input; fx = F(x): `[N, D_out]` the branch's output,
///   computed by any module; proj P: `[D_in, D_out]`, or an EMPTY matrix (0 × 0) for the
///   identity skip (then D_in = D_out);
/// - forward: \f$ y = x + F(x) \f$ (identity) or \f$ y = xP + F(x) \f$ (projection);
/// - backward: y depends on x through two paths, the skip and the branch. This kernel
///   adds the skip path's share into dx and passes ȳ to the branch through dfx; the
///   branch's own backward (recorded by F's operations) then adds its share into dx
///   too, so the two shares are summed:
///   \f[ \bar x \mathrel{+}= \bar y \ \text{(identity)}\quad\text{or}\quad \bar x \mathrel{+}= \bar y P^\top,\qquad
///       \bar P \mathrel{+}= x^\top \bar y, \qquad \overline{F(x)} \mathrel{+}= \bar y ; \f]
/// - backward kernels *add* into their outputs (+=);
/// - statistics return a Scalar and write nothing.
/// Hyperparameters and shapes arrive validated by the glue (gradlab/deep.h).
/// The reference lives in `solutions/09_deep/`; your copy in `labs/09_deep/`.
/// \sa \ref notes_vanishing
#pragma once

#include "gradlab/core.h"

namespace gradlab::kernels {

/// \name Residual block (deep.cpp)
/// @{

/// \brief \f$ y = x + F(x) \f$ when \p proj is empty, \f$ y = xP + F(x) \f$ otherwise.
/// x: `[N, D_in]`; fx, y: `[N, D_out]`; proj: `[D_in, D_out]` or 0 × 0.
void residual_forward(ConstMatrixRef x, ConstMatrixRef fx, ConstMatrixRef proj, MatrixRef y);

/// \brief Backward of residual_forward, with upstream gradient ȳ (\p dy, `[N, D_out]`):
/// \f$ \overline{F(x)} \mathrel{+}= \bar y \f$; identity: \f$ \bar x \mathrel{+}= \bar y \f$;
/// projection: \f$ \bar x \mathrel{+}= \bar y P^\top,\ \bar P \mathrel{+}= x^\top \bar y \f$
/// (\p dproj is not touched when \p proj is empty).
void residual_backward(ConstMatrixRef x, ConstMatrixRef proj, ConstMatrixRef dy, MatrixRef dx, MatrixRef dfx,
                       MatrixRef dproj);
/// @}

/// \name Gradient-health statistics (deep.cpp)
/// @{

/// \brief The Euclidean (Frobenius) norm of a gradient: \f$ \|g\| = \sqrt{\sum_{ij} g_{ij}^2} \f$.
Scalar grad_norm(ConstMatrixRef g);

/// \brief The relative size of an update, measured against the weights BEFORE it:
/// \f[ r = \frac{\|w_{after} - w_{before}\|}{\|w_{before}\|} \f]
/// (Frobenius norms). Rule of thumb: around 1e-3 in healthy training.
/// Requires \f$ \|w_{before}\| > 0 \f$. Both `[R, C]`.
Scalar update_ratio(ConstMatrixRef w_before, ConstMatrixRef w_after);

/// \brief The fraction of dead ReLU units in a batch: a unit (column j of the layer's
/// output \p a = ReLU(z), `[N, D]`) is dead when it is 0 for EVERY example of the batch
/// (\f$ \max_i a_{ij} \le 0 \f$). Returns (number of dead columns) / D.
Scalar dead_fraction(ConstMatrixRef a);

/// \brief The fraction of saturated units: the share of the N·D activations of \p a
/// (the output of a sigmoid or tanh, with asymptotes \p low and \p high: 0 and 1, or
/// −1 and 1) that lie within \p margin of an asymptote:
/// \f$ a_{ij} \le low + margin \f$ or \f$ a_{ij} \ge high - margin \f$.
/// There the derivative nearly vanishes (σ' = a(1 − a) ≤ margin, tanh' = 1 − a² ≤ 2·margin).
Scalar saturated_fraction(ConstMatrixRef a, Scalar low, Scalar high, Scalar margin);
/// @}

}  // namespace gradlab::kernels
