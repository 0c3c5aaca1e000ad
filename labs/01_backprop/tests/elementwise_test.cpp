// Element-wise binary operations on same-shape inputs: add, sub, mul, div.
// (Broadcast inputs are covered in broadcasting_test.cpp.)
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

using namespace gradlab;
using namespace gradlab::testing;

namespace {
using Fn = TensorFunction;
const Fn kAdd = [](const std::vector<Tensor>& in) { return in[0] + in[1]; };
const Fn kSub = [](const std::vector<Tensor>& in) { return in[0] - in[1]; };
const Fn kMul = [](const std::vector<Tensor>& in) { return in[0] * in[1]; };
const Fn kDiv = [](const std::vector<Tensor>& in) { return in[0] / in[1]; };
}  // namespace

TEST(ElementwiseGrad, AddMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kAdd, {random_tensor(3, 4, 1), random_tensor(3, 4, 2)}, {}, {"a", "b"}));
}

TEST(ElementwiseGrad, SubMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kSub, {random_tensor(3, 4, 3), random_tensor(3, 4, 4)}, {}, {"a", "b"}))
      << "y = a - b: dL/db = -dL/dy";
}

TEST(ElementwiseGrad, MulMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kMul, {random_tensor(3, 4, 5), random_tensor(3, 4, 6)}, {}, {"a", "b"}))
      << "y = a ⊙ b: dL/da = dL/dy ⊙ b, dL/db = dL/dy ⊙ a";
}

TEST(ElementwiseGrad, DivMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kDiv, {random_tensor(3, 4, 7), random_tensor(3, 4, 8, 0.5, 2.0)}, {},
                              {"a", "b"}))
      << "y = a / b: dL/da = dL/dy / b, dL/db = -dL/dy ⊙ a / b²";
}

TEST(ElementwiseGrad, DivByNegativeDivisorMatchesFiniteDifferences) {
  EXPECT_TRUE(gradients_match(kDiv, {random_tensor(2, 3, 9), random_tensor(2, 3, 10, -2.0, -0.5)}, {},
                              {"a", "b"}));
}

TEST(ElementwiseGrad, HandComputedValues) {
  // a = 2, b = 4:  d(a+b) = (1, 1), d(a-b) = (1, -1), d(ab) = (b, a) = (4, 2),
  // d(a/b) = (1/b, -a/b²) = (0.25, -0.125).
  struct Case {
    const char* name;
    Fn f;
    Scalar da, db;
  };
  const Case cases[] = {{"add", kAdd, 1, 1}, {"sub", kSub, 1, -1}, {"mul", kMul, 4, 2},
                        {"div", kDiv, 0.25, -0.125}};
  for (const auto& c : cases) {
    Tensor a({{2.0}}, true);
    Tensor b({{4.0}}, true);
    c.f({a, b}).backward();
    EXPECT_DOUBLE_EQ(a.grad()(0, 0), c.da) << c.name << " at a = 2, b = 4: d/da";
    EXPECT_DOUBLE_EQ(b.grad()(0, 0), c.db) << c.name << " at a = 2, b = 4: d/db";
  }
}

TEST(ElementwiseGrad, TensorAddedToItselfGetsBothContributions) {
  // y = x + x = 2x: both edges of the graph lead to the same x, dL/dx = 2 dL/dy.
  Tensor x({{1.0, -2.0}}, true);
  Tensor y = x + x;
  y.backward(Matrix::Ones(1, 2));
  EXPECT_EQ(x.grad(), Matrix::Constant(1, 2, 2.0))
      << "x + x: each use of x adds dL/dy to dL/dx, got " << str(x.grad());
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return in[0] + in[0]; },
                              {random_tensor(3, 4, 20)}, {}, {"x"}));
}

TEST(ElementwiseGrad, TensorTimesItselfGetsBothContributions) {
  // y = x ⊙ x = x²: dL/dx = dL/dy ⊙ (x + x) = 2x dL/dy.
  Tensor x({{3.0, -0.5}}, true);
  Tensor y = x * x;
  y.backward(Matrix::Ones(1, 2));
  EXPECT_EQ(x.grad(), (Matrix(1, 2) << 6.0, -1.0).finished())
      << "x * x: dL/dx = 2x, one x from each factor; got " << str(x.grad());
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return in[0] * in[0]; },
                              {random_tensor(3, 4, 21)}, {}, {"x"}));
}

TEST(ElementwiseGrad, TensorMinusOrOverItself) {
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return in[0] - in[0] + in[0] * in[0]; },
                              {random_tensor(3, 4, 22)}, {}, {"x"}));
  EXPECT_TRUE(gradients_match([](const std::vector<Tensor>& in) { return in[0] / in[0] + in[0]; },
                              {random_tensor(3, 4, 23, 0.5, 2.0)}, {}, {"x"}));
}

TEST(ElementwiseGrad, ConstantOperandGetsNoGradient) {
  // b is a constant: its backward gets a null gradient pointer and must skip it.
  Tensor a = random_tensor(2, 3, 24).set_requires_grad(true);
  Tensor b = random_tensor(2, 3, 25, 0.5, 2.0);
  for (const Fn& f : {kAdd, kSub, kMul, kDiv}) {
    a.zero_grad();
    Tensor y = f({a, b});
    y.backward(Matrix::Ones(2, 3));
    EXPECT_EQ(b.node()->grad.size(), 0) << "a constant never receives a gradient";
    EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return f({in[0], b}); },
                                {random_tensor(2, 3, 26)}, {}, {"a"}));
    EXPECT_TRUE(gradients_match([&](const std::vector<Tensor>& in) { return f({b, in[0]}); },
                                {random_tensor(2, 3, 27, 0.5, 2.0)}, {}, {"b"}));
  }
}

TEST(ElementwiseGrad, GradientsAccumulate) {
  const std::pair<const char*, Fn> ops[] = {{"add", kAdd}, {"sub", kSub}, {"mul", kMul}, {"div", kDiv}};
  for (const auto& [name, f] : ops) {
    EXPECT_TRUE(accumulates(f, {random_tensor(3, 4, 30), random_tensor(3, 4, 31, 0.5, 2.0)}, {"a", "b"}))
        << name;
  }
}

TEST(ElementwiseGrad, BatchOfOneAndEmptyBatch) {
  for (const Fn& f : {kAdd, kSub, kMul, kDiv}) {
    EXPECT_TRUE(gradients_match(f, {random_tensor(1, 4, 40), random_tensor(1, 4, 41, 0.5, 2.0)}));
    Tensor a = Tensor::zeros(0, 4, true);
    Tensor b = Tensor::ones(0, 4, true);
    Tensor y = f({a, b});
    y.backward(Matrix::Zero(0, 4));
    EXPECT_EQ(a.grad().rows(), 0);
    EXPECT_EQ(b.grad().cols(), 4);
  }
}

TEST(ElementwiseGrad, AddsToOtherUsesOfItsInputs) {
  // y = op(a, b) + a ⊙ b: a and b are used twice, so each rule must add (+=) its share.
  const std::pair<const char*, Fn> ops[] = {{"add", kAdd}, {"sub", kSub}, {"mul", kMul}, {"div", kDiv}};
  for (const auto& [name, f] : ops) {
    EXPECT_TRUE(gradients_match(
        [&f](const std::vector<Tensor>& in) { return f(in) + in[0] * in[1]; },
        {random_tensor(3, 4, 32), random_tensor(3, 4, 33, 0.5, 2.0)}, {}, {"a", "b"}))
        << name << "(a, b) + a ⊙ b";
  }
}
