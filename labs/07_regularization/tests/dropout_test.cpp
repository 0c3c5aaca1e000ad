// Lab 07 tests: inverted dropout (kernels::dropout_forward / dropout_backward, the
// operation gradlab::dropout and the gradlab::Dropout module that calls it).
//
// The mask is pinned down exactly: one rng.uniform() per element in row-major order,
// kept when u < 1 − p, so an independent loop below draws the same mask from the same
// seed. The statistical test of the expected value is deterministic too (fixed seeds);
// its tolerance is derived where it is used.
#include "gradlab/kernels/regularization.h"
#include "gradlab/linear.h"
#include "gradlab/ops.h"
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;
namespace k = gradlab::kernels;

namespace {

// The mask of the convention, drawn by hand: m = 1/(1 − p) where u < 1 − p, else 0.
Matrix expected_mask(Index rows, Index cols, Scalar p, std::uint64_t seed) {
  Rng rng(seed);
  Matrix m(rows, cols);
  for (Index r = 0; r < rows; ++r) {
    for (Index c = 0; c < cols; ++c) m(r, c) = rng.uniform() < 1.0 - p ? 1.0 / (1.0 - p) : 0.0;
  }
  return m;
}

// Whether two generators are at the same point of their stream.
bool same_state(Rng& a, Rng& b) { return a.next() == b.next(); }

// An input with no zeros, so that y = 0 means "dropped".
Matrix nonzero_input(Index rows, Index cols, std::uint64_t seed) { return away_from_kink(random_matrix(rows, cols, seed), 0.0, 0.1); }

}  // namespace

// ------------------------------------------------------------------ the kernels

TEST(Dropout, KernelDrawsTheMaskRowMajorAndScalesTheKeptUnits) {
  // Not square, so a column-major draw order gives a different mask.
  for (const Scalar p : {0.2, 0.5, 0.75}) {
    const Matrix x = nonzero_input(3, 5, 1);
    Matrix mask(3, 5), y(3, 5);
    Rng rng(42);
    k::dropout_forward(x, p, rng, mask, y);
    const Matrix m = expected_mask(3, 5, p, 42);
    EXPECT_TRUE(near(mask, m, 1e-15)) << "p = " << p
                                      << ": mask = 1/(1 − p) where rng.uniform() < 1 − p (row by row), 0 elsewhere";
    EXPECT_TRUE(near(y, m.cwiseProduct(x), 1e-15)) << "p = " << p << ": y = mask ⊙ x";
  }
}

TEST(Dropout, KernelWithPZeroIsExactIdentity) {
  const Matrix x = random_matrix(4, 3, 2, -1e3, 1e3);
  Matrix mask(4, 3), y(4, 3);
  Rng rng(3);
  k::dropout_forward(x, 0.0, rng, mask, y);
  EXPECT_TRUE(near(y, x, 0.0)) << "p = 0 keeps every unit, scaled by 1/(1 − 0) = 1: y = x bit for bit";
  EXPECT_TRUE(near(mask, Matrix::Ones(4, 3), 0.0));
}

TEST(Dropout, KeepsTheExpectedValue) {
  // x = 1 everywhere, n = 200 × 500 = 100,000 elements. Each y is 1/q with probability
  // q = 1 − p and 0 otherwise: E[y] = 1, Var[y] = q(1/q)² − 1 = (1 − q)/q = p/(1 − p).
  // The mean of n independent ones has standard error σ = √(p/((1 − p) n)); a tolerance
  // of 5σ (0.0021·5 ≈ 0.010 at p = 0.3) is passed by a correct mask with probability
  // 1 − 6e-7, while forgetting the 1/(1 − p) gives a mean of 1 − p, 60σ or more away.
  // Likewise the fraction of zeros is p within 5√(p(1 − p)/n).
  const Index rows = 200, cols = 500;
  const Scalar n = static_cast<Scalar>(rows * cols);
  std::uint64_t seed = 100;
  for (const Scalar p : {0.1, 0.3, 0.5, 0.8}) {
    const Matrix x = Matrix::Ones(rows, cols);
    Matrix mask(rows, cols), y(rows, cols);
    Rng rng(++seed);
    k::dropout_forward(x, p, rng, mask, y);
    const Scalar mean_tolerance = 5.0 * std::sqrt(p / ((1.0 - p) * n));
    EXPECT_NEAR(y.mean(), 1.0, mean_tolerance) << "p = " << p << ": inverted dropout keeps E[y] = x (scale kept units by 1/(1 − p))";
    const Scalar dropped = static_cast<Scalar>((y.array() == 0.0).count()) / n;
    EXPECT_NEAR(dropped, p, 5.0 * std::sqrt(p * (1.0 - p) / n)) << "p = " << p << ": each unit is dropped with probability p";
  }
}

