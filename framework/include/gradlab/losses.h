/// \file
/// \brief Differentiable loss functions: each returns a `[1, 1]` tensor to call backward() on.
///
/// Every loss calls the forward kernel of lab 03 (kernels/losses.h) and records the
/// matching backward kernel. Only the first argument (the prediction, logits or
/// log-probabilities, the student's logits) receives a gradient; targets, labels and a
/// teacher's logits are treated as constants.
///
/// Reductions follow PyTorch: Reduction::Mean averages element-wise losses (MSE, L1,
/// Huber, Smooth L1, BCE) over all N·D elements and classification losses (cross
/// entropy, NLL, KL) over the N rows; Reduction::Sum adds. An empty batch gives 0 with
/// Reduction::Sum and gradlab::Error with Reduction::Mean.
///
/// \code
/// Tensor logits = model(x);                       // [N, K]
/// Tensor loss = cross_entropy_loss(logits, labels);
/// loss.backward();
/// \endcode
/// \sa \ref notes_losses
#pragma once

#include "gradlab/kernels/losses.h"
#include "gradlab/tensor.h"

#include <vector>

namespace gradlab {

/// \brief Mean squared error \f$ \frac{1}{ND}\sum (p - t)^2 \f$; pred and target `[N, D]`.
/// \sa kernels::mse_forward
Tensor mse_loss(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::Mean);

/// \brief Mean absolute error \f$ \frac{1}{ND}\sum |p - t| \f$ (gradient sign(p − t), 0 at 0).
/// \sa kernels::l1_forward
Tensor l1_loss(const Tensor& pred, const Tensor& target, Reduction reduction = Reduction::Mean);

/// \brief Huber loss with threshold \p delta > 0: ½r² for |r| ≤ δ, δ(|r| − δ/2) beyond.
/// \sa kernels::huber_forward
Tensor huber_loss(const Tensor& pred, const Tensor& target, Scalar delta = 1.0,
                  Reduction reduction = Reduction::Mean);

/// \brief Smooth L1 with threshold \p beta > 0: Huber(β) / β (PyTorch's SmoothL1Loss).
/// \sa kernels::smooth_l1_forward
Tensor smooth_l1_loss(const Tensor& pred, const Tensor& target, Scalar beta = 1.0,
                      Reduction reduction = Reduction::Mean);

/// \brief Binary cross entropy on logits (stable for any finite logit); targets in [0, 1], `[N, D]`.
/// \sa kernels::bce_with_logits_forward
Tensor bce_with_logits_loss(const Tensor& logits, const Tensor& targets,
                            Reduction reduction = Reduction::Mean);

/// \brief Softmax cross entropy of logits `[N, K]` against one class index per row.
/// \sa kernels::cross_entropy_forward
Tensor cross_entropy_loss(const Tensor& logits, const std::vector<Index>& labels,
                          Reduction reduction = Reduction::Mean);

/// \brief `cross_entropy_loss` with the labels as a tensor of N class indices, `[N, 1]`
/// or `[1, N]` (see class_indices()).
Tensor cross_entropy_loss(const Tensor& logits, const Tensor& labels,
                          Reduction reduction = Reduction::Mean);

/// \brief Negative log-likelihood of log-probabilities `[N, K]` (e.g. a log-softmax output).
/// \sa kernels::nll_forward
Tensor nll_loss(const Tensor& log_probs, const std::vector<Index>& labels,
                Reduction reduction = Reduction::Mean);
/// \brief `nll_loss` with the labels as a tensor of class indices (see class_indices()).
Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction = Reduction::Mean);

/// \brief Cross entropy of logits `[N, K]` against a target distribution `[N, K]` per row.
/// \sa kernels::soft_cross_entropy_forward
Tensor soft_cross_entropy_loss(const Tensor& logits, const Tensor& targets,
                               Reduction reduction = Reduction::Mean);

/// \brief Cross entropy with label smoothing \p epsilon ∈ [0, 1], PyTorch's convention:
/// the target row is \f$ (1-\varepsilon)\,\mathrm{onehot}(y) + \varepsilon/K \f$.
///
/// epsilon = 0 is plain cross_entropy_loss.
/// \sa kernels::smooth_labels, kernels::soft_cross_entropy_forward
Tensor label_smoothing_cross_entropy_loss(const Tensor& logits, const std::vector<Index>& labels,
                                          Scalar epsilon, Reduction reduction = Reduction::Mean);

/// \brief The soft distillation loss \f$ T^2\,\mathrm{KL}(\operatorname{softmax}(t/T) \,\|\, \operatorname{softmax}(s/T)) \f$.
///
/// \p student_logits (s) gets the gradient; \p teacher_logits (t) is a constant.
/// \sa kernels::distillation_kl_forward
Tensor distillation_kl_loss(const Tensor& student_logits, const Tensor& teacher_logits,
                            Scalar temperature, Reduction reduction = Reduction::Mean);

/// \brief Settings of knowledge distillation.
struct DistillationOptions {
  Scalar temperature = 4.0;  ///< T > 0: softens both distributions (T = 1: plain softmax)
  /// \brief Weight of the HARD loss, in [0, 1]: the loss is α·hard + (1 − α)·soft.
  ///
  /// The seeds' code weights the soft loss by α instead (`alpha * soft + (1 - alpha) * hard`,
  /// α = 0.7): their α = 0.7 is this α = 0.3.
  Scalar alpha = 0.5;
  Reduction reduction = Reduction::Mean;  ///< reduction of both terms (over the N rows)
};

/// \brief Knowledge distillation: \f[ L = \alpha\,\mathrm{CE}(s, y) + (1-\alpha)\,T^2\,
/// \mathrm{KL}\bigl(\operatorname{softmax}(t/T)\,\|\,\operatorname{softmax}(s/T)\bigr). \f]
///
/// The hard term is cross_entropy_loss of the student's logits against the true labels
/// (at temperature 1), the soft term distillation_kl_loss. Throws gradlab::Error unless
/// T > 0 and 0 ≤ α ≤ 1.
Tensor distillation_loss(const Tensor& student_logits, const Tensor& teacher_logits,
                         const std::vector<Index>& labels, const DistillationOptions& options = {});

}  // namespace gradlab
