#include "gradlab/module.h"

#include "gradlab/linear.h"
#include "gradlab/ops.h"

#include <cmath>

namespace gradlab {

std::vector<NamedParameter> Module::named_parameters() const {
  std::vector<NamedParameter> out;
  for (const auto& [name, tensor] : parameters_) out.push_back({name, tensor});
  for (const auto& [child_name, child] : children_) {
    for (auto& p : child->named_parameters()) out.push_back({child_name + "." + p.name, p.tensor});
  }
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& p : named_parameters()) out.push_back(p.tensor);
  return out;
}

Index Module::parameter_count() const {
  Index count = 0;
  for (const auto& p : named_parameters()) count += p.tensor.size();
  return count;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (auto& p : named_parameters()) p.tensor.zero_grad();
}

Tensor& Module::register_parameter(const std::string& name, Tensor tensor) {
  GRADLAB_CHECK(tensor.defined(), "register_parameter: parameter '" + name + "' is empty");
  tensor.set_requires_grad(true);
  parameters_.emplace_back(name, std::move(tensor));
  return parameters_.back().second;
}

void Module::register_module(const std::string& name, std::shared_ptr<Module> module) {
  GRADLAB_CHECK(module != nullptr, "register_module: module '" + name + "' is null");
  children_.emplace_back(name, std::move(module));
}

Sequential::Sequential(std::vector<std::shared_ptr<Module>> modules) {
  for (auto& m : modules) add(std::move(m));
}

Sequential& Sequential::add(std::shared_ptr<Module> module) {
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
  return *this;
}

Tensor Sequential::forward(const Tensor& x) {
  Tensor h = x;
  for (auto& m : modules_) h = m->forward(h);
  return h;
}

Linear::Linear(Index in_features, Index out_features, Rng& rng) {
  GRADLAB_CHECK(in_features > 0 && out_features > 0,
                "Linear: in_features and out_features must be positive, got " +
                    std::to_string(in_features) + " and " + std::to_string(out_features));
  const Scalar bound = 1.0 / std::sqrt(static_cast<Scalar>(in_features));
  weight_ = register_parameter("weight", Tensor::uniform(in_features, out_features, -bound, bound, rng));
  bias_ = register_parameter("bias", Tensor::uniform(1, out_features, -bound, bound, rng));
}

Linear::Linear(Matrix weight, Matrix bias) {
  GRADLAB_CHECK(bias.rows() == 1 && bias.cols() == weight.cols(),
                "Linear: bias must be [1, out] = " + shape_string(1, weight.cols()) + ", got " +
                    shape_string(bias));
  weight_ = register_parameter("weight", Tensor(std::move(weight)));
  bias_ = register_parameter("bias", Tensor(std::move(bias)));
}

Tensor Linear::forward(const Tensor& x) {
  GRADLAB_CHECK(x.cols() == in_features(), "Linear: input " + x.shape() + " has " +
                                               std::to_string(x.cols()) + " features, the layer expects " +
                                               std::to_string(in_features()));
  return linear(x, weight_, bias_);
}

}  // namespace gradlab