TEST(Dropout, KernelBackwardUsesTheMaskAndAdds) {
  const Matrix mask = expected_mask(3, 4, 0.4, 5);
  const Matrix dy = random_matrix(3, 4, 6);
  Matrix dx = Matrix::Zero(3, 4);
  k::dropout_backward(mask, dy, dx);
  EXPECT_TRUE(near(dx, mask.cwiseProduct(dy), 1e-15)) << "dx = mask ⊙ dy";
  EXPECT_TRUE(accumulates([&](MatrixRef d) { k::dropout_backward(mask, dy, d); }, 3, 4));
}

// ------------------------------------------------------------------ the operation

TEST(Dropout, SameMaskInForwardAndBackward) {
  const Scalar p = 0.5;
  for (const auto& [r, c] : std::vector<std::pair<Index, Index>>{{4, 6}, {1, 9}, {7, 1}}) {
    Tensor x(nonzero_input(r, c, 7), true);
    Rng rng(8);
    Tensor y = dropout(x, p, true, rng);
    const Matrix upstream = random_matrix(r, c, 9, 0.5, 1.5);  // never 0
    y.backward(upstream);
    const Matrix m = expected_mask(r, c, p, 8);
    EXPECT_TRUE(near(y.value(), m.cwiseProduct(x.value()), 1e-15)) << "forward: y = mask ⊙ x, mask from rng";
    for (Index i = 0; i < r; ++i) {
      for (Index j = 0; j < c; ++j) {
        const bool dropped = y.value()(i, j) == 0.0;
        EXPECT_EQ(x.grad()(i, j) == 0.0, dropped)
            << "element [" << i << "," << j << "] was " << (dropped ? "dropped" : "kept")
            << " in the forward pass but its gradient is " << x.grad()(i, j)
            << ": the backward pass must reuse the forward pass's mask, not draw a new one";
      }
    }
    EXPECT_TRUE(near(x.grad(), m.cwiseProduct(upstream), 1e-15)) << "dx = mask ⊙ dy with the forward's mask";
  }
}

TEST(Dropout, GradientMatchesFiniteDifferencesForAFixedMask) {
  // Each evaluation of f starts a generator from the same seed: the same mask every
  // time, so f is linear in x and central differences give its exact gradient.
  const Tensor x(random_matrix(3, 4, 10));
  EXPECT_TRUE(gradients_match(
      [](const std::vector<Tensor>& in) {
        Rng rng(11);
        return dropout(in[0], 0.3, true, rng);
      },
      {x}, {}, {"x"}));
  Rng rng(11);
  EXPECT_TRUE(near(dropout(x, 0.3, true, rng).value(), expected_mask(3, 4, 0.3, 11).cwiseProduct(x.value()), 1e-15))
      << "and the function itself is mask ⊙ x";
}

TEST(Dropout, EvaluationModeIsExactIdentityAndDrawsNothing) {
  Tensor x(random_matrix(5, 3, 12, -1e6, 1e6), true);
  Rng rng(13), untouched(13);
  Tensor y = dropout(x, 0.5, false, rng);
  EXPECT_TRUE(near(y.value(), x.value(), 0.0)) << "evaluation: y = x bit for bit (no mask, no 1/(1 − p) scaling)";
  const Matrix upstream = random_matrix(5, 3, 14);
  y.backward(upstream);
  EXPECT_TRUE(near(x.grad(), upstream, 0.0)) << "evaluation: the gradient passes through unchanged";
  EXPECT_TRUE(same_state(rng, untouched)) << "evaluation must not draw from the generator";
}

