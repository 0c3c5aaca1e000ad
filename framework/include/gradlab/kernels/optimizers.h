/// \file
/// \brief Lab 05 kernels: the update rule of every optimizer, and their option structs.
///
/// Conventions for every kernel here:
/// - one call updates ONE parameter matrix `theta` in place from its gradient `grad`
///   (both `[R, C]`, the parameter's shape) and its state buffers (same shape, named as
///   in PyTorch: `momentum_buffer`, `sum`, `square_avg`, `grad_avg`, `exp_avg`,
///   `exp_avg_sq`, `max_exp_avg_sq`), which the kernel updates in place too;
/// - `step` is t, the number of this update for this parameter, counted from 1: the
///   first call has step = 1 (the state buffers then hold their initial values);
/// - the learning rate and every hyperparameter come in the options, already validated
///   by the Optimizer classes (gradlab/optimizer.h): the kernels check nothing;
/// - `grad` is read-only: an L2 weight decay λ is folded into a local gradient
///   \f$ g = \nabla + \lambda\theta \f$, never written back into `grad`;
/// - every formula is PyTorch 1.13's documented algorithm (torch.optim.*), including
///   where conventions differ between papers: ε is added *outside* the square root,
///   SGD's momentum buffer starts as the first gradient, t starts at 1.
///
/// All operations are element-wise. The loop that calls these kernels for every
/// parameter, Optimizer::step() (gradlab/optimizer.h), is part of the lab too. The reference lives in
/// `solutions/05_optimizers/optimizers.cpp`; your copy in `labs/05_optimizers/optimizers.cpp`.
/// \sa \ref notes_optimizers
#pragma once

#include "gradlab/core.h"

#include <cstdint>

namespace gradlab {

/// \name Option structs (one per optimizer; defaults are PyTorch's)
/// Each is validated by `validate()` (gradlab/optimizer.h) with a message naming the
/// value and its valid range.
/// @{

/// \brief SGD, with optional momentum, dampening, Nesterov and L2 weight decay.
struct SGDOptions {
  Scalar lr = 0.01;            ///< η ≥ 0
  Scalar momentum = 0.0;       ///< μ in [0, 1); 0 disables momentum
  Scalar dampening = 0.0;      ///< τ in [0, 1]: the gradient enters the buffer scaled by 1 − τ
  Scalar weight_decay = 0.0;   ///< L2 coefficient λ ≥ 0, added to the gradient
  bool nesterov = false;       ///< Nesterov momentum (needs μ > 0 and τ = 0)
};

/// \brief AdaGrad.
struct AdagradOptions {
  Scalar lr = 0.01;                       ///< η ≥ 0
  Scalar lr_decay = 0.0;                  ///< ≥ 0: the rate at step t is η / (1 + (t − 1)·lr_decay)
  Scalar weight_decay = 0.0;              ///< L2 coefficient λ ≥ 0
  Scalar initial_accumulator_value = 0.0; ///< ≥ 0: the starting value of the sum of squares
  Scalar eps = 1e-10;                     ///< ε > 0, added outside the square root
};

/// \brief RMSprop, with optional momentum and the centered variant.
struct RMSpropOptions {
  Scalar lr = 0.01;           ///< η ≥ 0
  Scalar alpha = 0.99;        ///< α in [0, 1): the smoothing constant (weight of the OLD average)
  Scalar eps = 1e-8;          ///< ε > 0, added outside the square root
  Scalar weight_decay = 0.0;  ///< L2 coefficient λ ≥ 0
  Scalar momentum = 0.0;      ///< μ in [0, 1)
  bool centered = false;      ///< divide by an estimate of the variance instead of the second moment
};

/// \brief Adam (with L2 weight decay added to the gradient) and AdamW (decoupled decay;
/// gradlab::AdamW's default options set PyTorch's λ = 0.01).
struct AdamOptions {
  Scalar lr = 1e-3;           ///< η ≥ 0
  Scalar beta1 = 0.9;         ///< β₁ in [0, 1)
  Scalar beta2 = 0.999;       ///< β₂ in [0, 1)
  Scalar eps = 1e-8;          ///< ε > 0, added outside the square root
  Scalar weight_decay = 0.0;  ///< λ ≥ 0 (Adam: L2 on the gradient; AdamW: decoupled)
  bool amsgrad = false;       ///< use the running maximum of the second moment
};

/// @}

namespace kernels {

/// \brief One SGD step, with momentum, dampening, Nesterov and L2 weight decay
/// (torch.optim.SGD).
/// \f[ g = \nabla + \lambda\theta, \qquad
///     b_t = \begin{cases} g & t = 1 \\ \mu b_{t-1} + (1-\tau)\, g & t > 1 \end{cases}, \qquad
///     \theta \leftarrow \theta - \eta \cdot \begin{cases} g & \mu = 0 \\ g + \mu b_t & \text{Nesterov} \\ b_t & \text{otherwise} \end{cases} \f]
/// \p momentum_buffer is read and written only when μ > 0 (then it is `[R, C]`).
/// theta, grad, momentum_buffer: `[R, C]`.
void sgd_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef momentum_buffer, const SGDOptions& o,
                std::int64_t step);

/// \brief One AdaGrad step (torch.optim.Adagrad).
/// \f[ g = \nabla + \lambda\theta, \qquad \tilde\eta = \frac{\eta}{1 + (t-1)\,\text{lr\_decay}}, \qquad
///     s \leftarrow s + g^2, \qquad \theta \leftarrow \theta - \tilde\eta\, \frac{g}{\sqrt{s} + \epsilon} \f]
/// \p sum starts at `initial_accumulator_value` (the Optimizer fills it).
/// theta, grad, sum: `[R, C]`.
void adagrad_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef sum, const AdagradOptions& o,
                    std::int64_t step);

