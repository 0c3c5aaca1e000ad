/// \file
/// \brief Lab 04 kernels: weight initialization — constant, normal, uniform, Xavier
/// (Glorot), Kaiming (He) and LeCun, and the gain of each nonlinearity.
///
/// **Layout: gradlab's Linear computes \f$ y = x W + b \f$ with W `[in, out]`, so**
/// \f[ \text{fan\_in} = \text{rows}(W), \qquad \text{fan\_out} = \text{cols}(W). \f]
/// (PyTorch stores `weight` as `[out, in]` and computes \f$ x W^\top \f$: there
/// fan_in is the number of *columns*. Copying its code without this swap is the
/// classic mistake; compute_fans() is the one place that knows the layout.)
///
/// Randomness: every kernel that draws takes the generator explicitly and draws in
/// row-major order, exactly one `rng.normal(…)` or `rng.uniform(…)` call per element,
/// element (0,0) first. So the same seed gives the same bits in every implementation
/// that follows this rule (the grader compares the student's run with the reference).
///
/// The reference lives in `solutions/04_init/init.cpp`; your copy in `labs/04_init/init.cpp`.
/// \sa \ref notes_init
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

namespace gradlab::kernels {

/// \brief The nonlinearity that follows a layer; it decides the init's gain.
enum class Nonlinearity {
  Linear,     ///< identity (and any linear map): gain 1
  Sigmoid,    ///< logistic sigmoid: gain 1
  Tanh,       ///< hyperbolic tangent: gain 5/3
  ReLU,       ///< max(x, 0): gain \f$ \sqrt 2 \f$
  LeakyReLU,  ///< max(x, αx): gain \f$ \sqrt{2/(1+\alpha^2)} \f$
};

/// \brief Which fan Kaiming initialization keeps the variance of.
enum class FanMode {
  FanIn,   ///< preserve the forward activations' variance: fan = fan_in (the default)
  FanOut,  ///< preserve the backward gradients' variance: fan = fan_out
};

/// \brief The fans of a weight matrix.
struct Fans {
  Index fan_in = 0;   ///< inputs feeding each output unit: rows of W `[in, out]`
  Index fan_out = 0;  ///< output units each input feeds: cols of W `[in, out]`
};

/// \name Fans and gains
/// @{

/// \brief The fans of a weight \p w `[in, out]` in gradlab's layout \f$ y = x W \f$.
/// \f[ \text{fan\_in} = \text{rows}(W), \qquad \text{fan\_out} = \text{cols}(W) \f]
/// Requires: w has at least one row and one column.
Fans compute_fans(ConstMatrixRef w);

/// \brief The recommended gain of \p nonlinearity (PyTorch's `calculate_gain` conventions).
///
/// | nonlinearity | gain |
/// |---|---|
/// | Linear, Sigmoid | 1 |
/// | Tanh | 5/3 |
/// | ReLU | \f$ \sqrt 2 \f$ |
/// | LeakyReLU(α) | \f$ \sqrt{2 / (1 + \alpha^2)} \f$ |
///
/// ReLU zeroes half of a symmetric input, halving its second moment; the gain
/// \f$ \sqrt 2 \f$ puts it back. LeakyReLU keeps \f$ \alpha^2 \f$ of the negative half.
/// \p negative_slope is α, used only for LeakyReLU; it must be finite.
Scalar calculate_gain(Nonlinearity nonlinearity, Scalar negative_slope = 0.01);
/// @}

/// \name Standard deviations and bounds (the formulas, without drawing)
/// @{

/// \brief Xavier/Glorot standard deviation:
/// \f[ \sigma = \text{gain}\cdot\sqrt{\frac{2}{\text{fan\_in}+\text{fan\_out}}} \f]
/// the compromise between keeping forward (\f$ n_{in}\sigma^2 = 1 \f$) and backward
/// (\f$ n_{out}\sigma^2 = 1 \f$) variances.
Scalar xavier_std(Index fan_in, Index fan_out, Scalar gain = 1.0);

/// \brief Kaiming/He standard deviation for the chosen fan:
/// \f[ \sigma = \frac{\text{gain}}{\sqrt{\text{fan}}} \f]
/// (with ReLU's gain \f$ \sqrt 2 \f$: \f$ \sigma^2 = 2/\text{fan} \f$).
Scalar kaiming_std(Index fan, Scalar gain);

/// \brief The bound b of the uniform distribution U(−b, b) with standard deviation \p stddev:
/// \f[ \operatorname{Var} U(-b, b) = \frac{b^2}{3} \quad\Rightarrow\quad b = \sqrt{3}\,\sigma \f]
Scalar uniform_bound(Scalar stddev);
/// @}

/// \name Filling a weight matrix in place
/// Every kernel here overwrites all of \p w; the random ones draw in row-major order,
/// one draw per element.
/// @{

/// \brief \f$ w_{ij} = \text{value} \f$ for every element (zeros: value = 0).
void fill_constant(MatrixRef w, Scalar value);

/// \brief \f$ w_{ij} \sim \mathcal N(\mu, \sigma^2) \f$, as `rng.normal(mean, stddev)` per element.
/// Requires \p stddev ≥ 0 (σ = 0 gives the constant μ).
void fill_normal(MatrixRef w, Scalar mean, Scalar stddev, Rng& rng);

/// \brief \f$ w_{ij} \sim U[a, b) \f$, as `rng.uniform(low, high)` per element.
/// Requires \p low ≤ \p high.
void fill_uniform(MatrixRef w, Scalar low, Scalar high, Rng& rng);

/// \brief Xavier/Glorot uniform: \f$ w_{ij} \sim U(-b, b) \f$ with
/// \f[ b = \text{gain}\cdot\sqrt{\frac{6}{\text{fan\_in}+\text{fan\_out}}}
///       = \sqrt 3\cdot\text{xavier\_std} \f]
/// Meant for tanh (gain 5/3 in PyTorch's convention, 1 in Glorot's paper) and linear layers.
void xavier_uniform(MatrixRef w, Scalar gain, Rng& rng);

/// \brief Xavier/Glorot normal: \f$ w_{ij} \sim \mathcal N(0, \sigma^2) \f$,
/// \f$ \sigma = \text{gain}\cdot\sqrt{2/(\text{fan\_in}+\text{fan\_out})} \f$.
void xavier_normal(MatrixRef w, Scalar gain, Rng& rng);

/// \brief Kaiming/He uniform: \f$ w_{ij} \sim U(-b, b) \f$,
/// \f$ b = \text{gain}\cdot\sqrt{3/\text{fan}} \f$, fan chosen by \p mode.
/// \p gain is calculate_gain() of the following nonlinearity (\f$ \sqrt 2 \f$ for ReLU).
void kaiming_uniform(MatrixRef w, Scalar gain, FanMode mode, Rng& rng);

/// \brief Kaiming/He normal: \f$ w_{ij} \sim \mathcal N(0, \sigma^2) \f$,
/// \f$ \sigma = \text{gain}/\sqrt{\text{fan}} \f$, fan chosen by \p mode.
/// \p gain is calculate_gain() of the following nonlinearity (\f$ \sqrt 2 \f$ for ReLU).
void kaiming_normal(MatrixRef w, Scalar gain, FanMode mode, Rng& rng);

/// \brief LeCun normal: \f$ w_{ij} \sim \mathcal N(0, 1/\text{fan\_in}) \f$
/// (Kaiming normal with gain 1 and fan_in; the init of SELU networks).
void lecun_normal(MatrixRef w, Rng& rng);
/// @}

}  // namespace gradlab::kernels
