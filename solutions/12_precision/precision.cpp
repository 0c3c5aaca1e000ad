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
  // BEGIN SOLUTION
  const Scalar r = std::floor(v);
  const Scalar f = v - r;
  if (f < 0.5) return r;
  if (f > 0.5) return r + 1.0;
  return std::fmod(r, 2.0) == 0.0 ? r : r + 1.0;
  // END SOLUTION
}

// ============================================================== double → p/w bits
// a = |x|. Subnormal range (a < 2^E_min): m = round(a / 2^(E_min − p)), e = 0 (m may
// round up to 2^p: that is exactly the smallest normal's bits, e = 1, m = 0).
// Normal range: E = ⌊log₂ a⌋ (from frexp: a = f·2^k, f ∈ [½, 1), E = k − 1);
// q = round(a / 2^(E − p)) ∈ [2^p, 2^(p+1)]; if q = 2^(p+1), the rounding carried into
// the exponent: q = 2^p, E + 1. Then E > E_max → ±∞, else e = E + bias, m = q − 2^p.
// Scaling by a power of two (ldexp) is exact: the ONE rounding is round_half_even's.
std::uint16_t encode(Scalar x, int p, int w) {
  // BEGIN SOLUTION
  const int bias = (1 << (w - 1)) - 1;
  const int e_min = 1 - bias;
  const int e_max = bias;
  const std::uint16_t sign = std::signbit(x) ? 0x8000 : 0x0000;
  const std::uint16_t exponent_all_ones = static_cast<std::uint16_t>(((1 << w) - 1) << p);
  if (std::isnan(x)) return static_cast<std::uint16_t>(sign | exponent_all_ones | (1 << (p - 1)));  // quiet NaN
  const Scalar a = std::abs(x);
  if (std::isinf(a)) return static_cast<std::uint16_t>(sign | exponent_all_ones);
  if (a < std::ldexp(1.0, e_min)) {  // subnormal (or zero)
    const Scalar m = round_half_even(std::ldexp(a, p - e_min));
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(m));
  }
  int k = 0;
  std::frexp(a, &k);
  int e = k - 1;
  if (e > e_max) return static_cast<std::uint16_t>(sign | exponent_all_ones);  // overflow to ±∞
  Scalar q = round_half_even(std::ldexp(a, p - e));
  if (q == std::ldexp(1.0, p + 1)) {  // 1.111…1 rounded up to 10.000…0
    q = std::ldexp(1.0, p);
    e += 1;
  }
  if (e > e_max) return static_cast<std::uint16_t>(sign | exponent_all_ones);  // overflow to ±∞
  const auto m = static_cast<std::uint16_t>(q - std::ldexp(1.0, p));
  return static_cast<std::uint16_t>(sign | ((e + bias) << p) | m);
  // END SOLUTION
}

// ============================================================== p/w bits → double
// The formulas above, read backwards; every such number is a double exactly.
Scalar decode(std::uint16_t bits, int p, int w) {
  // BEGIN SOLUTION
  const int bias = (1 << (w - 1)) - 1;
  const Scalar sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
  const int e = (bits >> p) & ((1 << w) - 1);
  const int m = bits & ((1 << p) - 1);
  if (e == (1 << w) - 1) return m == 0 ? sign * INFINITY : std::copysign(NAN, sign);
  if (e == 0) return sign * std::ldexp(static_cast<Scalar>(m), 1 - bias - p);              // subnormal
  return sign * std::ldexp(static_cast<Scalar>((1 << p) + m), e - bias - p);               // normal
  // END SOLUTION
}

}  // namespace

std::uint16_t half_from_double(Scalar x) {
  // BEGIN SOLUTION
  return encode(x, 10, 5);
  // END SOLUTION
}

Scalar half_to_double(std::uint16_t h) {
  // BEGIN SOLUTION
  return decode(h, 10, 5);
  // END SOLUTION
}

std::uint16_t bfloat16_from_double(Scalar x) {
  // BEGIN SOLUTION
  return encode(x, 7, 8);
  // END SOLUTION
}

Scalar bfloat16_to_double(std::uint16_t b) {
  // BEGIN SOLUTION
  return decode(b, 7, 8);
  // END SOLUTION
}

// ============================================================== the emulated cast
// forward:  y_ij = round_F(x_ij)
// backward: dx_ij += round_F(dy_ij)   (the gradient is a 16-bit tensor too)
void quantize_forward(ConstMatrixRef x, FloatFormat format, MatrixRef y) {
  // BEGIN SOLUTION
  for (Index r = 0; r < x.rows(); ++r)
    for (Index c = 0; c < x.cols(); ++c) y(r, c) = round_to(format, x(r, c));
  // END SOLUTION
}

void quantize_backward(ConstMatrixRef dy, FloatFormat format, MatrixRef dx) {
  // BEGIN SOLUTION
  for (Index r = 0; r < dy.rows(); ++r)
    for (Index c = 0; c < dy.cols(); ++c) dx(r, c) += round_to(format, dy(r, c));
  // END SOLUTION
}

// ============================================================== dynamic loss scaling
// unscale: g ← g · (1/S) for every element; found_inf = any g not finite.
bool unscale_grads(std::span<MatrixRef> grads, Scalar inv_scale) {
  // BEGIN SOLUTION
  bool found_inf = false;
  for (MatrixRef& g : grads) {
    for (Index i = 0; i < g.size(); ++i) {
      Scalar& v = g.data()[i];
      if (!std::isfinite(v)) found_inf = true;
      v *= inv_scale;
    }
  }
  return found_inf;
  // END SOLUTION
}

// update (PyTorch's _amp_update_scale_):
//   found_inf:  S ← S · backoff, tracker ← 0            (the step was skipped)
//   otherwise:  n = tracker + 1; n = growth_interval → S ← S · growth (if finite), tracker ← 0;
//               else tracker ← n
void update_loss_scale(LossScaleState& state, bool found_inf, const GradScalerOptions& options) {
  // BEGIN SOLUTION
  if (found_inf) {  // the step was skipped: back off
    state.scale *= options.backoff_factor;
    // and the count of clean steps starts again
    state.growth_tracker = 0;
    return;
  }
  const std::int64_t successful = state.growth_tracker + 1;
  if (successful == options.growth_interval) {
    const Scalar grown = state.scale * options.growth_factor;
    if (std::isfinite(grown)) state.scale = grown;
    // a growth starts a new count
    state.growth_tracker = 0;
  } else {
    state.growth_tracker = successful;
  }
  // END SOLUTION
}

}  // namespace gradlab::kernels

namespace gradlab {

// step: unscale (unless done already this iteration), then step the optimizer ONLY when
// no gradient overflowed. Returns whether it stepped.
bool GradScaler::step(Optimizer& optimizer) {
  // BEGIN SOLUTION
  if (!unscaled_) unscale_(optimizer);
  if (found_inf_) return false;
  optimizer.step();
  return true;
  // END SOLUTION
}

}  // namespace gradlab
