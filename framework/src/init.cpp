// Initializers: thin wrappers that hand a weight matrix to the lab 04 kernels.
// No math here — the formulas live in the kernels (solutions/04_init/init.cpp).
#include "gradlab/init.h"

#include <cmath>
#include <map>
#include <utility>

namespace gradlab {

namespace init {

Initializer constant(Scalar value) {
  return [value](MatrixRef w, Rng&) { kernels::fill_constant(w, value); };
}

Initializer zeros() { return constant(0.0); }

Initializer normal(Scalar mean, Scalar stddev) {
  GRADLAB_CHECK(stddev >= 0.0 && std::isfinite(stddev),
                "init::normal: stddev must be finite and >= 0, got " + std::to_string(stddev));
  return [mean, stddev](MatrixRef w, Rng& rng) { kernels::fill_normal(w, mean, stddev, rng); };
}

Initializer uniform(Scalar low, Scalar high) {
  GRADLAB_CHECK(low <= high, "init::uniform: need low <= high, got [" + std::to_string(low) + ", " +
                                 std::to_string(high) + ")");
  return [low, high](MatrixRef w, Rng& rng) { kernels::fill_uniform(w, low, high, rng); };
}

Initializer xavier_uniform(Scalar gain) {
  GRADLAB_CHECK(gain > 0.0 && std::isfinite(gain),
                "init::xavier_uniform: gain must be finite and > 0, got " + std::to_string(gain));
  return [gain](MatrixRef w, Rng& rng) { kernels::xavier_uniform(w, gain, rng); };
}

Initializer xavier_normal(Scalar gain) {
  GRADLAB_CHECK(gain > 0.0 && std::isfinite(gain),
                "init::xavier_normal: gain must be finite and > 0, got " + std::to_string(gain));
  return [gain](MatrixRef w, Rng& rng) { kernels::xavier_normal(w, gain, rng); };
}

// The gain is computed when the initializer is applied, by the lab's kernel.
Initializer kaiming_uniform(Nonlinearity nonlinearity, FanMode mode, Scalar negative_slope) {
  return [=](MatrixRef w, Rng& rng) {
    kernels::kaiming_uniform(w, kernels::calculate_gain(nonlinearity, negative_slope), mode, rng);
  };
}

Initializer kaiming_normal(Nonlinearity nonlinearity, FanMode mode, Scalar negative_slope) {
  return [=](MatrixRef w, Rng& rng) {
    kernels::kaiming_normal(w, kernels::calculate_gain(nonlinearity, negative_slope), mode, rng);
  };
}

Initializer lecun_normal() {
  return [](MatrixRef w, Rng& rng) { kernels::lecun_normal(w, rng); };
}

}  // namespace init

namespace {
const std::map<std::string, Initializer (*)()>& named_initializers() {
  static const std::map<std::string, Initializer (*)()> table = {
      {"zeros", [] { return init::zeros(); }},
      {"xavier_uniform", [] { return init::xavier_uniform(); }},
      {"xavier_normal", [] { return init::xavier_normal(); }},
      {"kaiming_uniform", [] { return init::kaiming_uniform(); }},
      {"kaiming_normal", [] { return init::kaiming_normal(); }},
      {"lecun_normal", [] { return init::lecun_normal(); }},
  };
  return table;
}
}  // namespace

std::vector<std::string> initializer_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : named_initializers()) names.push_back(name);
  return names;
}

Initializer initializer_from_name(const std::string& name) {
  const auto& table = named_initializers();
  const auto found = table.find(name);
  if (found == table.end()) {
    std::string valid;
    for (const auto& n : initializer_names()) valid += (valid.empty() ? "" : ", ") + n;
    GRADLAB_CHECK(false, "initializer_from_name: unknown initializer '" + name + "' (valid: " + valid + ")");
  }
  return found->second();
}

void initialize(Tensor& weight, const Initializer& init, Rng& rng) {
  GRADLAB_CHECK(weight.defined(), "initialize: the tensor is empty");
  GRADLAB_CHECK(static_cast<bool>(init), "initialize: the initializer is empty");
  init(weight.value(), rng);
}

void initialize(Linear& layer, const Initializer& weight_init, Rng& rng, const Initializer& bias_init) {
  initialize(layer.weight(), weight_init, rng);
  initialize(layer.bias(), bias_init, rng);
}

std::shared_ptr<Linear> make_linear(Index in_features, Index out_features, const Initializer& weight_init,
                                    Rng& rng, const Initializer& bias_init) {
  GRADLAB_CHECK(in_features > 0 && out_features > 0,
                "make_linear: in_features and out_features must be positive, got " +
                    std::to_string(in_features) + " and " + std::to_string(out_features));
  Matrix weight(in_features, out_features);
  Matrix bias(1, out_features);
  GRADLAB_CHECK(static_cast<bool>(weight_init) && static_cast<bool>(bias_init),
                "make_linear: an initializer is empty");
  weight_init(weight, rng);
  bias_init(bias, rng);
  return std::make_shared<Linear>(std::move(weight), std::move(bias));
}

}  // namespace gradlab
