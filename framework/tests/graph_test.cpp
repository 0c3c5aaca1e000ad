// Tests of the engine's graph: how operations link nodes, when gradients are kept,
// deep graphs, and the errors for misuse.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/backprop.h"
#include "gradlab/testing/checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

using namespace gradlab;

using gradlab::testing::throws_error_mentioning;

TEST(Graph, ParentsAreTheInputsInOrder) {
  Tensor a({{1, 2}}, true);
  Tensor b({{3, 4}}, true);
  Tensor c = a - b;
  ASSERT_EQ(c.node()->parents.size(), 2u);
  EXPECT_EQ(c.node()->parents[0], a.node());
  EXPECT_EQ(c.node()->parents[1], b.node());
  EXPECT_STREQ(c.node()->op, "sub");
  EXPECT_TRUE(static_cast<bool>(c.node()->backward));
  EXPECT_FALSE(static_cast<bool>(a.node()->backward)) << "leaves have no closure";
}

TEST(Graph, AnyInputRequiringAGradientMakesTheResultRequireOne) {
  Tensor w({{1.0}}, true);
  Tensor k({{2.0}});
  EXPECT_TRUE((k * w).requires_grad());
  EXPECT_TRUE((w * k).requires_grad());
  EXPECT_FALSE((k * k).requires_grad());
  EXPECT_FALSE(exp(k).requires_grad());
  EXPECT_EQ((k * k).node()->parents.size(), 0u) << "constants keep no graph";
}

TEST(Graph, CopiesOfATensorShareOneNode) {
  Tensor w({{1.0}}, true);
  Tensor alias = w;
  alias.value()(0, 0) = 5.0;
  EXPECT_EQ(w.value()(0, 0), 5.0);
  (alias * 2.0).backward();
  EXPECT_EQ(w.grad()(0, 0), 2.0);
}

TEST(Graph, TopologicalOrderPutsParentsFirstAndListsEachNodeOnce) {
  Tensor x({{1.0, 2.0}}, true);
  Tensor a = exp(x);
  Tensor b = x * a;  // x used twice, through a diamond
  Tensor c = sum(b + a);
  const auto order = kernels::topological_order(*c.node());
  ASSERT_EQ(order.size(), 5u);  // x, a, b, b + a, c
  EXPECT_EQ(order.front(), x.node().get());
  EXPECT_EQ(order.back(), c.node().get());
  auto pos = [&](const Tensor& t) { return std::find(order.begin(), order.end(), t.node().get()) - order.begin(); };
  EXPECT_LT(pos(a), pos(b));
}

TEST(Graph, DiamondGradientByHand) {
  // c = x·eˣ + eˣ: dc/dx = eˣ + x eˣ + eˣ = (x + 2) eˣ.
  Tensor x({{0.5}}, true);
  Tensor a = exp(x);
  Tensor c = x * a + a;
  c.backward();
  EXPECT_NEAR(x.grad()(0, 0), 2.5 * std::exp(0.5), 1e-14);
}

TEST(Graph, InteriorGradientsDescribeTheLastPassOnly) {
  Tensor x({{3.0}}, true);
  Tensor y = x * 2.0;
  Tensor z = y * y;  // dz/dy = 2y = 12, dz/dx = 24
  z.backward();
  z.backward();
  EXPECT_EQ(y.grad()(0, 0), 12.0) << "an interior gradient is recomputed, not accumulated";
  EXPECT_EQ(x.grad()(0, 0), 48.0) << "a leaf accumulates: 24 per pass";
}

TEST(Graph, BackwardOnALeafAccumulatesTheUpstreamGradient) {
  Tensor w({{1.0, 2.0}}, true);
  w.backward(Matrix::Constant(1, 2, 3.0));
  w.backward(Matrix::Constant(1, 2, 3.0));
  EXPECT_EQ(w.grad(), Matrix::Constant(1, 2, 6.0));
}

TEST(Graph, DeepChainBackwardAndDestructionDoNotRecurse) {
  Tensor w({{1.0}}, true);
  {
    Tensor y = w;
    for (int i = 0; i < 100000; ++i) y = y * 1.0;
    y.backward();
  }  // 100,000 nodes destroyed here
  EXPECT_EQ(w.grad()(0, 0), 1.0);
}

TEST(Graph, DeepChainHeldOnlyByItsRootIsFreed) {
  std::weak_ptr<Node> first;
  {
    Tensor x({{1.0}}, true);
    Tensor y = x + 1.0;
    first = y.node();
    for (int i = 0; i < 50000; ++i) y = y + 1.0;
  }
  EXPECT_TRUE(first.expired()) << "the whole chain is released with its root";
}

