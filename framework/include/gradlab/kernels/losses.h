/// \file
/// \brief Lab 03 kernels: loss functions, forward (a number) and backward (its gradient).
///
/// Conventions for every kernel here:
/// - a forward kernel returns the loss as a Scalar; the matching backward kernel
///   receives `dloss` = ∂L/∂loss (the upstream gradient, 1 when the loss is the final
///   result) and ADDS `dloss · ∂loss/∂input` into the input gradient (`d… +=`, never `=`);
/// - only the prediction (logits, log-probabilities, student logits) gets a gradient;
///   targets, labels and teacher logits are constants;
/// - reductions (see gradlab::Reduction):
///   * element-wise losses (MSE, L1, Huber, Smooth L1, BCE) average over **all
///     N·D elements** with Reduction::Mean, as PyTorch does;
///   * the classification losses (cross entropy, NLL, soft-target cross entropy, label
///     smoothing, distillation KL) sum over the K classes of a row and average over the
///     **N rows** (the batch) with Reduction::Mean (PyTorch's `batchmean` for KL);
///   * Reduction::Sum adds everything up;
/// - an empty batch (N = 0 rows, or no elements): Reduction::Sum gives 0 (and a zero
///   gradient), Reduction::Mean throws gradlab::Error (0/0 is undefined);
/// - integer labels are `std::vector<Index>` with one entry per row, each in
///   {0, …, K − 1}; a wrong count or a label out of range throws gradlab::Error naming
///   the row and the label. Shape mismatches throw gradlab::Error naming both shapes.
///
/// The reference lives in `solutions/03_losses/losses.cpp`; your copy in
/// `labs/03_losses/losses.cpp`.
/// \sa \ref notes_losses
#pragma once

#include "gradlab/core.h"

#include <vector>

namespace gradlab {

/// \brief How a loss combines the per-element or per-example losses into one number.
enum class Reduction {
  Mean,  ///< average: over all N·D elements (element-wise losses) or over the N rows (classification losses)
  Sum,   ///< plain sum of everything
};

}  // namespace gradlab

namespace gradlab::kernels {

/// \name Regression losses (pred and target: `[N, D]`, same shape; r = pred − target)
/// @{

/// \brief Mean squared error \f[ \ell = \frac{1}{ND}\sum_{ij} (p_{ij} - t_{ij})^2 \f]
/// (Reduction::Mean; Reduction::Sum drops the \f$ 1/(ND) \f$).
///
/// Example: pred (1.5, 1.5) against target (1, 2) gives 0.25.
Scalar mse_forward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction);
/// \brief \f$ \bar p \mathrel{+}= \overline{\ell}\; 2 (p - t) / (ND) \f$ (Mean) or
/// \f$ \overline{\ell}\; 2(p - t) \f$ (Sum). dpred: `[N, D]`.
void mse_backward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction, Scalar dloss,
                  MatrixRef dpred);

/// \brief Mean absolute error (L1) \f[ \ell = \frac{1}{ND}\sum_{ij} |p_{ij} - t_{ij}| \f].
Scalar l1_forward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction);
/// \brief \f$ \bar p \mathrel{+}= \overline{\ell}\; \operatorname{sign}(p - t) / (ND) \f$,
/// with sign(0) = 0 (the subgradient PyTorch uses).
void l1_backward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction, Scalar dloss,
                 MatrixRef dpred);

/// \brief Huber loss with threshold \f$ \delta > 0 \f$ (PyTorch's `HuberLoss(delta)`):
/// \f[ h_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta\,(|r| - \tfrac12\delta) & |r| > \delta \end{cases},
///     \qquad \ell = \frac{1}{ND}\sum_{ij} h_\delta(r_{ij}). \f]
/// Quadratic near 0, linear (slope δ) far away: large residuals (outliers) pull with a
/// bounded force. Throws gradlab::Error unless δ > 0.
Scalar huber_forward(ConstMatrixRef pred, ConstMatrixRef target, Scalar delta, Reduction reduction);
/// \brief \f$ \bar p \mathrel{+}= \overline{\ell}\; h'_\delta(r)/(ND) \f$ with
/// \f$ h'_\delta(r) = r \f$ for \f$ |r| \le \delta \f$, \f$ \delta\,\operatorname{sign}(r) \f$ otherwise.
void huber_backward(ConstMatrixRef pred, ConstMatrixRef target, Scalar delta, Reduction reduction,
                    Scalar dloss, MatrixRef dpred);