/// \brief One RMSprop step (torch.optim.RMSprop).
/// \f[ g = \nabla + \lambda\theta, \qquad v \leftarrow \alpha v + (1-\alpha)\, g^2, \qquad
///     d = \begin{cases} \sqrt{v - \bar g^2} + \epsilon,\ \ \bar g \leftarrow \alpha \bar g + (1-\alpha) g & \text{centered}
///       \\ \sqrt{v} + \epsilon & \text{otherwise} \end{cases} \f]
/// \f[ \mu > 0:\ b \leftarrow \mu b + g / d,\ \ \theta \leftarrow \theta - \eta\, b; \qquad
///     \mu = 0:\ \theta \leftarrow \theta - \eta\, g / d \f]
/// Every buffer starts at 0 (RMSprop's momentum buffer too). \p grad_avg is used only
/// when centered, \p momentum_buffer only when μ > 0. All: `[R, C]`.
void rmsprop_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef square_avg, MatrixRef grad_avg,
                    MatrixRef momentum_buffer, const RMSpropOptions& o, std::int64_t step);

/// \brief One Adam step (torch.optim.Adam), with L2 weight decay added to the gradient.
/// \f[ g = \nabla + \lambda\theta, \qquad m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad
///     v \leftarrow \beta_2 v + (1-\beta_2)\, g^2, \qquad
///     \hat v = \begin{cases} v_{\max} \leftarrow \max(v_{\max}, v) & \text{AMSGrad} \\ v & \text{otherwise} \end{cases} \f]
/// \f[ \theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\;
///     \frac{m}{\sqrt{\hat v}\,/\sqrt{1-\beta_2^t} + \epsilon} \f]
/// With ε negligible the first step moves every element by exactly η: m̂ = g, v̂ = g².
/// \p max_exp_avg_sq is used only with AMSGrad. All: `[R, C]`, starting at 0.
void adam_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef exp_avg, MatrixRef exp_avg_sq,
                 MatrixRef max_exp_avg_sq, const AdamOptions& o, std::int64_t step);

/// \brief One AdamW step (torch.optim.AdamW): the weight decay is decoupled.
/// \f[ \theta \leftarrow \theta\,(1 - \eta\lambda), \qquad \text{then Adam's step with } g = \nabla \f]
/// The decay neither enters the moments nor is divided by the adaptive denominator:
/// every weight shrinks by the same factor. All: `[R, C]`, starting at 0.
void adamw_update(MatrixRef theta, ConstMatrixRef grad, MatrixRef exp_avg, MatrixRef exp_avg_sq,
                  MatrixRef max_exp_avg_sq, const AdamOptions& o, std::int64_t step);

}  // namespace kernels
}  // namespace gradlab
