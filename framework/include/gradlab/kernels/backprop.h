/// \file
/// \brief Lab 01 kernels: the forward and backward rule of every elementary operation,
/// and the reverse topological walk that runs them.
///
/// Conventions for every kernel here:
/// - `y` is the forward result, `dy` = ∂L/∂y (the upstream gradient, same shape as y);
/// - backward kernels *add* into the input gradients (`dx += …`, never `dx = …`):
///   a tensor used twice receives both contributions;
/// - a binary operation's input gradient is passed as a pointer; `nullptr` means that
///   input needs no gradient (a constant), so skip it;
/// - a broadcast input's gradient has the input's own shape: reduce with
///   reduce_broadcast().
///
/// The reference lives in `solutions/01_backprop/backprop.cpp`; your copy in
/// `labs/01_backprop/backprop.cpp`.
/// \sa \ref notes_backprop
#pragma once

#include "gradlab/core.h"
#include "gradlab/node.h"

#include <vector>

namespace gradlab::kernels {

/// \name Broadcasting
/// @{

/// \brief Copies \p x into \p y, repeating it along every dimension where x has size 1.
///
/// Requires: x is `[N, D]`, `[1, D]`, `[N, 1]` or `[1, 1]` where y is `[N, D]`.
void broadcast_to(ConstMatrixRef x, MatrixRef y);

/// \brief The adjoint of broadcast_to: adds \p g, summed down to \p dx's shape, into \p dx.
/// \f[ dx_{ij} \mathrel{+}= \sum_{(k,l)\,\text{broadcast onto}\,(i,j)} g_{kl} \f]
/// g: `[N, D]`; dx: `[N, D]`, `[1, D]` (sum over rows), `[N, 1]` (sum over columns) or
/// `[1, 1]` (sum of everything).
void reduce_broadcast(ConstMatrixRef g, Matrix& dx);
/// @}

/// \name Element-wise binary operations (a and b broadcast to y's shape)
/// @{

/// \brief \f$ y = a + b \f$.
void add_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y);
/// \brief \f$ \bar a \mathrel{+}= \bar y, \quad \bar b \mathrel{+}= \bar y \f$ (each reduced to its shape).
void add_backward(ConstMatrixRef dy, Matrix* da, Matrix* db);

/// \brief \f$ y = a - b \f$.
void sub_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y);
/// \brief \f$ \bar a \mathrel{+}= \bar y, \quad \bar b \mathrel{-}= \bar y \f$.
void sub_backward(ConstMatrixRef dy, Matrix* da, Matrix* db);

/// \brief \f$ y = a \odot b \f$.
void mul_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y);
/// \brief \f$ \bar a \mathrel{+}= \bar y \odot b, \quad \bar b \mathrel{+}= \bar y \odot a \f$.
void mul_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db);

/// \brief \f$ y = a / b \f$.
void div_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y);
/// \brief \f$ \bar a \mathrel{+}= \bar y / b, \quad \bar b \mathrel{-}= \bar y \odot a / b^2 \f$.
void div_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db);
/// @}

/// \name Matrix product and transpose
/// @{

/// \brief \f$ y = a\,b \f$; a: `[N, K]`, b: `[K, M]`, y: `[N, M]` (through kernels::gemm).
void matmul_forward(ConstMatrixRef a, ConstMatrixRef b, MatrixRef y);
/// \brief \f$ \bar a \mathrel{+}= \bar y\, b^\top, \quad \bar b \mathrel{+}= a^\top \bar y \f$.
void matmul_backward(ConstMatrixRef a, ConstMatrixRef b, ConstMatrixRef dy, Matrix* da, Matrix* db);

/// \brief \f$ y = x^\top \f$.
void transpose_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y^\top \f$.
void transpose_backward(ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name Unary operations (y and dx have x's shape)
/// @{

/// \brief \f$ y = -x \f$.
void neg_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{-}= \bar y \f$.
void neg_backward(ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = x + s \f$.
void add_scalar_forward(ConstMatrixRef x, Scalar s, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \f$.
void add_scalar_backward(ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = s\,x \f$.
void mul_scalar_forward(ConstMatrixRef x, Scalar s, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= s\,\bar y \f$.
void mul_scalar_backward(Scalar s, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = e^x \f$.
void exp_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \odot e^x = \bar y \odot y \f$ (uses the saved output).
void exp_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = \ln x \f$.
void log_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y / x \f$.
void log_backward(ConstMatrixRef x, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = x^p \f$.
void pow_forward(ConstMatrixRef x, Scalar p, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \odot p\,x^{p-1} \f$.
void pow_backward(ConstMatrixRef x, Scalar p, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = \sqrt{x} \f$.
void sqrt_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y / (2\sqrt{x}) = \bar y / (2y) \f$ (uses the saved output).
void sqrt_backward(ConstMatrixRef y, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = |x| \f$.
void abs_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \odot \operatorname{sign}(x) \f$, with sign(0) = 0.
void abs_backward(ConstMatrixRef x, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = \max(x, s) \f$.
void maximum_forward(ConstMatrixRef x, Scalar s, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \odot [x > s] \f$.
void maximum_backward(ConstMatrixRef x, Scalar s, ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y = \min(x, s) \f$.
void minimum_forward(ConstMatrixRef x, Scalar s, MatrixRef y);
/// \brief \f$ \bar x \mathrel{+}= \bar y \odot [x < s] \f$.
void minimum_backward(ConstMatrixRef x, Scalar s, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name Reductions and row selection
/// @{

/// \brief Sums \p x down to \p y's shape: `[1, 1]` (all), `[1, D]` (over rows) or `[N, 1]` (over columns).
void sum_forward(ConstMatrixRef x, MatrixRef y);
/// \brief Every x that was summed into y receives y's gradient:
/// \f$ \bar x_{ij} \mathrel{+}= \bar y_{\text{the sum containing } x_{ij}} \f$.
void sum_backward(ConstMatrixRef dy, MatrixRef dx);

/// \brief Averages \p x down to \p y's shape (like sum_forward, divided by the count n).
void mean_forward(ConstMatrixRef x, MatrixRef y);
/// \brief \f$ \bar x_{ij} \mathrel{+}= \bar y_{\cdot} / n \f$, n = number of elements averaged
/// into each output.
void mean_backward(ConstMatrixRef dy, MatrixRef dx);

/// \brief \f$ y_i = x_{\text{indices}[i]} \f$ (rows).
void select_rows_forward(ConstMatrixRef x, const std::vector<Index>& indices, MatrixRef y);
/// \brief \f$ \bar x_{\text{indices}[i]} \mathrel{+}= \bar y_i \f$ for every i (a repeated row accumulates).
void select_rows_backward(const std::vector<Index>& indices, ConstMatrixRef dy, MatrixRef dx);
/// @}

/// \name The backward pass over the graph
/// @{

/// \brief Every node reachable from \p root, each one *after* all of its parents.
///
/// So the root comes last, and walking the list backwards visits every node before
/// any of its parents: by the time a node is visited, every consumer of it has
/// already added its share to the node's gradient.
/// Ensures: each node appears once; works for graphs 10,000+ nodes deep (no recursion).
std::vector<Node*> topological_order(Node& root);

/// \brief Runs each node's `backward` closure, walking \p order from back to front.
///
/// Requires: \p order comes from topological_order() and the root's gradient is seeded.
/// Leaves (no closure) are skipped.
void run_backward(const std::vector<Node*>& order);
/// @}

}  // namespace gradlab::kernels
