// Lab 07: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 07 — regularization: weight penalties, inverted dropout, early stopping.
//
// A penalty adds λR(w) to the loss so that large (L2) or non-zero (L1) weights cost
// something; dropout trains a random thinned network at every step; early stopping keeps
// the weights of the epoch where the validation loss was lowest.
//
// Conventions (read framework/include/gradlab/kernels/regularization.h too):
//   - L2 is λ/2 Σw² (gradient λw, PyTorch's weight_decay), L1 is λΣ|w| with sign(0) = 0;
//   - backward kernels ADD into dw / dx (+=), and multiply by the upstream gradient;
//   - dropout: one rng.uniform() per element in row-major order, kept when u < 1 − p,
//     the mask stores 1/(1 − p) for a kept element and 0 for a dropped one.
// Shapes: w, dw: [R, C]; x, mask, y, dy, dx: [N, D].
#include "gradlab/autograd.h"
#include "gradlab/kernels/regularization.h"
#include "gradlab/ops.h"
#include "gradlab/regularization.h"

#include <cmath>

namespace gradlab::kernels {

// ============================================================== L1
// P = λ Σ|w|          ∂P/∂w = λ sign(w)   (|w| has a kink at 0: take the subgradient 0 there)
// The constant pull λ towards 0, however small w is, is what makes L1 solutions sparse.
Scalar l1_penalty_forward(ConstMatrixRef w, Scalar lambda) {
  // TODO(lab 07): implement l1_penalty_forward.
  throw gradlab::NotImplemented("lab 07: l1_penalty_forward");
}

void l1_penalty_backward(ConstMatrixRef w, Scalar lambda, Scalar dout, MatrixRef dw) {
  // TODO(lab 07): implement l1_penalty_backward.
  throw gradlab::NotImplemented("lab 07: l1_penalty_backward");
}

// ============================================================== L2
// P = λ/2 Σw²         ∂P/∂w = λ w      (the ½ cancels the 2: a step multiplies w by 1 − ηλ)
Scalar l2_penalty_forward(ConstMatrixRef w, Scalar lambda) {
  // TODO(lab 07): implement l2_penalty_forward.
  throw gradlab::NotImplemented("lab 07: l2_penalty_forward");
}

void l2_penalty_backward(ConstMatrixRef w, Scalar lambda, Scalar dout, MatrixRef dw) {
  // TODO(lab 07): implement l2_penalty_backward.
  throw gradlab::NotImplemented("lab 07: l2_penalty_backward");
}

// ============================================================== elastic net
// P = λ₁ Σ|w| + λ₂/2 Σw²   (both pulls at once: sparse like L1, stable like L2)
// ∂P/∂w = λ₁ sign(w) + λ₂ w
Scalar elastic_net_forward(ConstMatrixRef w, Scalar l1, Scalar l2) {
  // TODO(lab 07): implement elastic_net_forward.
  throw gradlab::NotImplemented("lab 07: elastic_net_forward");
}

void elastic_net_backward(ConstMatrixRef w, Scalar l1, Scalar l2, Scalar dout, MatrixRef dw) {
  // TODO(lab 07): implement elastic_net_backward.
  throw gradlab::NotImplemented("lab 07: elastic_net_backward");
}

// ============================================================== inverted dropout
// Training: keep each element with probability q = 1 − p and divide the kept ones by q:
//   u_ij = rng.uniform() (row-major order),  m_ij = 1/q if u_ij < q else 0,  y = m ⊙ x.
// Then E[y_ij] = q · (x_ij / q) + (1 − q) · 0 = x_ij: the next layer sees inputs of the
// same size in training and in evaluation, so evaluation uses the plain network (y = x).
// Backward: y_ij = m_ij x_ij, so ∂y_ij/∂x_ij = m_ij and dx += m ⊙ dy, with the SAME m.
void dropout_forward(ConstMatrixRef x, Scalar p, Rng& rng, MatrixRef mask, MatrixRef y) {
  // TODO(lab 07): implement dropout_forward.
  throw gradlab::NotImplemented("lab 07: dropout_forward");
}

void dropout_backward(ConstMatrixRef mask, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 07): implement dropout_backward.
  throw gradlab::NotImplemented("lab 07: dropout_backward");
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== the dropout operation
// 1. check p (check_dropout_p) in both modes: 0 ≤ p < 1;
// 2. evaluation, or p = 0: the identity, return x itself (no draw from rng);
// 3. training: draw the mask with dropout_forward and record a backward closure that
//    calls dropout_backward with THAT mask (capture it by value): a mask drawn again in
//    the backward pass would send gradients to units that were dropped.
// The closure gets the output node `self`: self.grad is dy, self.parents[0] is x's node.
Tensor dropout(const Tensor& x, Scalar p, bool training, Rng& rng) {
  // TODO(lab 07): implement dropout.
  throw gradlab::NotImplemented("lab 07: dropout");
}

// ============================================================== early stopping
// Once per epoch, with the validation metric m (best starts at +∞ for Min, −∞ for Max):
//   improved = Min: m < best − min_delta      Max: m > best + min_delta
//   improved:  best = m, best_epoch = this epoch, wait = 0,
//              save a COPY of every parameter's value (a Tensor is a handle: copying the
//              handle would "save" weights that keep changing with the model)
//   otherwise: wait += 1 (a NaN metric is no improvement: every comparison with NaN is false)
//   stop when wait ≥ patience; then, if restore_best_weights, restore_best().
// epoch_ counts the calls (the first call is epoch 1); stop_ remembers the decision.
bool EarlyStopping::step(Scalar metric) {
  // TODO(lab 07): implement EarlyStopping::step.
  throw gradlab::NotImplemented("lab 07: EarlyStopping::step");
}

// Copies the saved values back into the parameters (their value() is writable); nothing
// to do before the first improvement.
void EarlyStopping::restore_best() {
  // TODO(lab 07): implement EarlyStopping::restore_best.
  throw gradlab::NotImplemented("lab 07: EarlyStopping::restore_best");
}

}  // namespace gradlab
