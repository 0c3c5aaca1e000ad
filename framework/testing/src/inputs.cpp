#include "gradlab/testing/inputs.h"

#include "gradlab/random.h"

#include <cmath>

namespace gradlab::testing {

Matrix random_matrix(Index rows, Index cols, std::uint64_t seed, Scalar low, Scalar high) {
  Rng rng(seed);
  return Tensor::uniform(rows, cols, low, high, rng).value();  // checks low <= high
}

Tensor random_tensor(Index rows, Index cols, std::uint64_t seed, Scalar low, Scalar high) {
  return Tensor(random_matrix(rows, cols, seed, low, high));
}

Matrix away_from_kink(Matrix x, Scalar kink, Scalar gap) {
  for (Index i = 0; i < x.size(); ++i) {
    Scalar& v = x.data()[i];
    if (std::abs(v - kink) < gap) v += v < kink ? -gap : gap;
  }
  return x;
}

Matrix extreme_inputs() { return row({-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0}); }

Matrix mat(std::initializer_list<std::initializer_list<Scalar>> rows) {
  return Tensor(rows).value();  // the Tensor constructor checks that the rows have one length
}

Matrix row(std::initializer_list<Scalar> values) {
  Matrix m(1, static_cast<Index>(values.size()));
  Index j = 0;
  for (Scalar v : values) m(0, j++) = v;
  return m;
}

}  // namespace gradlab::testing
