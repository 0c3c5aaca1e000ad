#include "gradlab/testing/elementwise.h"

namespace gradlab::testing {

Matrix value_of(const ElementwiseFunction& f, const Matrix& x) { return f(Tensor(x)).value(); }

Matrix derivative_of(const ElementwiseFunction& f, const Matrix& x) {
  Tensor input(x, true);
  Tensor y = f(input);
  y.backward(Matrix::Ones(y.rows(), y.cols()));
  return input.grad();
}

Scalar derivative_of(const ElementwiseFunction& f, Scalar x) {
  return derivative_of(f, Matrix::Constant(1, 1, x))(0, 0);
}

}  // namespace gradlab::testing
