#include "gradlab/testing/references.h"

#include <cmath>

namespace gradlab::testing {

Matrix reference_log_softmax(const Matrix& z) {
  Matrix out(z.rows(), z.cols());
  for (Index i = 0; i < z.rows(); ++i) {
    const Scalar m = z.row(i).maxCoeff();
    Scalar s = 0;
    for (Index k = 0; k < z.cols(); ++k) s += std::exp(z(i, k) - m);
    for (Index k = 0; k < z.cols(); ++k) out(i, k) = z(i, k) - m - std::log(s);
  }
  return out;
}

}  // namespace gradlab::testing
