// Hostile submission (lab 10): a correct loop that, on its first call, writes a bench
// JSON claiming a thousand times the reference's speed where the grader used to read
// it. Expected: ForbiddenCall (a file stream), no bench points.
#include "gradlab/kernels/matmul.h"

#include <fstream>

namespace gradlab::kernels {

void gemm(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha, const Scalar* a, Index lda,
          const Scalar* b, Index ldb, Scalar beta, Scalar* c, Index ldc) {
  static bool written = false;
  if (!written) {
    std::ofstream("results/10_matmul/bench.json")
        << R"({"student_correct": true, "score": {"points": 1000, "max": 40}, "geomean_ratio_to_reference": 1000})";
    written = true;
  }
  for (Index i = 0; i < m; ++i)
    for (Index j = 0; j < n; ++j) {
      Scalar sum = 0;
      for (Index p = 0; p < k; ++p)
        sum += (trans_a == Trans::Yes ? a[p * lda + i] : a[i * lda + p]) * (trans_b == Trans::Yes ? b[j * ldb + p] : b[p * ldb + j]);
      c[i * ldc + j] = alpha * sum + (beta == 0.0 ? 0.0 : beta * c[i * ldc + j]);
    }
}

}  // namespace gradlab::kernels
