/// \file
/// \brief The elementary differentiable operations on tensors.
///
/// Each operation computes its result with a forward kernel and records a backward
/// closure that calls the matching backward kernel (kernels/backprop.h, lab 01).
///
/// Broadcasting (element-wise binary operations): two shapes are compatible when, in
/// each dimension, they are equal or one of them is 1. So an `[N, D]` matrix combines
/// with a `[1, D]` row, an `[N, 1]` column, a `[1, 1]` scalar, or another `[N, D]`;
/// the result has the larger size in each dimension. In backward, the gradient of an
/// input that was broadcast is summed over the dimensions it was repeated along.
/// Incompatible shapes throw gradlab::Error naming both shapes.
/// \sa \ref notes_backprop
#pragma once

#include "gradlab/tensor.h"

#include <vector>

namespace gradlab {

/// \brief Element-wise \f$ a + b \f$ with broadcasting.
Tensor add(const Tensor& a, const Tensor& b);
/// \brief Element-wise \f$ a - b \f$ with broadcasting.
Tensor sub(const Tensor& a, const Tensor& b);
/// \brief Element-wise (Hadamard) product \f$ a \odot b \f$ with broadcasting.
Tensor mul(const Tensor& a, const Tensor& b);
/// \brief Element-wise quotient \f$ a / b \f$ with broadcasting.
Tensor div(const Tensor& a, const Tensor& b);
/// \brief \f$ -x \f$.
Tensor neg(const Tensor& x);
/// \brief \f$ x + s \f$ for a constant scalar \p s.
Tensor add_scalar(const Tensor& x, Scalar s);
/// \brief \f$ s \, x \f$ for a constant scalar \p s.
Tensor mul_scalar(const Tensor& x, Scalar s);
/// \brief Matrix product \f$ a b \f$: `[N, K] × [K, M] → [N, M]`.
Tensor matmul(const Tensor& a, const Tensor& b);
/// \brief The affine map \f$ x W + b \f$ of a fully connected layer, as one operation:
/// x `[N, K]`, W `[K, M]`, b `[1, M]` (broadcast over the rows) → `[N, M]`.
///
/// The same value as `matmul(x, w) + b`, computed without the intermediate `[N, M]`
/// product: b is copied into every row of the result and the GEMM adds x W onto it
/// (β = 1). The backward is matmul's for x and W, and the column sums of the upstream
/// gradient for b.
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b);
/// \brief Transpose \f$ x^\top \f$: `[N, D] → [D, N]`.
Tensor transpose(const Tensor& x);

/// \brief Which dimension a reduction removes.
enum class Axis {
  Rows,  ///< reduce over the rows: `[N, D] → [1, D]` (one value per column, numpy's axis=0)
  Cols,  ///< reduce over the columns: `[N, D] → [N, 1]` (one value per row, numpy's axis=1)
};

/// \brief Sum of all elements: `[N, D] → [1, 1]`.
Tensor sum(const Tensor& x);
/// \brief Sum over one axis: `[N, D] → [1, D]` (Axis::Rows) or `[N, 1]` (Axis::Cols).
Tensor sum(const Tensor& x, Axis axis);
/// \brief Mean of all elements: `[N, D] → [1, 1]`.
Tensor mean(const Tensor& x);
/// \brief Mean over one axis: `[N, D] → [1, D]` (Axis::Rows) or `[N, 1]` (Axis::Cols).
Tensor mean(const Tensor& x, Axis axis);

/// \brief Element-wise \f$ e^x \f$.
Tensor exp(const Tensor& x);
/// \brief Element-wise natural logarithm; \f$ x \le 0 \f$ gives −inf or NaN as in IEEE arithmetic.
Tensor log(const Tensor& x);
/// \brief Element-wise \f$ x^p \f$ for a constant exponent \p p.
Tensor pow(const Tensor& x, Scalar p);
/// \brief Element-wise \f$ \sqrt{x} \f$.
Tensor sqrt(const Tensor& x);
/// \brief Element-wise \f$ |x| \f$; its derivative at 0 is taken as 0.
Tensor abs(const Tensor& x);
/// \brief Element-wise \f$ \max(x, s) \f$; the gradient flows where \f$ x > s \f$.
Tensor maximum(const Tensor& x, Scalar s);
/// \brief Element-wise \f$ \min(x, s) \f$; the gradient flows where \f$ x < s \f$.
Tensor minimum(const Tensor& x, Scalar s);
/// \brief The rows \p indices of \p x, in that order (repeats allowed): `[N, D] → [len, D]`.
///
/// Used to take a mini-batch. In backward, a row picked twice receives both gradients.
Tensor select_rows(const Tensor& x, const std::vector<Index>& indices);

/// \brief `add(a, b)`.
inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
/// \brief `sub(a, b)`.
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
/// \brief `mul(a, b)` (element-wise; use matmul for the matrix product).
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
/// \brief `div(a, b)`.
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
/// \brief `neg(x)`.
inline Tensor operator-(const Tensor& x) { return neg(x); }
/// \brief `add_scalar(x, s)`.
inline Tensor operator+(const Tensor& x, Scalar s) { return add_scalar(x, s); }
/// \brief `add_scalar(x, s)`.
inline Tensor operator+(Scalar s, const Tensor& x) { return add_scalar(x, s); }
/// \brief `add_scalar(x, -s)`.
inline Tensor operator-(const Tensor& x, Scalar s) { return add_scalar(x, -s); }
/// \brief `add_scalar(neg(x), s)`.
inline Tensor operator-(Scalar s, const Tensor& x) { return add_scalar(neg(x), s); }
/// \brief `mul_scalar(x, s)`.
inline Tensor operator*(const Tensor& x, Scalar s) { return mul_scalar(x, s); }
/// \brief `mul_scalar(x, s)`.
inline Tensor operator*(Scalar s, const Tensor& x) { return mul_scalar(x, s); }
/// \brief `mul_scalar(x, 1 / s)`.
inline Tensor operator/(const Tensor& x, Scalar s) { return mul_scalar(x, 1.0 / s); }
/// \brief \f$ s / x \f$ element-wise, as `mul_scalar(pow(x, -1), s)`.
inline Tensor operator/(Scalar s, const Tensor& x) { return mul_scalar(pow(x, -1.0), s); }

}  // namespace gradlab
