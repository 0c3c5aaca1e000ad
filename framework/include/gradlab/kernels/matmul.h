/// \file
/// \brief Lab 10 kernel: the general matrix product (GEMM) behind every matmul.
///
/// The framework's matrix product, forward and both backward products, goes through
/// this one BLAS-style routine. The reference (`solutions/10_matmul/`) is built the
/// way high-performance libraries build it; the lab's starting point is a correct
/// triple loop that the student makes fast.
/// \sa \ref notes_matmul
#pragma once

#include "gradlab/core.h"

namespace gradlab::kernels {

/// \brief Whether GEMM reads an operand as stored or transposed.
enum class Trans {
  No,   ///< use the operand as stored
  Yes,  ///< use its transpose
};

/// \brief \f$ C \leftarrow \alpha\,\mathrm{op}(A)\,\mathrm{op}(B) + \beta\,C \f$, row-major.
///
/// op(A) is `[m, k]`, op(B) is `[k, n]`, C is `[m, n]`. Row-major storage with leading
/// dimensions: element (i, j) of a stored matrix X is `x[i * ldx + j]`. So A is stored
/// as `[m, k]` with lda ≥ k when trans_a is No, and as `[k, m]` with lda ≥ m when Yes;
/// likewise B; ldc ≥ n.
///
/// Requires: m, n, k ≥ 0; the leading dimensions as above; C does not overlap A or B.
/// Ensures: when \p beta is 0, C is overwritten without being read (NaN in C does not
/// propagate), as in BLAS; when m or n is 0 nothing is touched; when k is 0, C ← βC.
/// A and B are not modified.
void gemm(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha,
          const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar beta, Scalar* c,
          Index ldc);

}  // namespace gradlab::kernels
