#include "gradlab/optimizer.h"

#include <cmath>
#include <set>

namespace gradlab {

namespace {

constexpr auto* require = &check_option;  // core.h: "<what>: <name> must be <range>, got <value>"

void check_lr(const char* what, Scalar lr) { require(std::isfinite(lr) && lr >= 0, what, "lr", "finite and >= 0", lr); }
void check_non_negative(const char* what, const char* name, Scalar v) {
  require(std::isfinite(v) && v >= 0, what, name, "finite and >= 0", v);
}
void check_positive(const char* what, const char* name, Scalar v) {
  require(std::isfinite(v) && v > 0, what, name, "finite and > 0", v);
}
void check_unit_open(const char* what, const char* name, Scalar v) {
  require(v >= 0 && v < 1, what, name, "in [0, 1)", v);
}

}  // namespace

void validate(const SGDOptions& o) {
  const char* what = "SGDOptions";
  check_lr(what, o.lr);
  check_unit_open(what, "momentum", o.momentum);
  require(o.dampening >= 0 && o.dampening <= 1, what, "dampening", "in [0, 1]", o.dampening);
  check_non_negative(what, "weight_decay", o.weight_decay);
  if (o.nesterov) {
    require(o.momentum > 0, what, "momentum", "> 0 with nesterov = true", o.momentum);
    require(o.dampening == 0, what, "dampening", "0 with nesterov = true", o.dampening);
  }
}

void validate(const AdagradOptions& o) {
  const char* what = "AdagradOptions";
  check_lr(what, o.lr);
  check_non_negative(what, "lr_decay", o.lr_decay);
  check_non_negative(what, "weight_decay", o.weight_decay);
  check_non_negative(what, "initial_accumulator_value", o.initial_accumulator_value);
  check_positive(what, "eps", o.eps);
}

void validate(const RMSpropOptions& o) {
  const char* what = "RMSpropOptions";
  check_lr(what, o.lr);
  check_unit_open(what, "alpha", o.alpha);
  check_positive(what, "eps", o.eps);
  check_non_negative(what, "weight_decay", o.weight_decay);
  check_unit_open(what, "momentum", o.momentum);
}

void validate(const AdamOptions& o) {
  const char* what = "AdamOptions";
  check_lr(what, o.lr);
  check_unit_open(what, "beta1", o.beta1);
  check_unit_open(what, "beta2", o.beta2);
  check_positive(what, "eps", o.eps);
  check_non_negative(what, "weight_decay", o.weight_decay);
}

// ------------------------------------------------------------------ Optimizer

Optimizer::Optimizer(std::vector<std::vector<Tensor>> groups) : groups_(std::move(groups)) {
  GRADLAB_CHECK(!groups_.empty(), "Optimizer: no parameter group given");
  std::set<const Node*> seen;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (const Tensor& p : groups_[g]) {
      const std::string name = "Optimizer: parameter " + std::to_string(params_.size()) + " (group " +
                               std::to_string(g) + ")";
      GRADLAB_CHECK(p.defined() && p.requires_grad(), name + " is empty or does not require a gradient");
      GRADLAB_CHECK(seen.insert(p.node().get()).second, name + " appears twice");
      params_.push_back(p);
      group_of_.push_back(g);
    }
  }
  state_.resize(params_.size());
}

// Optimizer::step() is lab 05's: solutions/05_optimizers/optimizers.cpp.

bool Optimizer::has_grad(const Tensor& param) { return param.node()->grad.size() == param.size(); }

void Optimizer::zero_grad() {
  for (auto& p : params_) p.zero_grad();
}

void Optimizer::set_lr(Scalar lr) {
  check_lr("Optimizer::set_lr", lr);
  for (std::size_t g = 0; g < num_groups(); ++g) set_group_lr(g, lr);
}

const ParamState& Optimizer::state(std::size_t index) const {
  GRADLAB_CHECK(index < state_.size(), "Optimizer::state: parameter " + std::to_string(index) +
                                           " does not exist (there are " + std::to_string(state_.size()) + ")");
  return state_[index];
}