/// \brief Smooth L1 with threshold \f$ \beta > 0 \f$ (PyTorch's `SmoothL1Loss(beta)`):
/// \f[ s_\beta(r) = h_\beta(r) / \beta = \begin{cases} \tfrac{1}{2\beta} r^2 & |r| \le \beta \\ |r| - \tfrac12\beta & |r| > \beta \end{cases}. \f]
/// So Smooth L1 is Huber divided by its threshold: its linear part has slope 1 (like L1)
/// whatever β is. For β = 1 the two coincide (the seeds' Smooth-L1). Given (built on
/// huber_forward); throws gradlab::Error unless β > 0.
Scalar smooth_l1_forward(ConstMatrixRef pred, ConstMatrixRef target, Scalar beta, Reduction reduction);
/// \brief \f$ \bar p \mathrel{+}= \overline{\ell}\; h'_\beta(r) / (\beta\,ND) \f$ (given, built on huber_backward).
void smooth_l1_backward(ConstMatrixRef pred, ConstMatrixRef target, Scalar beta, Reduction reduction,
                        Scalar dloss, MatrixRef dpred);
/// @}

/// \name Binary classification
/// @{

/// \brief Binary cross entropy on logits (PyTorch's `BCEWithLogitsLoss`), written stably:
/// \f[ \ell_{ij} = -\bigl(y \log\sigma(z) + (1-y)\log(1-\sigma(z))\bigr)
///              = \max(z, 0) - z\,y + \log\bigl(1 + e^{-|z|}\bigr), \f]
/// \f$ \ell = \frac{1}{ND}\sum_{ij}\ell_{ij} \f$. logits z and targets y: `[N, D]`;
/// targets in [0, 1] (soft targets allowed; gradlab::Error otherwise).
/// Finite for every finite z (z = ±1000 included): never take the log of σ(z).
Scalar bce_with_logits_forward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction);
/// \brief \f$ \bar z \mathrel{+}= \overline{\ell}\; (\sigma(z) - y) / (ND) \f$, with σ computed without overflow.
void bce_with_logits_backward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction,
                              Scalar dloss, MatrixRef dlogits);
/// @}

/// \name Multi-class classification (logits: `[N, K]`, one row per example)
/// @{

/// \brief Softmax cross entropy on integer labels, through the log-sum-exp:
/// \f[ \ell_i = -\log \operatorname{softmax}(z_i)_{y_i}
///            = \log\sum_k e^{z_{ik}} - z_{i y_i}, \qquad \ell = \frac1N \sum_i \ell_i. \f]
/// Compute \f$ \log\sum_k e^{z_{ik}} = m_i + \log\sum_k e^{z_{ik} - m_i} \f$ with
/// \f$ m_i = \max_k z_{ik} \f$, so logits of ±1000 give finite results.
/// \param logits scores z: `[N, K]`
/// \param labels one class index per row, in {0, …, K − 1}
/// \param reduction Mean (divide by N) or Sum
Scalar cross_entropy_forward(ConstMatrixRef logits, const std::vector<Index>& labels,
                             Reduction reduction);
/// \brief \f$ \bar z_i \mathrel{+}= \overline{\ell}\; (\operatorname{softmax}(z_i) - \mathrm{onehot}(y_i)) / N \f$
/// (no 1/N with Reduction::Sum). dlogits: `[N, K]`.
void cross_entropy_backward(ConstMatrixRef logits, const std::vector<Index>& labels,
                            Reduction reduction, Scalar dloss, MatrixRef dlogits);

