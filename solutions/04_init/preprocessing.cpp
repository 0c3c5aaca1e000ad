// Lab 04 — input preprocessing: standardization and whitening.
//
// A network trains faster when its inputs are centered and of comparable scale: the
// first layer's pre-activations then land in the useful range of tanh/sigmoid, and
// no single feature dominates the gradient. Two levels:
//
//   standardization   each feature separately:      z_ij = (x_ij − μ_j) / σ_j
//   whitening         all features jointly:         z = (x − μ) W with Cov(z) = I
//                     (decorrelated AND unit variance)
//
// Fit on the training set only, then apply the same μ, σ (or W) to every set.
// x: [N, D], one example per row; statistics are population ones (divide by N).
#include "gradlab/kernels/preprocessing.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <string>

namespace gradlab::kernels {

namespace {
void check_row(ConstMatrixRef v, Index d, const char* what, const char* kernel) {
  GRADLAB_CHECK(v.rows() == 1 && v.cols() == d, std::string(kernel) + ": " + what + " must be [1, " +
                                                    std::to_string(d) + "], got " +
                                                    shape_string(v.rows(), v.cols()));
}
}  // namespace

// ============================================================== standardization

// μ_j = (1/N) Σ_i x_ij,   σ_j² = (1/N) Σ_i (x_ij − μ_j)²   (two passes: subtracting the
// mean first is numerically safer than E[x²] − μ²).
void standardize_fit(ConstMatrixRef x, MatrixRef mean, MatrixRef stddev) {
  GRADLAB_CHECK(x.rows() >= 1, "standardize_fit: needs at least one training row, got " +
                                   shape_string(x.rows(), x.cols()));
  check_row(mean, x.cols(), "mean", "standardize_fit");
  check_row(stddev, x.cols(), "stddev", "standardize_fit");
  // BEGIN SOLUTION
  const Scalar n = static_cast<Scalar>(x.rows());
  mean = x.colwise().sum() / n;  // [1, D]
  for (Index j = 0; j < x.cols(); ++j) {
    const Scalar mu = mean(0, j);
    Scalar sum_sq = 0.0;
    for (Index i = 0; i < x.rows(); ++i) sum_sq += (x(i, j) - mu) * (x(i, j) - mu);
    stddev(0, j) = std::sqrt(sum_sq / n);
  }
  // END SOLUTION
}

// z_ij = (x_ij − μ_j) / s_j with the TRAINING μ and σ passed in; s_j = σ_j, or 1 when
// σ_j < ε (a constant feature carries no information: center it, do not divide by 0).
void standardize_apply(ConstMatrixRef x, ConstMatrixRef mean, ConstMatrixRef stddev, Scalar eps,
                       MatrixRef out) {
  check_row(mean, x.cols(), "mean", "standardize_apply");
  check_row(stddev, x.cols(), "stddev", "standardize_apply");
  GRADLAB_CHECK(out.rows() == x.rows() && out.cols() == x.cols(),
                "standardize_apply: out " + shape_string(out.rows(), out.cols()) + " must match x " +
                    shape_string(x.rows(), x.cols()));
  // BEGIN SOLUTION
  for (Index j = 0; j < x.cols(); ++j) {
    const Scalar scale = stddev(0, j) < eps ? 1.0 : stddev(0, j);
    for (Index i = 0; i < x.rows(); ++i) out(i, j) = (x(i, j) - mean(0, j)) / scale;
  }
  // END SOLUTION
}

// ============================================================== whitening

// C = (1/N) Xcᵀ Xc with Xc = X − μ (each row minus the mean row).
void covariance(ConstMatrixRef x, MatrixRef mean, MatrixRef cov) {
  GRADLAB_CHECK(x.rows() >= 1, "covariance: needs at least one row, got " + shape_string(x.rows(), x.cols()));
  check_row(mean, x.cols(), "mean", "covariance");
  GRADLAB_CHECK(cov.rows() == x.cols() && cov.cols() == x.cols(),
                "covariance: cov must be [D, D] = " + shape_string(x.cols(), x.cols()) + ", got " +
                    shape_string(cov.rows(), cov.cols()));
  // BEGIN SOLUTION
  const Scalar n = static_cast<Scalar>(x.rows());
  mean = x.colwise().sum() / n;
  const Matrix centered = x.rowwise() - mean.row(0);  // [N, D]
  cov = centered.transpose() * centered / n;          // [D, D]
  // END SOLUTION
}

// Cov(x W) = Wᵀ C W. With C = U Λ Uᵀ (U orthogonal):
//   PCA: W = U Λ^{-1/2}      → Wᵀ C W = Λ^{-1/2} Uᵀ U Λ Uᵀ U Λ^{-1/2} = I
//   ZCA: W = U Λ^{-1/2} Uᵀ   → also I, and rotating back makes z as close to x − μ
//        as any whitening can be (W is symmetric positive definite).
// Adding ε to Λ turns each 1 into λ/(λ+ε): directions with λ ≪ ε are damped, not blown up.
void whitening_fit(ConstMatrixRef x, Whitening kind, Scalar eps, MatrixRef mean, MatrixRef w) {
  GRADLAB_CHECK(eps > 0.0 && std::isfinite(eps),
                "whitening_fit: eps must be finite and > 0, got " + std::to_string(eps));
  GRADLAB_CHECK(x.rows() >= 1, "whitening_fit: needs at least one training row, got " +
                                   shape_string(x.rows(), x.cols()));
  check_row(mean, x.cols(), "mean", "whitening_fit");
  GRADLAB_CHECK(w.rows() == x.cols() && w.cols() == x.cols(),
                "whitening_fit: w must be [D, D] = " + shape_string(x.cols(), x.cols()) + ", got " +
                    shape_string(w.rows(), w.cols()));
  // BEGIN SOLUTION
  const Index d = x.cols();
  Matrix cov(d, d);
  covariance(x, mean, cov);
  // Column-major is what the solver wants; eigenvalues come out ascending.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver{Eigen::MatrixXd(cov)};
  GRADLAB_CHECK(solver.info() == Eigen::Success, "whitening_fit: the eigendecomposition failed");
  Matrix u(d, d);         // eigenvectors as columns, largest eigenvalue first
  Matrix scale(1, d);     // (λ_k + ε)^{-1/2}
  for (Index k = 0; k < d; ++k) {
    const Index source = d - 1 - k;  // reverse to descending order
    Eigen::VectorXd v = solver.eigenvectors().col(source);
    Index largest = 0;  // sign convention: the entry of largest magnitude is positive
    for (Index i = 1; i < d; ++i) {
      if (std::abs(v(i)) > std::abs(v(largest))) largest = i;
    }
    if (v(largest) < 0) v = -v;
    u.col(k) = v;
    const Scalar lambda = std::max(solver.eigenvalues()(source), 0.0);  // clamp round-off
    scale(0, k) = 1.0 / std::sqrt(lambda + eps);
  }
  const Matrix pca = u * scale.row(0).asDiagonal();  // U (Λ + εI)^{-1/2}: column k scaled
  if (kind == Whitening::PCA) {
    w = pca;
  } else {
    w = pca * u.transpose();  // U (Λ + εI)^{-1/2} Uᵀ
  }
  // END SOLUTION
}

// z = (x − μ) W, one row at a time: row i of x minus the mean row, times W.
void whitening_apply(ConstMatrixRef x, ConstMatrixRef mean, ConstMatrixRef w, MatrixRef out) {
  check_row(mean, x.cols(), "mean", "whitening_apply");
  GRADLAB_CHECK(w.rows() == x.cols() && w.cols() == x.cols(),
                "whitening_apply: w must be [D, D] = " + shape_string(x.cols(), x.cols()) + ", got " +
                    shape_string(w.rows(), w.cols()));
  GRADLAB_CHECK(out.rows() == x.rows() && out.cols() == x.cols(),
                "whitening_apply: out " + shape_string(out.rows(), out.cols()) + " must match x " +
                    shape_string(x.rows(), x.cols()));
  // BEGIN SOLUTION
  out = (x.rowwise() - mean.row(0)) * w;
  // END SOLUTION
}

}  // namespace gradlab::kernels
