/// \file
/// \brief Regularization and gradient control for a training loop: L1/L2/elastic-net
/// penalties, dropout (function and module), gradient clipping by global norm and by
/// value, early stopping, and gradient accumulation.
///
/// A training loop that uses all of them:
/// \code
/// gradlab::Rng rng(0);
/// gradlab::Sequential model({std::make_shared<gradlab::Linear>(20, 64, rng), std::make_shared<gradlab::ReLU>(),
///                            std::make_shared<gradlab::Dropout>(0.5, rng), std::make_shared<gradlab::Linear>(64, 1, rng)});
/// gradlab::SGD opt(model.parameters(), 0.05);
/// gradlab::GradientAccumulator acc(opt, 4);            // one step per 4 mini-batches
/// gradlab::EarlyStopping stopper(model.parameters(), {.patience = 10, .min_delta = 1e-4});
/// for (int epoch = 0; epoch < 200; ++epoch) {
///   model.train();
///   for (const auto& [x, y] : batches) {
///     gradlab::Tensor loss = mse_loss(model(x), y) + gradlab::l2_penalty(model.parameters(), 1e-4);
///     acc.backward(loss);                              // (loss / 4).backward()
///     if (acc.ready()) gradlab::clip_grad_norm_(model.parameters(), 1.0);
///     acc.step();                                      // every 4th call: opt.step(), opt.zero_grad()
///   }
///   model.eval();
///   if (stopper.step(validation_loss(model))) break;   // the best weights are back in the model
/// }
/// \endcode
/// The math is in the kernels of lab 07 (kernels/regularization.h). gradlab::dropout(),
/// EarlyStopping::step(), EarlyStopping::restore_best(), GradientAccumulator::backward()
/// and GradientAccumulator::step() are written in the lab as well.
/// \sa \ref notes_regularization, \ref notes_vanishing
#pragma once

#include "gradlab/kernels/regularization.h"
#include "gradlab/module.h"
#include "gradlab/optimizer.h"
#include "gradlab/random.h"
#include "gradlab/tensor.h"

#include <limits>
#include <vector>

namespace gradlab {

/// \name Weight penalties (differentiable; each returns a `[1, 1]` tensor to add to the loss)
/// Usually applied to weights only: biases and normalization scales are not penalized.
/// Each λ must be ≥ 0 and finite (else gradlab::Error naming it).
/// @{

/// \brief \f$ \lambda \sum_{ij} |w_{ij}| \f$; its gradient is λ sign(w), with sign(0) = 0.
Tensor l1_penalty(const Tensor& w, Scalar lambda);
/// \brief \f$ \frac{\lambda}{2} \sum_{ij} w_{ij}^2 \f$; its gradient is λw (PyTorch's weight_decay).
Tensor l2_penalty(const Tensor& w, Scalar lambda);
/// \brief \f$ \lambda_1 \sum_{ij} |w_{ij}| + \frac{\lambda_2}{2} \sum_{ij} w_{ij}^2 \f$.
Tensor elastic_net_penalty(const Tensor& w, Scalar l1, Scalar l2);
/// \brief The L1 penalty summed over \p params (`[1, 1]`; 0 for an empty list).
Tensor l1_penalty(const std::vector<Tensor>& params, Scalar lambda);
/// \brief The L2 penalty summed over \p params (`[1, 1]`; 0 for an empty list).
Tensor l2_penalty(const std::vector<Tensor>& params, Scalar lambda);
/// \brief The elastic-net penalty summed over \p params (`[1, 1]`; 0 for an empty list).
Tensor elastic_net_penalty(const std::vector<Tensor>& params, Scalar l1, Scalar l2);
/// @}

/// \name Dropout
/// @{

/// \brief Throws gradlab::Error naming \p p and the valid range [0, 1) when p is outside it
/// (p = 1 would drop everything and divide by 0; NaN is rejected too).
void check_dropout_p(Scalar p);

/// \brief Inverted dropout (torch.nn.functional.dropout): in training, each element is
/// kept with probability 1 − p and scaled by 1/(1 − p), the mask drawn from \p rng by
/// kernels::dropout_forward and reused by the backward pass; in evaluation
/// (\p training false), and for p = 0, the result is \p x itself and \p rng is not used.
///
/// Requires 0 ≤ p < 1, in both modes (else gradlab::Error naming p and the range).
/// Written in lab 07 (solutions/07_regularization/regularization.cpp). x, result: `[N, D]`.
Tensor dropout(const Tensor& x, Scalar p, bool training, Rng& rng);

/// \brief Dropout as a module: dropout(x, p, is_training(), its generator).
///
/// It has no parameters. It draws its masks from its own generator, seeded from the one
/// given to the constructor (so building it advances that generator by one draw), and
/// honours train() / eval() like every module: identity in evaluation.
class Dropout : public Module {
 public:
  /// \brief Drops with probability \p p in [0, 1) (checked); masks from a generator seeded
  /// by \p rng, by default the default_generator().
  explicit Dropout(Scalar p, Rng& rng = default_generator());
  /// \brief dropout(x, p(), is_training(), generator).
  Tensor forward(const Tensor& x) override;
  /// \brief The drop probability p.
  Scalar p() const { return p_; }

