/// \file
/// \brief Linear: the fully connected layer y = x W + b.
#pragma once

#include "gradlab/module.h"

namespace gradlab {

/// \brief Fully connected layer \f$ y = x W + b \f$.
///
/// Shapes: x `[N, in]`, W `[in, out]`, b `[1, out]` (broadcast over the batch), y `[N, out]`.
/// It has \f$ \text{in}\cdot\text{out} + \text{out} \f$ parameters.
/// \sa \ref notes_neurons, \ref notes_init
class Linear : public Module {
 public:
  /// \brief W and b drawn from \f$ U(-1/\sqrt{\text{in}},\ 1/\sqrt{\text{in}}) \f$ with
  /// \p rng (PyTorch's default), by default the default_generator().
  Linear(Index in_features, Index out_features, Rng& rng = default_generator());
  /// \brief A layer with the given initial \p weight `[in, out]` and \p bias `[1, out]`.
  Linear(Matrix weight, Matrix bias);

  /// \brief \f$ y = x W + b \f$.
  Tensor forward(const Tensor& x) override;

  Tensor& weight() { return weight_; }  ///< W: `[in, out]`
  Tensor& bias() { return bias_; }      ///< b: `[1, out]`
  Index in_features() const { return weight_.rows(); }   ///< in
  Index out_features() const { return weight_.cols(); }  ///< out

 private:
  Tensor weight_;
  Tensor bias_;
};

}  // namespace gradlab
