// The matrix product and the transpose.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::testing;

namespace {
const TensorFunction kMatmul = [](const std::vector<Tensor>& in) { return matmul(in[0], in[1]); };
const TensorFunction kTranspose = [](const std::vector<Tensor>& in) { return transpose(in[0]); };
}  // namespace

// Square shapes first: a transposed gradient has the right shape here, so the checker
// can diagnose it ("matches the transpose") instead of tripping over a shape mismatch.
TEST(MatmulGrad, SquareMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(3, 3, 1), random_tensor(3, 3, 2)}, {}, {"a", "b"}))
      << "y = a b: dL/da = dL/dy bᵀ and dL/db = aᵀ dL/dy (check the order and the transposes)";
}

TEST(MatmulGrad, HandComputedValues) {
  // a = [1 2], b = [3; 4]: y = 11, dy/da = bᵀ = [3 4], dy/db = aᵀ = [1; 2].
  Tensor a({{1, 2}}, true);
  Tensor b({{3}, {4}}, true);
  Tensor y = matmul(a, b);
  EXPECT_EQ(y.item(), 11.0);
  y.backward();
  EXPECT_EQ(a.grad(), (Matrix(1, 2) << 3, 4).finished()) << "dL/da = dL/dy bᵀ; got " << str(a.grad());
  EXPECT_EQ(b.grad(), (Matrix(2, 1) << 1, 2).finished()) << "dL/db = aᵀ dL/dy; got " << str(b.grad());
}

TEST(MatmulGrad, SquareHandComputedValues) {
  // a = [1 2; 3 4], b = I, dy = [1 0; 0 0]: da = dy bᵀ = dy, db = aᵀ dy = [1 0; 2 0].
  Tensor a({{1, 2}, {3, 4}}, true);
  Tensor b({{1, 0}, {0, 1}}, true);
  matmul(a, b).backward((Matrix(2, 2) << 1, 0, 0, 0).finished());
  EXPECT_EQ(a.grad(), (Matrix(2, 2) << 1, 0, 0, 0).finished()) << "dL/da = dL/dy bᵀ; got " << str(a.grad());
  EXPECT_EQ(b.grad(), (Matrix(2, 2) << 1, 0, 2, 0).finished()) << "dL/db = aᵀ dL/dy; got " << str(b.grad());
}

TEST(MatmulGrad, NonSquareMatchesFiniteDifferences) {
  // [3, 4] × [4, 2]: every dimension different.
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(3, 4, 3), random_tensor(4, 2, 4)}, {}, {"a", "b"}));
  // [2, 5] × [5, 3]
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(2, 5, 5), random_tensor(5, 3, 6)}, {}, {"a", "b"}));
}

TEST(MatmulGrad, VectorShapesMatchFiniteDifferences) {
  // matrix × column, row × matrix, row × column (inner product), column × row (outer product)
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(3, 4, 7), random_tensor(4, 1, 8)}, {}, {"a", "b"}));
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(1, 4, 9), random_tensor(4, 3, 10)}, {}, {"a", "b"}));
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(1, 4, 11), random_tensor(4, 1, 12)}, {}, {"a", "b"}));
  EXPECT_TRUE(gradients_match(kMatmul, {random_tensor(3, 1, 13), random_tensor(1, 2, 14)}, {}, {"a", "b"}));
}

TEST(MatmulGrad, MatrixTimesItself) {
  // y = x x: both factors are x, so dL/dx = dL/dy xᵀ + xᵀ dL/dy.
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return matmul(in[0], in[0]); },
                              {random_tensor(3, 3, 15)}, {}, {"x"}));
}

TEST(MatmulGrad, ConstantFactor) {
  Tensor w = random_tensor(4, 2, 16);  // a constant: gets a null gradient pointer
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return matmul(in[0], w); },
                              {random_tensor(3, 4, 17)}, {}, {"x"}));
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return matmul(w, in[0]); },
                              {random_tensor(2, 3, 18)}, {}, {"x"}));
  EXPECT_EQ(w.node()->grad.size(), 0);
}

TEST(MatmulGrad, GradientsAccumulate) {
  EXPECT_TRUE(accumulates(kMatmul, {random_tensor(3, 3, 19), random_tensor(3, 3, 20)}, {"a", "b"}));
  EXPECT_TRUE(accumulates(kMatmul, {random_tensor(3, 4, 21), random_tensor(4, 2, 22)}, {"a", "b"}));
}

TEST(MatmulGrad, EmptyBatch) {
  // [0, 4] × [4, 2] = [0, 2]: no rows, so W receives a zero gradient.
  Tensor x = Tensor::zeros(0, 4, true);
  Tensor w = random_tensor(4, 2, 23).set_requires_grad(true);
  matmul(x, w).backward(Matrix::Zero(0, 2));
  EXPECT_EQ(w.grad(), Matrix::Zero(4, 2));
  EXPECT_EQ(x.grad().rows(), 0);
  // One row x = (1, 2, 3, 4), dy = (1, −1): dW = xᵀ dy has columns x and −x.
  Tensor x1({{1.0, 2.0, 3.0, 4.0}});
  Tensor w1 = random_tensor(4, 2, 23).set_requires_grad(true);
  matmul(x1, w1).backward(row({1.0, -1.0}));
  EXPECT_EQ(w1.grad(), (Matrix(4, 2) << 1, -1, 2, -2, 3, -3, 4, -4).finished()) << "got " << str(w1.grad());
}

TEST(MatmulGrad, TransposeMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kTranspose, {random_tensor(3, 4, 24)}, {}, {"x"}))
      << "y = xᵀ: dL/dx = (dL/dy)ᵀ";
  EXPECT_TRUE(gradients_match(kTranspose, {random_tensor(3, 3, 25)}, {}, {"x"}));
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return matmul(transpose(in[0]), in[0]); },
                              {random_tensor(3, 2, 26)}, {}, {"x"}));
}

TEST(MatmulGrad, TransposeAccumulates) {
  EXPECT_TRUE(accumulates(kTranspose, {random_tensor(3, 4, 27)}, {"x"}));
  EXPECT_TRUE(accumulates([](const std::vector<Tensor>& in) { return transpose(in[0]) + in[0]; },
                          {random_tensor(3, 3, 28)}, {"x"}));
}

TEST(MatmulGrad, AddsToOtherUsesOfItsInputs) {
  // y = a b + a + b: the add's contributions reach a and b first; matmul must add to them.
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) { return matmul(in[0], in[1]) + in[0] + in[1]; },
      {random_tensor(3, 3, 29), random_tensor(3, 3, 30)}, {}, {"a", "b"}))
      << "a b + a + b";
}
