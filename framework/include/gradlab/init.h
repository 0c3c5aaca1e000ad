/// \file
/// \brief Initializers: (re)initialize a layer's weights in place by scheme, and build
/// Linear layers with a chosen initialization. The math is in kernels/init.h (lab 04).
///
/// \code
/// Rng rng(42);
/// auto layer = make_linear(256, 128, init::kaiming_normal(Nonlinearity::ReLU), rng);
/// initialize(layer->weight(), init::xavier_uniform(calculate_gain(Nonlinearity::Tanh)), rng);
/// initialize(*layer, initializer_from_name("lecun_normal"), rng);  // weight; bias to zeros
/// \endcode
///
/// Layout reminder: W is `[in, out]` (y = x W), so fan_in = rows(W), fan_out = cols(W).
/// \sa \ref notes_init
#pragma once

#include "gradlab/kernels/init.h"
#include "gradlab/linear.h"
#include "gradlab/random.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gradlab {

using kernels::FanMode;
using kernels::Nonlinearity;

// The gain of a nonlinearity (1, 1, 5/3, √2, √(2/(1+α²)) for linear, sigmoid, tanh,
// ReLU, LeakyReLU(α)): kernels::calculate_gain itself, not a wrapper. A wrapper of the
// same signature made the unqualified call calculate_gain(Nonlinearity::Tanh)
// ambiguous: argument-dependent lookup also finds the kernel (Nonlinearity lives in
// gradlab::kernels).
using kernels::calculate_gain;

/// \brief Fills a weight matrix in place, drawing from the generator it is given.
using Initializer = std::function<void(MatrixRef w, Rng& rng)>;

/// \brief Factories of the initialization schemes, one per kernel of kernels/init.h.
namespace init {

/// \brief Every element = \p value.
Initializer constant(Scalar value);
/// \brief Every element = 0. (Breaks nothing for biases; for weights every hidden unit
/// stays identical forever — the symmetry problem.)
Initializer zeros();
/// \brief \f$ \mathcal N(\mu, \sigma^2) \f$; \p stddev ≥ 0.
Initializer normal(Scalar mean, Scalar stddev);
/// \brief \f$ U[a, b) \f$; \p low ≤ \p high.
Initializer uniform(Scalar low, Scalar high);
/// \brief Xavier uniform, bound \f$ \text{gain}\sqrt{6/(\text{fan\_in}+\text{fan\_out})} \f$.
Initializer xavier_uniform(Scalar gain = 1.0);
/// \brief Xavier normal, std \f$ \text{gain}\sqrt{2/(\text{fan\_in}+\text{fan\_out})} \f$.
Initializer xavier_normal(Scalar gain = 1.0);
/// \brief Kaiming uniform for \p nonlinearity, bound \f$ \text{gain}\sqrt{3/\text{fan}} \f$.
/// \p negative_slope is α of LeakyReLU (ignored otherwise).
Initializer kaiming_uniform(Nonlinearity nonlinearity = Nonlinearity::ReLU, FanMode mode = FanMode::FanIn,
                            Scalar negative_slope = 0.01);
/// \brief Kaiming normal for \p nonlinearity, std \f$ \text{gain}/\sqrt{\text{fan}} \f$.
/// \p negative_slope is α of LeakyReLU (ignored otherwise).
Initializer kaiming_normal(Nonlinearity nonlinearity = Nonlinearity::ReLU, FanMode mode = FanMode::FanIn,
                           Scalar negative_slope = 0.01);
/// \brief LeCun normal, std \f$ 1/\sqrt{\text{fan\_in}} \f$.
Initializer lecun_normal();

}  // namespace init

/// \brief The initializer called \p name, with default settings.
///
/// Names: `zeros`, `xavier_uniform`, `xavier_normal` (gain 1), `kaiming_uniform`,
/// `kaiming_normal` (ReLU, fan_in), `lecun_normal`. Throws gradlab::Error listing the
/// valid names for any other.
Initializer initializer_from_name(const std::string& name);

/// \brief The names initializer_from_name() accepts.
std::vector<std::string> initializer_names();

/// \brief Re-initializes the value of \p weight in place with \p init (its gradient is untouched).
void initialize(Tensor& weight, const Initializer& init, Rng& rng);

/// \brief Re-initializes a Linear layer in place: its weight with \p weight_init, then its
/// bias with \p bias_init (zeros by default), in that order.
void initialize(Linear& layer, const Initializer& weight_init, Rng& rng,
                const Initializer& bias_init = init::zeros());

/// \brief A new `Linear(in_features, out_features)` whose weight `[in, out]` is drawn with
/// \p weight_init and whose bias is set by \p bias_init (zeros by default).
std::shared_ptr<Linear> make_linear(Index in_features, Index out_features, const Initializer& weight_init,
                                    Rng& rng, const Initializer& bias_init = init::zeros());

}  // namespace gradlab
