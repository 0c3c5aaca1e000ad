// Lab 10 tests: kernels::gemm must stay correct while it gets fast. Every test compares
// with Eigen's own product (the oracle) within a rounding-error bound, or exactly when
// the data make every summation order exact. None of them measures time.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/matmul.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace gradlab;
using gradlab::kernels::gemm;
using gradlab::kernels::Trans;
using gradlab::testing::near;
using gradlab::testing::random_matrix;

namespace {

constexpr Scalar kNaN = std::numeric_limits<Scalar>::quiet_NaN();
constexpr Scalar kEps = std::numeric_limits<Scalar>::epsilon();

// A stored operand: `rows x cols` values at the top left of a row-major buffer with
// leading dimension ld >= cols. The padding columns hold `pad` (NaN by default), so a
// kernel that reads them produces NaN.
struct Stored {
  Index rows = 0, cols = 0, ld = 0;
  std::vector<Scalar> data;
  Scalar& at(Index i, Index j) { return data[static_cast<std::size_t>(i * ld + j)]; }
  Scalar at(Index i, Index j) const { return data[static_cast<std::size_t>(i * ld + j)]; }
  const Scalar* ptr() const { return data.empty() ? nullptr : data.data(); }
};

Stored random_stored(Index rows, Index cols, Index extra_ld, Rng& rng, Scalar pad = kNaN) {
  Stored s{rows, cols, cols + extra_ld, {}};
  s.data.assign(static_cast<std::size_t>(rows * s.ld), pad);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) s.at(i, j) = rng.uniform(-1.0, 1.0);
  return s;
}

// op(X) as an Eigen matrix: the oracle's view of a stored operand.
Matrix op(const Stored& s, Trans t) {
  Matrix m(s.rows, s.cols);
  for (Index i = 0; i < s.rows; ++i)
    for (Index j = 0; j < s.cols; ++j) m(i, j) = s.at(i, j);
  if (t == Trans::Yes) return m.transpose();
  return m;
}

const char* name(Trans t) { return t == Trans::No ? "N" : "T"; }

// C lives inside a larger buffer: `margin` canary rows above and below, `margin`
// canary columns to its left and ldc - n - margin to its right. Any write outside the
// m x n window changes a canary.
struct GuardedC {
  Index m, n, ldc, margin;
  Scalar canary;
  std::vector<Scalar> buffer;
  GuardedC(Index m_, Index n_, Index extra_ld, Scalar canary_, Index margin_ = 2)
      : m(m_), n(n_), ldc(n_ + margin_ + extra_ld), margin(margin_), canary(canary_) {
    buffer.assign(static_cast<std::size_t>((m + 2 * margin) * ldc + margin), canary);
  }
  Scalar* c() { return buffer.data() + margin * ldc + margin; }
  Scalar& at(Index i, Index j) { return c()[i * ldc + j]; }
  bool inside(std::size_t index) const {
    const auto offset = static_cast<Index>(index) - (margin * ldc + margin);
    if (offset < 0) return false;
    const Index i = offset / ldc, j = offset % ldc;
    return i < m && j < n;
  }
  // The first canary that changed, as a message; empty when all are intact.
  std::string damaged_canary() const {
    for (std::size_t index = 0; index < buffer.size(); ++index) {
      if (inside(index)) continue;
      const Scalar v = buffer[index];
      const bool intact = std::isnan(canary) ? std::isnan(v) : v == canary;
      if (!intact) {
        const auto offset = static_cast<Index>(index) - (margin * ldc + margin);
        return "a value outside C was overwritten (offset " + std::to_string(offset) +
               " from C's first element, ldc = " + std::to_string(ldc) + ", now " +
               std::to_string(v) + "): an out-of-bounds write";
      }
    }
    return "";
  }
};

