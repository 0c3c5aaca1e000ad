// The user-facing initialization API, called the way init.h's documentation shows it
// (unqualified, after `using namespace gradlab`): it must compile and run.
#include "gradlab/gradlab.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using namespace gradlab;

TEST(InitApi, TheDocumentedExampleCompilesAndRuns) {
  Rng rng(42);
  auto layer = make_linear(256, 128, init::kaiming_normal(Nonlinearity::ReLU), rng);
  initialize(layer->weight(), init::xavier_uniform(calculate_gain(Nonlinearity::Tanh)), rng);
  initialize(*layer, initializer_from_name("lecun_normal"), rng);
  EXPECT_EQ(layer->weight().value().rows(), 256);
  EXPECT_EQ(layer->weight().value().cols(), 128);
  EXPECT_DOUBLE_EQ(calculate_gain(Nonlinearity::Tanh), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(calculate_gain(Nonlinearity::ReLU), std::sqrt(2.0));
}

}  // namespace
