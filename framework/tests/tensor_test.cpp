// Tests of the engine itself: graph construction, gradient modes, shapes and errors.
#include "gradlab/gradlab.h"

#include <gtest/gtest.h>

using namespace gradlab;

TEST(Tensor, ConstructsFromRowsAndReportsShape) {
  Tensor t({{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.cols(), 3);
  EXPECT_EQ(t.shape(), "[2, 3]");
  EXPECT_EQ(t.value()(1, 2), 6.0);
  EXPECT_THROW(Tensor({{1, 2}, {3}}), Error);
}

TEST(Tensor, OperationsRecordTheGraphOnlyWhenAGradientIsWanted) {
  Tensor a({{1, 2}}, true);
  Tensor b({{3, 4}});
  Tensor c = a * b;
  EXPECT_TRUE(c.requires_grad());
  ASSERT_EQ(c.node()->parents.size(), 2u);
  EXPECT_EQ(c.node()->parents[0], a.node());
  EXPECT_STREQ(c.node()->op, "mul");
  Tensor d = b * b;  // no input requires a gradient: a constant
  EXPECT_FALSE(d.requires_grad());
  EXPECT_TRUE(d.node()->parents.empty());
}

TEST(Tensor, NoGradGuardStopsRecordingAndRestoresTheMode) {
  Tensor a({{1, 2}}, true);
  {
    NoGradGuard outer;
    {
      NoGradGuard inner;
      EXPECT_FALSE(grad_enabled());
    }
    EXPECT_FALSE(grad_enabled());
    Tensor c = a * a;
    EXPECT_FALSE(c.requires_grad());
    EXPECT_TRUE(c.node()->parents.empty());
    EXPECT_THROW(sum(c).backward(), Error);
  }
  EXPECT_TRUE(grad_enabled());
}

TEST(Tensor, DetachCutsTheGraph) {
  Tensor a({{2.0}}, true);
  Tensor b = a * a;
  Tensor c = b.detach() * a;  // d(c)/da = b = 4, not 3a² = 12
  c.backward();
  EXPECT_DOUBLE_EQ(a.grad()(0, 0), 4.0);
  EXPECT_FALSE(b.detach().requires_grad());
}

TEST(Tensor, BackwardSeedsOneForAScalarAndNeedsUpstreamOtherwise) {
  Tensor a({{1, 2}}, true);
  Tensor y = a * 3.0;
  EXPECT_THROW(y.backward(), Error);
  y.backward(Matrix::Ones(1, 2));
  EXPECT_DOUBLE_EQ(a.grad()(0, 1), 3.0);
  EXPECT_THROW(y.backward(Matrix::Ones(2, 1)), Error);
}

TEST(Tensor, ZeroGradResetsAccumulatedGradients) {
  Tensor a({{1.5}}, true);
  Tensor y = a * 2.0;
  y.backward();
  y.backward();
  EXPECT_DOUBLE_EQ(a.grad()(0, 0), 4.0);  // leaves accumulate across calls
  a.zero_grad();
  EXPECT_DOUBLE_EQ(a.grad()(0, 0), 0.0);
}

TEST(Broadcasting, ResultShapes) {
  Tensor m = Tensor::ones(3, 4);
  EXPECT_EQ((m + Tensor::ones(1, 4)).shape(), "[3, 4]");
  EXPECT_EQ((m + Tensor::ones(3, 1)).shape(), "[3, 4]");
  EXPECT_EQ((m + Tensor::ones(1, 1)).shape(), "[3, 4]");
  EXPECT_EQ((Tensor::ones(1, 4) * Tensor::ones(3, 1)).shape(), "[3, 4]");
  EXPECT_EQ((Tensor::zeros(0, 4) + Tensor::ones(1, 4)).shape(), "[0, 4]");
}

TEST(Broadcasting, ValuesRepeatAlongSizeOneDimensions) {
  Tensor m({{1, 2}, {3, 4}});
  Tensor row({{10, 20}});
  Tensor col({{100}, {200}});
  EXPECT_EQ((m + row).value(), (Matrix(2, 2) << 11, 22, 13, 24).finished());
  EXPECT_EQ((m * col).value(), (Matrix(2, 2) << 100, 200, 600, 800).finished());
}

TEST(Errors, ShapeMismatchNamesBothShapes) {
  Tensor a = Tensor::ones(3, 4);
  Tensor b = Tensor::ones(2, 4);
  try {
    add(a, b);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("[3, 4]"), std::string::npos) << what;
    EXPECT_NE(what.find("[2, 4]"), std::string::npos) << what;
    EXPECT_NE(what.find("add"), std::string::npos) << what;
  }
  try {
    matmul(Tensor::ones(3, 4), Tensor::ones(5, 2));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("[3, 4] x [5, 2]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(select_rows(a, {0, 3}), Error);
  EXPECT_THROW(mean(Tensor::zeros(0, 3)), Error);
  EXPECT_THROW(Tensor().value(), Error);
  EXPECT_THROW(Tensor::ones(2, 2).item(), Error);
}

TEST(Rng, SameSeedSameBitsAndSaneMoments) {
  Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.normal(), b.normal());
  Rng r(7);
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.01);
  for (int i = 0; i < 1000; ++i) {
    const Index k = r.index(7);
    EXPECT_GE(k, 0);
    EXPECT_LT(k, 7);
  }
}

TEST(Module, LinearRegistersNamedParametersAndComputesXWPlusB) {
  Linear layer((Matrix(2, 3) << 1, 2, 3, 4, 5, 6).finished(), (Matrix(1, 3) << 1, 1, 1).finished());
  auto named = layer.named_parameters();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].name, "weight");
  EXPECT_EQ(named[1].name, "bias");
  EXPECT_EQ(layer.parameter_count(), 9);
  Tensor y = layer(Tensor({{1, 1}}));
  EXPECT_EQ(y.value(), (Matrix(1, 3) << 6, 8, 10).finished());
  EXPECT_THROW(layer(Tensor::ones(1, 3)), Error);
}

TEST(Module, SequentialNamesChildrenAndPropagatesTrainMode) {
  Rng rng(1);
  Sequential net({std::make_shared<Linear>(2, 4, rng), std::make_shared<Linear>(4, 1, rng)});
  auto named = net.named_parameters();
  ASSERT_EQ(named.size(), 4u);
  EXPECT_EQ(named[2].name, "1.weight");
  net.eval();
  EXPECT_FALSE(net[0].is_training());
  EXPECT_EQ(net(Tensor::ones(5, 2)).shape(), "[5, 1]");
}

TEST(Optimizer, SgdStepsAgainstTheGradientAndValidatesTheRate) {
  Tensor w({{1.0, -2.0}}, true);
  SGD opt({w}, 0.1);
  sum(w * w).backward();  // grad = 2w
  opt.step();
  EXPECT_DOUBLE_EQ(w.value()(0, 0), 0.8);
  EXPECT_DOUBLE_EQ(w.value()(0, 1), -1.6);
  EXPECT_THROW(opt.set_lr(-1.0), Error);
  EXPECT_THROW(SGD({Tensor::ones(1, 1)}, 0.1), Error);  // not a parameter
}
