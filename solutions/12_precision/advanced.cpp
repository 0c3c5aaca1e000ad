// Lab 12 — advanced techniques: mixup (λ ~ Beta(α, α) from two Gamma draws, a
// permutation of the batch), combining an ensemble's predictions, and the parameter
// groups of transfer learning.
//
// Conventions: every draw from the Rng passed in, in the documented order (so that the
// same seed gives the same batch as the reference); ensemble members give logits
// [N, K]. Read framework/include/gradlab/kernels/advanced.h and gradlab/advanced.h too.
#include "gradlab/advanced.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/kernels/advanced.h"

#include <cmath>
#include <utility>

namespace gradlab::kernels {

// ============================================================== Gamma(a, 1): Marsaglia–Tsang
// a ≥ 1: d = a − 1/3, c = 1/√(9d); repeat { z ~ N(0, 1), v = (1 + cz)³ (retry if v ≤ 0),
//        u ~ U(0, 1); accept d·v if u < 1 − 0.0331 z⁴ (the quick squeeze)
//        or log u < z²/2 + d(1 − v + log v) }.
// a < 1: X ~ Gamma(a + 1), U ~ U(0, 1): X·U^(1/a) ~ Gamma(a).
Scalar sample_gamma(Scalar shape, Rng& rng) {
  // BEGIN SOLUTION
  if (shape < 1.0) {
    const Scalar g = sample_gamma(shape + 1.0, rng);
    const Scalar u = rng.uniform();
    return g * std::pow(u, 1.0 / shape);
  }
  const Scalar d = shape - 1.0 / 3.0;
  const Scalar c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    Scalar z = 0.0, v = 0.0;
    do {
      z = rng.normal();
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const Scalar u = rng.uniform();
    if (u < 1.0 - 0.0331 * (z * z) * (z * z)) return d * v;
    if (std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) return d * v;
  }
  // END SOLUTION
}

// ============================================================== Beta(a, b) = X / (X + Y)
// X ~ Gamma(a), Y ~ Gamma(b), drawn in that order.
Scalar sample_beta(Scalar a, Scalar b, Rng& rng) {
  // BEGIN SOLUTION
  const Scalar x = sample_gamma(a, rng);
  const Scalar y = sample_gamma(b, rng);
  return x / (x + y);
  // END SOLUTION
}

// ============================================================== Fisher–Yates
// π = (0, 1, …, n − 1); for i = n − 1, …, 1: j ~ U{0, …, i}, swap π_i and π_j.
std::vector<Index> random_permutation(Index n, Rng& rng) {
  // BEGIN SOLUTION
  std::vector<Index> perm(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) perm[static_cast<std::size_t>(i)] = i;
  for (Index i = n - 1; i >= 1; --i) {
    const Index j = rng.index(i + 1);
    std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(j)]);
  }
  return perm;
  // END SOLUTION
}

// ============================================================== mixup
// λ ~ Beta(α, α), then π; x̃_i = λ x_i + (1 − λ) x_π(i), ỹ_i = λ y_i + (1 − λ) y_π(i):
// ONE λ and ONE π for both, or the targets describe another input than the one seen.
// x: [N, D], y: [N, K].
MixupBatch mixup_batch(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, Rng& rng) {
  // BEGIN SOLUTION
  MixupBatch batch;
  batch.lambda = sample_beta(alpha, alpha, rng);
  batch.permutation = random_permutation(x.rows(), rng);
  const Scalar lambda = batch.lambda;
  batch.x.resize(x.rows(), x.cols());
  batch.y.resize(y.rows(), y.cols());
  for (Index i = 0; i < x.rows(); ++i) {
    const Index j = batch.permutation[static_cast<std::size_t>(i)];
    batch.x.row(i) = lambda * x.row(i) + (1.0 - lambda) * x.row(j);
    batch.y.row(i) = lambda * y.row(i) + (1.0 - lambda) * y.row(j);
  }
  return batch;
  // END SOLUTION
}

// ============================================================== ensembles
// mean:      p̄ = (1/M) Σ_m softmax(z⁽ᵐ⁾)          (probabilities, not logits, are averaged)
// weighted:  p̄ = Σ_m w_m softmax(z⁽ᵐ⁾) / Σ_m w_m
// vote:      each member's argmax; most votes wins; ties → largest p̄, then smallest index.
// member_logits: M × [N, K]; probs: [N, K].
void ensemble_mean(std::span<const Matrix> member_logits, MatrixRef probs) {
  // BEGIN SOLUTION
  const std::vector<Scalar> equal(member_logits.size(), 1.0);
  ensemble_weighted_mean(member_logits, equal, probs);
  // END SOLUTION
}

void ensemble_weighted_mean(std::span<const Matrix> member_logits, std::span<const Scalar> weights,
                            MatrixRef probs) {
  // BEGIN SOLUTION
  Scalar total = 0.0;
  for (Scalar w : weights) total += w;
  probs.setZero();
  Matrix p(probs.rows(), probs.cols());
  for (std::size_t m = 0; m < member_logits.size(); ++m) {
    softmax_forward(member_logits[m], p);
    probs += (weights[m] / total) * p;
  }
  // END SOLUTION
}

std::vector<Index> majority_vote(std::span<const Matrix> member_logits) {
  // BEGIN SOLUTION
  const Index n = member_logits[0].rows(), k = member_logits[0].cols();
  Matrix mean(n, k);
  ensemble_mean(member_logits, mean);
  std::vector<Index> winners(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) {
    std::vector<int> votes(static_cast<std::size_t>(k), 0);
    for (const Matrix& z : member_logits) {
      Index best = 0;
      for (Index c = 1; c < k; ++c)
        if (z(i, c) > z(i, best)) best = c;  // the first largest logit
      votes[static_cast<std::size_t>(best)] += 1;
    }
    Index winner = 0;
    for (Index c = 1; c < k; ++c) {
      const int vc = votes[static_cast<std::size_t>(c)], vw = votes[static_cast<std::size_t>(winner)];
      if (vc > vw || (vc == vw && mean(i, c) > mean(i, winner))) winner = c;
    }
    winners[static_cast<std::size_t>(i)] = winner;
  }
  return winners;
  // END SOLUTION
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== transfer learning
// Frozen:   body.requires_grad ← false; groups = {head: head_options}
// FineTune: body.requires_grad ← true;  groups = {body: body_options, head: head_options}
// (a frozen parameter is neither differentiated nor updated: it keeps its pretrained values)
std::vector<ParamGroup<AdamOptions>> transfer_param_groups(const std::vector<Tensor>& body,
                                                           const std::vector<Tensor>& head, TransferMode mode,
                                                           const AdamOptions& body_options,
                                                           const AdamOptions& head_options) {
  GRADLAB_CHECK(!head.empty(), "transfer_param_groups: the head has no parameters");
  GRADLAB_CHECK(mode == TransferMode::Frozen || !body.empty(),
                "transfer_param_groups: fine-tuning needs the body's parameters, got none");
  // BEGIN SOLUTION
  for (Tensor p : head) p.set_requires_grad(true);
  const bool train_body = mode == TransferMode::FineTune;
  for (Tensor p : body) p.set_requires_grad(train_body);
  std::vector<ParamGroup<AdamOptions>> groups;
  if (train_body) groups.push_back({body, body_options});
  groups.push_back({head, head_options});
  return groups;
  // END SOLUTION
}

}  // namespace gradlab
