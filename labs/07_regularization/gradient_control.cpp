// Lab 07: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 07): implement clip_grad_norm.
  throw gradlab::NotImplemented("lab 07: clip_grad_norm");
}

// ============================================================== clipping by value
// g_ij ← min(max(g_ij, −c), c)   (each element on its own: the direction may change)
void clip_grad_value(MatrixRef grad, Scalar clip_value) {
  // TODO(lab 07): implement clip_grad_value.
  throw gradlab::NotImplemented("lab 07: clip_grad_value");
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== gradient accumulation
// Each of the k mini-batches has a mean loss L_j over its b examples. The gradient of
// the mean over all kb examples is (1/k) Σ_j ∇L_j, so back-propagate L_j / k: the
// gradients ADD up over the k backward passes (leaves accumulate until zero_grad()).
void GradientAccumulator::backward(const Tensor& loss) {
  // TODO(lab 07): implement GradientAccumulator::backward.
  throw gradlab::NotImplemented("lab 07: GradientAccumulator::backward");
}

// Count this mini-batch in pending_. On the k-th one (pending_ reaches steps_): one
// optimizer step with the summed gradients, then zero them for the next group, reset
// the count and return true. Otherwise return false and touch nothing.
bool GradientAccumulator::step() {
  // TODO(lab 07): implement GradientAccumulator::step.
  throw gradlab::NotImplemented("lab 07: GradientAccumulator::step");
}

}  // namespace gradlab
