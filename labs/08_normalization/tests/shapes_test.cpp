// Lab 08 tests on a shape no other test uses (drawn once from a fixed seed, 7 to 12 rows
// and columns): BatchNorm normalizes each column alone and LayerNorm each row alone, so
// the kernel on the whole matrix must give, column by column (row by row), what it gives
// on that column (row) by itself; and the result is checked against the definition. A
// kernel that covers only the first rows or columns fails.
#include "gradlab/kernels/normalization.h"
#include "gradlab/testing/kit.h"
#include "gradlab/testing/seeded.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

constexpr Scalar kEps = 1e-5;

// (x − mean) / √(biased variance + ε) of a vector, by a two-pass loop.
Matrix standardized(const Matrix& v) {
  const Scalar n = static_cast<Scalar>(v.size());
  Scalar mean = 0.0;
  for (Index i = 0; i < v.size(); ++i) mean += v.data()[i];
  mean /= n;
  Scalar var = 0.0;
  for (Index i = 0; i < v.size(); ++i) var += (v.data()[i] - mean) * (v.data()[i] - mean);
  var /= n;
  Matrix out(v.rows(), v.cols());
  for (Index i = 0; i < v.size(); ++i) out.data()[i] = (v.data()[i] - mean) / std::sqrt(var + kEps);
  return out;
}

}  // namespace

TEST(BatchNormForward, EveryColumnOfADrawnShapeAlone) {
  Rng rng(801);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix x = draw_matrix(rng, n, d, -2.0, 3.0);
  const Matrix gamma = draw_matrix(rng, 1, d, 0.5, 2.0), beta = draw_matrix(rng, 1, d);
  Matrix y(n, d), x_hat(n, d), inv_std(1, d), mean(1, d), var(1, d);
  kernels::batch_norm_forward_train(x, gamma, beta, kEps, y, x_hat, inv_std, mean, var);
  for (Index j = 0; j < d; ++j) {
    const Matrix expected = (gamma(0, j) * standardized(x.col(j))).array() + beta(0, j);
    EXPECT_TRUE(near(y.col(j), expected, 1e-12)) << "column " << j << " of " << shape_string(n, d);
  }
}

TEST(LayerNorm, EveryRowOfADrawnShapeAlone) {
  Rng rng(802);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix x = draw_matrix(rng, n, d, -2.0, 3.0);
  const Matrix gamma = draw_matrix(rng, 1, d, 0.5, 2.0), beta = draw_matrix(rng, 1, d);
  Matrix y(n, d), x_hat(n, d), inv_std(n, 1);
  kernels::layer_norm_forward(x, gamma, beta, kEps, y, x_hat, inv_std);
  for (Index i = 0; i < n; ++i) {
    const Matrix expected = (gamma.array() * standardized(x.row(i)).array() + beta.array()).matrix();
    EXPECT_TRUE(near(y.row(i), expected, 1e-12)) << "row " << i << " of " << shape_string(n, d);
  }
}
