// Lab 12: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 12): implement sample_gamma.
  throw gradlab::NotImplemented("lab 12: sample_gamma");
}

// ============================================================== Beta(a, b) = X / (X + Y)
// X ~ Gamma(a), Y ~ Gamma(b), drawn in that order.
Scalar sample_beta(Scalar a, Scalar b, Rng& rng) {
  // TODO(lab 12): implement sample_beta.
  throw gradlab::NotImplemented("lab 12: sample_beta");
}

// ============================================================== Fisher–Yates
// π = (0, 1, …, n − 1); for i = n − 1, …, 1: j ~ U{0, …, i}, swap π_i and π_j.
std::vector<Index> random_permutation(Index n, Rng& rng) {
  // TODO(lab 12): implement random_permutation.
  throw gradlab::NotImplemented("lab 12: random_permutation");
}

// ============================================================== mixup
// λ ~ Beta(α, α), then π; x̃_i = λ x_i + (1 − λ) x_π(i), ỹ_i = λ y_i + (1 − λ) y_π(i):
// ONE λ and ONE π for both, or the targets describe another input than the one seen.
// x: [N, D], y: [N, K].
MixupBatch mixup_batch(ConstMatrixRef x, ConstMatrixRef y, Scalar alpha, Rng& rng) {
  // TODO(lab 12): implement mixup_batch.
  throw gradlab::NotImplemented("lab 12: mixup_batch");
}

// ============================================================== ensembles
// mean:      p̄ = (1/M) Σ_m softmax(z⁽ᵐ⁾)          (probabilities, not logits, are averaged)
// weighted:  p̄ = Σ_m w_m softmax(z⁽ᵐ⁾) / Σ_m w_m
// vote:      each member's argmax; most votes wins; ties → largest p̄, then smallest index.
// member_logits: M × [N, K]; probs: [N, K].
void ensemble_mean(std::span<const Matrix> member_logits, MatrixRef probs) {
  // TODO(lab 12): implement ensemble_mean.
  throw gradlab::NotImplemented("lab 12: ensemble_mean");
}

void ensemble_weighted_mean(std::span<const Matrix> member_logits, std::span<const Scalar> weights,
                            MatrixRef probs) {
  // TODO(lab 12): implement ensemble_weighted_mean.
  throw gradlab::NotImplemented("lab 12: ensemble_weighted_mean");
}

std::vector<Index> majority_vote(std::span<const Matrix> member_logits) {
  // TODO(lab 12): implement majority_vote.
  throw gradlab::NotImplemented("lab 12: majority_vote");
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
  // TODO(lab 12): implement transfer_param_groups.
  throw gradlab::NotImplemented("lab 12: transfer_param_groups");
}

}  // namespace gradlab
