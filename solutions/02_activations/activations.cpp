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
  // BEGIN SOLUTION
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const Scalar e = std::exp(x);
  return e / (1.0 + e);
  // END SOLUTION
}

}  // namespace

// ============================================================== saturating

// y = σ(x).   Start with stable_sigmoid above: silu and softplus use it too.
void sigmoid_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.unaryExpr([](Scalar v) { return stable_sigmoid(v); });
  // END SOLUTION
}

// σ'(x) = e^{−x} / (1 + e^{−x})² = σ(x) · (1 − σ(x)) = y (1 − y): no exponential needed.
void sigmoid_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)x;  // the derivative is written with the output y
  dx.array() += dy.array() * y.array() * (1.0 - y.array());
  // END SOLUTION
}

// y = tanh(x) (std::tanh is accurate and saturates cleanly to ±1).
void tanh_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.array().tanh().matrix();
  // END SOLUTION
}

// tanh'(x) = 1 / cosh²(x) = 1 − tanh²(x) = 1 − y².
void tanh_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)x;  // the derivative is written with the output y
  dx.array() += dy.array() * (1.0 - y.array().square());
  // END SOLUTION
}

// ============================================================== the ReLU family
// The kink at x = 0: the right branch is taken only for x > 0, so f'(0) is the left
// branch's slope (ReLU'(0) = 0).

// y = max(x, 0).
void relu_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.cwiseMax(0.0);
  // END SOLUTION
}

// ReLU'(x) = 1 for x > 0, 0 otherwise: the gradient passes where the unit was active
// and is blocked where it was not.
void relu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  dx.array() += (x.array() > 0.0).select(dy.array(), 0.0);
  // END SOLUTION
}

// y = x for x > 0, αx otherwise.
void leaky_relu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y) {
  // BEGIN SOLUTION
  y = (x.array() > 0.0).select(x.array(), alpha * x.array()).matrix();
  // END SOLUTION
}

// LeakyReLU'(x) = 1 for x > 0, α otherwise: a small gradient still flows for x ≤ 0.
void leaky_relu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy,
                         MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  dx.array() += (x.array() > 0.0).select(dy.array(), alpha * dy.array());
  // END SOLUTION
}

// y = x for x > 0, α(e^x − 1) otherwise. For x ≤ 0, e^x ≤ 1: no overflow. (Eigen's
// select evaluates both branches, so e^x of a large positive x would be computed and
// discarded; a loop keeps every exponent ≤ 0.)
void elu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y) {
  // BEGIN SOLUTION
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) {
      const Scalar v = x(i, j);
      y(i, j) = v > 0.0 ? v : alpha * std::expm1(v);  // expm1(v) = e^v − 1, accurate near 0
    }
  }
  // END SOLUTION
}

// ELU'(x) = 1 for x > 0; for x ≤ 0, d/dx α(e^x − 1) = α e^x (which equals y + α).
void elu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j = 0; j < x.cols(); ++j) {
      const Scalar v = x(i, j);
      const Scalar slope = v > 0.0 ? 1.0 : alpha * std::exp(v);
      dx(i, j) += dy(i, j) * slope;
    }
  }
  // END SOLUTION
}

// ============================================================== smooth ReLU-like

// GELU, exact form: y = x Φ(x), Φ(x) = ½ (1 + erf(x / √2)) is the probability that a
// standard normal variable is below x. (A common approximation replaces Φ by
// ½ (1 + tanh(√(2/π) (x + 0.044715 x³))); this lab uses the exact erf.)
void gelu_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.unaryExpr([](Scalar v) { return 0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2)); });
  // END SOLUTION
}

// Product rule: d/dx [x Φ(x)] = Φ(x) + x Φ'(x) = Φ(x) + x φ(x), with the normal
// density φ(x) = e^{−x²/2} / √(2π).
void gelu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  const Scalar inv_sqrt_2pi = 0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2;  // 1/√(2π)
  dx += dy.binaryExpr(x, [inv_sqrt_2pi](Scalar g, Scalar v) {
    const Scalar cdf = 0.5 * (1.0 + std::erf(v / std::numbers::sqrt2));
    const Scalar pdf = inv_sqrt_2pi * std::exp(-0.5 * v * v);
    return g * (cdf + v * pdf);
  });
  // END SOLUTION
}

