// Lab 04 — weight initialization.
//
// Why it matters ("the starting point decides"): a layer computes z = x W with
// W: [in, out]. For independent zero-mean x_k and w_kj,
//
//     Var(z_j) = Σ_k Var(x_k w_kj) = fan_in · Var(w) · E[x²].
//
// If fan_in · Var(w) is below 1 the signal shrinks at every layer, above 1 it grows:
// after 10 layers a factor 0.5 is 1e-3 and a factor 2 is 1e3. The backward pass has
// the same product with fan_out. The schemes below choose Var(w) so the factor is 1:
//
//     LeCun     Var(w) = 1 / fan_in                      (forward only, linear units)
//     Xavier    Var(w) = gain² · 2 / (fan_in + fan_out)  (compromise forward/backward)
//     Kaiming   Var(w) = gain² / fan                      (ReLU: gain² = 2, it halves E[x²])
//
// and a uniform U(−b, b) with the same variance has b = sqrt(3) · σ, since
// Var U(−b, b) = b² / 3.
//
// Layout: W is [in, out] (y = x W), so fan_in = rows and fan_out = cols.
// Every random kernel draws in row-major order, one draw per element.
#include "gradlab/kernels/init.h"

#include <cmath>
#include <string>

namespace gradlab::kernels {

// ============================================================== fans and gains

// W: [in, out]. Each output unit j sums over the `in` rows of column j (fan_in);
// each input k feeds the `out` entries of row k (fan_out).
Fans compute_fans(ConstMatrixRef w) {
  GRADLAB_CHECK(w.rows() > 0 && w.cols() > 0,
                "compute_fans: the weight " + shape_string(w.rows(), w.cols()) +
                    " must have at least one row and one column");
  // BEGIN SOLUTION
  return Fans{.fan_in = w.rows(), .fan_out = w.cols()};
  // END SOLUTION
}

// The gain undoes what the nonlinearity f takes from the second moment of a
// zero-mean symmetric z:  g² = E[z²] / E[f(z)²].
//   ReLU keeps half of it:              g² = 2
//   LeakyReLU(α) keeps (1 + α²) / 2:    g² = 2 / (1 + α²)
//   tanh: PyTorch's empirical 5/3 (tanh shrinks large z); linear and sigmoid: 1.
Scalar calculate_gain(Nonlinearity nonlinearity, Scalar negative_slope) {
  GRADLAB_CHECK(std::isfinite(negative_slope),
                "calculate_gain: negative_slope must be finite, got " + std::to_string(negative_slope));
  // BEGIN SOLUTION
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Sigmoid:
      return 1.0;
    case Nonlinearity::Tanh:
      return 5.0 / 3.0;
    case Nonlinearity::ReLU:
      return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU:
      return std::sqrt(2.0 / (1.0 + negative_slope * negative_slope));
  }
  return 1.0;  // unreachable: every enumerator is handled above
  // END SOLUTION
}

// ============================================================== standard deviations

// Forward wants fan_in·σ² = 1, backward fan_out·σ² = 1; Glorot's compromise uses the
// average fan: σ² = 1 / ((fan_in + fan_out) / 2) = 2 / (fan_in + fan_out), times gain².
Scalar xavier_std(Index fan_in, Index fan_out, Scalar gain) {
  GRADLAB_CHECK(fan_in > 0 && fan_out > 0, "xavier_std: fans must be positive, got fan_in = " +
                                               std::to_string(fan_in) + ", fan_out = " + std::to_string(fan_out));
  // BEGIN SOLUTION
  return gain * std::sqrt(2.0 / static_cast<Scalar>(fan_in + fan_out));
  // END SOLUTION
}

// fan·σ² = gain²  ⇒  σ = gain / sqrt(fan).
Scalar kaiming_std(Index fan, Scalar gain) {
  GRADLAB_CHECK(fan > 0, "kaiming_std: fan must be positive, got " + std::to_string(fan));
  // BEGIN SOLUTION
  return gain / std::sqrt(static_cast<Scalar>(fan));
  // END SOLUTION
}

// Var U(−b, b) = (2b)² / 12 = b² / 3 = σ²  ⇒  b = sqrt(3) σ.
Scalar uniform_bound(Scalar stddev) {
  // BEGIN SOLUTION
  return std::sqrt(3.0) * stddev;
  // END SOLUTION
}

// ============================================================== filling

void fill_constant(MatrixRef w, Scalar value) {
  // BEGIN SOLUTION
  w.setConstant(value);
  // END SOLUTION
}

// Row-major, one draw per element: w(0,0), w(0,1), …, w(1,0), …
void fill_normal(MatrixRef w, Scalar mean, Scalar stddev, Rng& rng) {
  GRADLAB_CHECK(stddev >= 0.0 && std::isfinite(stddev),
                "fill_normal: stddev must be finite and >= 0, got " + std::to_string(stddev));
  // BEGIN SOLUTION
  for (Index i = 0; i < w.rows(); ++i) {
    for (Index j = 0; j < w.cols(); ++j) w(i, j) = rng.normal(mean, stddev);
  }
  // END SOLUTION
}

void fill_uniform(MatrixRef w, Scalar low, Scalar high, Rng& rng) {
  GRADLAB_CHECK(low <= high, "fill_uniform: need low <= high, got [" + std::to_string(low) + ", " +
                                 std::to_string(high) + ")");
  // BEGIN SOLUTION
  for (Index i = 0; i < w.rows(); ++i) {
    for (Index j = 0; j < w.cols(); ++j) w(i, j) = rng.uniform(low, high);
  }
  // END SOLUTION
}

// ============================================================== the schemes

// b = sqrt(3) · gain · sqrt(2 / (fan_in + fan_out)) = gain · sqrt(6 / (fan_in + fan_out)).
void xavier_uniform(MatrixRef w, Scalar gain, Rng& rng) {
  // BEGIN SOLUTION
  const Fans fans = compute_fans(w);
  const Scalar bound = uniform_bound(xavier_std(fans.fan_in, fans.fan_out, gain));
  fill_uniform(w, -bound, bound, rng);
  // END SOLUTION
}

void xavier_normal(MatrixRef w, Scalar gain, Rng& rng) {
  // BEGIN SOLUTION
  const Fans fans = compute_fans(w);
  fill_normal(w, 0.0, xavier_std(fans.fan_in, fans.fan_out, gain), rng);
  // END SOLUTION
}

// b = sqrt(3) · gain / sqrt(fan) = gain · sqrt(3 / fan).
void kaiming_uniform(MatrixRef w, Scalar gain, FanMode mode, Rng& rng) {
  // BEGIN SOLUTION
  const Fans fans = compute_fans(w);
  const Index fan = mode == FanMode::FanIn ? fans.fan_in : fans.fan_out;
  const Scalar bound = uniform_bound(kaiming_std(fan, gain));
  fill_uniform(w, -bound, bound, rng);
  // END SOLUTION
}

void kaiming_normal(MatrixRef w, Scalar gain, FanMode mode, Rng& rng) {
  // BEGIN SOLUTION
  const Fans fans = compute_fans(w);
  const Index fan = mode == FanMode::FanIn ? fans.fan_in : fans.fan_out;
  fill_normal(w, 0.0, kaiming_std(fan, gain), rng);
  // END SOLUTION
}

// LeCun: σ² = 1 / fan_in, i.e. Kaiming normal with gain 1 in fan_in mode.
void lecun_normal(MatrixRef w, Rng& rng) {
  // BEGIN SOLUTION
  kaiming_normal(w, 1.0, FanMode::FanIn, rng);
  // END SOLUTION
}

}  // namespace gradlab::kernels