 private:
  Scalar p_;
  Rng rng_;
};
/// @}

/// \name Gradient clipping (on the parameters' gradients, in place)
/// A parameter without a gradient yet is skipped, as PyTorch skips `grad is None`.
/// @{

/// \brief Options of clip_grad_norm_() (PyTorch 1.13's arguments and defaults).
struct ClipGradNormOptions {
  Scalar norm_type = 2.0;           ///< p of the p-norm: > 0, or infinity for the largest |g|
  bool error_if_nonfinite = false;  ///< throw gradlab::Error when the total norm is NaN or ±inf
};

/// \brief Scales every gradient by min(1, max_norm / (‖g‖ + 1e-6)), ‖g‖ the norm of all
/// the gradients together (kernels::clip_grad_norm); returns ‖g‖ before clipping.
///
/// \p max_norm must be ≥ 0 and finite, \p options.norm_type > 0 (else gradlab::Error).
/// A NaN or infinite gradient gives a NaN or infinite norm and NaN gradients (PyTorch's
/// behaviour); with `error_if_nonfinite` it throws instead, naming the norm, and the
/// gradients are left as they were.
Scalar clip_grad_norm_(const std::vector<Tensor>& params, Scalar max_norm, const ClipGradNormOptions& options = {});

/// \brief Clamps every gradient element into [−clip_value, clip_value]
/// (kernels::clip_grad_value); \p clip_value must be ≥ 0 (else gradlab::Error).
void clip_grad_value_(const std::vector<Tensor>& params, Scalar clip_value);
/// @}

/// \name Early stopping
/// @{

/// \brief Whether a smaller (loss) or a larger (accuracy) metric is better.
enum class EarlyStoppingMode {
  Min,  ///< lower is better: an improvement is metric < best − min_delta
  Max,  ///< higher is better: an improvement is metric > best + min_delta
};

/// \brief Options of EarlyStopping (Keras's EarlyStopping arguments; PyTorch 1.13 has none).
struct EarlyStoppingOptions {
  EarlyStoppingMode mode = EarlyStoppingMode::Min;  ///< which direction is better
  Index patience = 10;        ///< ≥ 1: stop after this many epochs in a row without improvement
  Scalar min_delta = 0.0;     ///< ≥ 0: an improvement must beat the best by more than this
  bool restore_best_weights = true;  ///< on stopping, copy the best epoch's weights back
};

/// \brief Early stopping: watches a validation metric once per epoch, stops after
/// `patience` epochs without an improvement of more than `min_delta`, and keeps a copy
/// of the weights of the best epoch.
///
/// The rule (Keras's and PyTorch Lightning's EarlyStopping; the same test as
/// ReduceLROnPlateau's `threshold_mode = "abs"`): with best = +∞ (Min) or −∞ (Max) at
/// the start, an epoch improves when
/// \f[ \text{Min: } m < \text{best} - \delta, \qquad \text{Max: } m > \text{best} + \delta . \f]
/// An improvement sets best = m, saves a copy of the parameters' values and resets the
/// wait to 0; any other epoch (NaN included) increases the wait, and training should
/// stop when the wait reaches `patience`.
class EarlyStopping {
 public:
  /// \brief Watches the weights \p params (handles sharing the model's tensors); options checked.
  explicit EarlyStopping(std::vector<Tensor> params, const EarlyStoppingOptions& options = {});

