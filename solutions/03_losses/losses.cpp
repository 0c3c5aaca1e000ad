// Lab 03 — loss functions.
//
// A loss turns a batch of predictions into one number that training makes smaller.
// Each loss here has a forward kernel (the number) and a backward kernel (how the
// number changes with every prediction). A backward kernel receives dloss = ∂L/∂loss
// (1 when the loss is the final result) and ADDS its gradient:
//
//     dpred  +=  dloss · ∂loss/∂pred             (always +=, never =)
//
// Reductions: Reduction::Mean divides by the number of terms that were added up —
// all N·D elements for the element-wise losses (MSE, L1, Huber, BCE), the N rows of
// the batch for the classification losses (cross entropy, NLL, KL). Whatever the
// forward divides by, the backward must divide by too. Reduction::Sum divides by nothing.
//
// The input checks (shapes, labels, hyperparameters, the empty batch) are given; the
// math between BEGIN SOLUTION and END SOLUTION is yours.
#include "gradlab/kernels/losses.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace gradlab::kernels {

namespace {

// ============================================================== input checks (given)

void check_same_shape(const char* op, const char* what_a, ConstMatrixRef a, const char* what_b,
                      ConstMatrixRef b) {
  GRADLAB_CHECK(a.rows() == b.rows() && a.cols() == b.cols(),
                std::string(op) + ": " + what_a + " " + shape_string(a.rows(), a.cols()) + " and " +
                    what_b + " " + shape_string(b.rows(), b.cols()) + " must have the same shape");
}

// A mean over nothing is 0/0: refuse it with a clear message (a sum over nothing is 0).
void check_not_empty(const char* op, Index count, Reduction reduction, const char* unit) {
  GRADLAB_CHECK(reduction != Reduction::Mean || count > 0,
                std::string(op) + ": Reduction::Mean over an empty batch (0 " + unit +
                    ") is undefined; use Reduction::Sum, which gives 0");
}

// One label per row, each a valid class index.
void check_labels(const char* op, ConstMatrixRef scores, const std::vector<Index>& labels) {
  GRADLAB_CHECK(static_cast<Index>(labels.size()) == scores.rows(),
                std::string(op) + ": got " + std::to_string(labels.size()) + " labels for " +
                    std::to_string(scores.rows()) + " rows " + shape_string(scores.rows(), scores.cols()) +
                    " (one label per row)");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    GRADLAB_CHECK(labels[i] >= 0 && labels[i] < scores.cols(),
                  std::string(op) + ": label " + std::to_string(labels[i]) + " in row " + std::to_string(i) +
                      " is out of range for " + std::to_string(scores.cols()) + " classes (valid: 0 to " +
                      std::to_string(scores.cols() - 1) + ")");
  }
}

void check_positive(const char* op, const char* name, Scalar value) {
  GRADLAB_CHECK(std::isfinite(value) && value > 0,
                std::string(op) + ": " + name + " must be finite and > 0, got " + std::to_string(value));
}

// ============================================================== log-softmax (yours)

// Row-wise log-softmax, the heart of every classification loss:
//
//     log softmax(z)_k = z_k − log Σ_j e^{z_j}.
//
// e^{1000} overflows to inf, so never exponentiate a raw logit. Subtract the row's
// maximum m first (softmax does not change when a constant is added to the row):
//
//     log Σ_j e^{z_j} = m + log Σ_j e^{z_j − m},   every z_j − m ≤ 0, one of them = 0,
//
// so the sum lies in [1, K] and its log is finite.
//
// Subtract in this order: log softmax(z)_k = (z_k − m) − log Σ_j e^{z_j − m}. The
// difference z_k − m is exact for logits within a factor 2 of each other (Sterbenz),
// and the log lies in [0, log K]. Written z_k − (m + log Σ …), the sum m + log Σ is
// rounded to a unit of m first: at logits near 1e7 that is 1.9e-9, an error every
// log-probability (and the gradient) inherits.
// z: [N, K] -> [N, K]
Matrix log_softmax_rows(ConstMatrixRef z) {
  // BEGIN SOLUTION
  Matrix out(z.rows(), z.cols());
  for (Index i = 0; i < z.rows(); ++i) {
    const Scalar m = z.row(i).maxCoeff();
    const Scalar log_sum = std::log((z.row(i).array() - m).exp().sum());
    out.row(i) = (z.row(i).array() - m) - log_sum;
  }
  return out;
  // END SOLUTION
}

}  // namespace

