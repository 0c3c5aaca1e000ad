// The differentiable losses. Each one computes its value with a lab 03 forward kernel
// and records the backward kernel, which adds dloss · ∂loss/∂pred into the
// prediction's gradient. Targets are copied into the closure (a closure must not hold
// tensors or nodes); they get no gradient. The math lives in the kernels.
#include "gradlab/losses.h"

#include "gradlab/autograd.h"
#include "gradlab/metrics.h"
#include "gradlab/ops.h"

#include <cmath>
#include <string>
#include <utility>

namespace gradlab {

namespace {

Matrix scalar_matrix(Scalar value) {
  Matrix y(1, 1);
  y(0, 0) = value;
  return y;
}

// A loss whose second argument is a constant matrix of the prediction's shape:
// forward(pred, target, reduction) -> Scalar, backward(pred, target, reduction, dloss, dpred).
template <typename Forward, typename Backward>
Tensor matrix_target_loss(const char* op, const Tensor& pred, const Tensor& target, Forward forward,
                          Backward backward) {
  Matrix y = scalar_matrix(forward(pred.value(), target.value()));
  return record_op(std::move(y), op, {&pred},
                   [target = target.value(), backward](Node& self) {
                     Node& p = *self.parents[0];
                     backward(p.value, target, self.grad(0, 0), p.ensure_grad());
                   });
}

}  // namespace

// ---------------------------------------------------------------- regression

Tensor mse_loss(const Tensor& pred, const Tensor& target, Reduction reduction) {
  return matrix_target_loss(
      "mse_loss", pred, target,
      [reduction](const Matrix& p, const Matrix& t) { return kernels::mse_forward(p, t, reduction); },
      [reduction](const Matrix& p, const Matrix& t, Scalar dloss, Matrix& dp) {
        kernels::mse_backward(p, t, reduction, dloss, dp);
      });
}

Tensor l1_loss(const Tensor& pred, const Tensor& target, Reduction reduction) {
  return matrix_target_loss(
      "l1_loss", pred, target,
      [reduction](const Matrix& p, const Matrix& t) { return kernels::l1_forward(p, t, reduction); },
      [reduction](const Matrix& p, const Matrix& t, Scalar dloss, Matrix& dp) {
        kernels::l1_backward(p, t, reduction, dloss, dp);
      });
}

Tensor huber_loss(const Tensor& pred, const Tensor& target, Scalar delta, Reduction reduction) {
  return matrix_target_loss(
      "huber_loss", pred, target,
      [delta, reduction](const Matrix& p, const Matrix& t) {
        return kernels::huber_forward(p, t, delta, reduction);
      },
      [delta, reduction](const Matrix& p, const Matrix& t, Scalar dloss, Matrix& dp) {
        kernels::huber_backward(p, t, delta, reduction, dloss, dp);
      });
}

Tensor smooth_l1_loss(const Tensor& pred, const Tensor& target, Scalar beta, Reduction reduction) {
  return matrix_target_loss(
      "smooth_l1_loss", pred, target,
      [beta, reduction](const Matrix& p, const Matrix& t) {
        return kernels::smooth_l1_forward(p, t, beta, reduction);
      },
      [beta, reduction](const Matrix& p, const Matrix& t, Scalar dloss, Matrix& dp) {
        kernels::smooth_l1_backward(p, t, beta, reduction, dloss, dp);
      });
}

// ---------------------------------------------------------------- classification

Tensor bce_with_logits_loss(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  return matrix_target_loss(
      "bce_with_logits_loss", logits, targets,
      [reduction](const Matrix& z, const Matrix& y) {
        return kernels::bce_with_logits_forward(z, y, reduction);
      },
      [reduction](const Matrix& z, const Matrix& y, Scalar dloss, Matrix& dz) {
        kernels::bce_with_logits_backward(z, y, reduction, dloss, dz);
      });
}

Tensor cross_entropy_loss(const Tensor& logits, const std::vector<Index>& labels, Reduction reduction) {
  Matrix y = scalar_matrix(kernels::cross_entropy_forward(logits.value(), labels, reduction));
  return record_op(std::move(y), "cross_entropy_loss", {&logits}, [labels, reduction](Node& self) {
    Node& z = *self.parents[0];
    kernels::cross_entropy_backward(z.value, labels, reduction, self.grad(0, 0), z.ensure_grad());
  });
}

Tensor cross_entropy_loss(const Tensor& logits, const Tensor& labels, Reduction reduction) {
  return cross_entropy_loss(logits, class_indices(labels), reduction);
}

Tensor nll_loss(const Tensor& log_probs, const Tensor& labels, Reduction reduction) {
  return nll_loss(log_probs, class_indices(labels), reduction);
}

Tensor nll_loss(const Tensor& log_probs, const std::vector<Index>& labels, Reduction reduction) {
  Matrix y = scalar_matrix(kernels::nll_forward(log_probs.value(), labels, reduction));
  return record_op(std::move(y), "nll_loss", {&log_probs}, [labels, reduction](Node& self) {
    Node& a = *self.parents[0];
    kernels::nll_backward(a.value, labels, reduction, self.grad(0, 0), a.ensure_grad());
  });
}

Tensor soft_cross_entropy_loss(const Tensor& logits, const Tensor& targets, Reduction reduction) {
  return matrix_target_loss(
      "soft_cross_entropy_loss", logits, targets,
      [reduction](const Matrix& z, const Matrix& q) {
        return kernels::soft_cross_entropy_forward(z, q, reduction);
      },
      [reduction](const Matrix& z, const Matrix& q, Scalar dloss, Matrix& dz) {
        kernels::soft_cross_entropy_backward(z, q, reduction, dloss, dz);
      });
}

Tensor label_smoothing_cross_entropy_loss(const Tensor& logits, const std::vector<Index>& labels,
                                          Scalar epsilon, Reduction reduction) {
  Matrix targets(static_cast<Index>(labels.size()), logits.cols());
  kernels::smooth_labels(labels, logits.cols(), epsilon, targets);
  return soft_cross_entropy_loss(logits, Tensor(std::move(targets)), reduction);
}

Tensor distillation_kl_loss(const Tensor& student_logits, const Tensor& teacher_logits,
                            Scalar temperature, Reduction reduction) {
  return matrix_target_loss(
      "distillation_kl_loss", student_logits, teacher_logits,
      [temperature, reduction](const Matrix& s, const Matrix& t) {
        return kernels::distillation_kl_forward(s, t, temperature, reduction);
      },
      [temperature, reduction](const Matrix& s, const Matrix& t, Scalar dloss, Matrix& ds) {
        kernels::distillation_kl_backward(s, t, temperature, reduction, dloss, ds);
      });
}

Tensor distillation_loss(const Tensor& student_logits, const Tensor& teacher_logits,
                         const std::vector<Index>& labels, const DistillationOptions& options) {
  GRADLAB_CHECK(std::isfinite(options.temperature) && options.temperature > 0,
                "distillation_loss: temperature must be finite and > 0, got " +
                    std::to_string(options.temperature));
  GRADLAB_CHECK(options.alpha >= 0 && options.alpha <= 1,
                "distillation_loss: alpha (the weight of the hard loss) must lie in [0, 1], got " +
                    std::to_string(options.alpha));
  const Tensor hard = cross_entropy_loss(student_logits, labels, options.reduction);
  const Tensor soft =
      distillation_kl_loss(student_logits, teacher_logits, options.temperature, options.reduction);
  return hard * options.alpha + soft * (1.0 - options.alpha);
}

}  // namespace gradlab