void Optimizer::load_state(const std::vector<ParamState>& states, std::int64_t step_count) {
  GRADLAB_CHECK(states.size() == params_.size(), "Optimizer::load_state: " + std::to_string(states.size()) +
                                                     " states for " + std::to_string(params_.size()) + " parameters");
  GRADLAB_CHECK(step_count >= 0, "Optimizer::load_state: step count must be >= 0, got " + std::to_string(step_count));
  for (std::size_t i = 0; i < states.size(); ++i) {
    GRADLAB_CHECK(states[i].step >= 0, "Optimizer::load_state: parameter " + std::to_string(i) + " has a negative step");
    for (const auto& [name, m] : states[i].buffers) {
      GRADLAB_CHECK(m.rows() == params_[i].rows() && m.cols() == params_[i].cols(),
                    "Optimizer::load_state: buffer '" + name + "' of parameter " + std::to_string(i) + " is " +
                        shape_string(m) + " but the parameter is " + params_[i].shape());
    }
  }
  state_ = states;
  step_count_ = step_count;
}

// ------------------------------------------------------------------ OptimizerWith

template <class Options>
std::vector<std::vector<Tensor>> OptimizerWith<Options>::params_of(const std::vector<ParamGroup<Options>>& groups) {
  std::vector<std::vector<Tensor>> out;
  for (const auto& g : groups) out.push_back(g.params);
  return out;
}

template <class Options>
OptimizerWith<Options>::OptimizerWith(std::vector<ParamGroup<Options>> groups) : Optimizer(params_of(groups)) {
  for (auto& g : groups) {
    validate(g.options);
    options_.push_back(g.options);
  }
}

template <class Options>
void OptimizerWith<Options>::set_group_lr(std::size_t group, Scalar lr) {
  GRADLAB_CHECK(group < options_.size(), "Optimizer::set_group_lr: group " + std::to_string(group) +
                                             " does not exist (there are " + std::to_string(options_.size()) + ")");
  Options o = options_[group];
  o.lr = lr;
  validate(o);
  options_[group] = o;
}

template class OptimizerWith<SGDOptions>;
template class OptimizerWith<AdagradOptions>;
template class OptimizerWith<RMSpropOptions>;
template class OptimizerWith<AdamOptions>;

namespace {
// A zero buffer of the parameter's shape.
Matrix zeros_like(const Tensor& p) { return Matrix::Zero(p.rows(), p.cols()); }
}  // namespace

// ------------------------------------------------------------------ SGD

SGD::SGD(std::vector<Tensor> params, Scalar lr) : SGD(std::move(params), SGDOptions{.lr = lr}) {}
SGD::SGD(std::vector<Tensor> params, const SGDOptions& options)
    : SGD(std::vector<ParamGroup<SGDOptions>>{{std::move(params), options}}) {}
SGD::SGD(std::vector<ParamGroup<SGDOptions>> groups) : OptimizerWith(std::move(groups)) {}

void SGD::init_state(std::size_t group, const Tensor& param, ParamState& state) {
  if (options_[group].momentum > 0) state.buffers["momentum_buffer"] = zeros_like(param);
}

void SGD::update(std::size_t group, Tensor& param, ParamState& state) {
  const SGDOptions& o = options_[group];
  Matrix none(0, 0);  // a [0, 0] matrix stands for a buffer the options do not use
  Matrix& momentum_buffer = o.momentum > 0 ? state.buffers.at("momentum_buffer") : none;
  kernels::sgd_update(param.value(), param.grad(), momentum_buffer, o, state.step);
}

// ------------------------------------------------------------------ Adagrad

Adagrad::Adagrad(std::vector<Tensor> params, const AdagradOptions& options)
    : Adagrad(std::vector<ParamGroup<AdagradOptions>>{{std::move(params), options}}) {}
