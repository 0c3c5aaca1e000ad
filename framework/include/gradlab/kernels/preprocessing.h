/// \file
/// \brief Lab 04 kernels: input preprocessing — standardization (zero mean, unit
/// variance per feature) and whitening (PCA and ZCA).
///
/// Every preprocessing step has two halves, and they are separate kernels on purpose:
/// - **fit** computes statistics from the *training set* only;
/// - **apply** transforms any set (training, validation, test) with those statistics.
///
/// Fitting on the data being transformed (the test set's own mean) leaks information
/// and, worse, makes the model see differently scaled inputs at test time.
///
/// Statistics are population statistics (divide by N, not N − 1), as in scikit-learn's
/// StandardScaler and in batch normalization.
///
/// The reference lives in `solutions/04_init/preprocessing.cpp`; your copy in
/// `labs/04_init/preprocessing.cpp`.
/// \sa \ref notes_init
#pragma once

#include "gradlab/core.h"

namespace gradlab::kernels {

/// \name Standardization
/// @{

/// \brief Column means and population standard deviations of the training data \p x.
/// \f[ \mu_j = \frac1N \sum_{i} x_{ij}, \qquad
///     \sigma_j = \sqrt{\frac1N \sum_{i} (x_{ij} - \mu_j)^2} \f]
/// x: `[N, D]` with N ≥ 1; mean, stddev: `[1, D]` (overwritten).
void standardize_fit(ConstMatrixRef x, MatrixRef mean, MatrixRef stddev);

/// \brief Standardizes \p x with statistics fitted elsewhere (normally the training set).
/// \f[ \text{out}_{ij} = \frac{x_{ij} - \mu_j}{s_j}, \qquad
///     s_j = \begin{cases} \sigma_j & \sigma_j \ge \varepsilon \\ 1 & \sigma_j < \varepsilon \end{cases} \f]
/// **Zero-variance rule:** a feature whose training standard deviation is below
/// \p eps (e.g. a constant pixel) is only centered, never divided by ~0, so it gives
/// no NaN or inf (scikit-learn's rule). Uses \p mean and \p stddev as given: it never
/// recomputes statistics from \p x.
/// x, out: `[M, D]` (M may differ from the training N, and may be 0); mean, stddev: `[1, D]`.
void standardize_apply(ConstMatrixRef x, ConstMatrixRef mean, ConstMatrixRef stddev, Scalar eps,
                       MatrixRef out);
/// @}

/// \name Whitening
/// @{

/// \brief The two classic whitening transforms.
enum class Whitening {
  PCA,  ///< rotate onto the principal axes, then scale each axis to unit variance
  ZCA,  ///< PCA, then rotate back: the whitened data closest to the input ("zero-phase")
};

/// \brief Column means and the population covariance of \p x.
/// \f[ \mu = \frac1N \mathbf 1^\top X, \qquad C = \frac1N (X - \mu)^\top (X - \mu) \f]
/// x: `[N, D]` with N ≥ 1; mean: `[1, D]`; cov: `[D, D]` (symmetric, overwritten).
void covariance(ConstMatrixRef x, MatrixRef mean, MatrixRef cov);

/// \brief Fits a whitening transform on the training data \p x: out = (x − μ) W.
///
/// With the eigendecomposition \f$ C = U \Lambda U^\top \f$ of the covariance
/// (eigenvalues \f$ \lambda_k \f$ in *descending* order, negative round-off clamped to 0):
/// \f[ W_\text{PCA} = U\,(\Lambda + \varepsilon I)^{-1/2}, \qquad
///     W_\text{ZCA} = U\,(\Lambda + \varepsilon I)^{-1/2}\,U^\top \f]
/// so the whitened covariance is \f$ \operatorname{diag}(\lambda_k / (\lambda_k + \varepsilon)) \approx I \f$.
/// ε keeps a direction of (almost) zero variance from being blown up.
/// Sign convention (so that PCA is reproducible): each eigenvector is flipped so that
/// its entry of largest magnitude is positive (the first such entry on a tie).
/// Use Eigen's `SelfAdjointEigenSolver` (ascending eigenvalues) and reverse the order.
/// x: `[N, D]` with N ≥ 1; mean: `[1, D]`; w: `[D, D]`.
/// Requires \p eps = ε > 0.
void whitening_fit(ConstMatrixRef x, Whitening kind, Scalar eps, MatrixRef mean, MatrixRef w);

/// \brief Applies a fitted whitening transform: \f$ \text{out} = (x - \mu)\, W \f$.
/// x, out: `[M, D]`; mean: `[1, D]`; w: `[D, D]`.
void whitening_apply(ConstMatrixRef x, ConstMatrixRef mean, ConstMatrixRef w, MatrixRef out);
/// @}

}  // namespace gradlab::kernels