struct Case {
  Index m, n, k;
  Trans ta = Trans::No, tb = Trans::No;
  Scalar alpha = 1.0, beta = 0.0;
  Index extra_lda = 0, extra_ldb = 0, extra_ldc = 0;
  std::string label() const {
    return "m=" + std::to_string(m) + " n=" + std::to_string(n) + " k=" + std::to_string(k) +
           " op(A)=" + name(ta) + " op(B)=" + name(tb) + " alpha=" + std::to_string(alpha) +
           " beta=" + std::to_string(beta) + " lda+" + std::to_string(extra_lda) + " ldb+" +
           std::to_string(extra_ldb) + " ldc+" + std::to_string(extra_ldc);
  }
};

// Runs one case against the oracle. Checks, in this order: canaries around C, A and B
// unmodified, and |C - C_ref| <= c K eps (|alpha| |A||B| + |beta| |C0|) + tiny for every
// element (c = 4: the kernel's and the oracle's rounding, with room to spare).
void check_case(const Case& t, std::uint64_t seed = 1) {
  SCOPED_TRACE(t.label());
  Rng rng(seed);
  const Index a_rows = t.ta == Trans::No ? t.m : t.k, a_cols = t.ta == Trans::No ? t.k : t.m;
  const Index b_rows = t.tb == Trans::No ? t.k : t.n, b_cols = t.tb == Trans::No ? t.n : t.k;
  const Stored a = random_stored(a_rows, a_cols, t.extra_lda, rng);
  const Stored b = random_stored(b_rows, b_cols, t.extra_ldb, rng);
  const Stored a_copy = a, b_copy = b;

  // beta = 0: C starts full of NaN and must be overwritten; the canaries are NaN too,
  // so a stray write of a number shows. Otherwise C starts random and the canaries are
  // a finite sentinel, so a stray read-modify-write shows as well.
  const Scalar canary = t.beta == 0.0 ? kNaN : 7.25;
  GuardedC c(t.m, t.n, t.extra_ldc, canary);
  Matrix c0 = Matrix::Zero(t.m, t.n);
  for (Index i = 0; i < t.m; ++i)
    for (Index j = 0; j < t.n; ++j) {
      c0(i, j) = t.beta == 0.0 ? kNaN : rng.uniform(-1.0, 1.0);
      c.at(i, j) = c0(i, j);
    }

  gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a.ptr(), a.ld, b.ptr(), b.ld, t.beta, c.c(), c.ldc);

  const std::string damage = c.damaged_canary();
  ASSERT_TRUE(damage.empty()) << damage;
  ASSERT_EQ(0, std::memcmp(a.data.data(), a_copy.data.data(), a.data.size() * sizeof(Scalar)))
      << "A was modified: gemm must only read A";
  ASSERT_EQ(0, std::memcmp(b.data.data(), b_copy.data.data(), b.data.size() * sizeof(Scalar)))
      << "B was modified: gemm must only read B";

  const Matrix op_a = op(a, t.ta), op_b = op(b, t.tb);
  Matrix expected = t.alpha * (op_a * op_b);
  Matrix magnitude = std::abs(t.alpha) * (op_a.cwiseAbs() * op_b.cwiseAbs());
  if (t.beta != 0.0) {
    expected += t.beta * c0;
    magnitude += std::abs(t.beta) * c0.cwiseAbs();
  }
  const Scalar c_bound = 4.0 * static_cast<Scalar>(t.k + 2) * kEps;
  int reported = 0;
  for (Index i = 0; i < t.m; ++i) {
    for (Index j = 0; j < t.n; ++j) {
      const Scalar got = c.at(i, j);
      const Scalar bound = c_bound * magnitude(i, j) + 1e-300;
      if (!(std::abs(got - expected(i, j)) <= bound)) {
        ADD_FAILURE() << "C(" << i << ", " << j << ") = " << got << ", expected " << expected(i, j)
                      << " (|error| " << std::abs(got - expected(i, j)) << " > bound " << bound
                      << ")" << (std::isnan(got) && t.beta == 0.0
                                     ? ": with beta = 0, C must be overwritten, never read"
                                     : "");
        if (++reported == 3) return;
      }
    }
  }
}

const Trans kBoth[] = {Trans::No, Trans::Yes};

}  // namespace

