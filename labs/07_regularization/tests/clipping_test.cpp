// Lab 07 tests: gradient clipping by global norm and by value (kernels::clip_grad_norm,
// kernels::clip_grad_value, and gradlab::clip_grad_norm_ / clip_grad_value_ over a
// parameter list). The expected values follow PyTorch 1.13's clip_grad_norm_:
// total = ‖all gradients‖, coef = max_norm / (total + 1e-6) clamped to 1, g ← coef·g.
#include "gradlab/kernels/regularization.h"
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

const Scalar kInf = std::numeric_limits<Scalar>::infinity();

// Runs the kernel on copies of `grads`; returns the norm and writes the clipped copies.
Scalar clip(std::vector<Matrix>& grads, Scalar max_norm, Scalar norm_type = 2.0) {
  std::vector<MatrixRef> refs(grads.begin(), grads.end());
  return k::clip_grad_norm(refs, max_norm, norm_type);
}

// The global 2-norm, written out: the square root of every squared element of every matrix.
Scalar global_norm(const std::vector<Matrix>& grads) {
  Scalar s = 0;
  for (const Matrix& g : grads)
    for (Index i = 0; i < g.size(); ++i) s += g.data()[i] * g.data()[i];
  return std::sqrt(s);
}

// Three gradients of different shapes, scaled so that their global norm is large.
std::vector<Matrix> random_gradients(std::uint64_t seed, Scalar scale) {
  return {scale * random_matrix(3, 4, seed), scale * random_matrix(1, 5, seed + 1), scale * random_matrix(6, 2, seed + 2)};
}

}  // namespace

// ------------------------------------------------------------------ by norm

TEST(ClipGradNorm, HandComputedTwoParameters) {
  // g = (3 | 4): the global norm is 5 (each parameter alone has norm 3 and 4).
  std::vector<Matrix> grads = {row({3.0}), row({4.0})};
  const Scalar total = clip(grads, 1.0);
  EXPECT_DOUBLE_EQ(total, 5.0) << "returns the global norm BEFORE clipping";
  const Scalar coef = 1.0 / (5.0 + 1e-6);  // PyTorch: max_norm / (total + 1e-6)
  EXPECT_NEAR(grads[0](0, 0), 3.0 * coef, 1e-15) << "both gradients scaled by max_norm/(‖g‖ + 1e-6) with ‖g‖ the GLOBAL norm 5";
  EXPECT_NEAR(grads[1](0, 0), 4.0 * coef, 1e-15);
}

TEST(ClipGradNorm, KeepsTheDirectionAndBoundsTheGlobalNorm) {
  for (const std::uint64_t seed : {1u, 7u, 13u}) {
    const std::vector<Matrix> before = random_gradients(seed, 10.0);
    std::vector<Matrix> after = before;
    const Scalar max_norm = 0.5 + seed * 0.1;
    const Scalar total = clip(after, max_norm);
    const Scalar norm_before = global_norm(before);
    EXPECT_NEAR(total, norm_before, 1e-12 * norm_before);
    const Scalar coef = max_norm / (norm_before + 1e-6);
    for (std::size_t i = 0; i < before.size(); ++i) {
      EXPECT_TRUE(near(after[i], coef * before[i], 1e-14))
          << "gradient " << i << ": every gradient is scaled by the SAME factor (the direction of the whole update is kept)";
    }
    EXPECT_LE(global_norm(after), max_norm) << "the clipped global norm is at most max_norm";
    EXPECT_NEAR(global_norm(after), max_norm, 1e-6);
  }
}

TEST(ClipGradNorm, LeavesSmallGradientsUntouched) {
  const std::vector<Matrix> before = random_gradients(21, 0.1);
  std::vector<Matrix> after = before;
  const Scalar total = clip(after, 100.0);
  EXPECT_NEAR(total, global_norm(before), 1e-14);
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_TRUE(near(after[i], before[i], 0.0)) << "the factor is clamped to 1: a gradient under max_norm is not scaled up";
}