Adagrad::Adagrad(std::vector<ParamGroup<AdagradOptions>> groups) : OptimizerWith(std::move(groups)) {}

void Adagrad::init_state(std::size_t group, const Tensor& param, ParamState& state) {
  state.buffers["sum"] = Matrix::Constant(param.rows(), param.cols(), options_[group].initial_accumulator_value);
}

void Adagrad::update(std::size_t group, Tensor& param, ParamState& state) {
  kernels::adagrad_update(param.value(), param.grad(), state.buffers.at("sum"), options_[group], state.step);
}

// ------------------------------------------------------------------ RMSprop

RMSprop::RMSprop(std::vector<Tensor> params, const RMSpropOptions& options)
    : RMSprop(std::vector<ParamGroup<RMSpropOptions>>{{std::move(params), options}}) {}
RMSprop::RMSprop(std::vector<ParamGroup<RMSpropOptions>> groups) : OptimizerWith(std::move(groups)) {}

void RMSprop::init_state(std::size_t group, const Tensor& param, ParamState& state) {
  const RMSpropOptions& o = options_[group];
  state.buffers["square_avg"] = zeros_like(param);
  if (o.centered) state.buffers["grad_avg"] = zeros_like(param);
  if (o.momentum > 0) state.buffers["momentum_buffer"] = zeros_like(param);
}

void RMSprop::update(std::size_t group, Tensor& param, ParamState& state) {
  auto& b = state.buffers;
  Matrix none(0, 0);
  Matrix& grad_avg = b.count("grad_avg") ? b.at("grad_avg") : none;
  Matrix& momentum_buffer = b.count("momentum_buffer") ? b.at("momentum_buffer") : none;
  kernels::rmsprop_update(param.value(), param.grad(), b.at("square_avg"), grad_avg, momentum_buffer, options_[group],
                          state.step);
}

// ------------------------------------------------------------------ Adam and AdamW

namespace {
void init_adam_state(const AdamOptions& o, const Tensor& param, ParamState& state) {
  state.buffers["exp_avg"] = zeros_like(param);
  state.buffers["exp_avg_sq"] = zeros_like(param);
  if (o.amsgrad) state.buffers["max_exp_avg_sq"] = zeros_like(param);
}
}  // namespace

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Adam(std::vector<ParamGroup<AdamOptions>>{{std::move(params), options}}) {}
Adam::Adam(std::vector<ParamGroup<AdamOptions>> groups) : OptimizerWith(std::move(groups)) {}

void Adam::init_state(std::size_t group, const Tensor& param, ParamState& state) {
  init_adam_state(options_[group], param, state);
}

void Adam::update(std::size_t group, Tensor& param, ParamState& state) {
  auto& b = state.buffers;
  Matrix none(0, 0);
  Matrix& max_sq = b.count("max_exp_avg_sq") ? b.at("max_exp_avg_sq") : none;
  kernels::adam_update(param.value(), param.grad(), b.at("exp_avg"), b.at("exp_avg_sq"), max_sq, options_[group],
                       state.step);
}

AdamW::AdamW(std::vector<Tensor> params, const AdamOptions& options)
    : AdamW(std::vector<ParamGroup<AdamOptions>>{{std::move(params), options}}) {}
AdamW::AdamW(std::vector<ParamGroup<AdamOptions>> groups) : OptimizerWith(std::move(groups)) {}

void AdamW::init_state(std::size_t group, const Tensor& param, ParamState& state) {
  init_adam_state(options_[group], param, state);
}

void AdamW::update(std::size_t group, Tensor& param, ParamState& state) {
  auto& b = state.buffers;
  Matrix none(0, 0);
  Matrix& max_sq = b.count("max_exp_avg_sq") ? b.at("max_exp_avg_sq") : none;
  kernels::adamw_update(param.value(), param.grad(), b.at("exp_avg"), b.at("exp_avg_sq"), max_sq, options_[group],
                        state.step);
}

}  // namespace gradlab
