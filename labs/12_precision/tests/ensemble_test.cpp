// Lab 12 tests: an ensemble's predictions (kernels::ensemble_mean,
// ensemble_weighted_mean, majority_vote) on hand-made probabilities. Each member's
// logits are the logs of the probabilities we want it to give.
#include "gradlab/advanced.h"
#include "gradlab/kernels/advanced.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

// Logits whose softmax is p (plus an arbitrary per-row shift, which softmax ignores).
Matrix logits_of(const Matrix& p, Scalar shift = 0.0) {
  Matrix z = p.array().log().matrix();
  for (Index i = 0; i < z.rows(); ++i) z.row(i).array() += shift * static_cast<Scalar>(i + 1);
  return z;
}

Matrix run_mean(const std::vector<Matrix>& members) {
  Matrix probs = Matrix::Constant(members[0].rows(), members[0].cols(), 7.0);
  k::ensemble_mean(members, probs);
  return probs;
}

}  // namespace

TEST(Ensemble, MeanAveragesProbabilitiesNotLogits) {
  const std::vector<Matrix> members = {logits_of(mat({{0.7, 0.2, 0.1}, {0.5, 0.25, 0.25}}), 3.0),
                                       logits_of(mat({{0.1, 0.3, 0.6}, {0.1, 0.1, 0.8}}), -1.0)};
  const Matrix probs = run_mean(members);
  const Matrix want = mat({{0.4, 0.25, 0.35}, {0.3, 0.175, 0.525}});
  EXPECT_LT((probs - want).cwiseAbs().maxCoeff(), 1e-12)
      << "mean of the softmaxes; got\n" << probs << "\n(the softmax of the mean logit gives something else)";
}

TEST(Ensemble, OneMemberIsItsOwnSoftmax) {
  const Matrix p = mat({{0.6, 0.4}, {0.05, 0.95}, {0.5, 0.5}});
  const Matrix probs = run_mean({logits_of(p, 2.0)});
  EXPECT_LT((probs - p).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Ensemble, WeightedMeanDividesByTheSumOfTheWeights) {
  const std::vector<Matrix> members = {logits_of(mat({{0.8, 0.2}})), logits_of(mat({{0.4, 0.6}})),
                                       logits_of(mat({{0.0 + 1e-300, 1.0 - 1e-16}}))};
  Matrix probs(1, 2);
  const std::vector<Scalar> w = {3.0, 1.0, 0.0};
  k::ensemble_weighted_mean(members, w, probs);
  EXPECT_NEAR(probs(0, 0), 0.75 * 0.8 + 0.25 * 0.4, 1e-12) << "Σ w_m p_m / Σ w_m with w = (3, 1, 0)";
  EXPECT_NEAR(probs(0, 1), 0.75 * 0.2 + 0.25 * 0.6, 1e-12);
  const std::vector<Scalar> w2 = {6.0, 2.0, 0.0};
  Matrix probs2(1, 2);
  k::ensemble_weighted_mean(members, w2, probs2);
  EXPECT_LT((probs2 - probs).cwiseAbs().maxCoeff(), 1e-15) << "scaling all weights changes nothing";
  EXPECT_THROW(ensemble_weighted_mean(members, {1.0, -1.0, 1.0}), Error) << "a negative weight";
  EXPECT_THROW(ensemble_weighted_mean(members, {1.0, 1.0}), Error) << "one weight per member";
}

TEST(MajorityVote, CountsEachMembersPrediction) {
  // Row 0: votes 1, 1, 0 → class 1, although the mean probability prefers class 0
  // (a vote counts predictions, not confidence).
  // Row 1: votes 2, 2, 2 → class 2.
  const std::vector<Matrix> members = {logits_of(mat({{0.45, 0.55, 0.0 + 1e-9}, {0.1, 0.2, 0.7}})),
                                       logits_of(mat({{0.45, 0.55, 1e-9}, {0.3, 0.3, 0.4}})),
                                       logits_of(mat({{0.99, 0.01, 1e-9}, {0.2, 0.1, 0.7}}))};
  EXPECT_EQ(k::majority_vote(members), (std::vector<Index>{1, 2}));
}

TEST(MajorityVote, TiesGoToTheLargerMeanProbabilityThenTheSmallerIndex) {
  // Row 0: two members, votes 0 and 2 (a tie); mean probabilities 0.45 vs 0.5 → class 2.
  // Row 1: votes 1 and 0, mean probabilities exactly equal → the smaller index, 0.
  // Row 2: four members, two votes each for classes 2 and 1, class 1 more probable → 1.
  // (Row 1's logits are mirror images, so that the two mean probabilities are exactly equal.)
  std::vector<Matrix> two = {logits_of(mat({{0.6, 0.1, 0.3}, {0.4, 0.5, 0.1}})),
                             logits_of(mat({{0.3, 0.0 + 1e-12, 0.7 - 1e-12}, {0.5, 0.4, 0.1}}))};
  two[0].row(1) = row({0.0, 1.0, -5.0});
  two[1].row(1) = row({1.0, 0.0, -5.0});
  EXPECT_EQ(k::majority_vote(two), (std::vector<Index>{2, 0}));
  const std::vector<Matrix> four = {logits_of(mat({{0.1, 0.4, 0.5}})), logits_of(mat({{0.1, 0.4, 0.5}})),
                                    logits_of(mat({{0.0 + 1e-12, 0.9, 0.1}})), logits_of(mat({{0.1, 0.8, 0.1}}))};
  EXPECT_EQ(k::majority_vote(four), (std::vector<Index>{1}));
  EXPECT_THROW(majority_vote({}), Error) << "an ensemble needs members";
}
