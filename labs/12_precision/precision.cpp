// Lab 12: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
// Lab 12 — mixed precision: rounding a double to IEEE half and to bfloat16, the cast
// that emulates 16-bit activations and gradients, and dynamic loss scaling exactly as
// PyTorch's GradScaler does it.
//
// A binary floating-point format with p mantissa bits and w exponent bits
// (half: p = 10, w = 5; bfloat16: p = 7, w = 8) has
//   bias = 2^(w−1) − 1,   E_min = 1 − bias,   E_max = bias,
//   normal:     (−1)^s · 2^E · (1 + m/2^p),   E = e − bias, e ∈ [1, 2^w − 2], m ∈ [0, 2^p)
//   subnormal:  (−1)^s · 2^E_min · (m/2^p),   e = 0 (m = 0 is ±0)
//   e = 2^w − 1: ±∞ (m = 0) or NaN (m ≠ 0).
// Bits: sign << 15 | e << p | m. Read framework/include/gradlab/kernels/precision.h too.
#include "gradlab/kernels/precision.h"
#include "gradlab/precision.h"

#include <bit>
#include <cmath>
#include <cstdint>

namespace gradlab::kernels {

namespace {

// ============================================================== round to nearest, ties to even
// For v ≥ 0 (and v < 2^52, so that v − floor(v) is exact):
//   r = ⌊v⌋, f = v − r;  f < ½ → r;  f > ½ → r + 1;  f = ½ → whichever of r, r + 1 is even.
Scalar round_half_even(Scalar v) {
  // TODO(lab 12): implement round_half_even.
  throw gradlab::NotImplemented("lab 12: round_half_even");
}

// ============================================================== double → p/w bits
// a = |x|. Subnormal range (a < 2^E_min): m = round(a / 2^(E_min − p)), e = 0 (m may
// round up to 2^p: that is exactly the smallest normal's bits, e = 1, m = 0).
// Normal range: E = ⌊log₂ a⌋ (from frexp: a = f·2^k, f ∈ [½, 1), E = k − 1);
// q = round(a / 2^(E − p)) ∈ [2^p, 2^(p+1)]; if q = 2^(p+1), the rounding carried into
// the exponent: q = 2^p, E + 1. Then E > E_max → ±∞, else e = E + bias, m = q − 2^p.
// Scaling by a power of two (ldexp) is exact: the ONE rounding is round_half_even's.
std::uint16_t encode(Scalar x, int p, int w) {
  // TODO(lab 12): implement encode.
  throw gradlab::NotImplemented("lab 12: encode");
}

// ============================================================== p/w bits → double
// The formulas above, read backwards; every such number is a double exactly.
Scalar decode(std::uint16_t bits, int p, int w) {
  // TODO(lab 12): implement decode.
  throw gradlab::NotImplemented("lab 12: decode");
}

}  // namespace

std::uint16_t half_from_double(Scalar x) {
  // TODO(lab 12): implement half_from_double.
  throw gradlab::NotImplemented("lab 12: half_from_double");
}

Scalar half_to_double(std::uint16_t h) {
  // TODO(lab 12): implement half_to_double.
  throw gradlab::NotImplemented("lab 12: half_to_double");
}

std::uint16_t bfloat16_from_double(Scalar x) {
  // TODO(lab 12): implement bfloat16_from_double.
  throw gradlab::NotImplemented("lab 12: bfloat16_from_double");
}

Scalar bfloat16_to_double(std::uint16_t b) {
  // TODO(lab 12): implement bfloat16_to_double.
  throw gradlab::NotImplemented("lab 12: bfloat16_to_double");
}

// ============================================================== the emulated cast
// forward:  y_ij = round_F(x_ij)
// backward: dx_ij += round_F(dy_ij)   (the gradient is a 16-bit tensor too)
void quantize_forward(ConstMatrixRef x, FloatFormat format, MatrixRef y) {
  // TODO(lab 12): implement quantize_forward.
  throw gradlab::NotImplemented("lab 12: quantize_forward");
}

void quantize_backward(ConstMatrixRef dy, FloatFormat format, MatrixRef dx) {
  // TODO(lab 12): implement quantize_backward.
  throw gradlab::NotImplemented("lab 12: quantize_backward");
}

// ============================================================== dynamic loss scaling
// unscale: g ← g · (1/S) for every element; found_inf = any g not finite.
bool unscale_grads(std::span<MatrixRef> grads, Scalar inv_scale) {
  // TODO(lab 12): implement unscale_grads.
  throw gradlab::NotImplemented("lab 12: unscale_grads");
}

// update (PyTorch's _amp_update_scale_):
//   found_inf:  S ← S · backoff, tracker ← 0            (the step was skipped)
//   otherwise:  n = tracker + 1; n = growth_interval → S ← S · growth (if finite), tracker ← 0;
//               else tracker ← n
void update_loss_scale(LossScaleState& state, bool found_inf, const GradScalerOptions& options) {
  // TODO(lab 12): implement update_loss_scale.
  throw gradlab::NotImplemented("lab 12: update_loss_scale");
}

}  // namespace gradlab::kernels

namespace gradlab {

// step: unscale (unless done already this iteration), then step the optimizer ONLY when
// no gradient overflowed. Returns whether it stepped.
bool GradScaler::step(Optimizer& optimizer) {
  // TODO(lab 12): implement GradScaler::step.
  throw gradlab::NotImplemented("lab 12: GradScaler::step");
}

}  // namespace gradlab
