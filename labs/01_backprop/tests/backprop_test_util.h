// Helpers shared by lab 01's tests: random inputs and the "+= not =" check.
#pragma once

#include "gradlab/gradlab.h"
#include "gradlab/testing/gradcheck.h"

#include <gtest/gtest.h>

#include <fmt/core.h>

#include <string>
#include <vector>

namespace lab01 {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Scalar;
using gradlab::Tensor;
using gradlab::testing::TensorFunction;

/// A [rows, cols] tensor of uniform draws from [lo, hi), seeded by `seed`.
inline Tensor random_tensor(Index rows, Index cols, std::uint64_t seed, Scalar lo = -1.0,
                            Scalar hi = 1.0) {
  gradlab::Rng rng(seed);
  return Tensor::uniform(rows, cols, lo, hi, rng);
}

/// Like random_tensor, but every element is at least `gap` away from `threshold`
/// (for abs, maximum and minimum, whose derivative jumps there).
inline Tensor random_away_from(Index rows, Index cols, std::uint64_t seed, Scalar threshold,
                               Scalar gap = 0.1) {
  Tensor t = random_tensor(rows, cols, seed, -2.0, 2.0);
  for (Index i = 0; i < t.size(); ++i) {
    Scalar& v = t.value().data()[i];
    if (std::abs(v - threshold) < gap) v = threshold + (v < threshold ? -gap : gap) * 2.0;
  }
  return t;
}

/// Backward rules must ADD into gradients. Runs backward twice with the same upstream
/// gradient: every input's gradient must be exactly twice the first pass's.
/// (A rule that writes `dx = …` instead of `dx += …` leaves one pass's worth.)
inline ::testing::AssertionResult accumulates(const TensorFunction& f, std::vector<Tensor> inputs,
                                              const std::vector<std::string>& names = {}) {
  for (auto& x : inputs) {
    x.set_requires_grad(true);
    x.zero_grad();
  }
  Tensor y = f(inputs);
  gradlab::Rng rng(99);
  Matrix upstream(y.rows(), y.cols());
  for (Index i = 0; i < upstream.size(); ++i) upstream.data()[i] = rng.uniform(-1.0, 1.0);
  y.backward(upstream);
  std::vector<Matrix> first;
  for (auto& x : inputs) first.push_back(x.grad());
  y.backward(upstream);
  std::string failures;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Matrix expected = 2.0 * first[k];
    const Matrix& got = inputs[k].grad();
    const Scalar scale = std::max(1.0, expected.cwiseAbs().maxCoeff());
    if (got.size() != expected.size() || (got - expected).cwiseAbs().maxCoeff() > 1e-12 * scale) {
      Index worst = 0;
      for (Index i = 0; i < got.size() && got.size() == expected.size(); ++i) {
        if (std::abs(got.data()[i] - expected.data()[i]) >
            std::abs(got.data()[worst] - expected.data()[worst])) {
          worst = i;
        }
      }
      const std::string name = k < names.size() ? names[k] : "input" + std::to_string(k);
      failures += fmt::format(
          "{}after two backward passes d{} has element {} = {:.6g}, but twice the first pass "
          "is {:.6g}: a backward rule overwrites the gradient (dx = …) instead of adding to it "
          "(dx += …)",
          failures.empty() ? "" : "\n", name, worst, got.data()[worst], expected.data()[worst]);
    }
  }
  if (failures.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failures;
}

/// Formats a matrix on one line, for failure messages.
inline std::string str(const Matrix& m) {
  std::string s = "[";
  for (Index i = 0; i < m.rows(); ++i) {
    s += i ? "; " : "";
    for (Index j = 0; j < m.cols(); ++j) s += fmt::format("{}{:.6g}", j ? ", " : "", m(i, j));
  }
  return s + "]";
}

}  // namespace lab01
