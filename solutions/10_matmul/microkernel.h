// Lab 10 reference — the micro-kernel: the innermost piece of the GEMM, where all the
// floating-point work happens. Included by gemm.cpp only (the student's copy of
// gemm.cpp does not see this file).
//
// A micro-kernel computes one small MR x NR tile of C from two packed micro-panels:
//
//   a_panel: kc x MR values, stored p-major: a_panel[p * MR + i] = alpha * op(A)(i, p)
//   b_panel: kc x NR values, stored p-major: b_panel[p * NR + j] = op(B)(p, j)
//
//   C_tile  <-  sum_p  a_panel[p, :]^T  (outer product)  b_panel[p, :]   (+ beta * C_tile)
//
// Each step p is one rank-1 update of the tile: MR broadcasts of A, NR/W vector loads
// of B (W = doubles per vector), MR * NR/W fused multiply-adds. The tile lives in
// vector registers for the whole loop over p; C is read and written once per kc.
//
// Which kernel is compiled is decided at build time from the compiler's target macros
// (-march=native defines them for the machine it runs on):
//   __AVX512F__  : 8 doubles per zmm register, 32 registers  -> 8 x 24 tile
//   __AVX2__+FMA : 4 doubles per ymm register, 16 registers  -> 6 x 8 tile
//   otherwise    : portable C++ (the compiler vectorizes what it can) -> 4 x 8 tile
//
// Edges: the packed panels are padded with zeros up to MR rows and NR columns, so the
// kernel always computes a full tile; only the store is cut to the valid mr x nr part
// (masked vector stores with AVX-512/AVX2). Odd sizes therefore run the same fast loop.
#pragma once

#include "gradlab/core.h"

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace gradlab::kernels::gemm_detail {

#if defined(__AVX512F__)

// ---------------------------------------------------------------------------------
// AVX-512: an 8 x 24 register tile (MR = 8 rows, NR = 24 columns = 3 zmm vectors).
//
//                 b0 (8 doubles)  b1 (8 doubles)  b2 (8 doubles)    <- 3 loads per p
//               +---------------+---------------+---------------+
//   a0 (bcast)  |    c00        |    c01        |    c02        |
//   a1 (bcast)  |    c10        |    c11        |    c12        |
//    ...        |    ...        |    ...        |    ...        |   24 accumulators
//   a7 (bcast)  |    c70        |    c71        |    c72        |   (zmm registers)
//               +---------------+---------------+---------------+
//
// 24 accumulators + 3 B vectors + 1 broadcast A = 28 of the 32 zmm registers. Per p:
// 24 FMAs against 3 loads and 8 broadcasts, enough independent FMAs (24) to cover the
// FMA latency (4 cycles) times the two FMA ports (8 in flight). A 14 x 16 tile (28
// accumulators, 2 loads and 14 broadcasts per step) measured the same within noise on
// the 2.5 GHz Xeon this was tuned on; 8 x 24 needs fewer loads per FMA.
// ---------------------------------------------------------------------------------
inline constexpr Index kMR = 8;
inline constexpr Index kNR = 24;
inline constexpr Index kPrefetchC = 32;  // steps before the end at which C is prefetched
inline constexpr const char* kKernelName = "AVX-512 8x24";

inline void micro_kernel(Index kc, const Scalar* a_panel, const Scalar* b_panel, Scalar beta,
                         Scalar* c, Index ldc, Index mr, Index nr) {
  constexpr int NV = kNR / 8;
  __m512d acc[kMR][NV];
#pragma GCC unroll 14
  for (int i = 0; i < kMR; ++i)
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_pd();

  // One step p: a rank-1 update of the whole tile.
  auto step = [&] {
    __m512d b[NV];
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) b[v] = _mm512_load_pd(b_panel + v * 8);
#pragma GCC unroll 14
    for (int i = 0; i < kMR; ++i) {
      const __m512d a = _mm512_set1_pd(a_panel[i]);
#pragma GCC unroll 3
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_pd(a, b[v], acc[i][v]);
    }
    a_panel += kMR;
    b_panel += kNR;
  };
  // Most of the steps; then fetch the C tile into L1 while the last kPrefetchC steps
  // run, so that its loads at the end do not wait for L2/L3 (earlier, the streaming
  // A and B panels would evict it again).
  const Index early = kc > kPrefetchC ? kc - kPrefetchC : 0;
  for (Index p = 0; p < early; ++p) step();
#pragma GCC unroll 14
  for (int i = 0; i < kMR; ++i) {
    if (i >= mr) break;
    for (Index col = 0; col < nr; col += 8) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + col), _MM_HINT_T0);
  }
  for (Index p = early; p < kc; ++p) step();

  // Store the valid mr x nr part. Mask v covers columns 8v .. 8v+7 that are < nr.
  __mmask8 mask[NV];
