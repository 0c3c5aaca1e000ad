/// \file
/// \brief Normalization layers: batch normalization (BatchNorm1d), layer normalization
/// (LayerNorm) and group normalization (GroupNorm) over `[N, D]` inputs, as operations
/// and as modules.
///
/// \code
/// gradlab::Sequential net({std::make_shared<gradlab::Linear>(2, 64, rng), std::make_shared<gradlab::BatchNorm1d>(64),
///                          std::make_shared<gradlab::ReLU>(), std::make_shared<gradlab::Linear>(64, 3, rng)});
/// net.train();   // BatchNorm: batch statistics, running statistics updated
/// net.eval();    // BatchNorm: running statistics, one example at a time works
/// \endcode
/// The conventions are PyTorch 1.13's: ε = 1e-5 inside the square root, the biased
/// variance to normalize, momentum 0.1 meaning running ← 0.9·running + 0.1·batch, the
/// unbiased batch variance (N/(N − 1)) in the running variance, γ = 1 and β = 0 at the start.
/// The math is in the kernels of lab 08 (kernels/normalization.h); gradlab::batch_norm()
/// is written in the lab as well.
/// \sa \ref notes_normalization
#pragma once

#include "gradlab/kernels/normalization.h"
#include "gradlab/module.h"
#include "gradlab/tensor.h"

namespace gradlab {

/// \name Operations
/// @{

/// \brief Throws gradlab::Error when \p x cannot be batch-normalized with \p features
/// features: a column count other than \p features, or, in training, a batch of one row
/// (its variance is 0 and the unbiased estimate divides by N − 1 = 0; PyTorch: "Expected
/// more than 1 value per channel when training").
void check_batch_norm_input(const Tensor& x, Index features, bool training);

/// \brief Batch normalization of the columns of \p x.
///
/// Training: normalizes with the batch's mean and biased variance
/// (kernels::batch_norm_forward_train), updates \p running_mean and \p running_var in place
/// (kernels::batch_norm_update_running), and records the backward through μ and σ².
/// Evaluation: normalizes with the running statistics (kernels::batch_norm_forward_eval),
/// which are left unchanged. Checks its input with check_batch_norm_input().
/// Written in lab 08 (solutions/08_normalization/normalization.cpp).
/// x, result: `[N, D]`; gamma, beta, running_mean, running_var: `[1, D]`.
Tensor batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Matrix& running_mean, Matrix& running_var,
                  bool training, Scalar momentum = 0.1, Scalar eps = 1e-5);

/// \brief Layer normalization of the rows of \p x (kernels::layer_norm_forward). x: `[N, D]`; gamma, beta: `[1, D]`.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, Scalar eps = 1e-5);

/// \brief Group normalization of each row of \p x in \p groups groups of D/G consecutive
/// features (kernels::group_norm_forward); D must be divisible by G. gamma, beta: `[1, D]`.
Tensor group_norm(const Tensor& x, Index groups, const Tensor& gamma, const Tensor& beta, Scalar eps = 1e-5);
/// @}

/// \name Modules
/// @{

/// \brief Options of BatchNorm1d (PyTorch 1.13's defaults).
struct BatchNormOptions {
  Scalar eps = 1e-5;      ///< > 0, inside the square root
  Scalar momentum = 0.1;  ///< in [0, 1]: running ← (1 − momentum)·running + momentum·batch
};

/// \brief Batch normalization over the batch, per feature (torch.nn.BatchNorm1d on `[N, D]`).
///
/// Parameters "weight" (γ, ones) and "bias" (β, zeros), `[1, D]`. The running mean
/// (zeros) and running variance (ones) are the module's state beside its parameters:
/// read them with running_mean() / running_var() and restore them with
/// set_running_stats() (a checkpoint must save both, or evaluation changes).
class BatchNorm1d : public Module {
 public:
  /// \brief \p features D > 0 features; options checked (else gradlab::Error).
  explicit BatchNorm1d(Index features, const BatchNormOptions& options = {});
  /// \brief batch_norm(x, γ, β, running statistics, is_training(), momentum, eps).
  Tensor forward(const Tensor& x) override;

  Index features() const { return weight_.cols(); }            ///< D
  const Tensor& weight() const { return weight_; }               ///< γ `[1, D]`
  const Tensor& bias() const { return bias_; }                   ///< β `[1, D]`
  const Matrix& running_mean() const { return running_mean_; }   ///< `[1, D]`
  const Matrix& running_var() const { return running_var_; }     ///< `[1, D]` (unbiased estimates)
  /// \brief Replaces the running statistics (both `[1, D]`, the variance ≥ 0; else gradlab::Error).
  void set_running_stats(Matrix mean, Matrix var);
  const BatchNormOptions& options() const { return options_; }  ///< eps and momentum

 private:
  BatchNormOptions options_;
  Tensor weight_, bias_;
  Matrix running_mean_, running_var_;
};

/// \brief Layer normalization over the features of each example (torch.nn.LayerNorm(D));
/// the same in training and evaluation. Parameters "weight" (ones) and "bias" (zeros), `[1, D]`.
class LayerNorm : public Module {
 public:
  /// \brief \p features D > 0, \p eps > 0 (else gradlab::Error).
  explicit LayerNorm(Index features, Scalar eps = 1e-5);
  Tensor forward(const Tensor& x) override;            ///< layer_norm(x, γ, β, eps)
  const Tensor& weight() const { return weight_; }      ///< γ `[1, D]`
  const Tensor& bias() const { return bias_; }          ///< β `[1, D]`

 private:
  Scalar eps_;
  Tensor weight_, bias_;
};

/// \brief Group normalization (torch.nn.GroupNorm(G, D) on `[N, D]`): each example's D
/// features in G groups of D/G, each group normalized alone, γ and β per feature.
class GroupNorm : public Module {
 public:
  /// \brief \p groups G ≥ 1 dividing \p features D, \p eps > 0 (else gradlab::Error).
  GroupNorm(Index groups, Index features, Scalar eps = 1e-5);
  Tensor forward(const Tensor& x) override;            ///< group_norm(x, G, γ, β, eps)
  Index groups() const { return groups_; }              ///< G
  const Tensor& weight() const { return weight_; }      ///< γ `[1, D]`
  const Tensor& bias() const { return bias_; }          ///< β `[1, D]`

 private:
  Index groups_;
  Scalar eps_;
  Tensor weight_, bias_;
};
/// @}

}  // namespace gradlab