// ============================================================== MSE

// ℓ = (1/(N·D)) Σ_ij (p_ij − t_ij)²   →   ∂ℓ/∂p_ij = 2 (p_ij − t_ij) / (N·D).
// pred, target: [N, D]
Scalar mse_forward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction) {
  check_same_shape("mse", "pred", pred, "target", target);
  check_not_empty("mse", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar squared = (pred - target).squaredNorm();
  return reduction == Reduction::Mean ? squared / static_cast<Scalar>(pred.size()) : squared;
  // END SOLUTION
}

void mse_backward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction, Scalar dloss,
                  MatrixRef dpred) {
  check_same_shape("mse_backward", "pred", pred, "target", target);
  check_same_shape("mse_backward", "pred", pred, "dpred", dpred);
  check_not_empty("mse_backward", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar mse_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(pred.size()) : dloss;
  dpred += 2.0 * mse_scale * (pred - target);
  // END SOLUTION
}

// ============================================================== L1

// ℓ = (1/(N·D)) Σ_ij |p_ij − t_ij|   →   ∂ℓ/∂p_ij = sign(p_ij − t_ij) / (N·D).
// |r| has no derivative at r = 0; we take 0 there (the middle of the subgradient [−1, 1]).
Scalar l1_forward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction) {
  check_same_shape("l1", "pred", pred, "target", target);
  check_not_empty("l1", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar absolute = (pred - target).cwiseAbs().sum();
  return reduction == Reduction::Mean ? absolute / static_cast<Scalar>(pred.size()) : absolute;
  // END SOLUTION
}

void l1_backward(ConstMatrixRef pred, ConstMatrixRef target, Reduction reduction, Scalar dloss,
                 MatrixRef dpred) {
  check_same_shape("l1_backward", "pred", pred, "target", target);
  check_same_shape("l1_backward", "pred", pred, "dpred", dpred);
  check_not_empty("l1_backward", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar l1_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(pred.size()) : dloss;
  for (Index i = 0; i < pred.rows(); ++i) {
    for (Index j = 0; j < pred.cols(); ++j) {
      const Scalar r = pred(i, j) - target(i, j);
      const Scalar sign = r > 0 ? 1.0 : (r < 0 ? -1.0 : 0.0);
      dpred(i, j) += l1_scale * sign;
    }
  }
  // END SOLUTION
}

// ============================================================== Huber and Smooth L1

// h_δ(r) = ½ r²            for |r| ≤ δ
//        = δ (|r| − ½ δ)   for |r| > δ        (the two pieces meet with equal value and slope at |r| = δ)
// h'_δ(r) = r for |r| ≤ δ, δ·sign(r) otherwise: the gradient is clipped to [−δ, δ].
Scalar huber_forward(ConstMatrixRef pred, ConstMatrixRef target, Scalar delta, Reduction reduction) {
  check_same_shape("huber", "pred", pred, "target", target);
  check_positive("huber", "delta", delta);
  check_not_empty("huber", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  Scalar huber_total = 0;
  for (Index i = 0; i < pred.rows(); ++i) {
    for (Index j = 0; j < pred.cols(); ++j) {
      const Scalar r = std::abs(pred(i, j) - target(i, j));
      huber_total += r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
    }
  }
  return reduction == Reduction::Mean ? huber_total / static_cast<Scalar>(pred.size()) : huber_total;
  // END SOLUTION
}

void huber_backward(ConstMatrixRef pred, ConstMatrixRef target, Scalar delta, Reduction reduction,
                    Scalar dloss, MatrixRef dpred) {
  check_same_shape("huber_backward", "pred", pred, "target", target);
  check_same_shape("huber_backward", "pred", pred, "dpred", dpred);
  check_positive("huber_backward", "delta", delta);
  check_not_empty("huber_backward", pred.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar huber_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(pred.size()) : dloss;
  for (Index i = 0; i < pred.rows(); ++i) {
    for (Index j = 0; j < pred.cols(); ++j) {
      const Scalar r = pred(i, j) - target(i, j);
      dpred(i, j) += huber_scale * std::clamp(r, -delta, delta);
    }
  }
  // END SOLUTION
}

// Smooth L1 (PyTorch's convention) is Huber divided by its threshold: s_β = h_β / β.
// Given: it only rescales your Huber loss.
Scalar smooth_l1_forward(ConstMatrixRef pred, ConstMatrixRef target, Scalar beta, Reduction reduction) {
  check_positive("smooth_l1", "beta", beta);
  return huber_forward(pred, target, beta, reduction) / beta;
}

void smooth_l1_backward(ConstMatrixRef pred, ConstMatrixRef target, Scalar beta, Reduction reduction,
                        Scalar dloss, MatrixRef dpred) {
  check_positive("smooth_l1_backward", "beta", beta);
  huber_backward(pred, target, beta, reduction, dloss / beta, dpred);
}

// ============================================================== binary cross entropy on logits

// With σ(z) = 1/(1 + e^{−z}):   ℓ = −[y log σ(z) + (1 − y) log(1 − σ(z))].
// Taking σ first and then its log fails for large |z|: σ(40) is exactly 1.0 in double,
// so log(1 − σ) = −inf. Using log σ(z) = −log(1 + e^{−z}) and log(1 − σ(z)) = −z − log(1 + e^{−z}):
//     ℓ = z − z y + log(1 + e^{−z}),
// and to keep e^{·} from overflowing for z ≪ 0, rewrite with |z|:
//     ℓ = max(z, 0) − z y + log1p(e^{−|z|}).
// Derivative: ∂ℓ/∂z = σ(z) − y.
Scalar bce_with_logits_forward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction) {
  check_same_shape("bce_with_logits", "logits", logits, "targets", targets);
  GRADLAB_CHECK((targets.array() >= 0).all() && (targets.array() <= 1).all(),
                "bce_with_logits: targets must lie in [0, 1]");
  check_not_empty("bce_with_logits", logits.size(), reduction, "elements");
  // BEGIN SOLUTION
  Scalar bce_total = 0;
  for (Index i = 0; i < logits.rows(); ++i) {
    for (Index j = 0; j < logits.cols(); ++j) {
      const Scalar z = logits(i, j);
      const Scalar y = targets(i, j);
      bce_total += std::max(z, 0.0) - z * y + std::log1p(std::exp(-std::abs(z)));
    }
  }
  return reduction == Reduction::Mean ? bce_total / static_cast<Scalar>(logits.size()) : bce_total;
  // END SOLUTION
}

void bce_with_logits_backward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction,
                              Scalar dloss, MatrixRef dlogits) {
  check_same_shape("bce_with_logits_backward", "logits", logits, "targets", targets);
  check_same_shape("bce_with_logits_backward", "logits", logits, "dlogits", dlogits);
  check_not_empty("bce_with_logits_backward", logits.size(), reduction, "elements");
  // BEGIN SOLUTION
  const Scalar bce_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(logits.size()) : dloss;
  for (Index i = 0; i < logits.rows(); ++i) {
    for (Index j = 0; j < logits.cols(); ++j) {
      const Scalar z = logits(i, j);
      // σ(z) without overflow: e^{−|z|} ≤ 1 always.
      const Scalar e = std::exp(-std::abs(z));
      const Scalar sigma = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      dlogits(i, j) += bce_scale * (sigma - targets(i, j));
    }
  }
  // END SOLUTION
}

// ============================================================== softmax cross entropy

// ℓ_i = −log softmax(z_i)_{y_i} = log Σ_k e^{z_ik} − z_{i y_i}.
// ∂ℓ_i/∂z_ik = softmax(z_i)_k − [k = y_i]   ("p − y", with y the one-hot row).
// The mean is over the N examples, so the gradient of the mean is (p − y)/N.
// logits: [N, K]; labels: N entries in {0, …, K − 1}
Scalar cross_entropy_forward(ConstMatrixRef logits, const std::vector<Index>& labels,
                             Reduction reduction) {
  check_labels("cross_entropy", logits, labels);
  check_not_empty("cross_entropy", logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Matrix log_p = log_softmax_rows(logits);
  Scalar ce_total = 0;
  for (Index i = 0; i < logits.rows(); ++i) ce_total -= log_p(i, labels[i]);
  return reduction == Reduction::Mean ? ce_total / static_cast<Scalar>(logits.rows()) : ce_total;
  // END SOLUTION
}

void cross_entropy_backward(ConstMatrixRef logits, const std::vector<Index>& labels,
                            Reduction reduction, Scalar dloss, MatrixRef dlogits) {
  check_labels("cross_entropy_backward", logits, labels);
  check_same_shape("cross_entropy_backward", "logits", logits, "dlogits", dlogits);
  check_not_empty("cross_entropy_backward", logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Scalar ce_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(logits.rows()) : dloss;
  Matrix p_minus_y = log_softmax_rows(logits).array().exp().matrix();  // softmax: [N, K]
  for (Index i = 0; i < logits.rows(); ++i) p_minus_y(i, labels[i]) -= 1.0;
  dlogits += ce_scale * p_minus_y;
  // END SOLUTION
}

// ============================================================== negative log-likelihood

// Input a = log p (already log-probabilities). ℓ_i = −a_{i y_i};  ∂ℓ_i/∂a_ik = −[k = y_i].
Scalar nll_forward(ConstMatrixRef log_probs, const std::vector<Index>& labels, Reduction reduction) {
  check_labels("nll", log_probs, labels);
  check_not_empty("nll", log_probs.rows(), reduction, "rows");
  // BEGIN SOLUTION
  Scalar nll_total = 0;
  for (Index i = 0; i < log_probs.rows(); ++i) nll_total -= log_probs(i, labels[i]);
  return reduction == Reduction::Mean ? nll_total / static_cast<Scalar>(log_probs.rows()) : nll_total;
  // END SOLUTION
}

void nll_backward(ConstMatrixRef log_probs, const std::vector<Index>& labels, Reduction reduction,
                  Scalar dloss, MatrixRef dlog_probs) {
  check_labels("nll_backward", log_probs, labels);
  check_same_shape("nll_backward", "log_probs", log_probs, "dlog_probs", dlog_probs);
  check_not_empty("nll_backward", log_probs.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Scalar nll_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(log_probs.rows()) : dloss;
  for (Index i = 0; i < log_probs.rows(); ++i) dlog_probs(i, labels[i]) -= nll_scale;
  // END SOLUTION
}

// ============================================================== soft targets, label smoothing

// ℓ_i = −Σ_k q_ik log softmax(z_i)_k.  With s_i = Σ_k q_ik (1 for a distribution):
// ∂ℓ_i/∂z_ik = s_i · softmax(z_i)_k − q_ik.
Scalar soft_cross_entropy_forward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction) {
  check_same_shape("soft_cross_entropy", "logits", logits, "targets", targets);
  GRADLAB_CHECK((targets.array() >= 0).all(), "soft_cross_entropy: targets must be >= 0");
  check_not_empty("soft_cross_entropy", logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Matrix log_p = log_softmax_rows(logits);
  const Scalar soft_total = -(targets.array() * log_p.array()).sum();
  return reduction == Reduction::Mean ? soft_total / static_cast<Scalar>(logits.rows()) : soft_total;
  // END SOLUTION
}

void soft_cross_entropy_backward(ConstMatrixRef logits, ConstMatrixRef targets, Reduction reduction,
                                 Scalar dloss, MatrixRef dlogits) {
  check_same_shape("soft_cross_entropy_backward", "logits", logits, "targets", targets);
  check_same_shape("soft_cross_entropy_backward", "logits", logits, "dlogits", dlogits);
  check_not_empty("soft_cross_entropy_backward", logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Scalar soft_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(logits.rows()) : dloss;
  const Matrix p = log_softmax_rows(logits).array().exp().matrix();
  for (Index i = 0; i < logits.rows(); ++i) {
    const Scalar row_mass = targets.row(i).sum();
    dlogits.row(i) += soft_scale * (row_mass * p.row(i) - targets.row(i));
  }
  // END SOLUTION
}

// PyTorch's label smoothing: mix the one-hot target with the uniform distribution,
//     q = (1 − ε) · onehot(y) + ε · (1/K, …, 1/K),
// so every class receives ε/K and the true class 1 − ε on top. Each row sums to
// (1 − ε) + K · ε/K = 1.
void smooth_labels(const std::vector<Index>& labels, Index classes, Scalar epsilon, MatrixRef targets) {
  GRADLAB_CHECK(classes >= 1, "smooth_labels: need at least 1 class, got " + std::to_string(classes));
  GRADLAB_CHECK(epsilon >= 0 && epsilon <= 1,
                "smooth_labels: epsilon must lie in [0, 1], got " + std::to_string(epsilon));
  GRADLAB_CHECK(targets.rows() == static_cast<Index>(labels.size()) && targets.cols() == classes,
                "smooth_labels: targets " + shape_string(targets.rows(), targets.cols()) + " must be " +
                    shape_string(static_cast<Index>(labels.size()), classes));
  check_labels("smooth_labels", targets, labels);
  // BEGIN SOLUTION
  targets.setConstant(epsilon / static_cast<Scalar>(classes));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    targets(static_cast<Index>(i), labels[i]) += 1.0 - epsilon;
  }
  // END SOLUTION
}

// ============================================================== distillation

// p^t = softmax(t/T), p^s = softmax(s/T),  ℓ_i = T² Σ_k p^t_ik (log p^t_ik − log p^s_ik).
// Only log p^s depends on s:  ∂/∂s_i of −Σ_k p^t_ik log softmax(s_i/T)_k = (p^s_i − p^t_i)/T
// (the soft cross entropy's p − q, times 1/T from the chain rule through s/T), so
//     ∂ℓ_i/∂s_i = T² · (p^s_i − p^t_i)/T = T (p^s_i − p^t_i).
Scalar distillation_kl_forward(ConstMatrixRef student_logits, ConstMatrixRef teacher_logits,
                               Scalar temperature, Reduction reduction) {
  check_same_shape("distillation_kl", "student_logits", student_logits, "teacher_logits", teacher_logits);
  check_positive("distillation_kl", "temperature", temperature);
  check_not_empty("distillation_kl", student_logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Matrix log_p_student = log_softmax_rows(student_logits / temperature);
  const Matrix log_p_teacher = log_softmax_rows(teacher_logits / temperature);
  const Scalar kl = (log_p_teacher.array().exp() * (log_p_teacher - log_p_student).array()).sum();
  const Scalar kl_total = temperature * temperature * kl;
  return reduction == Reduction::Mean ? kl_total / static_cast<Scalar>(student_logits.rows()) : kl_total;
  // END SOLUTION
}

void distillation_kl_backward(ConstMatrixRef student_logits, ConstMatrixRef teacher_logits,
                              Scalar temperature, Reduction reduction, Scalar dloss,
                              MatrixRef dstudent_logits) {
  check_same_shape("distillation_kl_backward", "student_logits", student_logits, "teacher_logits",
                   teacher_logits);
  check_same_shape("distillation_kl_backward", "student_logits", student_logits, "dstudent_logits",
                   dstudent_logits);
  check_positive("distillation_kl_backward", "temperature", temperature);
  check_not_empty("distillation_kl_backward", student_logits.rows(), reduction, "rows");
  // BEGIN SOLUTION
  const Scalar kl_scale =
      reduction == Reduction::Mean ? dloss / static_cast<Scalar>(student_logits.rows()) : dloss;
  const Matrix p_student = log_softmax_rows(student_logits / temperature).array().exp().matrix();
  const Matrix p_teacher = log_softmax_rows(teacher_logits / temperature).array().exp().matrix();
  dstudent_logits += kl_scale * temperature * (p_student - p_teacher);
  // END SOLUTION
}

}  // namespace gradlab::kernels
