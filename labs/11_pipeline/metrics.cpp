// Lab 11: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 11): implement confusion_matrix.
  throw gradlab::NotImplemented("lab 11: confusion_matrix");
}

// ============================================================== precision, recall, F1
// P_k = C_kk / Σ_i C_ik  (column k)     R_k = C_kk / Σ_j C_kj  (row k)
// F_k = 2 P_k R_k / (P_k + R_k)         accuracy = Σ_k C_kk / Σ_ij C_ij
// (x / 0 := 0 everywhere)
ClassMetrics class_metrics(ConstMatrixRef cm) {
  // TODO(lab 11): implement class_metrics.
  throw gradlab::NotImplemented("lab 11: class_metrics");
}

}  // namespace gradlab::kernels
