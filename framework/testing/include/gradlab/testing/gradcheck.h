/// \file
/// \brief The gradient checker every lab's tests use: analytic gradients against
/// central finite differences, with a diagnosis of the failure pattern.
#pragma once

#include "gradlab/tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gradlab::testing {

/// \brief Settings of a gradient check (the defaults are the course's standard).
struct GradCheckOptions {
  Scalar h = 1e-6;             ///< central-difference step: (f(x+h) − f(x−h)) / 2h
  Scalar tolerance = 1e-6;     ///< pass when max |a−n| / max(1e-8, |a|+|n|) is below this
  std::uint64_t seed = 1234;   ///< seed of the random upstream gradient
  /// An input whose numeric gradient is zero everywhere fails the check (the output
  /// does not depend on it, so a kernel that returns zeros would pass), unless this is
  /// set for an input that truly has no effect at the point checked.
  bool allow_zero_gradient = false;
};

/// \brief Inputs → output, built from differentiable tensor operations.
using TensorFunction = std::function<Tensor(const std::vector<Tensor>& inputs)>;

/// \brief Checks the gradients of \p f with respect to every element of every input.
///
/// With a random upstream gradient G (never all ones), the scalar checked is
/// \f$ L = \sum_{ij} G_{ij} f(x)_{ij} \f$. The analytic gradients come from
/// `f(x).backward(G)`; the numeric ones from central differences of L, one element
/// at a time, under NoGradGuard. Every input is marked as requiring a gradient.
///
/// On failure the message names the worst element of the worst input, both values,
/// the error, and a diagnosis when the pattern is recognizable: a constant ratio (a
/// missing factor such as 1/N), a flipped sign, the transpose, zero where the
/// numeric gradient is not. An input whose numeric gradient is zero everywhere fails
/// too (unless GradCheckOptions::allow_zero_gradient): zero against zero proves nothing.
/// \param names optional input names for messages ("x", "W", …)
::testing::AssertionResult gradients_match(const TensorFunction& f, std::vector<Tensor> inputs,
                                           const GradCheckOptions& options = {},
                                           const std::vector<std::string>& names = {});

/// \brief Compares one analytic gradient with its numeric counterpart.
///
/// Returns an empty string when they agree within \p tolerance, otherwise the failure
/// message with its diagnosis (used by gradients_match; useful for kernel-level checks).
std::string compare_gradients(const Matrix& analytic, const Matrix& numeric, Scalar tolerance,
                              const std::string& name);

/// \brief The relative error metric of the course: max |a−n| / max(1e-8, |a|+|n|), element-wise.
Scalar relative_error(const Matrix& analytic, const Matrix& numeric);

/// \brief Central-difference gradient of the scalar function \p loss at \p x, element by element.
Matrix numeric_gradient(const std::function<Scalar(const Matrix&)>& loss, const Matrix& x, Scalar h = 1e-6);

}  // namespace gradlab::testing