  /// \brief Records one epoch's \p metric; returns true when training should stop.
  ///
  /// When it returns true and `restore_best_weights` is on, the parameters already hold
  /// the best epoch's values. Written in lab 07 (solutions/07_regularization/regularization.cpp).
  bool step(Scalar metric);
  /// \brief Copies the saved best values back into the parameters (no-op before any improvement).
  /// Written in lab 07.
  void restore_best();

  bool should_stop() const { return stop_; }                 ///< whether the wait has reached patience
  Scalar best() const { return best_; }                      ///< the best metric so far (±∞ before the first improvement)
  Index best_epoch() const { return best_epoch_; }           ///< the epoch (1 = first step()) of the best; 0 if none
  Index epoch() const { return epoch_; }                     ///< the number of step() calls
  Index wait() const { return wait_; }                       ///< epochs since the last improvement
  const std::vector<Matrix>& best_weights() const { return best_weights_; }  ///< the saved copy (empty before an improvement)
  const EarlyStoppingOptions& options() const { return options_; }           ///< the options

 private:
  std::vector<Tensor> params_;
  EarlyStoppingOptions options_;
  Scalar best_;
  Index best_epoch_ = 0;
  Index epoch_ = 0;
  Index wait_ = 0;
  bool stop_ = false;
  std::vector<Matrix> best_weights_;
};
/// @}

/// \name Gradient accumulation
/// @{

/// \brief Gradient accumulation: one optimizer step per k mini-batches, with the
/// gradient of their union.
///
/// For a loss that is a mean over its b examples, scaling each mini-batch's loss by 1/k
/// makes the summed gradients the gradient of the mean over all kb examples:
/// \f[ \nabla \frac{1}{kb}\sum_{i=1}^{kb} \ell_i = \sum_{j=1}^{k} \nabla \frac{L_j}{k}, \qquad L_j = \frac{1}{b}\sum_{i \in B_j} \ell_i . \f]
/// \code
/// opt.zero_grad();
/// for (auto& batch : batches) { acc.backward(loss_on(batch)); acc.step(); }
/// \endcode
/// A last group of fewer than k batches stays in the gradients (pending() tells how many):
/// call the optimizer yourself if you want it used. The optimizer must outlive this object.
class GradientAccumulator {
 public:
  /// \brief Steps \p optimizer once per \p steps mini-batches (k ≥ 1, checked).
  GradientAccumulator(Optimizer& optimizer, Index steps);

  /// \brief Back-propagates this mini-batch's \p loss (`[1, 1]`) scaled by 1/k: its
  /// gradients add to those of the previous mini-batches. Written in lab 07
  /// (solutions/07_regularization/gradient_control.cpp).
  void backward(const Tensor& loss);
  /// \brief Counts one mini-batch; on every k-th call steps the optimizer, zeroes the
  /// gradients and returns true (else returns false and changes nothing). Written in lab 07.
  bool step();

  /// \brief Whether the next step() will update (k − 1 mini-batches are pending): the
  /// moment to clip the accumulated gradients.
  bool ready() const { return pending_ + 1 == steps_; }
  Index steps() const { return steps_; }      ///< k
  Index pending() const { return pending_; }  ///< mini-batches counted since the last update

 private:
  Optimizer& optimizer_;
  Index steps_;
  Index pending_ = 0;
};
/// @}

}  // namespace gradlab
