/// \file
/// \brief Lab 02 kernels: the forward and backward rule of every activation function.
///
/// Conventions for every kernel here:
/// - `x` is the input, `y` the forward result, `dy` = ∂L/∂y (the upstream gradient);
///   all element-wise kernels work on `[N, D]` matrices of one shape;
/// - an element-wise backward kernel receives *both* the input `x` and the saved
///   output `y`: use whichever makes the derivative simplest (σ' is cheapest written
///   with y, ReLU' with x) — but mind which one the formula is in;
/// - backward kernels *add* into the input gradient (`dx += …`, never `dx = …`);
/// - at a kink (x = 0 for ReLU, LeakyReLU and ELU) the derivative is the one of the
///   left branch: the condition for the right branch is x > 0, so ReLU'(0) = 0,
///   LeakyReLU'(0) = α and ELU'(0) = α;
/// - softmax and log-softmax work along each row (one example per row, one class per
///   column) and must stay finite for logits of ±1000.
///
/// The reference lives in `solutions/02_activations/activations.cpp`; your copy in
/// `labs/02_activations/activations.cpp`. The differentiable operations and modules
/// built on these kernels are in gradlab/activations.h.
/// \sa \ref notes_activations
#pragma once

#include "gradlab/core.h"

namespace gradlab::kernels {

/// \name Saturating activations
/// @{

/// \brief Logistic sigmoid, element-wise.
/// \f[ y = \sigma(x) = \frac{1}{1+e^{-x}} \f]
/// Ensures: finite for every finite x, with σ(−1000) = 0 and σ(1000) = 1 exactly
/// (evaluate \f$ e^{x}/(1+e^{x}) \f$ for x < 0 so that no exponential overflows).
/// x, y: `[N, D]`.
void sigmoid_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \sigma(x)\,(1-\sigma(x)) = y\,(1-y), \qquad
/// \bar x \mathrel{+}= \bar y \odot y \odot (1-y) \f]
/// Note that σ' ≤ 1/4 everywhere (maximum at x = 0): a gradient through k sigmoids
/// shrinks by at least 4ᵏ. x, y, dy, dx: `[N, D]`.
void sigmoid_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief Hyperbolic tangent, element-wise.
/// \f[ y = \tanh x = \frac{e^{x}-e^{-x}}{e^{x}+e^{-x}} = 2\sigma(2x)-1 \f]
/// x, y: `[N, D]`.
void tanh_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = 1-\tanh^2 x = 1-y^2, \qquad
/// \bar x \mathrel{+}= \bar y \odot (1-y^2) \f]
/// x, y, dy, dx: `[N, D]`.
void tanh_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name The ReLU family (piecewise; the kink is at x = 0)
/// @{

/// \brief Rectified linear unit, element-wise.
/// \f[ y = \max(x, 0) \f]
/// x, y: `[N, D]`.
void relu_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = [x > 0] = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases},
/// \qquad \bar x \mathrel{+}= \bar y \odot [x > 0] \f]
/// ReLU'(0) is taken as 0 (a subgradient; PyTorch's convention).
/// x, y, dy, dx: `[N, D]`.
void relu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief Leaky ReLU with slope \p alpha for negative inputs, element-wise.
/// \f[ y = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases} \f]
/// \p alpha is the negative slope α (the glue checks 0 ≤ α < 1). x, y: `[N, D]`.
void leaky_relu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases},
/// \qquad \bar x \mathrel{+}= \bar y \odot y'(x) \f]
/// LeakyReLU'(0) is taken as α. x, y, dy, dx: `[N, D]`.
void leaky_relu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy,
                         MatrixRef dx);

/// \brief Exponential linear unit with scale \p alpha, element-wise.
/// \f[ y = \begin{cases} x & x > 0 \\ \alpha\,(e^{x}-1) & x \le 0 \end{cases} \f]
/// Smooth for α = 1; tends to −α as x → −∞.
/// \p alpha is the scale α of the negative branch (the glue checks α > 0). x, y: `[N, D]`.
void elu_forward(ConstMatrixRef x, Scalar alpha, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} = y+\alpha & x \le 0 \end{cases},
/// \qquad \bar x \mathrel{+}= \bar y \odot y'(x) \f]
/// ELU'(0) is taken as α. x, y, dy, dx: `[N, D]`.
void elu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name Smooth ReLU-like activations
/// @{