// --- Shapes: every transpose combination on the shapes of the issue and around the
// --- reference's block sizes (MR, NR, KC, MC, NC edges).
TEST(Shapes, TinyAndDegenerate) {
  const Index shapes[][3] = {{1, 1, 1}, {1, 37, 1}, {37, 1, 1}, {1, 1, 37}, {2, 3, 4}, {5, 1, 9}};
  for (const auto& s : shapes)
    for (Trans ta : kBoth)
      for (Trans tb : kBoth) check_case({s[0], s[1], s[2], ta, tb, 1.0, 0.0});
}

TEST(Shapes, OddMedium) {
  const Index shapes[][3] = {{17, 33, 65}, {31, 32, 33}, {63, 65, 64}, {9, 25, 7}, {8, 24, 256}};
  for (const auto& s : shapes)
    for (Trans ta : kBoth)
      for (Trans tb : kBoth) check_case({s[0], s[1], s[2], ta, tb, 1.0, 0.0});
}

TEST(Shapes, Cube256) {
  for (Trans ta : kBoth)
    for (Trans tb : kBoth) check_case({256, 256, 256, ta, tb, 1.0, 0.0});
}

TEST(Shapes, AcrossBlockBoundaries) {
  // k over several KC slices, m over several MC blocks, n over an NC panel.
  check_case({203, 50, 600, Trans::No, Trans::No, 1.0, 1.0});
  check_case({400, 31, 7, Trans::Yes, Trans::No, 1.0, 0.0});
  check_case({9, 4100, 3, Trans::No, Trans::Yes, 1.0, 0.0});
  check_case({130, 97, 513, Trans::Yes, Trans::Yes, -1.0, 0.5});
}

TEST(Shapes, Large1000x999x1001) {
  // One combination only: op(B) = B^T keeps the naive loop's inner loop contiguous, so
  // the starting point passes this test in seconds (the other combinations are covered
  // by the smaller shapes above).
  check_case({1000, 999, 1001, Trans::No, Trans::Yes, 0.5, 1.0});
}

// --- Alpha and beta.
TEST(AlphaBeta, EveryCombination) {
  const Scalar alphas[] = {1.0, -1.0, 0.5, 3.0};
  const Scalar betas[] = {0.0, 1.0, -1.0, 0.25};
  for (Scalar alpha : alphas)
    for (Scalar beta : betas)
      for (Trans ta : kBoth) check_case({19, 23, 29, ta, Trans::No, alpha, beta});
}

TEST(AlphaBeta, BetaZeroOverwritesNaN) {
  // check_case fills C with NaN when beta = 0: every element must be replaced.
  for (Trans ta : kBoth)
    for (Trans tb : kBoth) check_case({33, 47, 21, ta, tb, 2.0, 0.0});
}

TEST(AlphaBeta, AlphaZeroScalesC) {
  Rng rng(3);
  const Stored a = random_stored(6, 5, 0, rng, 0.0), b = random_stored(5, 7, 0, rng, 0.0);
  GuardedC c(6, 7, 0, 7.25);
  for (Index i = 0; i < 6; ++i)
    for (Index j = 0; j < 7; ++j) c.at(i, j) = static_cast<Scalar>(i - j);
  gemm(Trans::No, Trans::No, 6, 7, 5, 0.0, a.ptr(), a.ld, b.ptr(), b.ld, 0.5, c.c(), c.ldc);
  for (Index i = 0; i < 6; ++i)
    for (Index j = 0; j < 7; ++j) EXPECT_EQ(c.at(i, j), 0.5 * static_cast<Scalar>(i - j));
  EXPECT_EQ(c.damaged_canary(), "");
}

