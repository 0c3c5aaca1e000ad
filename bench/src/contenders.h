// The two GEMMs under test, linked into one program under different names: the bench
// compiles labs/10_matmul/gemm.cpp with -Dgemm=gemm_student and
// solutions/10_matmul/gemm.cpp with -Dgemm=gemm_reference (the macro renames the
// declaration in matmul.h and the definition alike). See bench/CMakeLists.txt.
#pragma once

#include "gradlab/kernels/matmul.h"

namespace gradlab::kernels {

/// The student's kernel (labs/10_matmul/gemm.cpp).
void gemm_student(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha,
                  const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar beta,
                  Scalar* c, Index ldc);
/// The reference kernel (solutions/10_matmul/gemm.cpp).
void gemm_reference(Trans trans_a, Trans trans_b, Index m, Index n, Index k, Scalar alpha,
                    const Scalar* a, Index lda, const Scalar* b, Index ldb, Scalar beta,
                    Scalar* c, Index ldc);

}  // namespace gradlab::kernels
