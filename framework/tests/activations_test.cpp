// The activation glue (gradlab/activations.h): option validation, shapes and modules.
// The kernels' math is tested by lab 02 (labs/02_activations/tests); these tests cover
// what the framework adds around them, against the reference kernels.
#include "gradlab/activations.h"

#include "gradlab/linear.h"
#include "gradlab/testing/checks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>

namespace gradlab {
namespace {

using gradlab::testing::throws_error_mentioning;

TEST(ActivationOptions, LeakyReLURejectsSlopesOutsideZeroToOne) {
  const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
  for (Scalar alpha : {-0.1, 1.0, 2.0, nan}) {
    EXPECT_TRUE(throws_error_mentioning([&] { LeakyReLU({.alpha = alpha}); }, {"[0, 1)"}));
    EXPECT_TRUE(throws_error_mentioning([&] { leaky_relu(Tensor({{1.0}}), {.alpha = alpha}); }, {"alpha"}));
  }
  EXPECT_NO_THROW(LeakyReLU({.alpha = 0.0}));
  EXPECT_NO_THROW(LeakyReLU({.alpha = 0.99}));
}

TEST(ActivationOptions, ELURejectsNonPositiveAlpha) {
  for (Scalar alpha : {0.0, -1.0, std::numeric_limits<Scalar>::infinity()}) {
    EXPECT_TRUE(throws_error_mentioning([&] { ELU({.alpha = alpha}); }, {"> 0"}));
    EXPECT_TRUE(throws_error_mentioning([&] { elu(Tensor({{1.0}}), {.alpha = alpha}); }, {"alpha"}));
  }
  EXPECT_NO_THROW(ELU({.alpha = 3.0}));
}

TEST(ActivationOptions, SiLURejectsNegativeBeta) {
  for (Scalar beta : {-0.5, std::numeric_limits<Scalar>::quiet_NaN()}) {
    EXPECT_TRUE(throws_error_mentioning([&] { SiLU({.beta = beta}); }, {">= 0"}));
    EXPECT_TRUE(throws_error_mentioning([&] { silu(Tensor({{1.0}}), {.beta = beta}); }, {"beta"}));
  }
  EXPECT_NO_THROW(Swish({.beta = 0.0}));
}

TEST(ActivationOptions, ModulesKeepTheirOptions) {
  EXPECT_EQ(LeakyReLU({.alpha = 0.2}).options().alpha, 0.2);
  EXPECT_EQ(ELU({.alpha = 0.5}).options().alpha, 0.5);
  EXPECT_EQ(SiLU({.beta = 1.5}).options().beta, 1.5);
  EXPECT_EQ(LeakyReLU().options().alpha, 0.01);
  EXPECT_EQ(ELU().options().alpha, 1.0);
  EXPECT_EQ(SiLU().options().beta, 1.0);
}

TEST(ActivationOps, SoftmaxRejectsRowsWithoutClasses) {
  EXPECT_TRUE(throws_error_mentioning([] { softmax(Tensor(Matrix(2, 0))); }, {"[2, 0]"}));
  EXPECT_TRUE(throws_error_mentioning([] { log_softmax(Tensor(Matrix(2, 0))); }, {"log_softmax"}));
}

TEST(ActivationOps, RecordTheirNameInTheGraph) {
  Tensor x({{0.5, -0.5}}, true);
  EXPECT_STREQ(sigmoid(x).node()->op, "sigmoid");
  EXPECT_STREQ(leaky_relu(x).node()->op, "leaky_relu");
  EXPECT_STREQ(log_softmax(x).node()->op, "log_softmax");
}

TEST(ActivationModules, HaveNoParametersAndFitInASequential) {
  Rng rng(3);
  Sequential net({std::make_shared<Linear>(2, 5, rng), std::make_shared<Sigmoid>(),
                  std::make_shared<Tanh>(), std::make_shared<ReLU>(), std::make_shared<LeakyReLU>(),
                  std::make_shared<ELU>(), std::make_shared<GELU>(), std::make_shared<SiLU>(),
                  std::make_shared<Softplus>(), std::make_shared<Linear>(5, 3, rng),
                  std::make_shared<Softmax>(), std::make_shared<LogSoftmax>()});
  EXPECT_EQ(net.parameter_count(), 2 * 5 + 5 + 5 * 3 + 3);
  Tensor y = net(Tensor(Matrix::Random(7, 2)));
  EXPECT_EQ(y.rows(), 7);
  EXPECT_EQ(y.cols(), 3);
  EXPECT_EQ(Sigmoid().parameter_count(), 0);
}

}  // namespace
}  // namespace gradlab
