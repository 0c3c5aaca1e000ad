/// \file
/// \brief Optimizers: parameter groups, per-parameter state, and the update rules of lab 05
/// (SGD with momentum and Nesterov, AdaGrad, RMSprop, Adam, AdamW).
#pragma once

#include "gradlab/kernels/optimizers.h"
#include "gradlab/tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gradlab {

/// \name Validation of the option structs
/// Each throws gradlab::Error naming the first invalid value and its valid range, e.g.
/// "AdamOptions: beta1 must be in [0, 1), got 1".
/// @{
void validate(const SGDOptions& o);      ///< lr ≥ 0, momentum in [0, 1), dampening in [0, 1], weight_decay ≥ 0, Nesterov needs momentum > 0 and dampening 0
void validate(const AdagradOptions& o);  ///< lr, lr_decay, weight_decay, initial_accumulator_value ≥ 0; eps > 0
void validate(const RMSpropOptions& o);  ///< lr ≥ 0, alpha in [0, 1), eps > 0, weight_decay ≥ 0, momentum in [0, 1)
void validate(const AdamOptions& o);     ///< lr ≥ 0, beta1 and beta2 in [0, 1), eps > 0, weight_decay ≥ 0
/// @}

/// \brief One parameter group: parameters that share a set of options.
///
/// The transfer-learning recipe, for example: a small rate for the pretrained body, a
/// larger one for the new head:
/// \code
/// gradlab::Adam opt({{body.parameters(), {.lr = 1e-4}}, {head.parameters(), {.lr = 1e-3}}});
/// \endcode
template <class Options>
struct ParamGroup {
  std::vector<Tensor> params;  ///< handles sharing the model's parameters
  Options options;             ///< this group's hyperparameters
};

/// \brief The state an optimizer keeps for one parameter.
///
/// Empty (step 0, no buffers) until the parameter's first update: a frozen parameter,
/// or one that never received a gradient, has no state.
struct ParamState {
  std::int64_t step = 0;                  ///< t: the updates applied to this parameter so far
  std::map<std::string, Matrix> buffers;  ///< named as in PyTorch: "momentum_buffer", "exp_avg", …
};

/// \brief Base class of optimizers: parameter groups, the per-parameter state, the step count.
///
/// A training step is `opt.zero_grad(); loss.backward(); opt.step();`. step() skips a
/// parameter that does not require a gradient (frozen with `set_requires_grad(false)`)
/// or has not received one yet: it does not move and gets no state. Each other
/// parameter's t counts its own updates (PyTorch's convention).
/// \sa \ref notes_optimizers
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;             ///< not copyable: the state belongs to these parameters
  Optimizer& operator=(const Optimizer&) = delete;  ///< not copyable

  /// \brief Updates every parameter that requires and has a gradient.
  ///
  /// For each parameter: skip it when it does not require a gradient or has none yet;
  /// before its first update fill its buffers (init_state); count the update in its
  /// state's step (t = 1 on the first); then apply the update rule (update). Also
  /// counts the call in step_count(). Lab 05 writes this loop
  /// (solutions/05_optimizers/optimizers.cpp).
  virtual void step();
  /// \brief Zeroes every parameter's gradient.
  void zero_grad();
  /// \brief The learning rate of the first group.
  Scalar lr() const { return group_lr(0); }
  /// \brief Sets the learning rate of every group (schedulers call this); ≥ 0 and finite.
  void set_lr(Scalar lr);
  /// \brief The number of parameter groups.
  std::size_t num_groups() const { return groups_.size(); }
  /// \brief The learning rate of group \p group.
  virtual Scalar group_lr(std::size_t group) const = 0;
  /// \brief Sets the learning rate of group \p group; ≥ 0 and finite.
  virtual void set_group_lr(std::size_t group, Scalar lr) = 0;
  /// \brief Every parameter, group after group (the index used by state()).
  const std::vector<Tensor>& params() const { return params_; }
  /// \brief The state of parameter \p index (its position in params()).
  const ParamState& state(std::size_t index) const;
  /// \brief How many times step() has been called.
  std::int64_t step_count() const { return step_count_; }
  /// \brief Restores a saved state (one ParamState per parameter, in params() order, and the
  /// step count): the next step() continues bit-exactly. Checks the count and every
  /// buffer's shape.
  void load_state(const std::vector<ParamState>& states, std::int64_t step_count);

 protected:
  /// \brief For subclasses: the groups' parameters (the options are the subclass's).
  /// Every parameter must be defined and require a gradient when it is handed over,
  /// and appear only once; a group may not be empty.
  explicit Optimizer(std::vector<std::vector<Tensor>> groups);
  /// \brief Fills the initial buffers of a parameter before its first update.
  virtual void init_state(std::size_t group, const Tensor& param, ParamState& state) = 0;
  /// \brief Applies one update to \p param (its state.step is already t).
  virtual void update(std::size_t group, Tensor& param, ParamState& state) = 0;

  std::vector<Tensor> params_;  ///< handles sharing the model's parameters, group after group

 private:
  // Whether a gradient has arrived since \p param was created (zero_grad() keeps one: zeros).
  static bool has_grad(const Tensor& param);

  std::vector<std::vector<Tensor>> groups_;
  std::vector<std::size_t> group_of_;  // group_of_[i]: the group of params_[i]
  std::vector<ParamState> state_;      // state_[i]: the state of params_[i]
  std::int64_t step_count_ = 0;
};

