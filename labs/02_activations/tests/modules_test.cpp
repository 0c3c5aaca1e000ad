// Lab 02 tests: the activations as modules inside a Sequential network.
#include "gradlab/gradlab.h"
#include "gradlab/testing/kit.h"

#include <memory>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

TEST(ActivationModules, EachModuleComputesItsOperation) {
  const Matrix x = away_from_kink(random_matrix(3, 4, 51, -2.0, 2.0));
  const Tensor t(x);
  EXPECT_TRUE(near(gradlab::Sigmoid()(t).value(), gradlab::sigmoid(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::Tanh()(t).value(), gradlab::tanh(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::ReLU()(t).value(), gradlab::relu(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::LeakyReLU({.alpha = 0.3})(t).value(), gradlab::leaky_relu(t, {.alpha = 0.3}).value(), 0.0));
  EXPECT_TRUE(near(gradlab::ELU({.alpha = 0.4})(t).value(), gradlab::elu(t, {.alpha = 0.4}).value(), 0.0));
  EXPECT_TRUE(near(gradlab::GELU()(t).value(), gradlab::gelu(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::Swish({.beta = 2.0})(t).value(), gradlab::silu(t, {.beta = 2.0}).value(), 0.0));
  EXPECT_TRUE(near(gradlab::Softplus()(t).value(), gradlab::softplus(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::Softmax()(t).value(), gradlab::softmax(t).value(), 0.0));
  EXPECT_TRUE(near(gradlab::LogSoftmax()(t).value(), gradlab::log_softmax(t).value(), 0.0));
  // …which computes something: hand values of a few of them.
  EXPECT_TRUE(near(gradlab::Sigmoid()(Tensor(row({0.0}))).value(), row({0.5}), 0.0));
  EXPECT_TRUE(near(gradlab::LeakyReLU({.alpha = 0.3})(Tensor(row({-2.0, 1.0}))).value(), row({-0.6, 1.0}), 1e-15));
  EXPECT_TRUE(near(gradlab::Softmax()(Tensor(row({1.0, 1.0}))).value(), row({0.5, 0.5}), 1e-15));
}

TEST(ActivationModules, ModulesUseTheirOptions) {
  const Matrix x = row({-1.0});
  EXPECT_DOUBLE_EQ(gradlab::LeakyReLU({.alpha = 0.3})(Tensor(x)).item(), -0.3);
  EXPECT_DOUBLE_EQ(gradlab::ELU({.alpha = 2.0})(Tensor(x)).item(), 2.0 * std::expm1(-1.0));
}

// A small network with every activation in a chain: the gradients reaching the input
// and every parameter match finite differences. ReLU comes after softplus (> 0), so no
// input sits on its kink; LeakyReLU and ELU see inputs away from 0.
TEST(ActivationModules, NetworkOfEveryActivationMatchesFiniteDifferences) {
  gradlab::Rng rng(52);
  auto first = std::make_shared<gradlab::Linear>(3, 4, rng);
  auto last = std::make_shared<gradlab::Linear>(4, 3, rng);
  gradlab::Sequential net({std::make_shared<gradlab::LeakyReLU>(gradlab::LeakyReLUOptions{.alpha = 0.2}),
                           first, std::make_shared<gradlab::Tanh>(), std::make_shared<gradlab::GELU>(),
                           std::make_shared<gradlab::SiLU>(gradlab::SiLUOptions{.beta = 1.5}),
                           std::make_shared<gradlab::Softplus>(), std::make_shared<gradlab::ReLU>(),
                           std::make_shared<gradlab::ELU>(gradlab::ELUOptions{.alpha = 0.8}),
                           std::make_shared<gradlab::Sigmoid>(), last,
                           std::make_shared<gradlab::LogSoftmax>(), std::make_shared<gradlab::Softmax>()});
  const Matrix x = away_from_kink(random_matrix(5, 3, 53, -2.0, 2.0), 0.0, 0.1);
  std::vector<Tensor> inputs{Tensor(x), first->weight(), first->bias(), last->weight(), last->bias()};
  // The parameters are the module's own tensors: gradients_match perturbs them through
  // the function's inputs, so the function rebuilds the two layers from those inputs.
  auto f = [&](const std::vector<Tensor>& in) {
    gradlab::Sequential head({std::make_shared<gradlab::LeakyReLU>(gradlab::LeakyReLUOptions{.alpha = 0.2})});
    Tensor h = head(in[0]);
    h = gradlab::matmul(h, in[1]) + in[2];
    h = gradlab::Tanh()(h);
    h = gradlab::GELU()(h);
    h = gradlab::SiLU({.beta = 1.5})(h);
    h = gradlab::Softplus()(h);
    h = gradlab::ReLU()(h);
    h = gradlab::ELU({.alpha = 0.8})(h);
    h = gradlab::Sigmoid()(h);
    h = gradlab::matmul(h, in[3]) + in[4];
    return gradlab::Softmax()(gradlab::LogSoftmax()(h));
  };
  // The rebuilt function is the same network.
  EXPECT_TRUE(near(f(inputs).value(), net(Tensor(x)).value(), 1e-15));
  // Twelve operations deep, some gradients are ~1e-5: finite-difference noise alone
  // reaches ~1e-6 relative there, so this check allows 1e-5.
  EXPECT_TRUE(gradients_match(f, inputs, {.tolerance = 1e-5}, {"x", "W1", "b1", "W2", "b2"}));
}

}  // namespace