TEST(ClipGradNorm, AllZeroGradientStaysZero) {
  std::vector<Matrix> grads = {Matrix::Zero(2, 3), Matrix::Zero(1, 1)};
  const Scalar total = clip(grads, 1.0);
  EXPECT_EQ(total, 0.0);
  EXPECT_TRUE(near(grads[0], Matrix::Zero(2, 3), 0.0)) << "no 0/0: the 1e-6 keeps the factor finite, clamped to 1";
  EXPECT_TRUE(all_finite(grads[0]));
  EXPECT_TRUE(all_finite(grads[1]));
  // …and one non-zero entry is measured and clipped: norm 2, scaled by 1 / (2 + 1e-6).
  grads[1](0, 0) = 2.0;
  EXPECT_DOUBLE_EQ(clip(grads, 1.0), 2.0);
  EXPECT_NEAR(grads[1](0, 0), 2.0 / (2.0 + 1e-6), 1e-15);
}

TEST(ClipGradNorm, NaNGradientIsReportedNotHidden) {
  // The NaN is not the first element, and a larger finite value comes after it, so a
  // running maximum that skips NaN (NaN > m is false) would end at 5.
  for (const Scalar norm_type : {2.0, 1.0, 3.0, kInf}) {
    std::vector<Matrix> grads = {mat({{1.0, std::nan("")}, {2.0, 3.0}}), row({5.0})};
    const Scalar total = clip(grads, 1.0, norm_type);
    EXPECT_TRUE(std::isnan(total)) << "norm_type " << norm_type << ": the returned norm must show the NaN, got " << total;
    // PyTorch: coef = max_norm / (NaN + 1e-6) = NaN, and clamp(NaN, max=1) = NaN: every
    // gradient becomes NaN, so the next step shows the problem instead of hiding it.
    for (const Matrix& g : grads)
      EXPECT_TRUE(g.array().isNaN().all()) << "norm_type " << norm_type
                                           << ": every gradient is multiplied by the NaN factor (as PyTorch does): " << str(g);
  }
}

TEST(ClipGradNorm, InfiniteGradientGivesAnInfiniteNorm) {
  std::vector<Matrix> grads = {row({1.0, std::numeric_limits<Scalar>::infinity()}), row({-2.0})};
  const Scalar total = clip(grads, 1.0);
  EXPECT_TRUE(std::isinf(total));
  // coef = 1/(inf + 1e-6) = 0: the finite elements become 0 (and inf · 0 = NaN), as in PyTorch.
  EXPECT_EQ(grads[0](0, 0), 0.0);
  EXPECT_EQ(grads[1](0, 0), 0.0);
}

TEST(ClipGradNorm, OtherNormTypes) {
  std::vector<Matrix> grads = {row({3.0, -4.0}), row({-6.0})};
  const Scalar total_inf = clip(grads, 2.0, kInf);
  EXPECT_EQ(total_inf, 6.0) << "p = ∞: the largest |g| over all parameters";
  EXPECT_NEAR(grads[1](0, 0), -6.0 * 2.0 / (6.0 + 1e-6), 1e-15);

  std::vector<Matrix> l1 = {row({3.0, -4.0}), row({-6.0})};
  EXPECT_NEAR(clip(l1, 26.0, 1.0), 13.0, 1e-12) << "p = 1: Σ|g| = 13 (under max_norm 26: unchanged)";
  EXPECT_TRUE(near(l1[0], row({3.0, -4.0}), 0.0));

  std::vector<Matrix> l3 = random_gradients(31, 2.0);
  Scalar s = 0;
  for (const Matrix& g : l3) s += g.cwiseAbs().array().pow(3.0).sum();
  EXPECT_NEAR(clip(l3, 1e9, 3.0), std::cbrt(s), 1e-12) << "p = 3: (Σ|g|³)^(1/3) over all parameters";
}

TEST(ClipGradNorm, NoGradientsGiveNormZero) {
  std::vector<Matrix> none;
  EXPECT_EQ(clip(none, 1.0), 0.0);
  std::vector<Matrix> one = {row({3.0, 4.0})};
  EXPECT_DOUBLE_EQ(clip(one, 10.0), 5.0) << "a single gradient (3, 4) has norm 5";
}