// Swish / SiLU: y = x σ(βx).
void silu_forward(ConstMatrixRef x, Scalar beta, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.unaryExpr([beta](Scalar v) { return v * stable_sigmoid(beta * v); });
  // END SOLUTION
}

// Product rule with s = σ(βx):  d/dx [x s] = s + x · β s (1 − s).
void silu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar beta, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  dx += dy.binaryExpr(x, [beta](Scalar g, Scalar v) {
    const Scalar s = stable_sigmoid(beta * v);
    return g * (s + beta * v * s * (1.0 - s));
  });
  // END SOLUTION
}

// Softplus: ln(1 + e^x). For x > 0 write 1 + e^x = e^x (e^{−x} + 1), so
//     ln(1 + e^x) = x + ln(1 + e^{−x}),
// and in both cases ln(1 + e^x) = max(x, 0) + ln(1 + e^{−|x|}): the exponent is ≤ 0.
// std::log1p(u) = ln(1 + u) stays accurate when u is tiny.
void softplus_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  y = x.unaryExpr([](Scalar v) { return std::log1p(std::exp(-std::abs(v))) + std::max(v, 0.0); });
  // END SOLUTION
}

// d/dx ln(1 + e^x) = e^x / (1 + e^x) = σ(x).
void softplus_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  (void)y;
  dx += dy.binaryExpr(x, [](Scalar g, Scalar v) { return g * stable_sigmoid(v); });
  // END SOLUTION
}

// ============================================================== softmax, log-softmax (rows)

// y_ij = e^{x_ij − m_i} / Σ_k e^{x_ik − m_i} with m_i the row's maximum: the largest
// exponent is 0, so the sum is ≥ 1 and nothing overflows or divides by 0.
void softmax_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  for (Index i = 0; i < x.rows(); ++i) {
    const Scalar m = x.row(i).maxCoeff();
    y.row(i) = (x.row(i).array() - m).exp().matrix();
    y.row(i) /= y.row(i).sum();
  }
  // END SOLUTION
}

// Row by row: ∂y_j/∂x_k = y_j (δ_jk − y_k), so
//     ∂L/∂x_k = Σ_j ∂L/∂y_j · y_j (δ_jk − y_k) = y_k (∂L/∂y_k − Σ_j ∂L/∂y_j y_j).
void softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  for (Index i = 0; i < y.rows(); ++i) {
    const Scalar dot = dy.row(i).dot(y.row(i));  // Σ_j ∂L/∂y_j y_j
    dx.row(i).array() += y.row(i).array() * (dy.row(i).array() - dot);
  }
  // END SOLUTION
}

// y_ij = x_ij − m_i − ln Σ_k e^{x_ik − m_i}  (the log-sum-exp, shifted by the maximum).
void log_softmax_forward(ConstMatrixRef x, MatrixRef y) {
  // BEGIN SOLUTION
  for (Index i = 0; i < x.rows(); ++i) {
    const Scalar m = x.row(i).maxCoeff();
    const Scalar log_sum = std::log((x.row(i).array() - m).exp().sum());
    y.row(i) = (x.row(i).array() - m - log_sum).matrix();
  }
  // END SOLUTION
}

// ∂y_j/∂x_k = δ_jk − softmax_k, and softmax = e^{y}, so
//     ∂L/∂x_k = ∂L/∂y_k − e^{y_k} Σ_j ∂L/∂y_j.
void log_softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx) {
  // BEGIN SOLUTION
  for (Index i = 0; i < y.rows(); ++i) {
    const Scalar total = dy.row(i).sum();  // Σ_j ∂L/∂y_j
    dx.row(i).array() += dy.row(i).array() - y.row(i).array().exp() * total;
  }
  // END SOLUTION
}

}  // namespace gradlab::kernels
