/// \file
/// \brief Advanced training techniques: mixup, ensembles, and the parameter groups of
/// transfer learning (a frozen or fine-tuned pretrained body under a new head).
///
/// Knowledge distillation's loss is lab 03's (gradlab::distillation_loss in
/// gradlab/losses.h). The kernels are lab 12's (gradlab/kernels/advanced.h); so is
/// transfer_param_groups() (solutions/12_precision/advanced.cpp).
/// \sa \ref notes_advanced
#pragma once

#include "gradlab/kernels/advanced.h"
#include "gradlab/optimizer.h"
#include "gradlab/tensor.h"

#include <vector>

namespace gradlab {

/// \brief Mixup of a batch (kernels::mixup_batch) after checking the arguments: x `[N, D]`
/// and y `[N, K]` with the same N ≥ 1, α > 0 and finite.
MixupBatch mixup(const Matrix& x, const Matrix& y, Scalar alpha, Rng& rng);

/// \brief One-hot rows `[N, K]` of the labels (each in [0, K)).
Matrix one_hot(const std::vector<Index>& labels, Index classes);

/// \brief The mean of the members' probabilities (kernels::ensemble_mean), `[N, K]`;
/// checks that there is at least one member and that all have one shape.
Matrix ensemble_mean(const std::vector<Matrix>& member_logits);
/// \brief The weighted mean of the members' probabilities (kernels::ensemble_weighted_mean);
/// checks one weight per member, each ≥ 0 and finite, with a positive sum.
Matrix ensemble_weighted_mean(const std::vector<Matrix>& member_logits, const std::vector<Scalar>& weights);
/// \brief The majority vote of the members (kernels::majority_vote, its tie rule).
std::vector<Index> majority_vote(const std::vector<Matrix>& member_logits);

/// \brief How a pretrained body is adapted to a new task.
enum class TransferMode {
  Frozen,    ///< the body's parameters get no gradient and no updates: only the head learns
  FineTune,  ///< everything learns, the body at its own (usually smaller) learning rate
};

/// \brief The optimizer's parameter groups for transfer learning (lab 05's ParamGroup).
///
/// Frozen: every body parameter gets `set_requires_grad(false)` (no gradient is
/// computed for it, and no optimizer moves it) and the result is ONE group, the head
/// with \p head_options. FineTune: every body parameter gets `set_requires_grad(true)`
/// (undoing an earlier freeze) and the result is two groups, the body with
/// \p body_options, then the head with \p head_options. The head's parameters always
/// require a gradient. Throws gradlab::Error when \p head is empty, or \p body is empty
/// in FineTune mode.
/// \code
/// auto groups = gradlab::transfer_param_groups(body.parameters(), head.parameters(), gradlab::TransferMode::FineTune,
///                                              {.lr = 1e-4}, {.lr = 1e-3});
/// gradlab::Adam opt(groups);
/// \endcode
std::vector<ParamGroup<AdamOptions>> transfer_param_groups(const std::vector<Tensor>& body,
                                                           const std::vector<Tensor>& head, TransferMode mode,
                                                           const AdamOptions& body_options,
                                                           const AdamOptions& head_options);

}  // namespace gradlab