TEST(ClipGradNorm, OverParametersSkipsThoseWithoutAGradient) {
  Tensor a(random_matrix(2, 2, 40), true), b(random_matrix(3, 1, 41), true), c(random_matrix(1, 1, 42), true);
  a.grad() = mat({{3.0, 0.0}, {0.0, 0.0}});
  b.grad() = mat({{0.0}, {4.0}, {0.0}});
  const Scalar total = clip_grad_norm_({a, b, c}, 2.5);
  EXPECT_DOUBLE_EQ(total, 5.0);
  EXPECT_NEAR(a.grad()(0, 0), 3.0 * 2.5 / (5.0 + 1e-6), 1e-15);
  EXPECT_NEAR(b.grad()(1, 0), 4.0 * 2.5 / (5.0 + 1e-6), 1e-15);
  EXPECT_EQ(c.node()->grad.size(), 0) << "a parameter without a gradient is skipped, not given one";
}

TEST(ClipGradNorm, ErrorIfNonfiniteThrowsAndLeavesTheGradients) {
  Tensor a(row({1.0, 2.0}), true);
  a.grad() = row({1.0, std::nan("")});
  EXPECT_TRUE(throws_error_mentioning([&] { clip_grad_norm_({a}, 1.0, {.error_if_nonfinite = true}); }, {"nan"}));
  EXPECT_EQ(a.grad()(0, 0), 1.0) << "the gradients are left as they were";
  Tensor b(row({3.0, 4.0}), true);
  b.grad() = row({3.0, 4.0});
  EXPECT_DOUBLE_EQ(clip_grad_norm_({b}, 1.0, {.error_if_nonfinite = true}), 5.0) << "finite gradients are clipped as usual";
  EXPECT_NEAR(b.grad()(0, 1), 4.0 / (5.0 + 1e-6), 1e-15);
}

TEST(ClipGradNorm, TinyAndHugeGradients) {
  std::vector<Matrix> tiny = {row({3e-200, 4e-200})};
  EXPECT_NEAR(clip(tiny, 1.0), 0.0, 1e-190);
  EXPECT_EQ(tiny[0](0, 1), 4e-200) << "tiny gradients are left alone";
  std::vector<Matrix> huge = {row({3e100, -4e100})};
  EXPECT_NEAR(clip(huge, 1.0), 5e100, 1e86);
  EXPECT_TRUE(near(huge[0], row({0.6, -0.8}), 1e-15)) << "a huge gradient keeps its direction, with norm max_norm";
}

// ------------------------------------------------------------------ by value

TEST(ClipGradValue, ClampsEachElement) {
  Matrix g = mat({{-3.0, 0.5}, {2.0, -0.2}});
  k::clip_grad_value(g, 1.0);
  EXPECT_TRUE(near(g, mat({{-1.0, 0.5}, {1.0, -0.2}}), 0.0)) << "each element into [−c, c], the others unchanged";
  Matrix boundary = row({1.0, -1.0});
  k::clip_grad_value(boundary, 1.0);
  EXPECT_TRUE(near(boundary, row({1.0, -1.0}), 0.0));
}

TEST(ClipGradValue, MatchesAnIndependentClampOnRandomGradients) {
  for (const std::uint64_t seed : {50u, 51u, 52u}) {
    const Matrix before = random_matrix(4, 7, seed, -5.0, 5.0);
    Matrix g = before;
    const Scalar c = 0.5 * static_cast<Scalar>(seed - 49);
    k::clip_grad_value(g, c);
    EXPECT_TRUE(near(g, before.cwiseMax(-c).cwiseMin(c), 0.0)) << "c = " << c;
  }
}

TEST(ClipGradValue, KeepsNaNAndZeroClipValueGivesZeros) {
  Matrix g = row({std::nan(""), 5.0, -5.0});
  k::clip_grad_value(g, 2.0);
  EXPECT_TRUE(std::isnan(g(0, 0))) << "a NaN stays NaN (it is not clamped into range and hidden)";
  EXPECT_EQ(g(0, 1), 2.0);
  EXPECT_EQ(g(0, 2), -2.0);
  Matrix z = row({0.3, -0.7});
  k::clip_grad_value(z, 0.0);
  EXPECT_TRUE(near(z, row({0.0, 0.0}), 0.0));
}

TEST(ClipGradValue, OverParameters) {
  Tensor a(random_matrix(2, 3, 60), true), b(random_matrix(1, 2, 61), true);
  a.grad() = random_matrix(2, 3, 62, -3.0, 3.0);
  const Matrix before = a.grad();
  clip_grad_value_({a, b}, 0.75);
  EXPECT_TRUE(near(a.grad(), before.cwiseMax(-0.75).cwiseMin(0.75), 0.0));
}
