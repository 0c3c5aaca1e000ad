// reduce_broadcast, and the gradient of every element-wise binary operation for every
// broadcasting case: [N, D] with [1, D], [N, 1], [1, 1], and [1, D] with [N, 1], on
// both sides.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

#include "gradlab/kernels/backprop.h"

#include <fmt/core.h>

#include <array>

using namespace gradlab;
using namespace gradlab::testing;

namespace {
const Matrix kG = (Matrix(2, 3) << 1, 2, 3, 4, 5, 6).finished();
}  // namespace

TEST(Broadcasting, ReduceToRowSumsOverRows) {
  Matrix dx = Matrix::Zero(1, 3);
  kernels::reduce_broadcast(kG, dx);
  EXPECT_EQ(dx, (Matrix(1, 3) << 5, 7, 9).finished())
      << "a [1, 3] row broadcast onto [2, 3] receives the column sums of g = " << str(kG)
      << ", got " << str(dx);
}

TEST(Broadcasting, ReduceToColumnSumsOverColumns) {
  Matrix dx = Matrix::Zero(2, 1);
  kernels::reduce_broadcast(kG, dx);
  EXPECT_EQ(dx, (Matrix(2, 1) << 6, 15).finished())
      << "a [2, 1] column broadcast onto [2, 3] receives the row sums of g = " << str(kG)
      << ", got " << str(dx);
}

TEST(Broadcasting, ReduceToScalarSumsEverything) {
  Matrix dx = Matrix::Zero(1, 1);
  kernels::reduce_broadcast(kG, dx);
  EXPECT_EQ(dx(0, 0), 21.0) << "a [1, 1] scalar broadcast onto [2, 3] receives the sum of all of g";
}

TEST(Broadcasting, SameShapeIsCopied) {
  Matrix dx = Matrix::Zero(2, 3);
  kernels::reduce_broadcast(kG, dx);
  EXPECT_EQ(dx, kG) << "no broadcasting: dx receives g itself, got " << str(dx);
}

TEST(Broadcasting, ReduceAddsIntoTheExistingGradient) {
  // Every target shape: dx already holds 100 everywhere, the reduction is added to it.
  const std::vector<std::pair<Index, Index>> shapes = {{2, 3}, {1, 3}, {2, 1}, {1, 1}};
  for (auto [r, c] : shapes) {
    Matrix fresh = Matrix::Zero(r, c);
    kernels::reduce_broadcast(kG, fresh);
    EXPECT_GT(fresh.cwiseAbs().maxCoeff(), 0.0) << "G's sums are not zero";
    Matrix dx = Matrix::Constant(r, c, 100.0);
    kernels::reduce_broadcast(kG, dx);
    EXPECT_EQ(dx, (fresh.array() + 100.0).matrix())
        << "reduce_broadcast into a " << shape_string(r, c)
        << " gradient that already holds 100 everywhere must ADD (dx += …), got " << str(dx);
  }
}

TEST(Broadcasting, RowOfOneIsNotReducedFurther) {
  // g: [1, 3] onto dx [1, 3] and [1, 1]; g: [2, 1] onto [1, 1].
  const Matrix row = (Matrix(1, 3) << 1, 2, 3).finished();
  Matrix dx = Matrix::Zero(1, 3);
  kernels::reduce_broadcast(row, dx);
  EXPECT_EQ(dx, row);
  Matrix s = Matrix::Zero(1, 1);
  kernels::reduce_broadcast(row, s);
  EXPECT_EQ(s(0, 0), 6.0);
  Matrix col_sum = Matrix::Zero(1, 1);
  kernels::reduce_broadcast((Matrix(2, 1) << 4, 5).finished(), col_sum);
  EXPECT_EQ(col_sum(0, 0), 9.0);
}