/// \brief GELU in its exact form (with the error function, not the tanh approximation).
/// \f[ y = x\,\Phi(x) = \frac{x}{2}\left(1+\operatorname{erf}\frac{x}{\sqrt 2}\right) \f]
/// where Φ is the standard normal distribution function (PyTorch's default,
/// `approximate='none'`). x, y: `[N, D]`.
void gelu_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \Phi(x) + x\,\varphi(x), \qquad
/// \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}, \qquad \bar x \mathrel{+}= \bar y \odot y'(x) \f]
/// x, y, dy, dx: `[N, D]`.
void gelu_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief Swish with parameter \p beta; SiLU is the case β = 1.
/// \f[ y = x\,\sigma(\beta x) \f]
/// \p beta is the sharpness β (the glue checks β ≥ 0; β = 0 gives x/2, β → ∞ tends to ReLU).
/// x, y: `[N, D]`.
void silu_forward(ConstMatrixRef x, Scalar beta, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,(1-\sigma(\beta x)),
/// \qquad \bar x \mathrel{+}= \bar y \odot y'(x) \f]
/// x, y, dy, dx: `[N, D]`.
void silu_backward(ConstMatrixRef x, ConstMatrixRef y, Scalar beta, ConstMatrixRef dy, MatrixRef dx);

/// \brief Softplus, a smooth ReLU, in its numerically stable form.
/// \f[ y = \ln(1+e^{x}) = \ln\!\left(1+e^{-|x|}\right) + \max(x, 0) \f]
/// Ensures: finite for every finite x (softplus(1000) = 1000, softplus(−1000) = 0).
/// x, y: `[N, D]`.
void softplus_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f[ \frac{\partial y}{\partial x} = \sigma(x), \qquad \bar x \mathrel{+}= \bar y \odot \sigma(x) \f]
/// x, y, dy, dx: `[N, D]`.
void softplus_backward(ConstMatrixRef x, ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name Softmax and log-softmax along rows
/// @{

/// \brief Softmax of each row.
/// \f[ y_{ij} = \frac{e^{x_{ij}-m_i}}{\sum_k e^{x_{ik}-m_i}}, \qquad m_i = \max_k x_{ik} \f]
/// Subtracting the row maximum m changes nothing mathematically but keeps every
/// exponent ≤ 0, so nothing overflows for logits of ±1000.
/// Requires: D ≥ 1. Ensures: every row of y is ≥ 0 and sums to 1. x, y: `[N, D]`.
void softmax_forward(ConstMatrixRef x, MatrixRef y);
/// \brief The softmax Jacobian of a row is \f$ \partial y_j / \partial x_k = y_j(\delta_{jk} - y_k) \f$, so
/// \f[ \bar x_{ij} \mathrel{+}= y_{ij}\left(\bar y_{ij} - \sum_k \bar y_{ik}\, y_{ik}\right) \f]
/// y, dy, dx: `[N, D]`.
void softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief Log-softmax of each row, stable through the log-sum-exp.
/// \f[ y_{ij} = x_{ij} - m_i - \ln \sum_k e^{x_{ik}-m_i}, \qquad m_i = \max_k x_{ik} \f]
/// Ensures: finite for finite logits, even where softmax underflows to 0 (the row
/// (1000, −1000) gives (0, −2000)). Requires: D ≥ 1. x, y: `[N, D]`.
void log_softmax_forward(ConstMatrixRef x, MatrixRef y);
/// \brief With \f$ \partial y_j / \partial x_k = \delta_{jk} - \operatorname{softmax}(x)_k \f$ and
/// \f$ \operatorname{softmax}(x) = e^{y} \f$:
/// \f[ \bar x_{ij} \mathrel{+}= \bar y_{ij} - e^{y_{ij}} \sum_k \bar y_{ik} \f]
/// y, dy, dx: `[N, D]`.
void log_softmax_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);
/// @}

}  // namespace gradlab::kernels
