// Hidden tests of lab 02 (instructor grading only): the activation kernels on shapes,
// values and parameters drawn from the run's seed (GRADLAB_TEST_SEED), so that code
// written for the visible tests' shapes and α = 0.01 / β = 1 fails. Expected values are
// computed here, element by element, from the formulas.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/activations.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <functional>

using namespace gradlab;
using namespace gradlab::kernels;
using namespace gradlab::testing;

namespace {

using Scalar1 = std::function<Scalar(Scalar)>;

Matrix apply(const Matrix& x, const Scalar1& f) {
  Matrix y(x.rows(), x.cols());
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) y(i, j) = f(x(i, j));
  return y;
}

Scalar logistic(Scalar x) { return 1.0 / (1.0 + std::exp(-x)); }

// Checks forward y = f(x) and backward dx += dy ⊙ f'(x) on a drawn [N, D], from a non-zero dx.
template <typename Forward, typename Backward>
void check_elementwise(std::uint64_t salt, const Scalar1& f, const Scalar1& df, Forward forward, Backward backward,
                       const char* name) {
  Rng rng = seeded_rng(salt);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix x = away_from_kink(draw_matrix(rng, n, d, -3.0, 3.0));
  const Matrix dy = draw_matrix(rng, n, d), dx0 = draw_matrix(rng, n, d);
  Matrix y = Matrix::Zero(n, d);
  forward(x, y);
  EXPECT_TRUE(near(y, apply(x, f), 1e-10)) << name << " forward on " << shape_string(n, d) << seed_note();
  Matrix dx = dx0;
  backward(x, y, dy, dx);
  EXPECT_TRUE(near(dx, dx0 + dy.cwiseProduct(apply(x, df)), 1e-9)) << name << " backward, added to dx" << seed_note();
}

}  // namespace

TEST(HiddenActivations, LeakyReluWithDrawnSlope) {
  Rng rng = seeded_rng(10);
  const Scalar alpha = rng.uniform(0.05, 0.5);
  check_elementwise(11, [&](Scalar x) { return x > 0 ? x : alpha * x; }, [&](Scalar x) { return x > 0 ? 1.0 : alpha; },
                    [&](const Matrix& x, Matrix& y) { leaky_relu_forward(x, alpha, y); },
                    [&](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { leaky_relu_backward(x, y, alpha, dy, dx); },
                    "leaky ReLU");
}

TEST(HiddenActivations, EluWithDrawnScale) {
  Rng rng = seeded_rng(12);
  const Scalar alpha = rng.uniform(0.3, 2.0);
  check_elementwise(13, [&](Scalar x) { return x > 0 ? x : alpha * (std::exp(x) - 1); },
                    [&](Scalar x) { return x > 0 ? 1.0 : alpha * std::exp(x); },
                    [&](const Matrix& x, Matrix& y) { elu_forward(x, alpha, y); },
                    [&](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { elu_backward(x, y, alpha, dy, dx); },
                    "ELU");
}

TEST(HiddenActivations, SwishWithDrawnBeta) {
  Rng rng = seeded_rng(14);
  const Scalar beta = rng.uniform(0.3, 3.0);
  check_elementwise(15, [&](Scalar x) { return x * logistic(beta * x); },
                    [&](Scalar x) { const Scalar s = logistic(beta * x); return s + beta * x * s * (1 - s); },
                    [&](const Matrix& x, Matrix& y) { silu_forward(x, beta, y); },
                    [&](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { silu_backward(x, y, beta, dy, dx); },
                    "swish");
}

TEST(HiddenActivations, SigmoidGeluSoftplusOnDrawnShapes) {
  check_elementwise(16, logistic, [](Scalar x) { return logistic(x) * (1 - logistic(x)); },
                    [](const Matrix& x, Matrix& y) { sigmoid_forward(x, y); },
                    [](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { sigmoid_backward(x, y, dy, dx); },
                    "sigmoid");
  const Scalar inv_sqrt2pi = 1.0 / std::sqrt(2.0 * 3.14159265358979323846);
  check_elementwise(17, [](Scalar x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); },
                    [&](Scalar x) { return 0.5 * (1 + std::erf(x / std::sqrt(2.0))) + x * inv_sqrt2pi * std::exp(-x * x / 2); },
                    [](const Matrix& x, Matrix& y) { gelu_forward(x, y); },
                    [](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { gelu_backward(x, y, dy, dx); },
                    "GELU");
  check_elementwise(18, [](Scalar x) { return std::log1p(std::exp(x)); }, logistic,
                    [](const Matrix& x, Matrix& y) { softplus_forward(x, y); },
                    [](const Matrix& x, const Matrix& y, const Matrix& dy, Matrix& dx) { softplus_backward(x, y, dy, dx); },
                    "softplus");
}

// Softmax rows whose largest logit sits anywhere (drawn), shifted by a drawn large offset.
TEST(HiddenActivations, SoftmaxAndLogSoftmaxOnDrawnRows) {
  Rng rng = seeded_rng(19);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  Matrix x = draw_matrix(rng, n, d, -4.0, 4.0);
  for (Index i = 0; i < n; ++i) {
    x(i, draw_size(rng, 1, d - 1)) += 6.0;  // the largest logit is never the first
    x.row(i).array() += rng.uniform(-500.0, 500.0);
  }
  const Matrix expected_log = reference_log_softmax(x);
  const Matrix expected = expected_log.array().exp().matrix();
  Matrix y = Matrix::Zero(n, d), log_y = Matrix::Zero(n, d);
  softmax_forward(x, y);
  log_softmax_forward(x, log_y);
  EXPECT_TRUE(near(y, expected, 1e-10)) << "softmax of rows shifted by hundreds" << seed_note();
  EXPECT_TRUE(near(log_y, expected_log, 1e-9)) << "log-softmax of rows shifted by hundreds" << seed_note();

  const Matrix dy = draw_matrix(rng, n, d), dx0 = draw_matrix(rng, n, d);
  Matrix dx = dx0;
  softmax_backward(expected, dy, dx);
  const Matrix dot = dy.cwiseProduct(expected).rowwise().sum();
  EXPECT_TRUE(near(dx, dx0 + expected.cwiseProduct(dy - dot.replicate(1, d)), 1e-10))
      << "x̄ += y ⊙ (ȳ − Σ ȳ y), added to dx" << seed_note();
  dx = dx0;
  log_softmax_backward(expected_log, dy, dx);
  EXPECT_TRUE(near(dx, dx0 + dy - expected.cwiseProduct(dy.rowwise().sum().replicate(1, d)), 1e-10))
      << "x̄ += ȳ − softmax ⊙ Σ ȳ, added to dx" << seed_note();
}
