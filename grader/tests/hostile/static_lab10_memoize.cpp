// Hostile submission (lab 10): a correct loop that remembers its last call (the
// operands' addresses and sizes) and, when called again with the same ones, copies
// the remembered product instead of computing. Tests pass; the bench's fresh operands
// make the remembered product wrong. Expected: bench not correct, 0 bench points.
#include "gradlab/kernels/matmul.h"

#include <vector>

namespace gradlab::kernels {

void gemm(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar beta, Scalar* c, Index ldc) {
  struct Key {
    const Scalar* a;
    const Scalar* b;
    Scalar* c;
    Index m, n, k;
    Scalar alpha, beta;
    Trans ta, tb;
  };
  static Key last{};
  static std::vector<Scalar> remembered;
  static bool valid = false;
  const bool same = valid && last.a == a && last.b == b && last.c == c && last.m == m && last.n == n &&
                    last.k == k && last.alpha == alpha && last.beta == beta && last.ta == trans_a && last.tb == trans_b;
  if (same && beta == 0.0) {
    for (Index i = 0; i < m; ++i)
      for (Index j = 0; j < n; ++j) c[i * ldc + j] = remembered[static_cast<std::size_t>(i * n + j)];
    return;
  }
  for (Index i = 0; i < m; ++i)
    for (Index j = 0; j < n; ++j) {
      Scalar sum = 0;
      for (Index p = 0; p < k; ++p)
        sum += (trans_a == Trans::Yes ? a[p * lda + i] : a[i * lda + p]) * (trans_b == Trans::Yes ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = alpha * sum + (beta == 0.0 ? 0.0 : beta * c[i * ldc + j]);
    }
  remembered.assign(static_cast<std::size_t>(m * n), 0.0);
  for (Index i = 0; i < m; ++i)
    for (Index j = 0; j < n; ++j) remembered[static_cast<std::size_t>(i * n + j)] = c[i * ldc + j];
  last = {a, b, c, m, n, k, alpha, beta, trans_a, trans_b};
  valid = true;
}

}  // namespace gradlab::kernels
