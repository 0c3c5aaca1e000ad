/// \file
/// \brief Seeded generators of the small synthetic datasets the experiments train on.
///
/// Every generator takes an explicit gradlab::Rng: the same seed gives bit-identical
/// data. Classification sets have `per_class` rows for every class, ordered by class
/// (class 0 first); shuffle with your own Rng if the order matters. Invalid arguments
/// throw gradlab::Error naming the argument, its value and the valid range.
#pragma once

#include "gradlab/core.h"
#include "gradlab/datasets/dataset.h"
#include "gradlab/random.h"

#include <vector>

namespace gradlab::datasets {

/// \brief The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, as `[4, 2]`.
///
/// No linear classifier separates them: the classic reason for a hidden layer.
Classification xor_points();

/// \brief K interleaved spiral arms in 2-D, \p per_class points each, with Gaussian noise.
///
/// Arm k, point i (t = i / per_class): radius r = t, angle
/// θ = 4t + 2πk/K + noise·N(0,1); x = (r sin θ, r cos θ). Rows are ordered by class.
/// \param classes number of arms K ≥ 1
/// \param per_class points per arm, ≥ 1
/// \param noise standard deviation of the angle noise (radians), ≥ 0
/// \param rng the seeded generator of the noise
Classification spiral(Index classes, Index per_class, Scalar noise, Rng& rng);

/// \brief Two interleaving half circles ("two moons"), 2 classes, `[2·per_class, 2]`.
///
/// Class 0: \f$ (\cos t, \sin t) \f$, class 1: \f$ (1 - \cos t,\ \tfrac12 - \sin t) \f$, with
/// t evenly spaced over [0, π] (t_i = π i/(per_class − 1)), then N(0, noise²) added to each
/// coordinate (as scikit-learn's make_moons).
/// \param per_class points per moon, ≥ 1
/// \param noise standard deviation of the coordinate noise, ≥ 0
/// \param rng the seeded generator of the noise
Classification two_moons(Index per_class, Scalar noise, Rng& rng);

/// \brief Two concentric circles, 2 classes, `[2·per_class, 2]`.
///
/// Class 0 on the unit circle, class 1 on the circle of radius \p factor, angles
/// \f$ 2\pi i / \text{per\_class} \f$, then N(0, noise²) added to each coordinate (as
/// scikit-learn's make_circles). Not linearly separable; a radius feature separates them.
/// \param per_class points per circle, ≥ 1
/// \param factor radius of the inner circle, in (0, 1)
/// \param noise standard deviation of the coordinate noise, ≥ 0
/// \param rng the seeded generator of the noise
Classification circles(Index per_class, Scalar factor, Scalar noise, Rng& rng);

/// \brief Gaussian blobs: K clusters in D dimensions, `[K·per_class, D]`.
///
/// The K centres are drawn first, uniformly in \f$ [-\text{box}, \text{box}]^D \f$; then
/// each point of class k is centre_k + N(0, stddev²) per coordinate.
/// \param classes number of clusters K ≥ 1
/// \param per_class points per cluster, ≥ 1
/// \param dims dimension D ≥ 1
/// \param stddev standard deviation of each cluster, ≥ 0
/// \param box half-width of the box the centres are drawn from, ≥ 0
/// \param rng the seeded generator of the centres and the points
Classification blobs(Index classes, Index per_class, Index dims, Scalar stddev, Scalar box, Rng& rng);

/// \brief Settings of regression_with_outliers().
struct OutlierRegressionOptions {
  Scalar slope = 2.0;              ///< a of the true line y = a x + b
  Scalar intercept = 0.5;          ///< b of the true line
  Scalar x_low = -1.0;             ///< x drawn uniformly from [x_low, x_high), x_low < x_high
  Scalar x_high = 1.0;             ///< upper end of the x range
  Scalar noise = 0.1;              ///< standard deviation of the Gaussian noise on y, ≥ 0
  Scalar outlier_fraction = 0.1;   ///< fraction of rows made outliers, in [0, 1]
  Scalar outlier_offset = 6.0;     ///< an outlier's y is moved by offset·(1 + U[0, 1)): one-sided
};

/// \brief A 1-D regression set on a line with a chosen fraction of gross outliers.
///
/// x: `[n, 1]` sorted ascending; y: `[n, 1]` with
/// \f$ y_i = a x_i + b + \text{noise}\cdot N(0,1) \f$; exactly
/// round(outlier_fraction · n) rows, chosen at random, additionally get
/// \f$ \text{offset}\cdot(1 + U[0,1)) \f$ added and are flagged in Regression::outlier.
/// All outliers lie on the same side: a squared loss is pulled towards them, L1 and
/// Huber much less.
Regression regression_with_outliers(Index n, const OutlierRegressionOptions& options, Rng& rng);

}  // namespace gradlab::datasets
