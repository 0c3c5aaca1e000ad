// Advanced training techniques: the glue around lab 12's mixup and ensemble kernels
// (argument checks, then the kernel). transfer_param_groups() is written in the lab.
#include "gradlab/advanced.h"

#include <cmath>
#include <string>

namespace gradlab {

MixupBatch mixup(const Matrix& x, const Matrix& y, Scalar alpha, Rng& rng) {
  GRADLAB_CHECK(x.rows() >= 1 && x.rows() == y.rows(),
                "mixup: x " + shape_string(x) + " and y " + shape_string(y) + " need the same number (>= 1) of rows");
  check_option(std::isfinite(alpha) && alpha > 0, "mixup", "alpha", "> 0 and finite", alpha);
  return kernels::mixup_batch(x, y, alpha, rng);
}

Matrix one_hot(const std::vector<Index>& labels, Index classes) {
  Matrix y = Matrix::Zero(static_cast<Index>(labels.size()), classes);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    GRADLAB_CHECK(labels[i] >= 0 && labels[i] < classes, "one_hot: label " + std::to_string(labels[i]) +
                                                             " of row " + std::to_string(i) + " is not in [0, " +
                                                             std::to_string(classes) + ")");
    y(static_cast<Index>(i), labels[i]) = 1.0;
  }
  return y;
}

namespace {

void check_members(const char* what, const std::vector<Matrix>& member_logits) {
  GRADLAB_CHECK(!member_logits.empty(), std::string(what) + ": the ensemble has no members");
  for (std::size_t m = 1; m < member_logits.size(); ++m)
    GRADLAB_CHECK(member_logits[m].rows() == member_logits[0].rows() && member_logits[m].cols() == member_logits[0].cols(),
                  std::string(what) + ": member " + std::to_string(m) + " has logits " + shape_string(member_logits[m]) +
                      ", member 0 " + shape_string(member_logits[0]));
  GRADLAB_CHECK(member_logits[0].cols() >= 1, std::string(what) + ": the logits have no classes");
}

}  // namespace

Matrix ensemble_mean(const std::vector<Matrix>& member_logits) {
  check_members("ensemble_mean", member_logits);
  Matrix probs(member_logits[0].rows(), member_logits[0].cols());
  kernels::ensemble_mean(member_logits, probs);
  return probs;
}

Matrix ensemble_weighted_mean(const std::vector<Matrix>& member_logits, const std::vector<Scalar>& weights) {
  check_members("ensemble_weighted_mean", member_logits);
  GRADLAB_CHECK(weights.size() == member_logits.size(), "ensemble_weighted_mean: " + std::to_string(weights.size()) +
                                                            " weights for " + std::to_string(member_logits.size()) +
                                                            " members");
  Scalar total = 0;
  for (Scalar w : weights) {
    check_option(std::isfinite(w) && w >= 0, "ensemble_weighted_mean", "weight", ">= 0 and finite", w);
    total += w;
  }
  check_option(total > 0, "ensemble_weighted_mean", "sum of the weights", "> 0", total);
  Matrix probs(member_logits[0].rows(), member_logits[0].cols());
  kernels::ensemble_weighted_mean(member_logits, weights, probs);
  return probs;
}

std::vector<Index> majority_vote(const std::vector<Matrix>& member_logits) {
  check_members("majority_vote", member_logits);
  return kernels::majority_vote(member_logits);
}

}  // namespace gradlab
