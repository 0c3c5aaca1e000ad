// Lab 02: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 02 — activation functions.
//
// An activation is applied element by element (softmax: row by row). For each one you
// write the forward rule y = f(x) and the backward rule
//
//     ∂L/∂x  +=  ∂L/∂y ⊙ f'(x)          (element-wise chain rule)
//
// Both x (the input) and y (the saved output) are passed to every element-wise
// backward: f' is often cheapest in terms of y (σ' = y(1 − y), tanh' = 1 − y²), but
// then it must be y, not x. Always `+=`.
//
// Numerical care: e^x overflows to inf for x > 709. Every formula below is arranged so
// that no exponent is ever positive and large: the tests feed x = ±1000.
// Shapes: x, y, dy, dx are all [N, D].
#include "gradlab/kernels/activations.h"

#include <cmath>
#include <numbers>

namespace gradlab::kernels {

namespace {

// σ(x) without overflow. For x ≥ 0, e^{−x} ≤ 1; for x < 0, multiply top and bottom
// by e^{x}:  σ(x) = 1 / (1 + e^{−x}) = e^{x} / (1 + e^{x}),  and now e^{x} < 1.
// (The one-line form e^{x} / (1 + e^{x}) gives inf / inf = NaN at x = 1000.)
Scalar stable_sigmoid(Scalar x) {
  // TODO(lab 02): implement stable_sigmoid.
  throw gradlab::NotImplemented("lab 02: stable_sigmoid");
}

}  // namespace

// ============================================================== saturating

// y = σ(x).   Start with stable_sigmoid above: silu and softplus use it too.
void sigmoid_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement sigmoid_forward.
  throw gradlab::NotImplemented("lab 02: sigmoid_forward");
}

// σ'(x) = e^{−x} / (1 + e^{−x})² = σ(x) · (1 − σ(x)) = y (1 − y): no exponential needed.
void sigmoid_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement sigmoid_backward.
  throw gradlab::NotImplemented("lab 02: sigmoid_backward");
}

// y = tanh(x) (std::tanh is accurate and saturates cleanly to ±1).
void tanh_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement tanh_forward.
  throw gradlab::NotImplemented("lab 02: tanh_forward");
}

// tanh'(x) = 1 / cosh²(x) = 1 − tanh²(x) = 1 − y².
void tanh_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement tanh_backward.
  throw gradlab::NotImplemented("lab 02: tanh_backward");
}

// ============================================================== the ReLU family
// The kink at x = 0: the right branch is taken only for x > 0, so f'(0) is the left
// branch's slope (ReLU'(0) = 0).

// y = max(x, 0).
void relu_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement relu_forward.
  throw gradlab::NotImplemented("lab 02: relu_forward");
}

// ReLU'(x) = 1 for x > 0, 0 otherwise: the gradient passes where the unit was active
// and is blocked where it was not.
void relu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement relu_backward.
  throw gradlab::NotImplemented("lab 02: relu_backward");
}

// y = x for x > 0, αx otherwise.
void leaky_relu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y) {
  // TODO(lab 02): implement leaky_relu_forward.
  throw gradlab::NotImplemented("lab 02: leaky_relu_forward");
}

// LeakyReLU'(x) = 1 for x > 0, α otherwise: a small gradient still flows for x ≤ 0.
void leaky_relu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy,
                         MatrixRef dx) {
  // TODO(lab 02): implement leaky_relu_backward.
  throw gradlab::NotImplemented("lab 02: leaky_relu_backward");
}

// y = x for x > 0, α(e^x − 1) otherwise. For x ≤ 0, e^x ≤ 1: no overflow. (Eigen's
// select evaluates both branches, so e^x of a large positive x would be computed and
// discarded; a loop keeps every exponent ≤ 0.)
void elu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y) {
  // TODO(lab 02): implement elu_forward.
  throw gradlab::NotImplemented("lab 02: elu_forward");
}

// ELU'(x) = 1 for x > 0; for x ≤ 0, d/dx α(e^x − 1) = α e^x (which equals y + α).
void elu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement elu_backward.
  throw gradlab::NotImplemented("lab 02: elu_backward");
}

// ============================================================== smooth ReLU-like

// GELU, exact form: y = x Φ(x), Φ(x) = ½ (1 + erf(x / √2)) is the probability that a
// standard normal variable is below x. (A common approximation replaces Φ by
// ½ (1 + tanh(√(2/π) (x + 0.044715 x³))); this lab uses the exact erf.)
void gelu_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement gelu_forward.
  throw gradlab::NotImplemented("lab 02: gelu_forward");
}

// Product rule: d/dx [x Φ(x)] = Φ(x) + x Φ'(x) = Φ(x) + x φ(x), with the normal
// density φ(x) = e^{−x²/2} / √(2π).
void gelu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement gelu_backward.
  throw gradlab::NotImplemented("lab 02: gelu_backward");
}

// Swish / SiLU: y = x σ(βx).
void silu_forward(ConstMatrixRef x, Scalar beta, MatrixRef y) {
  // TODO(lab 02): implement silu_forward.
  throw gradlab::NotImplemented("lab 02: silu_forward");
}

// Product rule with s = σ(βx):  d/dx [x s] = s + x · β s (1 − s).
void silu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar beta, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement silu_backward.
  throw gradlab::NotImplemented("lab 02: silu_backward");
}

// Softplus: ln(1 + e^x). For x > 0 write 1 + e^x = e^x (e^{−x} + 1), so
//     ln(1 + e^x) = x + ln(1 + e^{−x}),
// and in both cases ln(1 + e^x) = max(x, 0) + ln(1 + e^{−|x|}): the exponent is ≤ 0.
// std::log1p(u) = ln(1 + u) stays accurate when u is tiny.
void softplus_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement softplus_forward.
  throw gradlab::NotImplemented("lab 02: softplus_forward");
}

// d/dx ln(1 + e^x) = e^x / (1 + e^x) = σ(x).
void softplus_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement softplus_backward.
  throw gradlab::NotImplemented("lab 02: softplus_backward");
}

// ============================================================== softmax, log-softmax (rows)

// y_ij = e^{x_ij − m_i} / Σ_k e^{x_ik − m_i} with m_i the row's maximum: the largest
// exponent is 0, so the sum is ≥ 1 and nothing overflows or divides by 0.
void softmax_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement softmax_forward.
  throw gradlab::NotImplemented("lab 02: softmax_forward");
}

// Row by row: ∂y_j/∂x_k = y_j (δ_jk − y_k), so
//     ∂L/∂x_k = Σ_j ∂L/∂y_j · y_j (δ_jk − y_k) = y_k (∂L/∂y_k − Σ_j ∂L/∂y_j y_j).
void softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement softmax_backward.
  throw gradlab::NotImplemented("lab 02: softmax_backward");
}

// y_ij = x_ij − m_i − ln Σ_k e^{x_ik − m_i}  (the log-sum-exp, shifted by the maximum).
void log_softmax_forward(ConstMatrixRef x, MatrixRef y) {
  // TODO(lab 02): implement log_softmax_forward.
  throw gradlab::NotImplemented("lab 02: log_softmax_forward");
}

// ∂y_j/∂x_k = δ_jk − softmax_k, and softmax = e^{y}, so
//     ∂L/∂x_k = ∂L/∂y_k − e^{y_k} Σ_j ∂L/∂y_j.
void log_softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // TODO(lab 02): implement log_softmax_backward.
  throw gradlab::NotImplemented("lab 02: log_softmax_backward");
}

}  // namespace gradlab::kernels
