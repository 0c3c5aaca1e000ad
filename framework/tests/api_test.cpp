// Tests of the conveniences a PyTorch user reaches for: labels as a tensor, the
// default generator, the thread count.
#include "gradlab/gradlab.h"
#include "gradlab/testing/checks.h"
#include "gradlab/testing/inputs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace gradlab;
using gradlab::testing::random_tensor;
using gradlab::testing::throws_error_mentioning;

TEST(ClassIndices, ReadsAColumnOrARowOfWholeNumbers) {
  EXPECT_EQ(class_indices(Tensor({{2}, {0}, {1}})), (std::vector<Index>{2, 0, 1}));
  EXPECT_EQ(class_indices(Tensor({{3, 1}})), (std::vector<Index>{3, 1}));
}

TEST(ClassIndices, NamesTheBadEntryOrShape) {
  EXPECT_TRUE(throws_error_mentioning([] { class_indices(Tensor({{1}, {2.5}})); }, {"label 1", "2.5", "whole"}));
  EXPECT_TRUE(throws_error_mentioning([] { class_indices(Tensor({{-1}})); }, {"label 0", "-1"}));
  const Scalar nan = std::numeric_limits<Scalar>::quiet_NaN();
  EXPECT_TRUE(throws_error_mentioning([&] { class_indices(Tensor({{0}, {nan}})); }, {"label 1"}));
  EXPECT_TRUE(throws_error_mentioning([] { class_indices(Tensor({{0, 1}, {1, 0}})); }, {"[2, 2]", "[N, 1]"}));
}

TEST(LabelsAsATensor, GiveTheSameLossGradientAndAccuracyAsAnIndexVector) {
  Tensor z1 = random_tensor(3, 4, 1).set_requires_grad(true);
  Tensor z2(z1.value(), true);
  Tensor by_vector = cross_entropy_loss(z1, std::vector<Index>{3, 0, 2});
  Tensor by_tensor = cross_entropy_loss(z2, Tensor({{3}, {0}, {2}}));
  EXPECT_EQ(by_vector.item(), by_tensor.item());
  by_vector.backward();
  by_tensor.backward();
  EXPECT_EQ(z1.grad(), z2.grad());
  EXPECT_EQ(nll_loss(z1, Tensor({{1, 1, 1}})).item(), nll_loss(z1, std::vector<Index>{1, 1, 1}).item());
  const Tensor scores({{0.1, 0.9}, {0.8, 0.2}, {0.3, 0.7}});
  EXPECT_DOUBLE_EQ(accuracy(scores, Tensor({{1}, {0}, {0}})), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(accuracy(scores, std::vector<Index>{1, 0, 1}), 1.0);
}

TEST(DefaultGenerator, IsUsedWhenNoneIsPassedAndRestartsWithManualSeed) {
  manual_seed(42);
  Linear first(3, 2);
  Rng same(42);
  Linear expected(3, 2, same);
  EXPECT_EQ(first.weight().value(), expected.weight().value());
  EXPECT_EQ(first.bias().value(), expected.bias().value());
  Linear next(3, 2);  // the generator moved on
  EXPECT_NE(next.weight().value(), first.weight().value());
  manual_seed(42);
  EXPECT_EQ(Linear(3, 2).weight().value(), first.weight().value());
  manual_seed(7);
  const Tensor noise = Tensor::normal(2, 2, 0.0, 1.0);
  Rng seven(7);
  EXPECT_EQ(noise.value(), Tensor::normal(2, 2, 0.0, 1.0, seven).value());
}

TEST(Threads, SetAndReadBackAndRejectZero) {
  const int before = num_threads();
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(2);
  EXPECT_EQ(num_threads(), 2);
  EXPECT_TRUE(throws_error_mentioning([] { set_num_threads(0); }, {"set_num_threads", "at least 1"}));
  set_num_threads(before);
}
