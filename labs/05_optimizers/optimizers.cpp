// Lab 05: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 05): implement sgd_update.
  throw gradlab::NotImplemented("lab 05: sgd_update");
}

// ============================================================== AdaGrad
// Each element gets its own rate η / √(sum of its squared gradients): an element with
// large gradients so far takes small steps, a rarely-updated one keeps large steps.
// g = ∇ + λθ,   η_t = η / (1 + (t − 1)·lr_decay)
// s ← s + g²,   θ ← θ − η_t · g / (√s + ε)
void adagrad_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef sum, const AdagradOptions& o,
                    std::int64_t step) {
  // TODO(lab 05): implement adagrad_update.
  throw gradlab::NotImplemented("lab 05: adagrad_update");
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
  // TODO(lab 05): implement rmsprop_update.
  throw gradlab::NotImplemented("lab 05: rmsprop_update");
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
  // TODO(lab 05): implement adam_update.
  throw gradlab::NotImplemented("lab 05: adam_update");
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
  // TODO(lab 05): implement adamw_update.
  throw gradlab::NotImplemented("lab 05: adamw_update");
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
  // TODO(lab 05): implement Optimizer::step.
  throw gradlab::NotImplemented("lab 05: Optimizer::step");
}

}  // namespace gradlab