TEST(Dropout, PZeroInTrainingIsExactIdentity) {
  Tensor x(random_matrix(3, 6, 15, -50.0, 50.0), true);
  Rng rng(16);
  Tensor y = dropout(x, 0.0, true, rng);
  EXPECT_TRUE(near(y.value(), x.value(), 0.0)) << "p = 0: nothing is dropped and 1/(1 − 0) = 1";
  const Matrix upstream = random_matrix(3, 6, 17);
  y.backward(upstream);
  EXPECT_TRUE(near(x.grad(), upstream, 0.0));
}

TEST(Dropout, RejectsPOfOneAndNegativeP) {
  const Tensor x(random_matrix(2, 3, 18));
  Rng rng(19);
  for (const bool training : {true, false}) {
    EXPECT_TRUE(throws_error_mentioning([&] { dropout(x, 1.0, training, rng); }, {"p", "1", "[0, 1)"}))
        << "p = 1 would drop every unit and divide by 0 (training = " << training << ")";
    EXPECT_TRUE(throws_error_mentioning([&] { dropout(x, -0.1, training, rng); }, {"p", "-0.1", "[0, 1)"}))
        << "training = " << training;
    EXPECT_TRUE(throws_error_mentioning([&] { dropout(x, std::nan(""), training, rng); }, {"p", "[0, 1)"}))
        << "training = " << training;
  }
}

TEST(Dropout, SameSeedSameBitsNewDrawEachCall) {
  const Matrix xv = random_matrix(6, 8, 20);
  Rng a(21), b(21);
  const Matrix y1 = dropout(Tensor(xv), 0.5, true, a).value();
  const Matrix y2 = dropout(Tensor(xv), 0.5, true, b).value();
  EXPECT_TRUE(near(y1, y2, 0.0)) << "the same seed gives the same mask";
  const Matrix y3 = dropout(Tensor(xv), 0.5, true, a).value();
  EXPECT_FALSE(near(y1, y3, 0.0)) << "the next call draws a new mask from the generator";
}

TEST(Dropout, BatchOfOneRow) {
  Tensor x(nonzero_input(1, 12, 22), true);
  Rng rng(23);
  Tensor y = dropout(x, 0.25, true, rng);
  EXPECT_TRUE(near(y.value(), expected_mask(1, 12, 0.25, 23).cwiseProduct(x.value()), 1e-15));
}

// ------------------------------------------------------------------ the module

TEST(DropoutModule, HonoursTrainAndEval) {
  Rng seeds(30);
  Dropout drop(0.5, seeds);
  const Tensor x(nonzero_input(4, 10, 31));
  drop.eval();
  EXPECT_TRUE(near(drop(x).value(), x.value(), 0.0)) << "eval(): identity";
  drop.train();
  const Matrix y = drop(x).value();
  EXPECT_GT((y.array() == 0.0).count(), 0) << "train(): some units are dropped";
  for (Index i = 0; i < y.size(); ++i) {
    const Scalar xi = x.value().data()[i], yi = y.data()[i];
    EXPECT_TRUE(yi == 0.0 || std::abs(yi - 2.0 * xi) < 1e-15) << "train(): a kept unit is x/(1 − p) = 2x, got " << yi
                                                                << " for x = " << xi;
  }
}

TEST(DropoutModule, InASequentialTheSameSeedGivesTheSameBits) {
  auto run = [] {
    Rng rng(40);
    Sequential net({std::make_shared<Linear>(3, 8, rng), std::make_shared<Dropout>(0.3, rng),
                    std::make_shared<Linear>(8, 2, rng)});
    const Tensor x(random_matrix(5, 3, 41));
    Tensor out = net(x);
    sum(out).backward();
    return std::pair{out.value(), net.parameters()[0].grad()};
  };
  const auto [out1, grad1] = run();
  const auto [out2, grad2] = run();
  EXPECT_TRUE(near(out1, out2, 0.0));
  EXPECT_TRUE(near(grad1, grad2, 0.0));
  EXPECT_GT(out1.cwiseAbs().maxCoeff(), 0.0) << "the network's output is not all zeros";
  EXPECT_GT(grad1.cwiseAbs().maxCoeff(), 0.0) << "gradients flow through the kept units";
}
