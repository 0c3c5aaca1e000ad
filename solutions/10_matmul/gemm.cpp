// Lab 10 — the matrix product. (Placeholder reference: Eigen-backed; the packed,
// register-blocked kernel replaces it.)
#include "gradlab/kernels/matmul.h"

#include <Eigen/Core>

namespace gradlab::kernels {

void gemm(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha,
          const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar beta, Scalar* c,
          Index ldc) {
  // BEGIN SOLUTION
  if (m == 0 || n == 0) return;
  using Stride = Eigen::OuterStride<>;
  using ConstMap = Eigen::Map<const Matrix, 0, Stride>;
  Eigen::Map<Matrix, 0, Stride> C(c, m, n, Stride(ldc));
  if (beta == 0.0) {
    C.setZero();
  } else if (beta != 1.0) {
    C *= beta;
  }
  if (k == 0 || alpha == 0.0) return;
  const Index a_rows = trans_a == Trans::No ? m : k;
  const Index b_rows = trans_b == Trans::No ? k : n;
  ConstMap A(a, a_rows, trans_a == Trans::No ? k : m, Stride(lda));
  ConstMap B(b, b_rows, trans_b == Trans::No ? n : k, Stride(ldb));
  if (trans_a == Trans::No && trans_b == Trans::No) C.noalias() += alpha * A * B;
  if (trans_a == Trans::No && trans_b == Trans::Yes) C.noalias() += alpha * A * B.transpose();
  if (trans_a == Trans::Yes && trans_b == Trans::No) C.noalias() += alpha * A.transpose() * B;
  if (trans_a == Trans::Yes && trans_b == Trans::Yes) C.noalias() += alpha * A.transpose() * B.transpose();
  // BEGIN STUB
  // // The naive triple loop: correct, and slow. Make it fast (see the README).
  // auto A = [&](Index i, Index p) { return trans_a == Trans::No ? a[i * lda + p] : a[p * lda + i]; };
  // auto B = [&](Index p, Index j) { return trans_b == Trans::No ? b[p * ldb + j] : b[j * ldb + p]; };
  // for (Index i = 0; i < m; ++i) {
  //   for (Index j = 0; j < n; ++j) {
  //     Scalar sum = 0.0;
  //     for (Index p = 0; p < k; ++p) sum += A(i, p) * B(p, j);
  //     // beta = 0 overwrites C without reading it, so NaN in C does not survive.
  //     c[i * ldc + j] = alpha * sum + (beta == 0.0 ? 0.0 : beta * c[i * ldc + j]);
  //   }
  // }
  // END STUB
  // END SOLUTION
}

}  // namespace gradlab::kernels
