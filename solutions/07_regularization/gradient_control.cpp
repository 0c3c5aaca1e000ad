// Lab 07 — gradient control: clipping by global norm and by value, gradient accumulation.
//
// Clipping bounds the step a single bad mini-batch can cause (an exploding gradient)
// without changing its direction (by norm) or element by element (by value).
// Accumulation adds the gradients of k small mini-batches before one step, so that the
// step sees the gradient of a k-times-larger batch that would not fit in memory.
//
// Conventions: PyTorch 1.13's torch.nn.utils.clip_grad_norm_ / clip_grad_value_,
// followed exactly (the 1e-6, the clamp to 1, the norm returned before clipping, NaN
// propagating). Read framework/include/gradlab/kernels/regularization.h too.
// Shapes: every gradient is a matrix of its parameter's shape, [R_k, C_k].
#include "gradlab/kernels/regularization.h"
#include "gradlab/ops.h"
#include "gradlab/regularization.h"

#include <cmath>

namespace gradlab::kernels {

// ============================================================== clipping by global norm
// ‖g‖ = (Σ_k Σ_ij |g_ij^(k)|^p)^(1/p): ONE norm over all the parameters' gradients
//        (p = 2: the length of the whole gradient vector; p = ∞: max_k,ij |g_ij^(k)|,
//        a NaN anywhere makes it NaN)
// c   = max_norm / (‖g‖ + 1e-6), clamped to at most 1 (PyTorch's clip_coef_clamped;
//        the clamp must let a NaN through: torch.clamp(NaN, max=1) is NaN)
// g^(k) ← c g^(k) for every k (c = 1 leaves small gradients exactly as they were)
// return ‖g‖, the norm BEFORE clipping (what you log to watch for explosions)
Scalar clip_grad_norm(std::span<MatrixRef> grads, Scalar max_norm, Scalar norm_type) {
  // BEGIN SOLUTION
  Scalar total_norm = 0.0;
  if (std::isinf(norm_type)) {
    for (const MatrixRef& g : grads) {
      for (Index i = 0; i < g.size(); ++i) {
        const Scalar a = std::abs(g.data()[i]);
        if (std::isnan(a) || a > total_norm) total_norm = a;  // once NaN, stays NaN
      }
    }
  } else if (norm_type == 2.0) {
    Scalar sum_of_squares = 0.0;
    for (const MatrixRef& g : grads) sum_of_squares += g.squaredNorm();
    total_norm = std::sqrt(sum_of_squares);
  } else {
    Scalar sum = 0.0;
    for (const MatrixRef& g : grads) sum += g.cwiseAbs().array().pow(norm_type).sum();
    total_norm = std::pow(sum, 1.0 / norm_type);
  }
  const Scalar clip_coef = max_norm / (total_norm + 1e-6);
  const Scalar clip_coef_clamped = clip_coef > 1.0 ? 1.0 : clip_coef;
  for (MatrixRef& g : grads) g *= clip_coef_clamped;
  return total_norm;
  // END SOLUTION
}

// ============================================================== clipping by value
// g_ij ← min(max(g_ij, −c), c)   (each element on its own: the direction may change)
void clip_grad_value(MatrixRef grad, Scalar clip_value) {
  // BEGIN SOLUTION
  for (Index r = 0; r < grad.rows(); ++r) {
    for (Index c = 0; c < grad.cols(); ++c) {
      Scalar& g = grad(r, c);
      if (g > clip_value) g = clip_value;
      if (g < -clip_value) g = -clip_value;  // a NaN fails both tests and stays NaN
    }
  }
  // END SOLUTION
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== gradient accumulation
// Each of the k mini-batches has a mean loss L_j over its b examples. The gradient of
// the mean over all kb examples is (1/k) Σ_j ∇L_j, so back-propagate L_j / k: the
// gradients ADD up over the k backward passes (leaves accumulate until zero_grad()).
void GradientAccumulator::backward(const Tensor& loss) {
  // BEGIN SOLUTION
  (loss * (1.0 / static_cast<Scalar>(steps_))).backward();
  // END SOLUTION
}

// Count this mini-batch in pending_. On the k-th one (pending_ reaches steps_): one
// optimizer step with the summed gradients, then zero them for the next group, reset
// the count and return true. Otherwise return false and touch nothing.
bool GradientAccumulator::step() {
  // BEGIN SOLUTION
  ++pending_;
  if (pending_ < steps_) return false;
  optimizer_.step();
  optimizer_.zero_grad();
  pending_ = 0;
  return true;
  // END SOLUTION
}

}  // namespace gradlab
