// Lab 05 — optimizers.
//
// Every kernel updates ONE parameter matrix θ in place, element by element, from its
// gradient ∇ and its state buffers (same shape as θ, updated in place too). Nothing is
// returned: the new θ and the new state ARE the result.
//
// Notation: η the learning rate, λ the weight decay, t = `step` the number of this
// update counted from 1 (step = 1 on the first call, when the buffers still hold their
// initial values), g the gradient actually used (∇ + λθ for L2 decay).
//
// Conventions (PyTorch 1.13's documented algorithms, torch.optim.*, followed exactly so
// that the tests can compare with trajectories computed by PyTorch itself):
//   - ε is added OUTSIDE the square root:  g / (√v + ε), never g / √(v + ε);
//   - SGD's momentum buffer is set to the first gradient (b₁ = g₁), not to μ·0 + g;
//   - t starts at 1, so Adam's bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ are never 0.
// Read the kernel's comment in framework/include/gradlab/kernels/optimizers.h too.
// Shapes: theta, grad and every buffer are [R, C].
#include "gradlab/kernels/optimizers.h"
#include "gradlab/optimizer.h"

#include <algorithm>
#include <cmath>

namespace gradlab::kernels {

// ============================================================== SGD
// g = ∇ + λθ                                  (L2 decay: the gradient of λ/2 ‖θ‖²)
// μ = 0:  θ ← θ − η g
// μ > 0:  b₁ = g,  b_t = μ b_{t−1} + (1 − τ) g  (velocity; dampening τ damps the new g)
//         θ ← θ − η b_t                      (heavy ball)
//         θ ← θ − η (g + μ b_t)              (Nesterov: look one velocity step ahead)
void sgd_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef momentum_buffer, const SGDOptions& o,
                std::int64_t step) {
  // BEGIN SOLUTION
  for (Index r = 0; r < theta.rows(); ++r) {
    for (Index c = 0; c < theta.cols(); ++c) {
      Scalar g = grad(r, c) + o.weight_decay * theta(r, c);
      if (o.momentum != 0.0) {
        Scalar& b = momentum_buffer(r, c);
        if (step == 1) {
          b = g;  // PyTorch: the buffer starts as a copy of the first gradient
        } else {
          b = o.momentum * b + (1.0 - o.dampening) * g;
        }
        g = o.nesterov ? g + o.momentum * b : b;
      }
      theta(r, c) -= o.lr * g;
    }
  }
  // END SOLUTION
}

// ============================================================== AdaGrad
// Each element gets its own rate η / √(sum of its squared gradients): an element with
// large gradients so far takes small steps, a rarely-updated one keeps large steps.
// g = ∇ + λθ,   η_t = η / (1 + (t − 1)·lr_decay)
// s ← s + g²,   θ ← θ − η_t · g / (√s + ε)
void adagrad_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef sum, const AdagradOptions& o,
                    std::int64_t step) {
  // BEGIN SOLUTION
  const Scalar clr = o.lr / (1.0 + static_cast<Scalar>(step - 1) * o.lr_decay);
  for (Index r = 0; r < theta.rows(); ++r) {
    for (Index c = 0; c < theta.cols(); ++c) {
      const Scalar g = grad(r, c) + o.weight_decay * theta(r, c);
      sum(r, c) += g * g;
      theta(r, c) -= clr * g / (std::sqrt(sum(r, c)) + o.eps);
    }
  }
  // END SOLUTION
}

// ============================================================== RMSprop
// AdaGrad's sum never forgets; RMSprop keeps an exponential moving average instead.
// α is the weight of the OLD average (0.99: about the last 100 squared gradients).
// g = ∇ + λθ,   v ← α v + (1 − α) g²
// centered:     ḡ ← α ḡ + (1 − α) g,  d = √(v − ḡ²) + ε     (v − ḡ² estimates Var[g])
// otherwise:    d = √v + ε
// μ > 0:  b ← μ b + g / d,  θ ← θ − η b        (this buffer starts at 0)
// μ = 0:  θ ← θ − η g / d
void rmsprop_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef square_avg, MatrixRef grad_avg,
                    MatrixRef momentum_buffer, const RMSpropOptions& o, std::int64_t step) {
  // BEGIN SOLUTION
  (void)step;  // RMSprop has no bias correction: t is not needed
  for (Index r = 0; r < theta.rows(); ++r) {
    for (Index c = 0; c < theta.cols(); ++c) {
      const Scalar g = grad(r, c) + o.weight_decay * theta(r, c);
      Scalar& v = square_avg(r, c);
      v = o.alpha * v + (1.0 - o.alpha) * g * g;
      Scalar d = 0.0;
      if (o.centered) {
        Scalar& g_avg = grad_avg(r, c);
        g_avg = o.alpha * g_avg + (1.0 - o.alpha) * g;
        d = std::sqrt(v - g_avg * g_avg) + o.eps;
      } else {
        d = std::sqrt(v) + o.eps;
      }
      if (o.momentum > 0.0) {
        Scalar& b = momentum_buffer(r, c);
        b = o.momentum * b + g / d;
        theta(r, c) -= o.lr * b;
      } else {
        theta(r, c) -= o.lr * g / d;
      }
    }
  }
  // END SOLUTION
}

