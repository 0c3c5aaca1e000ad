// Hostile submission (lab 10): the product handed to Eigen's GEMM.
// Expected: ForbiddenCall naming Eigen's general_matrix_matrix_product (or gebp_kernel).
#include "gradlab/kernels/matmul.h"

#include <Eigen/Dense>

namespace gradlab::kernels {

using RowMajor = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Stride = Eigen::OuterStride<>;

void gemm(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar beta, Scalar* c, Index ldc) {
  if (m == 0 || n == 0) return;
  Eigen::Map<RowMajor, 0, Stride> cm(c, m, n, Stride(ldc));
  if (beta == 0.0) cm.setZero();
  else cm *= beta;
  if (k == 0 || alpha == 0.0) return;
  const bool ta = trans_a == Trans::Yes, tb = trans_b == Trans::Yes;
  Eigen::Map<const RowMajor, 0, Stride> am(a, ta ? k : m, ta ? m : k, Stride(lda));
  Eigen::Map<const RowMajor, 0, Stride> bm(b, tb ? n : k, tb ? k : n, Stride(ldb));
  if (!ta && !tb) cm.noalias() += alpha * am * bm;
  if (!ta && tb) cm.noalias() += alpha * am * bm.transpose();
  if (ta && !tb) cm.noalias() += alpha * am.transpose() * bm;
  if (ta && tb) cm.noalias() += alpha * am.transpose() * bm.transpose();
}

}  // namespace gradlab::kernels
