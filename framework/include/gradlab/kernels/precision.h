/// \file
/// \brief Lab 12 kernels, part 1: rounding to 16-bit floating point (IEEE half and
/// bfloat16), the rounding of a tensor's values and gradients that emulates half
/// precision, and dynamic loss scaling (PyTorch's `torch.cuda.amp.GradScaler`).
///
/// Conventions for every kernel here (stated once):
/// - a 16-bit number travels as its bit pattern, a `std::uint16_t`: sign (1 bit),
///   biased exponent, mantissa. Half: 1 / 5 / 10 bits, bias 15; bfloat16: 1 / 8 / 7
///   bits, bias 127 (the upper half of a float);
/// - rounding is **round to nearest, ties to even**, done ONCE from the double (never
///   through float, which would round twice); results too small for a normal number
///   become subnormals (gradual underflow), below half of the smallest subnormal they
///   become ±0; beyond the largest finite value (after rounding) they become ±∞; a NaN
///   stays a NaN (a quiet NaN of the same sign), an infinity stays an infinity;
/// - matrix kernels write `y` (forward) or add into `dx` (backward, `+=`);
/// - scaler kernels follow `GradScaler` of PyTorch 1.13 step by step.
/// The reference lives in `solutions/12_precision/`; your copy in `labs/12_precision/`.
/// \sa \ref notes_mixed_precision
#pragma once

#include "gradlab/core.h"

#include <cstdint>
#include <span>

namespace gradlab {

/// \brief A 16-bit floating-point format that a double can be rounded to.
enum class FloatFormat {
  Half,      ///< IEEE 754 binary16: 1 / 5 / 10 bits, largest 65504, smallest normal 2⁻¹⁴, smallest subnormal 2⁻²⁴
  BFloat16,  ///< bfloat16: 1 / 8 / 7 bits, float's range (largest ≈ 3.39e38), smallest subnormal 2⁻¹³³
};

/// \brief Settings of dynamic loss scaling, PyTorch's `GradScaler` defaults.
struct GradScalerOptions {
  Scalar init_scale = 65536.0;        ///< S₀ = 2¹⁶; > 0 and finite
  Scalar growth_factor = 2.0;         ///< S ← S·growth after growth_interval clean steps; > 1
  Scalar backoff_factor = 0.5;        ///< S ← S·backoff on an overflow; in (0, 1)
  std::int64_t growth_interval = 2000;  ///< clean steps in a row before growing; ≥ 1
};

/// \brief The state of dynamic loss scaling: the scale and the clean steps counted since
/// the last growth or overflow (PyTorch's `_scale` and `_growth_tracker`).
struct LossScaleState {
  Scalar scale = 65536.0;            ///< S, the factor the loss is multiplied by
  std::int64_t growth_tracker = 0;   ///< clean steps in a row, in [0, growth_interval)
};

}  // namespace gradlab

namespace gradlab::kernels {

/// \name Rounding to half and bfloat16 (precision.cpp)
/// @{

/// \brief The half-precision number nearest to \p x, as its bits.
///
/// A finite half is \f$ (-1)^s\, 2^{e-15} (1 + m/2^{10}) \f$ for a biased exponent
/// e ∈ [1, 30] (normal) and \f$ (-1)^s\, 2^{-14}\, m/2^{10} \f$ for e = 0 (subnormal, and ±0);
/// e = 31 encodes ±∞ (m = 0) and NaN (m ≠ 0). Round to nearest, ties to the even
/// mantissa; \f$ |x| \ge 65520 \f$ (the midpoint between 65504 and 2¹⁶) gives ±∞;
/// \f$ |x| \le 2^{-25} \f$ gives ±0 (the tie at 2⁻²⁵ goes to the even 0); NaN gives 0x7E00
/// (or 0xFE00 for a negative NaN).
std::uint16_t half_from_double(Scalar x);
/// \brief The exact value of the half with bits \p h (every half is a double exactly).
Scalar half_to_double(std::uint16_t h);

/// \brief The bfloat16 number nearest to \p x, as its bits (round to nearest even,
/// NOT truncation of a float's lower 16 bits). Subnormals below 2⁻¹²⁶ down to
/// 2⁻¹³³; \f$ |x| \ge 2^{128}(1 - 2^{-9}) \f$ gives ±∞; NaN gives 0x7FC0 (0xFFC0 if negative).
std::uint16_t bfloat16_from_double(Scalar x);
/// \brief The exact value of the bfloat16 with bits \p b.
Scalar bfloat16_to_double(std::uint16_t b);
/// @}

/// \name Emulated 16-bit tensors (precision.cpp)
/// @{

/// \brief \f$ y_{ij} = \operatorname{round}_F(x_{ij}) \f$: every element rounded to
/// format \p format and back to double. x, y: `[N, D]`.
void quantize_forward(ConstMatrixRef x, FloatFormat format, MatrixRef y);
/// \brief The backward of a cast to 16 bits: the gradient is stored in 16 bits too,
/// \f$ \bar x_{ij} \mathrel{+}= \operatorname{round}_F(\bar y_{ij}) \f$ (straight through,
/// then rounded). dy, dx: `[N, D]`.
void quantize_backward(ConstMatrixRef dy, FloatFormat format, MatrixRef dx);
/// @}

/// \name Dynamic loss scaling (precision.cpp)
/// @{

/// \brief Unscales the gradients and looks for overflow, as PyTorch's
/// `_amp_foreach_non_finite_check_and_unscale_`: every element of every gradient is
/// multiplied by \p inv_scale = 1/S, and the result is true when any element (before or
/// after) is ±∞ or NaN ("found_inf").
bool unscale_grads(std::span<MatrixRef> grads, Scalar inv_scale);

/// \brief One update of the scale after a step, PyTorch's `_amp_update_scale_`:
/// \f[ \text{found\_inf:}\quad S \leftarrow S \cdot \text{backoff},\quad \text{tracker} \leftarrow 0; \f]
/// otherwise tracker + 1 clean steps: if that reaches growth_interval,
/// \f$ S \leftarrow S \cdot \text{growth} \f$ (only when the result is finite) and
/// tracker ← 0, else tracker ← tracker + 1.
void update_loss_scale(LossScaleState& state, bool found_inf, const GradScalerOptions& options);
/// @}

}  // namespace gradlab::kernels
