/// \file
/// \brief Activation functions as differentiable operations and as modules.
///
/// Each operation computes its value with a forward kernel of lab 02
/// (kernels/activations.h) and records the matching backward kernel. The modules wrap
/// the operations so that they can be placed in a Sequential:
/// \code
/// Rng rng(42);
/// Sequential mlp({std::make_shared<Linear>(2, 32, rng), std::make_shared<ReLU>(),
///                 std::make_shared<Linear>(32, 3, rng), std::make_shared<LogSoftmax>()});
/// \endcode
/// Element-wise activations keep the input's shape `[N, D]`; softmax and log-softmax
/// work along each row (one example per row, one class per column).
/// \sa \ref notes_activations
#pragma once

#include "gradlab/module.h"

namespace gradlab {

/// \brief Options of LeakyReLU.
struct LeakyReLUOptions {
  Scalar alpha = 0.01;  ///< slope α for x ≤ 0; valid range 0 ≤ α < 1
  /// \brief Throws gradlab::Error naming α and its valid range when α is outside [0, 1).
  void validate() const;
};

/// \brief Options of ELU.
struct ELUOptions {
  Scalar alpha = 1.0;  ///< scale α of the negative branch (the limit is −α); valid range α > 0, finite
  /// \brief Throws gradlab::Error naming α and its valid range when α is not a positive finite number.
  void validate() const;
};

/// \brief Options of SiLU / Swish.
struct SiLUOptions {
  Scalar beta = 1.0;  ///< sharpness β in x σ(βx); β = 1 is SiLU; valid range β ≥ 0, finite
  /// \brief Throws gradlab::Error naming β and its valid range when β is negative or not finite.
  void validate() const;
};

/// \name Differentiable activation operations
/// @{

/// \brief Element-wise logistic sigmoid \f$ \sigma(x) = 1/(1+e^{-x}) \f$.
Tensor sigmoid(const Tensor& x);
/// \brief Element-wise \f$ \tanh x \f$.
Tensor tanh(const Tensor& x);
/// \brief Element-wise \f$ \max(x, 0) \f$; the derivative at 0 is 0.
Tensor relu(const Tensor& x);
/// \brief Element-wise \f$ x \f$ for x > 0, \f$ \alpha x \f$ otherwise; the derivative at 0 is α.
Tensor leaky_relu(const Tensor& x, const LeakyReLUOptions& options = {});
/// \brief Element-wise \f$ x \f$ for x > 0, \f$ \alpha(e^{x}-1) \f$ otherwise; the derivative at 0 is α.
Tensor elu(const Tensor& x, const ELUOptions& options = {});
/// \brief Element-wise GELU, exact form \f$ x\,\Phi(x) \f$ (Φ: the standard normal CDF, via erf).
Tensor gelu(const Tensor& x);
/// \brief Element-wise Swish \f$ x\,\sigma(\beta x) \f$ (SiLU for β = 1).
Tensor silu(const Tensor& x, const SiLUOptions& options = {});
/// \brief Same as silu(): the name used in the Swish paper.
inline Tensor swish(const Tensor& x, const SiLUOptions& options = {}) { return silu(x, options); }
/// \brief Element-wise \f$ \ln(1+e^{x}) \f$, computed stably.
Tensor softplus(const Tensor& x);
/// \brief Softmax of each row: `[N, D] → [N, D]`, every row sums to 1. Requires D ≥ 1.
Tensor softmax(const Tensor& x);
/// \brief Log-softmax of each row (stable log-sum-exp): `[N, D] → [N, D]`. Requires D ≥ 1.
Tensor log_softmax(const Tensor& x);
/// @}

/// \name Activation modules (no parameters), for use in a Sequential
/// @{

/// \brief Module form of sigmoid().
class Sigmoid : public Module {
 public:
  /// \brief sigmoid(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of tanh().
class Tanh : public Module {
 public:
  /// \brief tanh(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of relu().
class ReLU : public Module {
 public:
  /// \brief relu(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of leaky_relu().
class LeakyReLU : public Module {
 public:
  /// \brief A LeakyReLU with slope \p options.alpha; throws gradlab::Error if it is invalid.
  explicit LeakyReLU(LeakyReLUOptions options = {});
  /// \brief leaky_relu(x, options).
  Tensor forward(const Tensor& x) override;
  /// \brief The options it was built with.
  const LeakyReLUOptions& options() const { return options_; }

 private:
  LeakyReLUOptions options_;
};

/// \brief Module form of elu().
class ELU : public Module {
 public:
  /// \brief An ELU with scale \p options.alpha; throws gradlab::Error if it is invalid.
  explicit ELU(ELUOptions options = {});
  /// \brief elu(x, options).
  Tensor forward(const Tensor& x) override;
  /// \brief The options it was built with.
  const ELUOptions& options() const { return options_; }

 private:
  ELUOptions options_;
};

/// \brief Module form of gelu() (exact erf form).
class GELU : public Module {
 public:
  /// \brief gelu(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of silu() / swish().
class SiLU : public Module {
 public:
  /// \brief A Swish with sharpness \p options.beta (β = 1: SiLU); throws gradlab::Error if it is invalid.
  explicit SiLU(SiLUOptions options = {});
  /// \brief silu(x, options).
  Tensor forward(const Tensor& x) override;
  /// \brief The options it was built with.
  const SiLUOptions& options() const { return options_; }

 private:
  SiLUOptions options_;
};

/// \brief Swish is SiLU with a β (the same module).
using Swish = SiLU;

/// \brief Module form of softplus().
class Softplus : public Module {
 public:
  /// \brief softplus(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of softmax() (along rows).
class Softmax : public Module {
 public:
  /// \brief softmax(x).
  Tensor forward(const Tensor& x) override;
};

/// \brief Module form of log_softmax() (along rows).
class LogSoftmax : public Module {
 public:
  /// \brief log_softmax(x).
  Tensor forward(const Tensor& x) override;
};
/// @}

}  // namespace gradlab
