/// \file
/// \brief Lab 12 kernels, part 2: mixup (a Beta(α, α) mixing weight drawn from Gamma
/// draws, a permutation of the batch) and the three ways to combine an ensemble's
/// predictions (mean of probabilities, weighted mean, majority vote).
///
/// Conventions for every kernel here (stated once):
/// - x: `[N, D]` a batch of inputs, one example per row; y: `[N, K]` its targets as
///   distributions (one-hot rows, or already soft);
/// - an ensemble's members give logits `[N, K]` each (not probabilities), all of one shape;
/// - randomness only from the Rng passed in, in the order each kernel documents, so the
///   same seed gives the same draws in your code and in the reference;
/// - arguments arrive validated by the glue (gradlab/advanced.h).
/// The reference lives in `solutions/12_precision/`; your copy in `labs/12_precision/`.
/// \sa \ref notes_advanced
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

#include <span>
#include <vector>

namespace gradlab {

/// \brief A mixed batch: \f$ \tilde x = \lambda x + (1-\lambda) x_{\pi},\ \tilde y = \lambda y + (1-\lambda) y_{\pi} \f$.
struct MixupBatch {
  Matrix x;                      ///< \f$ \tilde x \f$: `[N, D]`
  Matrix y;                      ///< \f$ \tilde y \f$: `[N, K]`, rows still sum to 1
  Scalar lambda = 1.0;           ///< λ, one for the whole batch
  std::vector<Index> permutation;  ///< π: row i is mixed with row π(i)
};

}  // namespace gradlab

namespace gradlab::kernels {

/// \name Random draws for mixup (advanced.cpp)
/// @{

/// \brief A draw from Gamma(\p shape, 1), shape > 0, by Marsaglia and Tsang's method.
///
/// For shape a ≥ 1: \f$ d = a - 1/3,\ c = 1/\sqrt{9d} \f$; repeat: z = rng.normal();
/// \f$ v = (1 + cz)^3 \f$; if v ≤ 0 draw again (z first); u = rng.uniform(); accept
/// \f$ dv \f$ when \f$ u < 1 - 0.0331 z^4 \f$ or \f$ \log u < z^2/2 + d(1 - v + \log v) \f$.
/// For a < 1 (the boost): g = a draw for a + 1 as above, then u = rng.uniform() and
/// \f$ g\,u^{1/a} \f$.
Scalar sample_gamma(Scalar shape, Rng& rng);

/// \brief A draw from Beta(\p a, \p b): X = sample_gamma(a), then Y = sample_gamma(b),
/// and \f$ X / (X + Y) \f$.
Scalar sample_beta(Scalar a, Scalar b, Rng& rng);

/// \brief A uniformly random permutation of {0, …, n − 1} (Fisher–Yates): start from
/// the identity; for i = n − 1 down to 1: j = rng.index(i + 1), swap entries i and j.
std::vector<Index> random_permutation(Index n, Rng& rng);
/// @}

/// \name Mixup (advanced.cpp)
/// @{

/// \brief Mixup of one batch: λ = sample_beta(α, α) first, then π = random_permutation(N);
/// \f[ \tilde x_i = \lambda x_i + (1 - \lambda) x_{\pi(i)}, \qquad \tilde y_i = \lambda y_i + (1 - \lambda) y_{\pi(i)} \f]
/// with the SAME λ and the SAME π for inputs and targets. x: `[N, D]`, y: `[N, K]`, α > 0.
MixupBatch mixup_batch(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, Rng& rng);
/// @}

/// \name Ensembles (advanced.cpp)
/// @{

/// \brief The mean of the members' probabilities,
/// \f$ \bar p = \frac1M \sum_m \operatorname{softmax}(z^{(m)}) \f$ row by row (NOT the
/// softmax of the mean logit). \p member_logits: M ≥ 1 matrices `[N, K]`; probs: `[N, K]`.
void ensemble_mean(std::span<const Matrix> member_logits, MatrixRef probs);

/// \brief The weighted mean \f$ \bar p = \sum_m w_m \operatorname{softmax}(z^{(m)}) / \sum_m w_m \f$
/// (weights ≥ 0 with a positive sum, one per member; they need not sum to 1).
void ensemble_weighted_mean(std::span<const Matrix> member_logits, std::span<const Scalar> weights,
                            MatrixRef probs);

/// \brief Majority vote: each member votes for its most likely class of each row (the
/// first largest logit); the class with the most votes wins. **Tie rule**: among the
/// classes with the most votes, the one with the largest mean probability
/// (ensemble_mean); if that ties too, the smallest class index. Returns N labels.
std::vector<Index> majority_vote(std::span<const Matrix> member_logits);
/// @}

}  // namespace gradlab::kernels
