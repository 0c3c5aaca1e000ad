// Lab 09 tests: the residual block y = x + F(x) and y = xP + F(x) (the kernels, through
// gradlab::residual and the Residual module).
//
// Forward values come from loops written here; gradients from finite differences
// (the shared gradient checker), through blocks whose branch F is a Linear + tanh.
#include "gradlab/activations.h"
#include "gradlab/deep.h"
#include "gradlab/kernels/deep.h"
#include "gradlab/linear.h"
#include "gradlab/ops.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <memory>
#include <tuple>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// y_ij = Σ_k x_ik P_kj + f_ij, by loops (P empty: y = x + f).
Matrix residual_by_hand(const Matrix& x, const Matrix& f, const Matrix& p) {
  Matrix y = f;
  for (Index i = 0; i < f.rows(); ++i)
    for (Index j = 0; j < f.cols(); ++j) {
      if (p.size() == 0) {
        y(i, j) += x(i, j);
      } else {
        for (Index k = 0; k < x.cols(); ++k) y(i, j) += x(i, k) * p(k, j);
      }
    }
  return y;
}

// F(x) = tanh(x W + b), differentiable in x, W and b.
Tensor branch(const Tensor& x, const Tensor& w, const Tensor& b) { return gradlab::tanh(linear(x, w, b)); }

}  // namespace

// ------------------------------------------------------------------ forward

TEST(ResidualForward, IdentitySkipAddsTheInput) {
  for (auto [n, d, seed] : {std::tuple<Index, Index, int>{4, 3, 1}, {1, 5, 2}, {6, 2, 3}}) {
    const Matrix x = random_matrix(n, d, seed), f = random_matrix(n, d, seed + 10);
    const Tensor y = residual(Tensor(x), Tensor(f));
    EXPECT_TRUE(near(y.value(), residual_by_hand(x, f, Matrix()), 1e-12))
        << "y = x + F(x), element by element, shape [" << n << ", " << d << "]";
  }
}

TEST(ResidualForward, ProjectedSkipMultipliesByP) {
  for (auto [n, din, dout, seed] : {std::tuple<Index, Index, Index, int>{4, 5, 3, 1}, {3, 2, 4, 2}, {2, 3, 3, 3}}) {
    const Matrix x = random_matrix(n, din, seed), f = random_matrix(n, dout, seed + 10);
    const Matrix p = random_matrix(din, dout, seed + 20);
    const Tensor y = residual(Tensor(x), Tensor(f), Tensor(p));
    EXPECT_TRUE(near(y.value(), residual_by_hand(x, f, p), 1e-12))
        << "y = x P + F(x) with P [D_in, D_out] = [" << din << ", " << dout << "]";
  }
}

TEST(ResidualForward, ModuleRunsTheBranchAndAddsTheSkip) {
  Rng rng(5);
  auto fc = std::make_shared<Linear>(3, 3, rng);
  Residual block(fc);
  const Matrix x = random_matrix(4, 3, 6);
  const Matrix fx = fc->forward(Tensor(x)).value();
  EXPECT_TRUE(near(block.forward(Tensor(x)).value(), x + fx, 1e-12)) << "Residual(F)(x) = x + F(x)";
  EXPECT_EQ(block.parameters().size(), 2u) << "an identity block owns only F's parameters";

  auto fc2 = std::make_shared<Linear>(3, 2, rng);
  const Matrix p = random_matrix(3, 2, 7);
  Residual projected(fc2, p);
  EXPECT_TRUE(near(projected.forward(Tensor(x)).value(), x * p + fc2->forward(Tensor(x)).value(), 1e-12))
      << "Residual(F, P)(x) = x P + F(x)";
  EXPECT_EQ(projected.parameters().size(), 3u) << "a projected block owns P too";
}

TEST(ResidualForward, MismatchedWidthsAreRejected) {
  const Matrix x = random_matrix(2, 3, 1), f = random_matrix(2, 3, 2);
  ASSERT_TRUE(near(residual(Tensor(x), Tensor(f)).value(), x + f, 1e-12)) << "matching widths work";
  EXPECT_TRUE(throws_error_mentioning([] { residual(random_tensor(2, 3, 1), random_tensor(2, 4, 2)); },
                                      {"[2, 3]", "[2, 4]", "projection"}));
  EXPECT_TRUE(throws_error_mentioning(
      [] { residual(random_tensor(2, 3, 1), random_tensor(2, 4, 2), random_tensor(4, 3, 3)); }, {"[4, 3]", "[3, 4]"}));
}

// ------------------------------------------------------------------ backward

TEST(ResidualBackward, IdentityBlockGradientsMatchFiniteDifferences) {
  for (auto [n, d, seed] : {std::tuple<Index, Index, int>{3, 4, 1}, {1, 2, 2}, {5, 3, 3}}) {
    const auto f = [](const std::vector<Tensor>& in) { return residual(in[0], branch(in[0], in[1], in[2])); };
    {  // the values first: a zero output would have zero gradients on both sides
      const Tensor x = random_tensor(n, d, seed), w = random_tensor(d, d, seed + 1), b = random_tensor(1, d, seed + 2);
      ASSERT_TRUE(near(f({x, w, b}).value(), x.value() + branch(x, w, b).value(), 1e-12)) << "y = x + tanh(xW + b)";
    }
    EXPECT_TRUE(gradients_match(f, {random_tensor(n, d, seed), random_tensor(d, d, seed + 1), random_tensor(1, d, seed + 2)},
                                {}, {"x", "W", "b"}))
        << "∂L/∂x = ȳ (the skip) + the branch's own gradient; shape [" << n << ", " << d << "]";
  }
}