#pragma GCC unroll 3
  for (int v = 0; v < NV; ++v) {
    const Index cols = nr - 8 * v;
    mask[v] = cols >= 8 ? __mmask8(0xFF) : cols <= 0 ? __mmask8(0) : __mmask8((1u << cols) - 1);
  }
  const __m512d beta_v = _mm512_set1_pd(beta);
#pragma GCC unroll 14
  for (int i = 0; i < kMR; ++i) {
    if (i >= mr) break;
    Scalar* c_row = c + i * ldc;
#pragma GCC unroll 3
    for (int v = 0; v < NV; ++v) {
      __m512d result = acc[i][v];
      // beta = 0: C is overwritten without being read (a NaN in C must not survive).
      if (beta != 0.0) {
        result = _mm512_fmadd_pd(beta_v, _mm512_maskz_loadu_pd(mask[v], c_row + 8 * v), result);
      }
      _mm512_mask_storeu_pd(c_row + 8 * v, mask[v], result);
    }
  }
}

#elif defined(__AVX2__) && defined(__FMA__)

// ---------------------------------------------------------------------------------
// AVX2 + FMA: a 6 x 8 register tile (2 ymm vectors of 4 doubles per row).
//
//                 b0 (4)   b1 (4)
//   a0 (bcast)  | c00    | c01    |
//    ...        | ...    | ...    |    12 accumulators + 2 B + 1 A = 15 of 16 ymm
//   a5 (bcast)  | c50    | c51    |
// ---------------------------------------------------------------------------------
inline constexpr Index kMR = 6;
inline constexpr Index kNR = 8;
inline constexpr const char* kKernelName = "AVX2 6x8";

inline void micro_kernel(Index kc, const Scalar* a_panel, const Scalar* b_panel, Scalar beta,
                         Scalar* c, Index ldc, Index mr, Index nr) {
  constexpr int NV = kNR / 4;
  __m256d acc[kMR][NV];
#pragma GCC unroll 6
  for (int i = 0; i < kMR; ++i)
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_pd();

  for (Index p = 0; p < kc; ++p) {
    __m256d b[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) b[v] = _mm256_load_pd(b_panel + v * 4);
#pragma GCC unroll 6
    for (int i = 0; i < kMR; ++i) {
      const __m256d a = _mm256_broadcast_sd(a_panel + i);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_pd(a, b[v], acc[i][v]);
    }
    a_panel += kMR;
    b_panel += kNR;
  }

  // Lane l of mask v is on (all bits set) when column 4v + l < nr.
  __m256i mask[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v) {
    const __m256i lanes = _mm256_setr_epi64x(4 * v, 4 * v + 1, 4 * v + 2, 4 * v + 3);
    mask[v] = _mm256_cmpgt_epi64(_mm256_set1_epi64x(nr), lanes);
  }
  const __m256d beta_v = _mm256_set1_pd(beta);
#pragma GCC unroll 6
  for (int i = 0; i < kMR; ++i) {
    if (i >= mr) break;
    Scalar* c_row = c + i * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      __m256d result = acc[i][v];
      if (beta != 0.0) {
        result = _mm256_fmadd_pd(beta_v, _mm256_maskload_pd(c_row + 4 * v, mask[v]), result);
      }
      _mm256_maskstore_pd(c_row + 4 * v, mask[v], result);
    }
  }
}

#else

// ---------------------------------------------------------------------------------
// Portable C++: a 4 x 8 tile of scalars. The compiler keeps it in registers and
// vectorizes the j loop with whatever SIMD the target has.
// ---------------------------------------------------------------------------------
inline constexpr Index kMR = 4;
inline constexpr Index kNR = 8;
inline constexpr const char* kKernelName = "portable C++ 4x8";

inline void micro_kernel(Index kc, const Scalar* a_panel, const Scalar* b_panel, Scalar beta,
                         Scalar* c, Index ldc, Index mr, Index nr) {
  Scalar acc[kMR][kNR] = {};
  for (Index p = 0; p < kc; ++p) {
    for (Index i = 0; i < kMR; ++i) {
      const Scalar a = a_panel[i];
      for (Index j = 0; j < kNR; ++j) acc[i][j] += a * b_panel[j];
    }
    a_panel += kMR;
    b_panel += kNR;
  }
  for (Index i = 0; i < mr; ++i) {
    for (Index j = 0; j < nr; ++j) {
      Scalar& cij = c[i * ldc + j];
      cij = beta == 0.0 ? acc[i][j] : acc[i][j] + beta * cij;
    }
  }
}

#endif

}  // namespace gradlab::kernels::gemm_detail
