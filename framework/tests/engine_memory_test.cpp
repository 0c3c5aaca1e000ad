// Tests of the engine's cheap training step: the fused linear operation, the matrix
// cache that lets one step reuse the previous step's memory, and gradients zeroed in
// place.
#include "gradlab/gradlab.h"
#include "gradlab/testing/checks.h"
#include "gradlab/testing/gradcheck.h"
#include "gradlab/testing/inputs.h"

#include <gtest/gtest.h>


using namespace gradlab;
using gradlab::testing::gradients_match;
using gradlab::testing::random_matrix;
using gradlab::testing::random_tensor;
using gradlab::testing::throws_error_mentioning;

TEST(Linear, EqualsMatmulPlusBroadcastBias) {
  const Tensor x = random_tensor(5, 3, 1), w = random_tensor(3, 4, 2), b = random_tensor(1, 4, 3);
  const Matrix expected = matmul(x, w).value() + b.value().replicate(5, 1);
  EXPECT_LE((linear(x, w, b).value() - expected).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(Linear, GradientsOfInputWeightAndBias) {
  for (Index n : {1, 2, 7}) {  // a batch of one, where the bias gradient is the upstream row
    EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return linear(in[0], in[1], in[2]); },
                                {random_tensor(n, 3, 10 + n), random_tensor(3, 4, 20 + n),
                                 random_tensor(1, 4, 30 + n)},
                                {}, {"x", "W", "b"}));
  }
}

TEST(Linear, BiasGradientIsTheColumnSumOfTheUpstream) {
  Tensor x = random_tensor(3, 2, 4), w = random_tensor(2, 2, 5), b(Matrix::Zero(1, 2), true);
  const Matrix g = random_matrix(3, 2, 6);
  linear(x, w, b).backward(g);
  EXPECT_LE((b.grad() - g.colwise().sum()).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(Linear, RejectsShapesThatDoNotFit) {
  const Tensor x = random_tensor(2, 3, 1), w = random_tensor(3, 4, 2);
  EXPECT_TRUE(throws_error_mentioning([&] { linear(x, w, random_tensor(4, 1, 3)); },
                                      {"linear", "[2, 3]", "[3, 4]", "[4, 1]"}));
  EXPECT_TRUE(throws_error_mentioning([&] { linear(x, random_tensor(2, 4, 3), random_tensor(1, 4, 4)); },
                                      {"linear", "[2, 4]"}));
}

TEST(MatrixCache, AFreedMatrixIsReusedForTheSameNumberOfElements) {
  Matrix m = new_matrix(64, 64);
  const Scalar* memory = m.data();
  recycle(m);
  EXPECT_EQ(m.size(), 0);
  const Matrix reused = new_matrix(32, 128);  // another shape, the same 4096 elements
  EXPECT_EQ(reused.data(), memory);
  EXPECT_EQ(reused.rows(), 32);
  EXPECT_EQ(reused.cols(), 128);
}

TEST(MatrixCache, SmallMatricesAreNotCachedButHaveTheirShape) {
  Matrix m = new_matrix(2, 3);
  EXPECT_EQ(m.rows(), 2);
  EXPECT_EQ(m.cols(), 3);
  recycle(m);
  EXPECT_EQ(m.size(), 0);
  EXPECT_EQ(new_matrix(0, 5).cols(), 5);
}

TEST(ZeroGrad, KeepsTheGradientsMemoryAndZeroesIt) {
  Tensor w(random_matrix(64, 64, 1), true);
  sum(w * w).backward();
  const Scalar* memory = w.grad().data();
  w.zero_grad();
  EXPECT_EQ(w.grad().data(), memory);
  EXPECT_EQ(w.grad().cwiseAbs().maxCoeff(), 0.0);
}

TEST(Backward, InteriorGradientsDescribeOnlyTheLatestPass) {
  Tensor x(Matrix::Constant(64, 64, 2.0), true);
  Tensor y = x * x;  // interior node, its gradient zeroed in place at every pass
  Tensor loss = sum(y);
  loss.backward();
  loss.backward();
  EXPECT_EQ(y.grad()(0, 0), 1.0) << "dL/dy is 1 for this pass, not the sum over passes";
  EXPECT_EQ(x.grad()(0, 0), 8.0) << "leaves accumulate: 2 passes × 2x";
}