TEST(ResidualBackward, ProjectedBlockGradientsMatchFiniteDifferences) {
  // D_in ≠ D_out, and a square projection (where P and Pᵀ have the same shape).
  for (auto [n, din, dout, seed] : {std::tuple<Index, Index, Index, int>{3, 4, 2, 1}, {2, 2, 3, 2}, {4, 3, 3, 3}}) {
    const auto f = [](const std::vector<Tensor>& in) {
      return residual(in[0], branch(in[0], in[1], in[2]), in[3]);
    };
    {  // the values first: a zero output would have zero gradients on both sides
      const Tensor x = random_tensor(n, din, seed), w = random_tensor(din, dout, seed + 1),
                   b = random_tensor(1, dout, seed + 2), p = random_tensor(din, dout, seed + 3);
      ASSERT_TRUE(near(f({x, w, b, p}).value(), x.value() * p.value() + branch(x, w, b).value(), 1e-12))
          << "y = x P + tanh(xW + b)";
    }
    EXPECT_TRUE(gradients_match(f,
                                {random_tensor(n, din, seed), random_tensor(din, dout, seed + 1),
                                 random_tensor(1, dout, seed + 2), random_tensor(din, dout, seed + 3)},
                                {}, {"x", "W", "b", "P"}))
        << "∂L/∂x = ȳ Pᵀ + the branch's gradient, ∂L/∂P = xᵀ ȳ; D_in = " << din << ", D_out = " << dout;
  }
}

TEST(ResidualBackward, SkipGradientAloneIsTheUpstreamGradient) {
  // With a branch that does not depend on x, the whole ∂L/∂x is the skip path's share.
  const Matrix x = random_matrix(3, 4, 11), f = random_matrix(3, 4, 12), dy = random_matrix(3, 4, 13);
  Matrix dx = Matrix::Zero(3, 4), dfx = Matrix::Zero(3, 4), none;
  kernels::residual_backward(x, none, dy, dx, dfx, none);
  EXPECT_TRUE(near(dx, dy, 1e-12)) << "identity skip: dx = ȳ, exactly once (not dropped, not doubled)";
  EXPECT_TRUE(near(dfx, dy, 1e-12)) << "the branch receives ȳ: ∂y/∂F(x) = 1";

  const Matrix p = random_matrix(4, 2, 14), dy2 = random_matrix(3, 2, 15);
  Matrix dx2 = Matrix::Zero(3, 4), dfx2 = Matrix::Zero(3, 2), dp = Matrix::Zero(4, 2);
  kernels::residual_backward(x, p, dy2, dx2, dfx2, dp);
  EXPECT_TRUE(near(dx2, dy2 * p.transpose(), 1e-12)) << "projected skip: dx = ȳ Pᵀ";
  EXPECT_TRUE(near(dp, x.transpose() * dy2, 1e-12)) << "dP = xᵀ ȳ";
  EXPECT_TRUE(near(dfx2, dy2, 1e-12)) << "the branch receives ȳ";
}

TEST(ResidualBackward, DeepStackKeepsTheGradient) {
  // 30 identity blocks whose branch is (almost) zero: ∂L/∂x must stay ȳ, not vanish.
  Tensor x = random_tensor(2, 3, 21);
  x = Tensor(x.value(), true);
  Tensor h = x;
  for (int l = 0; l < 30; ++l) h = residual(h, mul_scalar(h, 1e-3));
  const Matrix g = random_matrix(2, 3, 22);
  h.backward(g);
  EXPECT_TRUE(near(x.grad(), g * std::pow(1.001, 30), 1e-9)) << "each block multiplies the gradient by (1 + 1e-3)";
}

TEST(ResidualBackward, AddsIntoGradients) {
  const auto f = [](const std::vector<Tensor>& in) { return residual(in[0], branch(in[0], in[1], in[2]), in[3]); };
  EXPECT_TRUE(accumulates(f, {random_tensor(3, 4, 1), random_tensor(4, 2, 2), random_tensor(1, 2, 3), random_tensor(4, 2, 4)},
                          {"x", "W", "b", "P"}));
  const Matrix x = random_matrix(3, 4, 5), p = random_matrix(4, 2, 6), dy = random_matrix(3, 2, 7);
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { Matrix a = Matrix::Zero(3, 2), b = Matrix::Zero(4, 2);
                                              kernels::residual_backward(x, p, dy, dx, a, b); }, 3, 4));
  EXPECT_TRUE(accumulates([&](MatrixRef dfx) { Matrix a = Matrix::Zero(3, 4), b = Matrix::Zero(4, 2);
                                               kernels::residual_backward(x, p, dy, a, dfx, b); }, 3, 2));
  const Matrix dy_same = random_matrix(3, 4, 8), none;
  EXPECT_TRUE(accumulates([&](MatrixRef dx) { Matrix a = Matrix::Zero(3, 4), b;
                                              kernels::residual_backward(x, none, dy_same, dx, a, b); }, 3, 4))
      << "the identity skip adds into dx too";
  EXPECT_TRUE(accumulates([&](MatrixRef dfx) { Matrix a = Matrix::Zero(3, 4), b;
                                               kernels::residual_backward(x, none, dy_same, a, dfx, b); }, 3, 4));
  EXPECT_TRUE(accumulates([&](MatrixRef dp) { Matrix a = Matrix::Zero(3, 4), b = Matrix::Zero(3, 2);
                                              kernels::residual_backward(x, p, dy, a, b, dp); }, 4, 2));
}
