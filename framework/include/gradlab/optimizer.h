/// \file
/// \brief Optimizer: the interface every update rule implements.
#pragma once

#include "gradlab/tensor.h"

#include <vector>

namespace gradlab {

/// \brief Base class of optimizers: holds the parameters and the learning rate.
///
/// A training step is `opt.zero_grad(); loss.backward(); opt.step();`. Subclasses
/// implement step() by calling an update kernel on every parameter.
/// \sa \ref notes_optimizers
class Optimizer {
 public:
  /// \brief Optimizes \p params with learning rate \p lr (must be ≥ 0 and finite).
  Optimizer(std::vector<Tensor> params, Scalar lr);
  virtual ~Optimizer() = default;

  /// \brief Updates every parameter from its gradient.
  virtual void step() = 0;
  /// \brief Zeroes every parameter's gradient.
  void zero_grad();
  /// \brief The current learning rate.
  Scalar lr() const { return lr_; }
  /// \brief Changes the learning rate (schedulers call this); must be ≥ 0 and finite.
  void set_lr(Scalar lr);
  /// \brief The parameters being optimized.
  const std::vector<Tensor>& params() const { return params_; }

 protected:
  std::vector<Tensor> params_;  ///< handles sharing the model's parameters

 private:
  Scalar lr_;
};

/// \brief Plain gradient descent: \f$ w \leftarrow w - \eta\, \nabla_w L \f$.
/// \sa \ref notes_gradient_descent
class SGD : public Optimizer {
 public:
  /// \brief Plain SGD on \p params with learning rate \p lr.
  SGD(std::vector<Tensor> params, Scalar lr) : Optimizer(std::move(params), lr) {}
  /// \brief \f$ w \leftarrow w - \eta\, \nabla_w L \f$ for every parameter.
  void step() override;
};

}  // namespace gradlab
