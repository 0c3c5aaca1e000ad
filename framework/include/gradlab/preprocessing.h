/// \file
/// \brief Standardizer and Whitener: fit statistics on the training set, transform any set.
/// The math is in kernels/preprocessing.h (lab 04).
///
/// \code
/// Standardizer scaler;
/// scaler.fit(train.x);                     // μ and σ of the TRAINING set
/// Matrix train_z = scaler.transform(train.x);
/// Matrix test_z = scaler.transform(test.x);  // the same μ and σ: never refit on test data
/// \endcode
/// \sa \ref notes_init
#pragma once

#include "gradlab/kernels/preprocessing.h"

namespace gradlab {

using kernels::Whitening;

/// \brief Options of a Standardizer.
struct StandardizerOptions {
  /// A feature whose training standard deviation is below eps is only centered
  /// (divided by 1, not by ~0): no NaN for constant features. Must be ≥ 0.
  Scalar eps = 1e-8;
};

/// \brief Per-feature standardization \f$ z_{ij} = (x_{ij} - \mu_j) / \sigma_j \f$ with
/// \f$ \mu, \sigma \f$ fitted on the training set (population statistics).
class Standardizer {
 public:
  /// \brief An unfitted standardizer; \p options.eps must be ≥ 0.
  explicit Standardizer(StandardizerOptions options = {});

  /// \brief Fits μ and σ `[1, D]` on \p train `[N, D]` (N ≥ 1); returns *this.
  Standardizer& fit(ConstMatrixRef train);
  /// \brief \f$ (x - \mu) / \sigma \f$ with the fitted statistics; x: `[M, D]` with the fitted D.
  Matrix transform(ConstMatrixRef x) const;
  /// \brief fit(\p train), then transform(\p train).
  Matrix fit_transform(ConstMatrixRef train);

  /// \brief Whether fit() has been called.
  bool fitted() const { return mean_.size() > 0; }
  /// \brief The fitted means `[1, D]`.
  const Matrix& mean() const { return mean_; }
  /// \brief The fitted standard deviations `[1, D]` (before the zero-variance rule).
  const Matrix& stddev() const { return stddev_; }

 private:
  StandardizerOptions options_;
  Matrix mean_;
  Matrix stddev_;
};

/// \brief Options of a Whitener.
struct WhitenerOptions {
  Whitening kind = Whitening::ZCA;  ///< PCA or ZCA
  Scalar eps = 1e-5;                ///< ε added to every eigenvalue; must be > 0
};

/// \brief Whitening \f$ z = (x - \mu) W \f$ with \f$ \operatorname{Cov}(z) \approx I \f$ on the
/// training set; W is PCA's \f$ U(\Lambda+\varepsilon I)^{-1/2} \f$ or ZCA's
/// \f$ U(\Lambda+\varepsilon I)^{-1/2}U^\top \f$ (see kernels::whitening_fit).
class Whitener {
 public:
  /// \brief An unfitted whitener; \p options.eps must be > 0.
  explicit Whitener(WhitenerOptions options = {});

  /// \brief Fits μ `[1, D]` and W `[D, D]` on \p train `[N, D]` (N ≥ 1); returns *this.
  Whitener& fit(ConstMatrixRef train);
  /// \brief \f$ (x - \mu) W \f$ with the fitted μ and W; x: `[M, D]`.
  Matrix transform(ConstMatrixRef x) const;
  /// \brief fit(\p train), then transform(\p train).
  Matrix fit_transform(ConstMatrixRef train);

  /// \brief Whether fit() has been called.
  bool fitted() const { return mean_.size() > 0; }
  /// \brief The fitted means `[1, D]`.
  const Matrix& mean() const { return mean_; }
  /// \brief The fitted whitening matrix W `[D, D]`.
  const Matrix& matrix() const { return w_; }

 private:
  WhitenerOptions options_;
  Matrix mean_;
  Matrix w_;
};

}  // namespace gradlab
