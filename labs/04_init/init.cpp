// Lab 04: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 04): implement compute_fans.
  throw gradlab::NotImplemented("lab 04: compute_fans");
}

// The gain undoes what the nonlinearity f takes from the second moment of a
// zero-mean symmetric z:  g² = E[z²] / E[f(z)²].
//   ReLU keeps half of it:              g² = 2
//   LeakyReLU(α) keeps (1 + α²) / 2:    g² = 2 / (1 + α²)
//   tanh: PyTorch's empirical 5/3 (tanh shrinks large z); linear and sigmoid: 1.
Scalar calculate_gain(Nonlinearity nonlinearity, Scalar negative_slope) {
  GRADLAB_CHECK(std::isfinite(negative_slope),
                "calculate_gain: negative_slope must be finite, got " + std::to_string(negative_slope));
  // TODO(lab 04): implement calculate_gain.
  throw gradlab::NotImplemented("lab 04: calculate_gain");
}

// ============================================================== standard deviations

// Forward wants fan_in·σ² = 1, backward fan_out·σ² = 1; Glorot's compromise uses the
// average fan: σ² = 1 / ((fan_in + fan_out) / 2) = 2 / (fan_in + fan_out), times gain².
Scalar xavier_std(Index fan_in, Index fan_out, Scalar gain) {
  GRADLAB_CHECK(fan_in > 0 && fan_out > 0, "xavier_std: fans must be positive, got fan_in = " +
                                               std::to_string(fan_in) + ", fan_out = " + std::to_string(fan_out));
  // TODO(lab 04): implement xavier_std.
  throw gradlab::NotImplemented("lab 04: xavier_std");
}

// fan·σ² = gain²  ⇒  σ = gain / sqrt(fan).
Scalar kaiming_std(Index fan, Scalar gain) {
  GRADLAB_CHECK(fan > 0, "kaiming_std: fan must be positive, got " + std::to_string(fan));
  // TODO(lab 04): implement kaiming_std.
  throw gradlab::NotImplemented("lab 04: kaiming_std");
}

// Var U(−b, b) = (2b)² / 12 = b² / 3 = σ²  ⇒  b = sqrt(3) σ.
Scalar uniform_bound(Scalar stddev) {
  // TODO(lab 04): implement uniform_bound.
  throw gradlab::NotImplemented("lab 04: uniform_bound");
}

// ============================================================== filling

void fill_constant(MatrixRef w, Scalar value) {
  // TODO(lab 04): implement fill_constant.
  throw gradlab::NotImplemented("lab 04: fill_constant");
}

// Row-major, one draw per element: w(0,0), w(0,1), …, w(1,0), …
void fill_normal(MatrixRef w, Scalar mean, Scalar stddev, Rng& rng) {
  GRADLAB_CHECK(stddev >= 0.0 && std::isfinite(stddev),
                "fill_normal: stddev must be finite and >= 0, got " + std::to_string(stddev));
  // TODO(lab 04): implement fill_normal.
  throw gradlab::NotImplemented("lab 04: fill_normal");
}

void fill_uniform(MatrixRef w, Scalar low, Scalar high, Rng& rng) {
  GRADLAB_CHECK(low <= high, "fill_uniform: need low <= high, got [" + std::to_string(low) + ", " +
                                 std::to_string(high) + ")");
  // TODO(lab 04): implement fill_uniform.
  throw gradlab::NotImplemented("lab 04: fill_uniform");
}

// ============================================================== the schemes

// b = sqrt(3) · gain · sqrt(2 / (fan_in + fan_out)) = gain · sqrt(6 / (fan_in + fan_out)).
void xavier_uniform(MatrixRef w, Scalar gain, Rng& rng) {
  // TODO(lab 04): implement xavier_uniform.
  throw gradlab::NotImplemented("lab 04: xavier_uniform");
}

void xavier_normal(MatrixRef w, Scalar gain, Rng& rng) {
  // TODO(lab 04): implement xavier_normal.
  throw gradlab::NotImplemented("lab 04: xavier_normal");
}

// b = sqrt(3) · gain / sqrt(fan) = gain · sqrt(3 / fan).
void kaiming_uniform(MatrixRef w, Scalar gain, FanMode mode, Rng& rng) {
  // TODO(lab 04): implement kaiming_uniform.
  throw gradlab::NotImplemented("lab 04: kaiming_uniform");
}

void kaiming_normal(MatrixRef w, Scalar gain, FanMode mode, Rng& rng) {
  // TODO(lab 04): implement kaiming_normal.
  throw gradlab::NotImplemented("lab 04: kaiming_normal");
}

// LeCun: σ² = 1 / fan_in, i.e. Kaiming normal with gain 1 in fan_in mode.
void lecun_normal(MatrixRef w, Rng& rng) {
  // TODO(lab 04): implement lecun_normal.
  throw gradlab::NotImplemented("lab 04: lecun_normal");
}

}  // namespace gradlab::kernels
