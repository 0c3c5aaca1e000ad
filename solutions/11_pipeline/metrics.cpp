// Lab 11 — metrics: the confusion matrix and what it tells class by class.
//
// Accuracy is one number; the confusion matrix says WHICH classes are mistaken for
// which (a 3 read as an 8, a 9 as a 4). Precision asks "when the network says k, how
// often is it right?" (a column), recall "of the true k's, how many does it find?"
// (a row); F1 is their harmonic mean, low when either is low.
//
// Conventions: row = true class, column = predicted class (scikit-learn's); a ratio
// with a zero denominator is 0 (scikit-learn's zero_division=0). Read
// framework/include/gradlab/kernels/pipeline.h too.
#include "gradlab/kernels/pipeline.h"

namespace gradlab::kernels {

// ============================================================== confusion matrix
// C_ij = #{k : truth_k = i and predicted_k = j}      C: [K, K]
Matrix confusion_matrix(std::span<const Index> truth, std::span<const Index> predicted, Index classes) {
  // BEGIN SOLUTION
  Matrix cm = Matrix::Zero(classes, classes);
  for (std::size_t k = 0; k < truth.size(); ++k) cm(truth[k], predicted[k]) += 1.0;
  return cm;
  // END SOLUTION
}

// ============================================================== precision, recall, F1
// P_k = C_kk / Σ_i C_ik  (column k)     R_k = C_kk / Σ_j C_kj  (row k)
// F_k = 2 P_k R_k / (P_k + R_k)         accuracy = Σ_k C_kk / Σ_ij C_ij
// (x / 0 := 0 everywhere)
ClassMetrics class_metrics(ConstMatrixRef cm) {
  // BEGIN SOLUTION
  const auto ratio = [](Scalar num, Scalar den) { return den > 0.0 ? num / den : 0.0; };
  ClassMetrics m;
  for (Index k = 0; k < cm.rows(); ++k) {
    const Scalar p = ratio(cm(k, k), cm.col(k).sum());
    const Scalar r = ratio(cm(k, k), cm.row(k).sum());
    m.precision.push_back(p);
    m.recall.push_back(r);
    m.f1.push_back(ratio(2.0 * p * r, p + r));
  }
  m.accuracy = ratio(cm.trace(), cm.sum());
  return m;
  // END SOLUTION
}

}  // namespace gradlab::kernels
