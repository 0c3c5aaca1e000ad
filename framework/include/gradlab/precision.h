/// \file
/// \brief Emulated mixed precision: rounding to half / bfloat16, a differentiable cast
/// that rounds values and gradients, and dynamic loss scaling (GradScaler).
///
/// gradlab computes in double. Mixed precision is *emulated*: quantize() rounds a
/// tensor's values to 16 bits in the forward pass and its gradient in the backward
/// pass, so a network whose every layer output goes through it sees the rounding,
/// underflow and overflow of 16-bit activations and gradients, while the optimizer
/// keeps and updates the master weights in double. The training step with loss scaling:
/// \code
/// gradlab::GradScaler scaler;                 // S = 2^16, growth every 2000 clean steps
/// opt.zero_grad();
/// scaler.scale(loss).backward();              // gradients S times larger: fewer underflow
/// scaler.step(opt);                           // unscale (÷S); skip the step on inf/NaN
/// scaler.update();                            // back off on overflow, grow after a clean run
/// \endcode
/// The kernels are lab 12's (framework/include/gradlab/kernels/precision.h);
/// GradScaler::step() is lab 12's too (solutions/12_precision/precision.cpp).
/// \sa \ref notes_mixed_precision
#pragma once

#include "gradlab/kernels/precision.h"
#include "gradlab/optimizer.h"
#include "gradlab/tensor.h"

namespace gradlab {

/// \brief \p x rounded to the nearest value of \p format (ties to even), as a double.
Scalar round_to(FloatFormat format, Scalar x);

/// \brief The largest finite value of \p format (65504 or ≈ 3.39e38).
Scalar format_max(FloatFormat format);
/// \brief The smallest positive normal value of \p format (2⁻¹⁴ or 2⁻¹²⁶).
Scalar format_min_normal(FloatFormat format);
/// \brief The smallest positive subnormal value of \p format (2⁻²⁴ or 2⁻¹³³).
Scalar format_min_subnormal(FloatFormat format);
/// \brief The format's name: "half" or "bfloat16".
const char* format_name(FloatFormat format);

/// \brief A cast to 16 bits and back: \f$ y = \operatorname{round}_F(x) \f$, and in the
/// backward pass \f$ \bar x \mathrel{+}= \operatorname{round}_F(\bar y) \f$ (the gradient
/// is stored in 16 bits too). `[N, D] → [N, D]`. kernels::quantize_forward / _backward.
Tensor quantize(const Tensor& x, FloatFormat format = FloatFormat::Half);

/// \brief Checks \p o: init_scale > 0 and finite, growth_factor > 1, backoff_factor in
/// (0, 1), growth_interval ≥ 1; throws gradlab::Error naming the value and its range.
void validate(const GradScalerOptions& o);

/// \brief Dynamic loss scaling as PyTorch's `torch.cuda.amp.GradScaler`.
///
/// Per iteration: `scale(loss).backward()`, optionally `unscale_(opt)` (before
/// clipping), `step(opt)`, `update()`. The scale starts at init_scale; an overflow
/// (any ±∞ or NaN among the unscaled gradients) skips the optimizer's step, multiplies
/// the scale by backoff_factor and restarts the count of clean steps; growth_interval
/// clean steps in a row multiply it by growth_factor.
class GradScaler {
 public:
  /// \brief A scaler with options \p options (validated).
  explicit GradScaler(const GradScalerOptions& options = {});

  /// \brief loss × S, the tensor to call backward() on.
  Tensor scale(const Tensor& loss) const;
  /// \brief Divides the gradients of \p optimizer's parameters by S in place (once per
  /// iteration; a second call before update() throws) and records whether any is ±∞ or
  /// NaN. Parameters without a gradient (frozen, or none received) are left alone.
  void unscale_(Optimizer& optimizer);
  /// \brief Unscales (unless unscale_ was called this iteration), then calls
  /// `optimizer.step()` only when no gradient overflowed. Returns whether it stepped.
  bool step(Optimizer& optimizer);
  /// \brief Updates the scale with this iteration's overflow flag
  /// (kernels::update_loss_scale) and starts the next iteration.
  void update();

  /// \brief The current scale S.
  Scalar get_scale() const { return state_.scale; }
  /// \brief Clean steps in a row since the last growth or overflow.
  std::int64_t growth_tracker() const { return state_.growth_tracker; }
  /// \brief Whether this iteration's unscaled gradients held ±∞ or NaN.
  bool found_inf() const { return found_inf_; }
  /// \brief The options.
  const GradScalerOptions& options() const { return options_; }

 private:
  GradScalerOptions options_;
  LossScaleState state_;
  bool unscaled_ = false;   // unscale_ already ran this iteration
  bool found_inf_ = false;  // its verdict
};

}  // namespace gradlab