TEST(AlphaBeta, KZeroGivesBetaC) {
  // k = 0: op(A) op(B) is an m x n matrix of zeros, so C <- beta C (zeros for beta = 0,
  // even over NaN). A and B have no elements: pass null pointers.
  GuardedC c(4, 5, 1, kNaN);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 5; ++j) c.at(i, j) = kNaN;
  gemm(Trans::No, Trans::No, 4, 5, 0, 1.0, nullptr, 1, nullptr, 5, 0.0, c.c(), c.ldc);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 5; ++j) EXPECT_EQ(c.at(i, j), 0.0) << "beta = 0, k = 0: C must become 0";
  EXPECT_EQ(c.damaged_canary(), "");

  GuardedC d(3, 2, 0, 7.25);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 2; ++j) d.at(i, j) = 1.0 + static_cast<Scalar>(i + j);
  gemm(Trans::Yes, Trans::Yes, 3, 2, 0, 1.0, nullptr, 3, nullptr, 1, -2.0, d.c(), d.ldc);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 2; ++j) EXPECT_EQ(d.at(i, j), -2.0 * (1.0 + static_cast<Scalar>(i + j)));
}

TEST(AlphaBeta, EmptyCTouchesNothing) {
  Rng rng(4);
  const Stored a = random_stored(3, 3, 0, rng), b = random_stored(3, 3, 0, rng);
  for (const auto& [m, n] : {std::pair<Index, Index>{0, 3}, {3, 0}, {0, 0}}) {
    GuardedC c(0, 0, 3, 7.25);  // nothing of it is C: every element is a canary
    gemm(Trans::No, Trans::No, m, n, 3, 1.0, a.ptr(), 3, b.ptr(), 3, 0.0, c.c(), 3);
    EXPECT_EQ(c.damaged_canary(), "") << "m = " << m << ", n = " << n << ": C is empty";
  }
  // ...while a 1×1 C is written: C ← 2·(a₀₀·b₀₀) + 0.5·7.25 with k = 1.
  GuardedC one(1, 1, 0, 7.25);
  gemm(Trans::No, Trans::No, 1, 1, 1, 2.0, a.ptr(), 3, b.ptr(), 3, 0.5, one.c(), one.ldc);
  EXPECT_DOUBLE_EQ(one.at(0, 0), 2.0 * a.ptr()[0] * b.ptr()[0] + 0.5 * 7.25) << "a 1×1 product";
  EXPECT_EQ(one.damaged_canary(), "");
}

// --- Leading dimensions and canaries.
TEST(LeadingDims, LargerThanTheWidth) {
  // The padding of A and B is NaN (reading it poisons C); C's is a canary.
  for (Trans ta : kBoth)
    for (Trans tb : kBoth) {
      check_case({21, 30, 17, ta, tb, 1.0, 0.0, 3, 5, 7});
      check_case({70, 45, 130, ta, tb, -0.5, 1.0, 1, 9, 2});
    }
}

TEST(LeadingDims, CanariesAroundCAtEveryEdgeSize) {
  // Sizes 1 .. 2*NR+1 hit every partial register tile (masked stores) of the reference.
  for (Index m = 1; m <= 17; m += 3)
    for (Index n = 1; n <= 49; n += 4) {
      check_case({m, n, 11, Trans::No, Trans::No, 1.0, 0.0, 0, 0, 1});
      check_case({m, n, 11, Trans::No, Trans::Yes, 1.0, 0.5, 0, 0, 0});
    }
}

// --- An integer-valued product: small integers make every partial sum exact, so every
// --- summation order (blocked, vectorized, threaded) must give exactly the same C.
TEST(Exact, IntegerValuedProductIsExact) {
  Rng rng(5);
  const Index m = 67, n = 75, k = 530;
  const Index shapes[][2] = {{m, k}, {k, n}};
  std::vector<std::vector<std::int64_t>> ints;
  for (const auto& s : shapes) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(s[0] * s[1]));
    for (auto& x : v) x = static_cast<std::int64_t>(rng.index(9)) - 4;
    ints.push_back(v);
  }
  std::vector<Scalar> a(ints[0].begin(), ints[0].end()), b(ints[1].begin(), ints[1].end());
  for (Scalar beta : {0.0, 1.0, -3.0}) {
    std::vector<Scalar> c(static_cast<std::size_t>(m * n));
    for (Index i = 0; i < m * n; ++i) c[static_cast<std::size_t>(i)] = static_cast<Scalar>(i % 7);
    gemm(Trans::No, Trans::No, m, n, k, 2.0, a.data(), k, b.data(), n, beta, c.data(), n);
    for (Index i = 0; i < m; ++i)
      for (Index j = 0; j < n; ++j) {
        std::int64_t sum = 0;
        for (Index p = 0; p < k; ++p) sum += ints[0][static_cast<std::size_t>(i * k + p)] * ints[1][static_cast<std::size_t>(p * n + j)];
        const Scalar expected = 2.0 * static_cast<Scalar>(sum) + (beta == 0.0 ? 0.0 : beta * static_cast<Scalar>((i * n + j) % 7));
        ASSERT_EQ(c[static_cast<std::size_t>(i * n + j)], expected)
            << "C(" << i << ", " << j << ") with beta = " << beta
            << ": an integer product must be exact (a term added twice or lost?)";
      }
  }
}