/// \brief An optimizer whose groups carry options of type \p Options (with an `lr` field).
template <class Options>
class OptimizerWith : public Optimizer {
 public:
  /// \brief The learning rate of group \p group (its options' `lr`).
  Scalar group_lr(std::size_t group) const override { return options_.at(group).lr; }
  /// \brief Sets group \p group's `lr`, validated with the rest of its options.
  void set_group_lr(std::size_t group, Scalar lr) override;
  /// \brief The options of group \p group.
  const Options& options(std::size_t group = 0) const { return options_.at(group); }

 protected:
  /// \brief Registers the groups' parameters and validates each group's options.
  explicit OptimizerWith(std::vector<ParamGroup<Options>> groups);

  std::vector<Options> options_;  ///< options_[g]: the options of group g

 private:
  static std::vector<std::vector<Tensor>> params_of(const std::vector<ParamGroup<Options>>& groups);
};

/// \brief SGD with optional momentum (PyTorch's v ← μv + (1 − τ)g, θ ← θ − ηv), Nesterov
/// and L2 weight decay: kernels::sgd_update. State: "momentum_buffer" (when μ > 0).
/// \sa \ref notes_gradient_descent
class SGD : public OptimizerWith<SGDOptions> {
 public:
  /// \brief Plain SGD on \p params with learning rate \p lr.
  SGD(std::vector<Tensor> params, Scalar lr);
  /// \brief SGD on \p params with options \p options (validated).
  SGD(std::vector<Tensor> params, const SGDOptions& options);
  /// \brief SGD on parameter groups, each with its own options (validated).
  explicit SGD(std::vector<ParamGroup<SGDOptions>> groups);

 protected:
  void init_state(std::size_t group, const Tensor& param, ParamState& state) override;
  void update(std::size_t group, Tensor& param, ParamState& state) override;
};

/// \brief AdaGrad: kernels::adagrad_update. State: "sum" (starting at initial_accumulator_value).
class Adagrad : public OptimizerWith<AdagradOptions> {
 public:
  /// \brief AdaGrad on \p params with options \p options (validated).
  explicit Adagrad(std::vector<Tensor> params, const AdagradOptions& options = {});
  /// \brief AdaGrad on parameter groups (validated).
  explicit Adagrad(std::vector<ParamGroup<AdagradOptions>> groups);

 protected:
  void init_state(std::size_t group, const Tensor& param, ParamState& state) override;
  void update(std::size_t group, Tensor& param, ParamState& state) override;
};

/// \brief RMSprop: kernels::rmsprop_update. State: "square_avg", plus "grad_avg" when
/// centered and "momentum_buffer" when μ > 0.
class RMSprop : public OptimizerWith<RMSpropOptions> {
 public:
  /// \brief RMSprop on \p params with options \p options (validated).
  explicit RMSprop(std::vector<Tensor> params, const RMSpropOptions& options = {});
  /// \brief RMSprop on parameter groups (validated).
  explicit RMSprop(std::vector<ParamGroup<RMSpropOptions>> groups);

 protected:
  void init_state(std::size_t group, const Tensor& param, ParamState& state) override;
  void update(std::size_t group, Tensor& param, ParamState& state) override;
};

/// \brief Adam with L2 weight decay added to the gradient: kernels::adam_update.
/// State: "exp_avg", "exp_avg_sq", plus "max_exp_avg_sq" with AMSGrad.
class Adam : public OptimizerWith<AdamOptions> {
 public:
  /// \brief Adam on \p params with options \p options (validated).
  explicit Adam(std::vector<Tensor> params, const AdamOptions& options = {});
  /// \brief Adam on parameter groups (validated).
  explicit Adam(std::vector<ParamGroup<AdamOptions>> groups);

 protected:
  void init_state(std::size_t group, const Tensor& param, ParamState& state) override;
  void update(std::size_t group, Tensor& param, ParamState& state) override;
};

/// \brief AdamW, Adam with decoupled weight decay: kernels::adamw_update. Same state as Adam.
/// The default options are Adam's with PyTorch's AdamW decay λ = 0.01.
class AdamW : public OptimizerWith<AdamOptions> {
 public:
  /// \brief AdamW's default options: Adam's with weight_decay = 0.01.
  static AdamOptions default_options() { return AdamOptions{.weight_decay = 1e-2}; }
  /// \brief AdamW on \p params with options \p options (validated).
  explicit AdamW(std::vector<Tensor> params, const AdamOptions& options = default_options());
  /// \brief AdamW on parameter groups (validated).
  explicit AdamW(std::vector<ParamGroup<AdamOptions>> groups);

 protected:
  void init_state(std::size_t group, const Tensor& param, ParamState& state) override;
  void update(std::size_t group, Tensor& param, ParamState& state) override;
};

}  // namespace gradlab
