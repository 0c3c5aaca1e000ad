// Lab 11 tests: the confusion matrix, per-class precision, recall and F1, accuracy.
//
// The claims checked: against confusion matrices and metrics computed by hand (rows =
// truth, columns = prediction), the zero-division rule, and classification_report().
#include "tests/helpers.h"

using namespace gradlab;
using namespace gradlab::testing;
using namespace lab11;

namespace {
// 10 examples, 3 classes, worked out by hand:
//   truth      0 0 0 0 1 1 1 2 2 2
//   predicted  0 0 1 2 1 1 0 2 2 1
// C = [2 1 1; 1 2 0; 0 1 2]   (row = truth, column = prediction)
const std::vector<Index> truth = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
const std::vector<Index> predicted = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};
}  // namespace

TEST(ConfusionMatrix, MatchesTheHandCount) {
  const Matrix cm = kernels::confusion_matrix(truth, predicted, 3);
  EXPECT_TRUE(near(cm, mat({{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}), 0.0))
      << "row = TRUE class, column = PREDICTED class; C(i, j) counts truth i predicted j";
}

TEST(ConfusionMatrix, RowSumsAreTheClassSizesAndUnusedClassesAreZero) {
  const std::vector<Index> t = {3, 3, 0, 1};
  const std::vector<Index> p = {3, 0, 0, 3};
  const Matrix cm = kernels::confusion_matrix(t, p, 5);
  ASSERT_EQ(cm.rows(), 5);
  ASSERT_EQ(cm.cols(), 5);
  EXPECT_EQ(cm(3, 3), 1);
  EXPECT_EQ(cm(3, 0), 1);
  EXPECT_EQ(cm(1, 3), 1);
  EXPECT_EQ(cm.sum(), 4);
  EXPECT_EQ(cm.row(2).sum() + cm.col(2).sum() + cm.row(4).sum(), 0) << "classes 2 and 4 never occur";
}

TEST(ClassMetrics, PrecisionRecallF1ByHand) {
  const kernels::ClassMetrics m = kernels::class_metrics(mat({{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}));
  ASSERT_EQ(m.precision.size(), 3u);
  // precision: column sums 3, 4, 3 → 2/3, 2/4, 2/3; recall: row sums 4, 3, 3 → 2/4, 2/3, 2/3.
  EXPECT_NEAR(m.precision[0], 2.0 / 3.0, 1e-15) << "precision of k = C(k,k) / (column k's sum: everything predicted k)";
  EXPECT_NEAR(m.precision[1], 0.5, 1e-15);
  EXPECT_NEAR(m.precision[2], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.recall[0], 0.5, 1e-15) << "recall of k = C(k,k) / (row k's sum: everything truly k)";
  EXPECT_NEAR(m.recall[1], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.recall[2], 2.0 / 3.0, 1e-15);
  // F1 = 2PR/(P+R): class 0: 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7.
  EXPECT_NEAR(m.f1[0], 4.0 / 7.0, 1e-15) << "F1 is the HARMONIC mean 2PR/(P+R), not (P+R)/2";
  EXPECT_NEAR(m.f1[1], 4.0 / 7.0, 1e-15);
  EXPECT_NEAR(m.f1[2], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.accuracy, 0.6, 1e-15) << "accuracy = trace / total = 6/10";
}

TEST(ClassMetrics, ZeroDivisionGivesZero) {
  // Class 1 is never predicted (precision 0/0) and class 2 never occurs (recall 0/0).
  const kernels::ClassMetrics m = kernels::class_metrics(mat({{3, 0, 1}, {2, 0, 0}, {0, 0, 0}}));
  EXPECT_EQ(m.precision[1], 0.0);
  EXPECT_EQ(m.recall[2], 0.0);
  EXPECT_EQ(m.precision[2], 0.0) << "class 2: predicted once, never right";
  EXPECT_EQ(m.f1[1], 0.0) << "P = R = 0: F1 is 0, not NaN";
  EXPECT_EQ(m.f1[2], 0.0);
  EXPECT_NEAR(m.recall[0], 0.75, 1e-15);
  EXPECT_NEAR(m.precision[0], 0.6, 1e-15);
  EXPECT_NEAR(m.accuracy, 0.5, 1e-15);
  EXPECT_EQ(kernels::class_metrics(Matrix::Zero(2, 2)).accuracy, 0.0) << "an empty matrix: accuracy 0, not NaN";
}

TEST(ClassMetrics, PerfectPredictions) {
  const kernels::ClassMetrics m = kernels::class_metrics(mat({{4, 0}, {0, 1}}));
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(m.precision[static_cast<std::size_t>(k)], 1.0);
    EXPECT_EQ(m.recall[static_cast<std::size_t>(k)], 1.0);
    EXPECT_EQ(m.f1[static_cast<std::size_t>(k)], 1.0);
  }
  EXPECT_EQ(m.accuracy, 1.0);
}

TEST(ClassificationReport, AgreesWithTheKernelsAndWithAccuracy) {
  const ClassificationReport r = classification_report(truth, predicted, 3);
  EXPECT_TRUE(near(r.confusion, mat({{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}), 0.0));
  EXPECT_NEAR(r.metrics.accuracy, 0.6, 1e-15);
  EXPECT_TRUE(throws_error_mentioning([] { classification_report({0, 1}, {0, 3}, 3); }, {"prediction 1", "3"}));
  EXPECT_TRUE(throws_error_mentioning([] { classification_report({0, 1}, {0}, 3); }, {"2 true labels", "1 predictions"}));
}
