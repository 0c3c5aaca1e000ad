// Helpers shared by lab 02's tests: inputs, derivatives through backward, and the
// accumulation check every backward kernel must pass.
#pragma once

#include "gradlab/activations.h"
#include "gradlab/ops.h"
#include "gradlab/testing/gradcheck.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>

namespace lab02 {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::MatrixRef;
using gradlab::Scalar;
using gradlab::Tensor;

/// An element-wise activation as a tensor function.
using Activation = std::function<Tensor(const Tensor&)>;

/// A [rows, cols] matrix of uniform draws from [lo, hi) (seeded).
inline Matrix random_matrix(Index rows, Index cols, Scalar lo, Scalar hi, std::uint64_t seed) {
  gradlab::Rng rng(seed);
  Matrix x(rows, cols);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = rng.uniform(lo, hi);
  return x;
}

/// \p x with every element closer than \p margin to 0 pushed out to ±margin, so that a
/// finite difference of step 1e-6 never straddles a kink.
inline Matrix away_from_zero(Matrix x, Scalar margin = 0.05) {
  for (Index i = 0; i < x.size(); ++i) {
    Scalar& v = x.data()[i];
    if (std::abs(v) < margin) v = v < 0 ? v - margin : v + margin;
  }
  return x;
}

/// The row (−1000, −40, −1, 0, 1, 40, 1000): overflow, saturation and the kink.
inline Matrix extreme_inputs() {
  Matrix x(1, 7);
  x << -1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0;
  return x;
}

/// f(x), computed through the differentiable operation.
inline Matrix value_of(const Activation& f, const Matrix& x) { return f(Tensor(x)).value(); }

/// f'(x) element by element: backward through \p f with an upstream gradient of ones
/// (valid for element-wise activations, whose Jacobian is diagonal).
inline Matrix derivative_of(const Activation& f, const Matrix& x) {
  Tensor input(x, true);
  Tensor y = f(input);
  y.backward(Matrix::Ones(y.rows(), y.cols()));
  return input.grad();
}

/// Whether every element is finite (no NaN, no ±inf).
inline bool all_finite(const Matrix& m) { return m.array().isFinite().all(); }

/// Checks that \p backward ADDS into dx: starting from a non-zero dx it must give the
/// old dx plus what it gives from zeros.
inline ::testing::AssertionResult accumulates(const std::function<void(MatrixRef dx)>& backward,
                                              Index rows, Index cols) {
  const Matrix before = random_matrix(rows, cols, -1.0, 1.0, 99);
  Matrix from_zero = Matrix::Zero(rows, cols);
  backward(from_zero);
  Matrix dx = before;
  backward(dx);
  const Scalar error = (dx - (before + from_zero)).cwiseAbs().maxCoeff();
  if (error <= 1e-12) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the backward kernel does not add into dx: starting from a non-zero dx, the result "
            "differs from (old dx + its contribution) by up to "
         << error << ". Use dx += ..., not dx = ...";
}

/// EXPECT that two matrices agree element by element within \p tol (absolute).
inline ::testing::AssertionResult near(const Matrix& actual, const Matrix& expected, Scalar tol) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure() << "shape " << gradlab::shape_string(actual) << ", expected "
                                         << gradlab::shape_string(expected);
  }
  for (Index i = 0; i < actual.rows(); ++i) {
    for (Index j = 0; j < actual.cols(); ++j) {
      const Scalar a = actual(i, j);
      const Scalar e = expected(i, j);
      if (!(std::abs(a - e) <= tol)) {
        return ::testing::AssertionFailure() << "element [" << i << "," << j << "] is " << a
                                             << " but should be " << e << " (tolerance " << tol << ")";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

/// A [1, n] row from a list of values.
inline Matrix row(std::initializer_list<Scalar> values) {
  Matrix m(1, static_cast<Index>(values.size()));
  Index j = 0;
  for (Scalar v : values) m(0, j++) = v;
  return m;
}

}  // namespace lab02
