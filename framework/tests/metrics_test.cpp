// Classification metrics: argmax per row and accuracy, by hand.
#include "gradlab/metrics.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

namespace {

using namespace gradlab;
using gradlab::testing::mat;

TEST(Metrics, ArgmaxPerRowWithTiesToTheLowestIndex) {
  const Matrix scores = mat({{0.1, 2.0, -1.0}, {3.0, 3.0, 0.0}, {-5.0, -4.0, -4.5}});
  EXPECT_EQ(argmax_rows(scores), (std::vector<Index>{1, 0, 1}));
}

TEST(Metrics, AccuracyIsTheFractionOfRowsPredictedRight) {
  const Matrix scores = mat({{0.1, 2.0, -1.0}, {3.0, 3.0, 0.0}, {-5.0, -4.0, -4.5}, {0.0, 0.0, 1.0}});
  EXPECT_DOUBLE_EQ(accuracy(scores, {1, 0, 2, 2}), 0.75);
  EXPECT_DOUBLE_EQ(accuracy(scores, {0, 1, 0, 0}), 0.0);
}

TEST(Metrics, MismatchedOrEmptyBatchIsAnError) {
  EXPECT_THROW(accuracy(Matrix(0, 3), {}), Error);
  EXPECT_THROW(accuracy(mat({{1.0, 2.0}}), {0, 1}), Error);
}

}  // namespace
