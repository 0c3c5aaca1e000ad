#include "gradlab/testing/gradcheck.h"

#include "gradlab/ops.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gradlab::testing {

Scalar relative_error(const Matrix& analytic, const Matrix& numeric) {
  Scalar worst = 0.0;
  for (Index i = 0; i < analytic.size(); ++i) {
    const Scalar a = analytic.data()[i];
    const Scalar n = numeric.data()[i];
    const Scalar err = std::abs(a - n) / std::max(1e-8, std::abs(a) + std::abs(n));
    // NaN counts as the worst error (it must not be overwritten by a later finite one).
    if (std::isnan(err)) return std::numeric_limits<Scalar>::infinity();
    worst = std::max(worst, err);
  }
  return worst;
}

Matrix numeric_gradient(const std::function<Scalar(const Matrix&)>& loss, const Matrix& x, Scalar h) {
  Matrix grad(x.rows(), x.cols());
  Matrix probe = x;
  for (Index i = 0; i < x.size(); ++i) {
    const Scalar saved = probe.data()[i];
    probe.data()[i] = saved + h;
    const Scalar up = loss(probe);
    probe.data()[i] = saved - h;
    const Scalar down = loss(probe);
    probe.data()[i] = saved;
    grad.data()[i] = (up - down) / (2.0 * h);
  }
  return grad;
}

namespace {

// Recognizes the usual shapes of a wrong gradient.
std::string diagnose(const Matrix& a, const Matrix& n) {
  const Scalar scale = std::max(a.cwiseAbs().maxCoeff(), n.cwiseAbs().maxCoeff());
  if (scale == 0.0) return "";
  const Scalar tiny = 1e-7 * scale;
  if (a.cwiseAbs().maxCoeff() <= tiny) {
    return "the analytic gradient is zero where finite differences are not: is the gradient "
           "propagated to this input at all (or overwritten with = instead of +=)?";
  }
  if (a.rows() == a.cols() && a.rows() > 1 && relative_error(a, n.transpose()) < 1e-5) {
    return "the analytic gradient equals the transpose of the numeric one: a transposed product?";
  }
  // A constant ratio a/n over the elements where n is not tiny.
  Scalar ratio = 0.0;
  bool constant = true;
  bool first = true;
  for (Index i = 0; i < n.size() && constant; ++i) {
    if (std::abs(n.data()[i]) <= tiny) continue;
    const Scalar r = a.data()[i] / n.data()[i];
    if (first) {
      ratio = r;
      first = false;
    } else if (std::abs(r - ratio) > 1e-4 * std::max(1.0, std::abs(ratio))) {
      constant = false;
    }
  }
  if (!first && constant) {
    if (std::abs(ratio + 1.0) < 1e-4) return "ratio -1 everywhere: the sign is flipped";
    return fmt::format("ratio {:.6g} everywhere: a missing or extra factor (1/N? a scale?)", ratio);
  }
  return "";
}

}  // namespace

std::string compare_gradients(const Matrix& analytic, const Matrix& numeric, Scalar tolerance,
                              const std::string& name) {
  if (analytic.rows() != numeric.rows() || analytic.cols() != numeric.cols()) {
    return fmt::format("d{} has shape {} but the input is {}", name, shape_string(analytic),
                       shape_string(numeric));
  }
  const Scalar error = relative_error(analytic, numeric);
  if (error < tolerance) return "";
  Index worst = 0;
  Scalar worst_err = -1.0;
  for (Index i = 0; i < analytic.size(); ++i) {
    const Scalar a = analytic.data()[i];
    const Scalar n = numeric.data()[i];
    Scalar err = std::abs(a - n) / std::max(1e-8, std::abs(a) + std::abs(n));
    if (std::isnan(err)) err = INFINITY;
    if (err > worst_err) {
      worst_err = err;
      worst = i;
    }
  }
  const Index r = worst / analytic.cols();
  const Index c = worst % analytic.cols();
  std::string message =
      fmt::format("d{}[{},{}] = {:.6g} but finite differences give {:.6g} (relative error {:.3g}, "
                  "tolerance {:.1g})",
                  name, r, c, analytic(r, c), numeric(r, c), error, tolerance);
  const std::string why = diagnose(analytic, numeric);
  if (!why.empty()) message += "\n  diagnosis: " + why;
  return message;
}

::testing::AssertionResult gradients_match(const TensorFunction& f, std::vector<Tensor> inputs,
                                           const GradCheckOptions& options,
                                           const std::vector<std::string>& names) {
  auto name_of = [&](std::size_t i) {
    return i < names.size() ? names[i] : "input" + std::to_string(i);
  };
  for (auto& x : inputs) {
    x.set_requires_grad(true);
    x.zero_grad();
  }
  // Analytic: backpropagate a random upstream gradient G.
  Tensor y = f(inputs);
  Rng rng(options.seed);
  Matrix upstream(y.rows(), y.cols());
  for (Index i = 0; i < upstream.size(); ++i) upstream.data()[i] = rng.uniform(-1.0, 1.0);
  if (y.requires_grad()) y.backward(upstream);

  std::string failures;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Matrix analytic = inputs[k].grad();
    // Numeric: L(x) = Σ G ⊙ f(x), perturbing one element of input k at a time.
    auto loss = [&](const Matrix& probe) {
      std::vector<Tensor> perturbed;
      for (std::size_t j = 0; j < inputs.size(); ++j) {
        perturbed.push_back(j == k ? Tensor(probe) : inputs[j].detach());
      }
      NoGradGuard no_grad;
      return upstream.cwiseProduct(f(perturbed).value()).sum();
    };
    const Matrix numeric = numeric_gradient(loss, inputs[k].value(), options.h);
    std::string message = compare_gradients(analytic, numeric, options.tolerance, name_of(k));
    if (message.empty() && numeric.size() > 0 && numeric.isZero(0.0) && !options.allow_zero_gradient) {
      message = fmt::format("d{0}: the numeric gradient is zero everywhere, so the output does not depend on {0} "
                            "at all (is the forward pass written?); a check where both gradients are zero proves "
                            "nothing", name_of(k));
    }
    if (!message.empty()) failures += (failures.empty() ? "" : "\n") + message;
  }
  if (failures.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << failures;
}

}  // namespace gradlab::testing