TEST(Graph, SharedSubgraphSurvivesWhileStillReferenced) {
  Tensor x({{2.0}}, true);
  Tensor keep;
  {
    Tensor a = x * 3.0;
    keep = a * 1.0;
    Tensor other = a + 1.0;  // destroyed; a must survive through `keep`
  }
  keep.backward();
  EXPECT_EQ(x.grad()(0, 0), 3.0);
}

TEST(NoGrad, DetachedValuesAndNoGradResultsAreConstants) {
  Tensor w({{2.0}}, true);
  Tensor d = w.detach();
  EXPECT_FALSE(d.requires_grad());
  EXPECT_NE(d.node(), w.node());
  d.value()(0, 0) = 7.0;
  EXPECT_EQ(w.value()(0, 0), 2.0) << "detach copies the value";
  {
    NoGradGuard no_grad;
    Tensor y = w * w;
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.value()(0, 0), 4.0) << "values are still computed";
  }
  EXPECT_TRUE((w * w).requires_grad()) << "the guard restored the mode";
}

TEST(NoGrad, SetRequiresGradFalseOnAnOperationResultIsAnError) {
  Tensor w({{2.0}}, true);
  Tensor y = w * w;
  EXPECT_TRUE(throws_error_mentioning([&] { y.set_requires_grad(false); }, {"detach"}));
}

TEST(Broadcasting, ShapesOfEveryBinaryOperation) {
  const Tensor m = Tensor::ones(3, 4);
  for (const Tensor& other : {Tensor::ones(1, 4), Tensor::ones(3, 1), Tensor::ones(1, 1), Tensor::ones(3, 4)}) {
    EXPECT_EQ((m + other).shape(), "[3, 4]");
    EXPECT_EQ((other - m).shape(), "[3, 4]");
    EXPECT_EQ((m * other).shape(), "[3, 4]");
    EXPECT_EQ((other / m).shape(), "[3, 4]");
  }
  EXPECT_EQ((Tensor::ones(3, 1) + Tensor::ones(1, 4)).shape(), "[3, 4]");
}

TEST(Broadcasting, GradientHasTheInputsShape) {
  Tensor m = Tensor::ones(3, 4, true);
  Tensor row = Tensor::ones(1, 4, true);
  Tensor col = Tensor::ones(3, 1, true);
  Tensor s = Tensor::ones(1, 1, true);
  sum(m * row + col - s).backward();
  EXPECT_EQ(shape_string(row.grad()), "[1, 4]");
  EXPECT_EQ(shape_string(col.grad()), "[3, 1]");
  EXPECT_EQ(s.grad()(0, 0), -12.0);
  EXPECT_EQ(col.grad(), Matrix::Constant(3, 1, 4.0));
  EXPECT_EQ(row.grad(), Matrix::Constant(1, 4, 3.0));
}

TEST(Errors, EveryBinaryOperationNamesBothShapes) {
  const Tensor a = Tensor::ones(3, 4);
  const Tensor b = Tensor::ones(2, 4);
  const std::pair<const char*, std::function<Tensor()>> ops[] = {
      {"add", [&] { return a + b; }}, {"sub", [&] { return a - b; }},
      {"mul", [&] { return a * b; }}, {"div", [&] { return a / b; }}};
  for (const auto& [name, op] : ops) {
    EXPECT_TRUE(throws_error_mentioning(op, {name, "[3, 4]", "[2, 4]"}));
  }
  EXPECT_TRUE(throws_error_mentioning([] { return Tensor::ones(1, 3) + Tensor::ones(1, 4); },
                                      {"[1, 3]", "[1, 4]"}));
}

TEST(Errors, BackwardMisuseIsExplained) {
  Tensor w({{1.0, 2.0}}, true);
  Tensor y = w * 2.0;
  EXPECT_TRUE(throws_error_mentioning([&] { y.backward(); }, {"[1, 2]"}));
  EXPECT_TRUE(throws_error_mentioning([&] { y.backward(Matrix::Ones(3, 3)); }, {"[3, 3]", "[1, 2]"}));
  EXPECT_TRUE(throws_error_mentioning([] { sum(Tensor::ones(2, 2)).backward(); },
                                      {"does not require a gradient"}));
}

TEST(Errors, ItemAndEmptyTensors) {
  EXPECT_TRUE(throws_error_mentioning([] { (void)Tensor::ones(2, 3).item(); }, {"[2, 3]"}));
  EXPECT_TRUE(throws_error_mentioning([] { (void)Tensor().rows(); }, {"empty Tensor"}));
  EXPECT_TRUE(throws_error_mentioning([] { (void)mean(Tensor::zeros(0, 3)); }, {"[0, 3]"}));
  EXPECT_TRUE(
      throws_error_mentioning([] { (void)select_rows(Tensor::ones(2, 2), {0, 2}); }, {"out of range"}));
  EXPECT_TRUE(throws_error_mentioning([] { (void)Tensor::full(-1, 2, 0.0); }, {"negative"}));
}
