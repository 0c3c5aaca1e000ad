// Lab 05 tests: the golden trajectories computed once by PyTorch 1.13
// (tools/golden/optimizers.py wrote golden_optimizers.inc; see its format there), and
// the shared machinery to replay them through gradlab's optimizers.
#pragma once

#include "gradlab/optimizer.h"
#include "gradlab/testing/kit.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace lab05 {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Scalar;

/// One case: an optimizer with its options, and θ after each step.
struct GoldenCase {
  std::string name;
  std::string optimizer;  // sgd, adagrad, rmsprop, adam, adamw
  std::map<std::string, Scalar> options;
  std::vector<Matrix> theta;  // theta[k - 1]: after step k
};

struct Golden {
  Matrix theta0;
  std::vector<Matrix> grads;  // grads[k - 1]: the gradient of step k
  std::vector<GoldenCase> cases;
};

inline const Golden& golden() {
  static const Golden data = [] {
    static const char* text =
#include "golden_optimizers.inc"
        ;
    Golden g;
    std::istringstream in(text);
    Index rows = 0, cols = 0;
    const auto read_matrix = [&](std::istream& s) {
      Matrix m(rows, cols);
      for (Index i = 0; i < m.size(); ++i) s >> m.data()[i];
      return m;
    };
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream s(line);
      std::string tag;
      if (!(s >> tag)) continue;
      int k = 0;
      if (tag == "shape") {
        s >> rows >> cols;
      } else if (tag == "theta0") {
        g.theta0 = read_matrix(s);
      } else if (tag == "grad") {
        s >> k;
        g.grads.push_back(read_matrix(s));
      } else if (tag == "case") {
        GoldenCase c;
        s >> c.name >> c.optimizer;
        std::string option;
        while (s >> option) {
          const auto eq = option.find('=');
          c.options[option.substr(0, eq)] = std::stod(option.substr(eq + 1));
        }
        g.cases.push_back(c);
      } else if (tag == "step") {
        s >> k;
        g.cases.back().theta.push_back(read_matrix(s));
      }
    }
    return g;
  }();
  return data;
}

inline Scalar option(const GoldenCase& c, const std::string& name, Scalar fallback) {
  const auto it = c.options.find(name);
  return it == c.options.end() ? fallback : it->second;
}

/// The gradlab optimizer a case describes, on the one parameter \p theta.
inline std::unique_ptr<gradlab::Optimizer> make_optimizer(const GoldenCase& c, const gradlab::Tensor& theta) {
  const auto o = [&](const std::string& name, Scalar fallback) { return option(c, name, fallback); };
  if (c.optimizer == "sgd") {
    gradlab::SGDOptions d;
    return std::make_unique<gradlab::SGD>(
        std::vector{theta}, gradlab::SGDOptions{.lr = o("lr", d.lr),
                                                .momentum = o("momentum", d.momentum),
                                                .dampening = o("dampening", d.dampening),
                                                .weight_decay = o("weight_decay", d.weight_decay),
                                                .nesterov = o("nesterov", 0) != 0});
  }
  if (c.optimizer == "adagrad") {
    gradlab::AdagradOptions d;
    return std::make_unique<gradlab::Adagrad>(
        std::vector{theta},
        gradlab::AdagradOptions{.lr = o("lr", d.lr),
                                .lr_decay = o("lr_decay", d.lr_decay),
                                .weight_decay = o("weight_decay", d.weight_decay),
                                .initial_accumulator_value = o("initial_accumulator_value", d.initial_accumulator_value),
                                .eps = o("eps", d.eps)});
  }
  if (c.optimizer == "rmsprop") {
    gradlab::RMSpropOptions d;
    return std::make_unique<gradlab::RMSprop>(
        std::vector{theta}, gradlab::RMSpropOptions{.lr = o("lr", d.lr),
                                                    .alpha = o("alpha", d.alpha),
                                                    .eps = o("eps", d.eps),
                                                    .weight_decay = o("weight_decay", d.weight_decay),
                                                    .momentum = o("momentum", d.momentum),
                                                    .centered = o("centered", 0) != 0});
  }
  gradlab::AdamOptions d;
  const gradlab::AdamOptions adam{.lr = o("lr", d.lr),
                                  .beta1 = o("beta1", d.beta1),
                                  .beta2 = o("beta2", d.beta2),
                                  .eps = o("eps", d.eps),
                                  .weight_decay = o("weight_decay", d.weight_decay),
                                  .amsgrad = o("amsgrad", 0) != 0};
  if (c.optimizer == "adamw") return std::make_unique<gradlab::AdamW>(std::vector{theta}, adam);
  return std::make_unique<gradlab::Adam>(std::vector{theta}, adam);
}

/// Replays every golden case of \p optimizer and checks θ after every step against
/// PyTorch's (within 1e-12); stops a case at its first wrong step, naming it.
inline void expect_golden_trajectories(const std::string& optimizer) {
  const Golden& g = golden();
  int cases = 0;
  for (const GoldenCase& c : g.cases) {
    if (c.optimizer != optimizer) continue;
    ++cases;
    gradlab::Tensor theta(g.theta0, true);
    auto opt = make_optimizer(c, theta);
    for (std::size_t k = 0; k < c.theta.size(); ++k) {
      opt->zero_grad();
      theta.grad() = g.grads[k];
      opt->step();
      const auto match = gradlab::testing::near(theta.value(), c.theta[k], 1e-12);
      EXPECT_TRUE(match) << "golden case '" << c.name << "' (PyTorch 1.13's torch.optim), θ after step " << k + 1
                         << (k == 0 ? " (already the first step: check the formula and the initial state)"
                                    : " (the first steps matched: check how the state carries over, and t)");
      if (!match) break;
    }
  }
  EXPECT_GT(cases, 0) << "no golden case for " << optimizer;
}

/// \p steps gradients of shape [rows, cols], drawn from seeds seed, seed + 1, …
inline std::vector<Matrix> gradient_sequence(int steps, Index rows, Index cols, std::uint64_t seed) {
  std::vector<Matrix> grads;
  for (int k = 0; k < steps; ++k) grads.push_back(gradlab::testing::random_matrix(rows, cols, seed + static_cast<std::uint64_t>(k), -2.0, 2.0));
  return grads;
}

/// Feeds \p grads to \p opt one step at a time (the gradient of \p theta is set to
/// each in turn) and returns θ after the last step.
inline Matrix replay(gradlab::Optimizer& opt, gradlab::Tensor& theta, const std::vector<Matrix>& grads) {
  for (const Matrix& g : grads) {
    opt.zero_grad();
    theta.grad() = g;
    opt.step();
  }
  return theta.value();
}

}  // namespace lab05