TEST(Broadcasting, EmptyBatchGivesAZeroRowGradient) {
  Matrix dx = Matrix::Constant(1, 3, 1.0);
  kernels::reduce_broadcast(Matrix::Zero(0, 3), dx);
  EXPECT_EQ(dx, Matrix::Constant(1, 3, 1.0)) << "summing no rows adds nothing";
  // One row is added as it is: (1, 1, 1) + (1, 2, 3).
  kernels::reduce_broadcast(row({1.0, 2.0, 3.0}), dx);
  EXPECT_EQ(dx, row({2.0, 3.0, 4.0})) << "summing one row adds that row";
}

TEST(Broadcasting, BiasGradientByHand) {
  // y = x + b with x: [2, 3], b: [1, 3]; L = Σ G ⊙ y, so dL/db = column sums of G.
  Tensor x = Tensor::zeros(2, 3);
  Tensor b = Tensor::zeros(1, 3, true);
  Tensor y = x + b;
  y.backward(kG);
  EXPECT_EQ(b.grad(), (Matrix(1, 3) << 5, 7, 9).finished()) << "got " << str(b.grad());
}

// ------------------------------------------------------------ every op × every broadcasting case

namespace {

struct BroadcastCase {
  const char* op;  // add, sub, mul, div
  Index ar, ac, br, bc;
};

// Printed by GoogleTest in failure messages (instead of the raw bytes).
void PrintTo(const BroadcastCase& c, std::ostream* os) {
  *os << fmt::format("{}([{}, {}], [{}, {}])", c.op, c.ar, c.ac, c.br, c.bc);
}


std::string case_name(const ::testing::TestParamInfo<BroadcastCase>& info) {
  const auto& c = info.param;
  return fmt::format("{}_{}x{}_{}x{}", c.op, c.ar, c.ac, c.br, c.bc);
}

std::vector<BroadcastCase> all_cases() {
  // N = 3, D = 4 (not square, so a row and a column cannot be confused).
  const std::vector<std::array<Index, 4>> shapes = {
      {3, 4, 1, 4}, {3, 4, 3, 1}, {3, 4, 1, 1}, {1, 4, 3, 1},   // broadcast on the right
      {1, 4, 3, 4}, {3, 1, 3, 4}, {1, 1, 3, 4}, {3, 1, 1, 4},   // broadcast on the left
  };
  std::vector<BroadcastCase> cases;
  for (const char* op : {"add", "sub", "mul", "div"}) {
    for (const auto& s : shapes) cases.push_back({op, s[0], s[1], s[2], s[3]});
  }
  return cases;
}

Tensor apply(const std::string& op, const Tensor& a, const Tensor& b) {
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  return a / b;
}

class BroadcastGrad : public ::testing::TestWithParam<BroadcastCase> {};

}  // namespace

TEST_P(BroadcastGrad, GradientsMatchFiniteDifferences) {
  const auto& c = GetParam();
  const std::string op = c.op;
  Tensor a = random_tensor(c.ar, c.ac, 11);
  // Keep the divisor away from zero.
  Tensor b = op == "div" ? random_tensor(c.br, c.bc, 12, 0.5, 2.0) : random_tensor(c.br, c.bc, 12);
  EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return apply(op, in[0], in[1]); },
                              {a, b}, {}, {"a", "b"}))
      << op << "(a: " << a.shape() << ", b: " << b.shape()
      << "): the gradient of a broadcast input is the sum over the repeated dimension";
}

TEST_P(BroadcastGrad, GradientsAccumulate) {
  const auto& c = GetParam();
  const std::string op = c.op;
  Tensor a = random_tensor(c.ar, c.ac, 13);
  Tensor b = op == "div" ? random_tensor(c.br, c.bc, 14, 0.5, 2.0) : random_tensor(c.br, c.bc, 14);
  EXPECT_TRUE(accumulates([&](const std::vector<Tensor>& in) { return apply(op, in[0], in[1]); },
                          {a, b}, {"a", "b"}));
}

INSTANTIATE_TEST_SUITE_P(AllCases, BroadcastGrad, ::testing::ValuesIn(all_cases()), case_name);
