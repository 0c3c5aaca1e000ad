#include "gradlab/testing/checks.h"

#include "gradlab/testing/inputs.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace gradlab::testing {

namespace {

// The flat index of the element where |got − expected| is largest (NaN counts as largest).
Index worst_element(const Matrix& got, const Matrix& expected) {
  Index worst = 0;
  Scalar worst_diff = -1.0;
  for (Index i = 0; i < got.size(); ++i) {
    Scalar diff = std::abs(got.data()[i] - expected.data()[i]);
    if (std::isnan(diff)) diff = INFINITY;
    if (diff > worst_diff) {
      worst_diff = diff;
      worst = i;
    }
  }
  return worst;
}

// "[i,j]" for the flat (row-major) index of an element of m.
std::string position(const Matrix& m, Index flat) {
  return fmt::format("[{},{}]", flat / m.cols(), flat % m.cols());
}

// Whether got equals expected up to rounding: within 1e-12 × max(1, largest |expected|).
bool equal_up_to_rounding(const Matrix& got, const Matrix& expected) {
  if (got.rows() != expected.rows() || got.cols() != expected.cols()) return false;
  if (got.size() == 0) return true;
  const Scalar scale = std::max(1.0, expected.cwiseAbs().maxCoeff());
  const Scalar diff = (got - expected).cwiseAbs().maxCoeff();
  return diff <= 1e-12 * scale;  // false for NaN
}

}  // namespace

::testing::AssertionResult accumulates(const TensorFunction& f, std::vector<Tensor> inputs,
                                       const std::vector<std::string>& names) {
  for (auto& x : inputs) {
    x.set_requires_grad(true);
    x.zero_grad();
  }
  Tensor y = f(inputs);
  const Matrix upstream = random_matrix(y.rows(), y.cols(), 99);
  y.backward(upstream);
  std::vector<Matrix> first;
  bool all_zero = true;
  for (auto& x : inputs) {
    first.push_back(x.grad());
    if (first.back().size() > 0 && first.back().cwiseAbs().maxCoeff() != 0.0) all_zero = false;
  }
  if (all_zero) {
    return ::testing::AssertionFailure()
           << "every gradient is zero after one backward pass, so this check cannot tell "
              "dx += … from dx = …: is the gradient propagated to the inputs at all?";
  }
  y.backward(upstream);
  std::string failures;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Matrix expected = 2.0 * first[k];
    const Matrix& got = inputs[k].grad();
    if (equal_up_to_rounding(got, expected)) continue;
    const std::string name = k < names.size() ? names[k] : "input" + std::to_string(k);
    failures += failures.empty() ? "" : "\n";
    if (got.rows() != expected.rows() || got.cols() != expected.cols()) {
      failures += fmt::format("after two backward passes d{} has shape {}, after one it had {}", name,
                              shape_string(got), shape_string(expected));
      continue;
    }
    const Index worst = worst_element(got, expected);
    failures += fmt::format(
        "after two backward passes d{}{} = {:.6g}, but twice the first pass is {:.6g}: a backward "
        "rule overwrites the gradient (dx = …) instead of adding to it (dx += …)",
        name, position(got, worst), got.data()[worst], expected.data()[worst]);
  }
  if (failures.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failures;
}

::testing::AssertionResult accumulates(const std::function<void(MatrixRef dx)>& backward, Index rows,
                                       Index cols) {
  Matrix contribution = Matrix::Zero(rows, cols);
  backward(contribution);
  if (contribution.size() > 0 && contribution.cwiseAbs().maxCoeff() == 0.0) {
    return ::testing::AssertionFailure()
           << "the backward kernel wrote nothing into dx (all zeros from a zero dx), so this check "
              "cannot tell dx += … from dx = …";
  }
  const Matrix before = random_matrix(rows, cols, 99);
  Matrix dx = before;
  backward(dx);
  const Matrix expected = before + contribution;
  if (equal_up_to_rounding(dx, expected)) return ::testing::AssertionSuccess();
  const Index worst = worst_element(dx, expected);
  return ::testing::AssertionFailure() << fmt::format(
             "the backward kernel does not add into dx: starting from a non-zero dx, dx{} = {:.6g} "
             "but (old dx + its contribution) is {:.6g} + {:.6g} = {:.6g}. Use dx += …, not dx = …",
             position(dx, worst), dx.data()[worst], before.data()[worst], contribution.data()[worst],
             expected.data()[worst]);
}

::testing::AssertionResult all_finite(const Matrix& m) {
  Index bad = 0;
  Index first = -1;
  for (Index i = 0; i < m.size(); ++i) {
    if (std::isfinite(m.data()[i])) continue;
    if (first < 0) first = i;
    ++bad;
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << fmt::format(
             "element {} of a {} matrix is {}{}", position(m, first), shape_string(m), m.data()[first],
             bad > 1 ? fmt::format(" ({} elements are not finite)", bad) : "");
}

::testing::AssertionResult near(const Matrix& actual, const Matrix& expected, Scalar tolerance) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols()) {
    return ::testing::AssertionFailure()
           << "shape " << shape_string(actual) << ", expected " << shape_string(expected);
  }
  Index off = 0;
  for (Index i = 0; i < actual.size(); ++i) {
    if (!(std::abs(actual.data()[i] - expected.data()[i]) <= tolerance)) ++off;
  }
  if (off == 0) return ::testing::AssertionSuccess();
  const Index worst = worst_element(actual, expected);
  return ::testing::AssertionFailure() << fmt::format(
             "element {} is {:.17g} but should be {:.17g} (tolerance {:.3g}){}", position(actual, worst),
             actual.data()[worst], expected.data()[worst], tolerance,
             off > 1 ? fmt::format("; {} of {} elements are off", off, actual.size()) : "");
}

::testing::AssertionResult mentions(const std::string& text, std::initializer_list<std::string> pieces) {
  std::string missing;
  for (const std::string& piece : pieces) {
    if (text.find(piece) == std::string::npos) missing += "the text does not mention '" + piece + "'\n";
  }
  if (missing.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << missing << "the text: " << text;
}

::testing::AssertionResult throws_error_mentioning(const std::function<void()>& action,
                                                   std::initializer_list<std::string> pieces) {
  try {
    action();
  } catch (const NotImplemented&) {
    throw;
  } catch (const Error& e) {
    const std::string message = e.what();
    std::string missing;
    for (const std::string& piece : pieces) {
      if (message.find(piece) == std::string::npos) {
        missing += "the error message should mention '" + piece + "'\n";
      }
    }
    if (missing.empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << missing << "the error message: " << message;
  }
  std::string expected;
  for (const std::string& piece : pieces) expected += (expected.empty() ? "'" : ", '") + piece + "'";
  return ::testing::AssertionFailure() << "no gradlab::Error was thrown (expected one mentioning "
                                       << expected << ")";
}

std::string str(const Matrix& m) {
  std::string s = "[";
  for (Index i = 0; i < m.rows(); ++i) {
    s += i ? "; " : "";
    for (Index j = 0; j < m.cols(); ++j) s += fmt::format("{}{:.6g}", j ? ", " : "", m(i, j));
  }
  return s + "]";
}

}  // namespace gradlab::testing