/// \brief Negative log-likelihood on log-probabilities \f$ a = \log p \f$ (e.g. a log-softmax output):
/// \f[ \ell_i = -a_{i y_i}, \qquad \ell = \frac1N\sum_i \ell_i. \f]
/// nll(log(softmax(z))) equals cross_entropy(z).
Scalar nll_forward(ConstMatrixRef log_probs, const std::vector<Index>& labels, Reduction reduction);
/// \brief \f$ \bar a_{i y_i} \mathrel{+}= -\overline{\ell}/N \f$; every other entry gets nothing.
void nll_backward(ConstMatrixRef log_probs, const std::vector<Index>& labels, Reduction reduction,
                  Scalar dloss, MatrixRef dlog_probs);

/// \brief Cross entropy against a target distribution q (soft labels): `[N, K]` each,
/// \f[ \ell_i = -\sum_k q_{ik} \log\operatorname{softmax}(z_i)_k
///            = \Bigl(\sum_k q_{ik}\Bigr)\log\sum_k e^{z_{ik}} - \sum_k q_{ik} z_{ik},
///     \qquad \ell = \frac1N\sum_i \ell_i. \f]
/// targets must be ≥ 0 (rows usually sum to 1; gradlab::Error on a negative entry).
Scalar soft_cross_entropy_forward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction);
/// \brief \f$ \bar z_i \mathrel{+}= \overline{\ell}\; \bigl((\textstyle\sum_k q_{ik})\operatorname{softmax}(z_i) - q_i\bigr) / N \f$
/// (that is \f$ p_i - q_i \f$ when the row of q sums to 1).
void soft_cross_entropy_backward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction,
                                 Scalar dloss, MatrixRef dlogits);

/// \brief Label-smoothed targets, PyTorch's convention (`CrossEntropyLoss(label_smoothing=ε)`):
/// \f[ q_{ik} = (1-\varepsilon)\,[k = y_i] + \varepsilon / K, \f]
/// i.e. every class gets ε/K and the true class 1 − ε more (1 − ε + ε/K in all);
/// each row sums to 1. (The seeds' variant gives ε/(K−1) to each wrong class and 1 − ε to
/// the true one; see the notes.) Throws gradlab::Error unless 0 ≤ ε ≤ 1 and K ≥ 1.
/// \param labels one class index per row, in {0, …, K − 1}
/// \param classes the number of classes K
/// \param epsilon the smoothing ε ∈ [0, 1]
/// \param targets output, `[N, K]` with N = labels.size(); overwritten (not accumulated)
void smooth_labels(const std::vector<Index>& labels, Index classes, Scalar epsilon, MatrixRef targets);

/// \brief The soft (distillation) loss of knowledge distillation, Hinton et al.:
/// \f[ \ell_i = T^2\,\mathrm{KL}\bigl(p^t_i \,\|\, p^s_i\bigr)
///            = T^2 \sum_k p^t_{ik}\bigl(\log p^t_{ik} - \log p^s_{ik}\bigr),\quad
///     p^t_i = \operatorname{softmax}(t_i/T),\; p^s_i = \operatorname{softmax}(s_i/T), \f]
/// \f$ \ell = \frac1N\sum_i\ell_i \f$ (PyTorch's `kl_div(..., reduction="batchmean") * T*T`).
/// Why \f$ T^2 \f$: the gradient of the KL with respect to s is \f$ (p^s - p^t)/T \f$, and
/// for large T the difference \f$ p^s - p^t \f$ itself shrinks like 1/T, so the soft
/// gradient shrinks like \f$ 1/T^2 \f$; the factor restores its scale, so that the weight
/// between hard and soft loss keeps its meaning when T changes. student and teacher logits: `[N, K]`;
/// T > 0 (gradlab::Error otherwise). KL(p ‖ p) = 0.
Scalar distillation_kl_forward(ConstMatrixRef student_logits, ConstMatrixRef teacher_logits,
                               Scalar temperature, Reduction reduction);
/// \brief \f$ \bar s_i \mathrel{+}= \overline{\ell}\; T\,(p^s_i - p^t_i) / N \f$
/// (\f$ T^2 \f$ times the \f$ 1/T \f$ of the chain rule through s/T). The teacher gets no gradient.
void distillation_kl_backward(ConstMatrixRef student_logits, ConstMatrixRef teacher_logits,
                              Scalar temperature, Reduction reduction, Scalar dloss,
                              MatrixRef dstudent_logits);
/// @}

}  // namespace gradlab::kernels