// ============================================================== Adam
// Momentum (first moment m) + RMSprop (second moment v), both started at 0 and
// therefore biased towards 0 in the first steps: after t steps of a constant g,
// m = (1 − β₁ᵗ) g, so dividing by 1 − β₁ᵗ (and v by 1 − β₂ᵗ) removes the bias.
// g = ∇ + λθ
// m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
// AMSGrad: v_max ← max(v_max, v) and v_max replaces v below (a denominator that never shrinks)
// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
//   (= η m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), arranged as PyTorch does)
// At t = 1: m̂ = g and v̂ = g², so every element moves by η · g/|g| = ±η.
void adam_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef exp_avg, MatrixRef exp_avg_sq,
                 MatrixRef max_exp_avg_sq, const AdamOptions& o, std::int64_t step) {
  // BEGIN SOLUTION
  const Scalar t = static_cast<Scalar>(step);
  const Scalar bias_correction1 = 1.0 - std::pow(o.beta1, t);
  const Scalar bias_correction2 = 1.0 - std::pow(o.beta2, t);
  const Scalar step_size = o.lr / bias_correction1;
  const Scalar bias_correction2_sqrt = std::sqrt(bias_correction2);
  for (Index r = 0; r < theta.rows(); ++r) {
    for (Index c = 0; c < theta.cols(); ++c) {
      const Scalar g = grad(r, c) + o.weight_decay * theta(r, c);
      Scalar& m = exp_avg(r, c);
      Scalar& v = exp_avg_sq(r, c);
      m = o.beta1 * m + (1.0 - o.beta1) * g;
      v = o.beta2 * v + (1.0 - o.beta2) * g * g;
      Scalar v_used = v;
      if (o.amsgrad) {
        max_exp_avg_sq(r, c) = std::max(max_exp_avg_sq(r, c), v);
        v_used = max_exp_avg_sq(r, c);
      }
      const Scalar denom = std::sqrt(v_used) / bias_correction2_sqrt + o.eps;
      theta(r, c) -= step_size * m / denom;
    }
  }
  // END SOLUTION
}

// ============================================================== AdamW
// Adam + L2 puts λθ into g, so the decay is divided by √v̂ like the gradient: weights
// with large gradients are barely decayed. AdamW (Loshchilov & Hutter) decouples it:
// θ ← θ (1 − ηλ)        (every weight shrinks by the same factor, first)
// then Adam's step with g = ∇ (no λθ in the moments, none in the denominator).
// Below, the shrink is written as subtracting ηλθ (θ before the step) in the same line
// as Adam's step: θ − ηλθ − step = θ(1 − ηλ) − step.
void adamw_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef exp_avg, MatrixRef exp_avg_sq,
                  MatrixRef max_exp_avg_sq, const AdamOptions& o, std::int64_t step) {
  // BEGIN SOLUTION
  const Scalar t = static_cast<Scalar>(step);
  const Scalar bias_correction1 = 1.0 - std::pow(o.beta1, t);
  const Scalar bias_correction2 = 1.0 - std::pow(o.beta2, t);
  const Scalar step_size = o.lr / bias_correction1;
  const Scalar bias_correction2_sqrt = std::sqrt(bias_correction2);
  for (Index r = 0; r < theta.rows(); ++r) {
    for (Index c = 0; c < theta.cols(); ++c) {
      const Scalar decay = o.lr * o.weight_decay * theta(r, c);
      const Scalar g = grad(r, c);
      Scalar& m = exp_avg(r, c);
      Scalar& v = exp_avg_sq(r, c);
      m = o.beta1 * m + (1.0 - o.beta1) * g;
      v = o.beta2 * v + (1.0 - o.beta2) * g * g;
      Scalar v_used = v;
      if (o.amsgrad) {
        max_exp_avg_sq(r, c) = std::max(max_exp_avg_sq(r, c), v);
        v_used = max_exp_avg_sq(r, c);
      }
      const Scalar denom = std::sqrt(v_used) / bias_correction2_sqrt + o.eps;
      theta(r, c) -= decay + step_size * m / denom;
    }
  }
  // END SOLUTION
}

}  // namespace gradlab::kernels

namespace gradlab {

// ============================================================== the step loop
// The update rules above see one parameter at a time; Optimizer::step() walks over all
// of them (every group's, in params() order). For parameter i:
//   - skip it when it is frozen (does not require a gradient) or has no gradient yet:
//     it must not move, not even by weight decay, and gets no state;
//   - before its first update, init_state() fills its buffers (zeros, or AdaGrad's
//     initial accumulator);
//   - count the update in its own state.step (so t = 1 on its first update), then
//     apply update(), which calls the kernel of this optimizer.
// step_count_ counts the calls to step(), whatever was skipped.
void Optimizer::step() {
  // BEGIN SOLUTION
  ++step_count_;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor& p = params_[i];
    if (!p.requires_grad() || !has_grad(p)) continue;  // frozen, or no gradient yet
    ParamState& s = state_[i];
    if (s.step == 0) init_state(group_of_[i], p, s);
    ++s.step;
    update(group_of_[i], p, s);
  }
  // END SOLUTION
}

}  // namespace gradlab
