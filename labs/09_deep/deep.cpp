// Lab 09: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 09 — deep networks and gradient flow: the residual block and the statistics that
// tell whether gradients still flow through a deep network.
//
// Conventions (read framework/include/gradlab/kernels/deep.h too):
//   - a residual block computes y = x + F(x), or y = xP + F(x) when the widths differ
//     (P: [D_in, D_out], a learned projection of the skip path; an EMPTY P means identity);
//   - backward kernels ADD into their outputs (+=);
//   - the statistics return a number and change nothing.
// Shapes: x: [N, D_in]; fx, y, dy: [N, D_out]; proj: [D_in, D_out] or 0 x 0.
//
// ============================================================== the backward, derived once
// y = xP + F(x) (or y = x + F(x)). The loss L reaches x along TWO paths:
//   ∂L/∂x = (∂L/∂y)(∂(xP)/∂x) + (∂L/∂y)(∂F(x)/∂x).
// The first term is the skip path: for y_ij = Σ_k x_ik P_kj + …,
//   ∂L/∂x_ik = Σ_j ȳ_ij P_kj = (ȳ Pᵀ)_ik          (identity: ȳ itself)
//   ∂L/∂P_kj = Σ_i x_ik ȳ_ij = (xᵀ ȳ)_kj.
// The second term is the branch's own backward applied to ∂L/∂F(x) = ȳ (F(x) enters y
// with coefficient 1). This kernel writes the skip term into dx and ȳ into dfx; the
// branch's operations, recorded when F ran, add the branch term into the same dx.
// Why it keeps gradients alive: even when ∂F/∂x is tiny (saturated or tiny weights),
// ∂L/∂x ≈ ȳ: the identity carries the gradient down unchanged, block after block.
#include "gradlab/kernels/deep.h"

#include <cmath>

namespace gradlab::kernels {

// ============================================================== residual block
// y = x + F(x), or y = x P + F(x).
void residual_forward(ConstMatrixRef x, ConstMatrixRef fx, ConstMatrixRef proj, MatrixRef y) {
  // TODO(lab 09): implement residual_forward.
  throw gradlab::NotImplemented("lab 09: residual_forward");
}

// dfx += ȳ;  identity: dx += ȳ;  projection: dx += ȳ Pᵀ, dP += xᵀ ȳ.
void residual_backward(ConstMatrixRef x, ConstMatrixRef proj, ConstMatrixRef dy, MatrixRef dx, MatrixRef dfx,
                       MatrixRef dproj) {
  // TODO(lab 09): implement residual_backward.
  throw gradlab::NotImplemented("lab 09: residual_backward");
}

// ============================================================== gradient-health statistics
// ‖g‖ = √(Σ g²), the Frobenius norm.
Scalar grad_norm(ConstMatrixRef g) {
  // TODO(lab 09): implement grad_norm.
  throw gradlab::NotImplemented("lab 09: grad_norm");
}

// r = ‖w_after − w_before‖ / ‖w_before‖: the step measured against the weights it was
// applied to (the OLD ones).
Scalar update_ratio(ConstMatrixRef w_before, ConstMatrixRef w_after) {
  // TODO(lab 09): implement update_ratio.
  throw gradlab::NotImplemented("lab 09: update_ratio");
}

// A ReLU unit (a column of a = ReLU(z)) is dead on this batch when it outputs 0 for
// every example: no example sends a gradient through it. Fraction of such columns.
Scalar dead_fraction(ConstMatrixRef a) {
  // TODO(lab 09): implement dead_fraction.
  throw gradlab::NotImplemented("lab 09: dead_fraction");
}

// The share of the N·D activations within `margin` of an asymptote (low or high).
Scalar saturated_fraction(ConstMatrixRef a, Scalar low, Scalar high, Scalar margin) {
  // TODO(lab 09): implement saturated_fraction.
  throw gradlab::NotImplemented("lab 09: saturated_fraction");
}

}  // namespace gradlab::kernels
