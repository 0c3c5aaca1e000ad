# Buggy variants of the lab 10 reference: the lab's tests must fail on each one.
# (Each mutation is made in every ISA variant of the micro-kernel, so it is live on
# AVX-512, AVX2 and portable builds alike.)

# beta = 0 still reads C: NaN in C survives (BLAS overwrites it).
gradlab_mutant(NAME beta_zero_reads_c FILE gemm.cpp
  FIND "if (beta != 0.0) {" REPLACE "if (true) {"
  FIND "cij = beta == 0.0 ? acc[i][j]" REPLACE "cij = false ? acc[i][j]")

# beta applied to every KC slice instead of the first only: k > KC loses terms.
gradlab_mutant(NAME beta_every_k_slice FILE gemm.cpp
  FIND "pc == 0 ? g.beta : 1.0" REPLACE "g.beta")

# k = 0 leaves C alone instead of C <- beta C.
gradlab_mutant(NAME k_zero_ignores_beta FILE gemm.cpp
  FIND "if (k == 0 || alpha == 0.0)" REPLACE "if (alpha == 0.0)")

# Rows of A addressed with the block depth instead of the leading dimension.
gradlab_mutant(NAME packs_a_without_lda FILE gemm.cpp
  FIND "(ic + ir + r) * a.ld" REPLACE "(ic + ir + r) * kc")