TEST(Exact, SameResultWithEveryTranspose) {
  // op(A) op(B) is the same matrix whichever way A and B are stored.
  Rng rng(6);
  const Index m = 29, n = 41, k = 300;
  Matrix a(m, k), b(k, n);
  for (Index i = 0; i < a.size(); ++i) a.data()[i] = static_cast<Scalar>(rng.index(7)) - 3.0;
  for (Index i = 0; i < b.size(); ++i) b.data()[i] = static_cast<Scalar>(rng.index(7)) - 3.0;
  const Matrix at = a.transpose(), bt = b.transpose();
  Matrix expected(m, n);
  gemm(Trans::No, Trans::No, m, n, k, 1.0, a.data(), k, b.data(), n, 0.0, expected.data(), n);
  EXPECT_EQ(expected, a * b);
  for (Trans ta : kBoth)
    for (Trans tb : kBoth) {
      Matrix c(m, n);
      gemm(ta, tb, m, n, k, 1.0, (ta == Trans::No ? a : at).data(), ta == Trans::No ? k : m,
           (tb == Trans::No ? b : bt).data(), tb == Trans::No ? n : k, 0.0, c.data(), n);
      EXPECT_EQ(c, expected) << "op(A) = " << name(ta) << ", op(B) = " << name(tb);
    }
}

TEST(Shapes, CalledFromInsideAParallelRegion) {
  // Each thread of the caller's team computes its own product: gemm must neither split
  // its work with the caller's threads nor start more of them.
  constexpr int kProducts = 4;
  std::vector<Matrix> a(kProducts), b(kProducts), c(kProducts);
  for (int t = 0; t < kProducts; ++t) {
    a[t] = random_matrix(120, 130, 80 + t);
    b[t] = random_matrix(130, 140, 90 + t);
    c[t] = Matrix::Zero(120, 140);
  }
#pragma omp parallel for num_threads(2)
  for (int t = 0; t < kProducts; ++t) {
    gemm(Trans::No, Trans::No, 120, 140, 130, 1.0, a[t].data(), 130, b[t].data(), 140, 0.0,
         c[t].data(), 140);
  }
  for (int t = 0; t < kProducts; ++t) {
    EXPECT_TRUE(near(c[t], a[t] * b[t], 1e-12)) << "product " << t;
  }
}

// --- The framework's matmul goes through gemm: forward and both backward products.
TEST(Framework, MatmulForwardAndBackwardUseTheKernel) {
  const Matrix a = random_matrix(13, 21, 71), b = random_matrix(21, 9, 72), g = random_matrix(13, 9, 73);
  Tensor ta(a, true), tb(b, true);
  Tensor y = matmul(ta, tb);
  EXPECT_TRUE(near(y.value(), a * b, 1e-12));
  Tensor loss = sum(mul(y, Tensor(g)));
  loss.backward();
  EXPECT_TRUE(near(ta.grad(), g * b.transpose(), 1e-12)) << "dA = dY B^T";
  EXPECT_TRUE(near(tb.grad(), a.transpose() * g, 1e-12)) << "dB = A^T dY";
}
