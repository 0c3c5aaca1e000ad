/// \file
/// \brief Values and derivatives of element-wise functions (activations, unary
/// operations), computed through the differentiable operation itself.
#pragma once

#include "gradlab/tensor.h"

#include <functional>

namespace gradlab::testing {

/// \brief A function applied element by element: y_ij depends on x_ij only.
using ElementwiseFunction = std::function<Tensor(const Tensor&)>;

/// \brief f(x), computed through the differentiable operation.
Matrix value_of(const ElementwiseFunction& f, const Matrix& x);

/// \brief f'(x) element by element: backward through \p f with an upstream gradient of
/// ones (valid for element-wise functions, whose Jacobian is diagonal).
Matrix derivative_of(const ElementwiseFunction& f, const Matrix& x);

/// \brief f'(x) at one number x (backward through f applied to the [1, 1] matrix [[x]]).
Scalar derivative_of(const ElementwiseFunction& f, Scalar x);

}  // namespace gradlab::testing
