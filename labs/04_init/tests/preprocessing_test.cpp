// Lab 04 tests: input preprocessing (standardization, whitening).
//
// The statistics in these tests are computed here with plain loops, independently of
// the kernels under test.
#include "gradlab/kernels/preprocessing.h"
#include "gradlab/preprocessing.h"
#include "gradlab/random.h"
#include "gradlab/testing/checks.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include <cmath>

namespace {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
namespace k = gradlab::kernels;
using gradlab::testing::all_finite;
using gradlab::testing::near;

Matrix column_means(const Matrix& x) {
  Matrix m = Matrix::Zero(1, x.cols());
  for (Index i = 0; i < x.rows(); ++i) m += x.row(i);
  return m / static_cast<Scalar>(x.rows());
}

// Population covariance (divide by N), computed with explicit loops.
Matrix covariance_of(const Matrix& x) {
  const Matrix mu = column_means(x);
  Matrix c = Matrix::Zero(x.cols(), x.cols());
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index a = 0; a < x.cols(); ++a) {
      for (Index b = 0; b < x.cols(); ++b) c(a, b) += (x(i, a) - mu(0, a)) * (x(i, b) - mu(0, b));
    }
  }
  return c / static_cast<Scalar>(x.rows());
}

// N correlated Gaussian rows in D = 4 dimensions with very different scales and a
// mean far from 0: x = z A + offset.
Matrix correlated_data(Index n, std::uint64_t seed, Scalar offset = 5.0) {
  Rng rng(seed);
  Matrix a(4, 4);
  a << 3.0, 1.0, 0.0, 0.5,  //
      0.0, 1.0, 0.8, 0.0,   //
      0.0, 0.0, 0.3, -0.2,  //
      0.0, 0.0, 0.0, 0.05;
  Matrix z(n, 4);
  for (Index i = 0; i < z.size(); ++i) z.data()[i] = rng.normal();
  Matrix x = z * a;
  x.array() += offset;
  return x;
}

}  // namespace

// ============================================================== standardization

TEST(StandardizeFit, HandComputedMeanAndPopulationStd) {
  Matrix x(3, 2);
  x << 1.0, 10.0,  //
      3.0, 10.0,   //
      5.0, 10.0;
  Matrix mean(1, 2), stddev(1, 2);
  k::standardize_fit(x, mean, stddev);
  EXPECT_DOUBLE_EQ(mean(0, 0), 3.0);
  EXPECT_DOUBLE_EQ(mean(0, 1), 10.0);
  EXPECT_DOUBLE_EQ(stddev(0, 0), std::sqrt(8.0 / 3.0))
      << "population std: sqrt(((1-3)² + (3-3)² + (5-3)²) / 3), dividing by N = 3 (not N - 1 = 2)";
  EXPECT_DOUBLE_EQ(stddev(0, 1), 0.0) << "a constant feature has std 0";
}

TEST(StandardizeFit, LargeMeanFeaturesKeepTheirSmallSpread) {
  // Column 0: 1e8 + (1, 2, 3, 4): μ = 1e8 + 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25.
  // Column 1: 1e8 + 0.5 repeated (exactly representable): σ = 0.
  // E[x²] − μ² subtracts two numbers near 1e16, whose rounding unit is 2: it returns
  // garbage (0, 2, or a negative variance and a NaN). Subtract the mean first.
  Matrix x(4, 2);
  x << 1e8 + 1.0, 1e8 + 0.5,  //
      1e8 + 2.0, 1e8 + 0.5,   //
      1e8 + 3.0, 1e8 + 0.5,   //
      1e8 + 4.0, 1e8 + 0.5;
  Matrix mean(1, 2), stddev(1, 2);
  k::standardize_fit(x, mean, stddev);
  EXPECT_DOUBLE_EQ(mean(0, 0), 1e8 + 2.5);
  EXPECT_DOUBLE_EQ(mean(0, 1), 1e8 + 0.5);
  EXPECT_NEAR(stddev(0, 0), std::sqrt(1.25), 1e-12) << "the spread around a large mean (catastrophic cancellation?)";
  EXPECT_EQ(stddev(0, 1), 0.0) << "a constant feature far from 0 has std 0";
  Matrix z(4, 2);
  k::standardize_apply(x, mean, stddev, 1e-8, z);
  const Scalar s = std::sqrt(1.25);
  EXPECT_TRUE(near(z, (Matrix(4, 2) << -1.5 / s, 0.0, -0.5 / s, 0.0, 0.5 / s, 0.0, 1.5 / s, 0.0).finished(), 1e-12))
      << z;
}

TEST(StandardizeFit, SingleRowHasZeroStd) {
  Matrix x(1, 3);
  x << 1.0, -2.0, 7.0;
  Matrix mean(1, 3), stddev(1, 3);
  k::standardize_fit(x, mean, stddev);
  EXPECT_TRUE(mean == x);
  EXPECT_TRUE((stddev.array() == 0.0).all());
}

TEST(StandardizeApply, TrainingSetGetsMeanZeroAndVarianceOne) {
  const Matrix train = correlated_data(500, 1);
  Matrix mean(1, 4), stddev(1, 4);
  k::standardize_fit(train, mean, stddev);
  Matrix z(500, 4);
  k::standardize_apply(train, mean, stddev, 1e-8, z);
  const Matrix mu = column_means(z);
  const Matrix cov = covariance_of(z);
  for (Index j = 0; j < 4; ++j) {
    EXPECT_NEAR(mu(0, j), 0.0, 1e-12) << "feature " << j << " of the standardized training set";
    EXPECT_NEAR(cov(j, j), 1.0, 1e-12) << "feature " << j << ": population variance of the standardized training set";
  }
}

// The test set comes from a different distribution; it must be transformed with the
// TRAINING statistics, so its result is not centered. (Recomputing the statistics
// from the data being transformed would make it mean 0 / variance 1 — wrong.)
TEST(StandardizeApply, UsesTheGivenStatisticsNotThoseOfTheInput) {
  Matrix mean(1, 3), stddev(1, 3);
  mean << 1.0, -2.0, 0.5;
  stddev << 2.0, 0.5, 4.0;
  Matrix test(2, 3);
  test << 5.0, -2.0, 0.5,  //
      9.0, -1.0, 8.5;
  Matrix out(2, 3);
  k::standardize_apply(test, mean, stddev, 1e-8, out);
  Matrix expected(2, 3);
  expected << 2.0, 0.0, 0.0,  //
      4.0, 2.0, 2.0;
  EXPECT_TRUE(near(out, expected, 1e-14))
      << "out = (x - mean) / stddev with the mean and stddev PASSED IN (the training set's), got\n"
      << out << "\nexpected\n" << expected;
}

TEST(StandardizeApply, TestSetUsesTrainingStatistics) {
  const Matrix train = correlated_data(400, 2, 5.0);
  const Matrix test = correlated_data(300, 3, 8.0);  // shifted by +3 relative to train
  gradlab::Standardizer scaler;
  scaler.fit(train);
  const Matrix z = scaler.transform(test);
  const Matrix train_mu = column_means(train);
  const Matrix train_cov = covariance_of(train);
  const Matrix test_mu = column_means(test);
  for (Index j = 0; j < 4; ++j) {
    const Scalar expected_mean = (test_mu(0, j) - train_mu(0, j)) / std::sqrt(train_cov(j, j));
    EXPECT_NEAR(column_means(z)(0, j), expected_mean, 1e-10)
        << "feature " << j << ": the test set is shifted, so its standardized mean must be "
        << "(test mean - TRAIN mean) / TRAIN std = " << expected_mean << ", not 0";
  }
}

TEST(StandardizeApply, ZeroVarianceFeatureIsCenteredWithoutNaN) {
  Matrix train(4, 2);
  train << 1.0, 3.0,  //
      2.0, 3.0,       //
      3.0, 3.0,       //
      4.0, 3.0;
  gradlab::Standardizer scaler;  // eps = 1e-8
  const Matrix z = scaler.fit_transform(train);
  EXPECT_TRUE(all_finite(z)) << "a constant feature must not give NaN or inf (0 / 0)";
  EXPECT_NEAR(z.col(1).cwiseAbs().maxCoeff(), 0.0, 1e-15) << "a constant feature becomes 0";
  Matrix test(1, 2);
  test << 2.5, 5.0;
  const Matrix zt = scaler.transform(test);
  EXPECT_TRUE(all_finite(zt));
  EXPECT_DOUBLE_EQ(zt(0, 1), 2.0)
      << "the documented rule: a feature with std < eps is only centered (5 - 3 = 2), not divided by ~0";
}

TEST(StandardizeApply, EmptyBatchIsFine) {
  Matrix mean(1, 2), stddev(1, 2);
  mean << 1.0, 2.0;
  stddev << 1.0, 1.0;
  Matrix x(0, 2), out(0, 2);
  k::standardize_apply(x, mean, stddev, 1e-8, out);
  EXPECT_EQ(out.rows(), 0);
  // …and a real row next to it, so that this test says something about the kernel.
  Matrix one(1, 2), out1(1, 2);
  one << 3.0, 2.0;
  k::standardize_apply(one, mean, stddev, 1e-8, out1);
  EXPECT_DOUBLE_EQ(out1(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(out1(0, 1), 0.0);
}

TEST(Standardizer, RejectsMisuse) {
  gradlab::Standardizer scaler;
  EXPECT_THROW(scaler.transform(Matrix::Zero(2, 3)), gradlab::Error) << "transform before fit";
  const Matrix data = correlated_data(10, 4);
  scaler.fit(data);
  EXPECT_THROW(scaler.transform(Matrix::Zero(2, 3)), gradlab::Error) << "3 features, fitted on 4";
  // Used correctly, it standardizes: the fitted data gets population variance 1 per feature.
  const Matrix z = scaler.transform(data);
  const Matrix cov = covariance_of(z);
  for (Index j = 0; j < 4; ++j) EXPECT_NEAR(cov(j, j), 1.0, 1e-12) << "feature " << j;
  EXPECT_THROW(gradlab::Standardizer(gradlab::StandardizerOptions{.eps = -1.0}), gradlab::Error);
}

// ============================================================== whitening

TEST(Covariance, HandComputedPopulationCovariance) {
  Matrix x(3, 2);
  x << 1.0, 2.0,  //
      3.0, 6.0,   //
      5.0, 7.0;
  Matrix mean(1, 2), cov(2, 2);
  k::covariance(x, mean, cov);
  EXPECT_DOUBLE_EQ(mean(0, 0), 3.0);
  EXPECT_DOUBLE_EQ(mean(0, 1), 5.0);
  // centered: (-2, -3), (0, 1), (2, 2)
  EXPECT_NEAR(cov(0, 0), 8.0 / 3.0, 1e-14) << "(4 + 0 + 4) / 3: divide by N";
  EXPECT_NEAR(cov(0, 1), 10.0 / 3.0, 1e-14) << "(6 + 0 + 4) / 3";
  EXPECT_NEAR(cov(1, 0), 10.0 / 3.0, 1e-14);
  EXPECT_NEAR(cov(1, 1), 14.0 / 3.0, 1e-14) << "(9 + 1 + 4) / 3";
}

TEST(WhiteningApply, SubtractsTheGivenMeanThenMultipliesByW) {
  Matrix x(2, 2), mean(1, 2), w(2, 2), out(2, 2);
  x << 1.0, 2.0,  //
      3.0, 5.0;
  mean << 1.0, 1.0;
  w << 2.0, 0.0,  //
      1.0, -1.0;
  k::whitening_apply(x, mean, w, out);
  Matrix expected(2, 2);  // (0, 1) W = (1, -1);  (2, 4) W = (8, -4)
  expected << 1.0, -1.0,  //
      8.0, -4.0;
  EXPECT_TRUE(near(out, expected, 1e-14)) << "out = (x - mean) W, got\n" << out;
}

TEST(WhiteningPCA, WhitenedTrainingSetHasIdentityCovariance) {
  const Matrix x = correlated_data(2000, 5);
  gradlab::Whitener whitener({.kind = gradlab::Whitening::PCA, .eps = 1e-10});
  const Matrix z = whitener.fit_transform(x);
  EXPECT_TRUE(near(covariance_of(z), Matrix::Identity(4, 4), 1e-6))
      << "Cov(z) should be I (up to λ/(λ+ε)), got\n" << covariance_of(z);
  EXPECT_LT(column_means(z).cwiseAbs().maxCoeff(), 1e-10) << "whitened data is centered";
}

TEST(WhiteningPCA, ComponentsInDescendingVarianceWithTheSignConvention) {
  const Matrix x = correlated_data(2000, 6);
  Matrix mean(1, 4), w(4, 4);
  k::whitening_fit(x, k::Whitening::PCA, 1e-10, mean, w);
  // Column k of W_PCA is u_k / sqrt(λ_k + ε): its norm grows as λ_k shrinks.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver{Eigen::MatrixXd(covariance_of(x))};
  for (Index kk = 0; kk < 4; ++kk) {
    const Scalar lambda = solver.eigenvalues()(3 - kk);  // descending
    EXPECT_NEAR(w.col(kk).norm() * std::sqrt(lambda + 1e-10), 1.0, 1e-8)
        << "column " << kk << " of W_PCA should be the eigenvector of the " << kk
        << "-th LARGEST eigenvalue scaled by (λ + ε)^(-1/2)";
    Index largest = 0;
    for (Index i = 1; i < 4; ++i) {
      if (std::abs(w(i, kk)) > std::abs(w(largest, kk))) largest = i;
    }
    EXPECT_GT(w(largest, kk), 0.0) << "column " << kk << ": the entry of largest magnitude must be positive";
  }
}

TEST(WhiteningZCA, WhitenedTrainingSetHasIdentityCovariance) {
  const Matrix x = correlated_data(2000, 7);
  gradlab::Whitener whitener({.kind = gradlab::Whitening::ZCA, .eps = 1e-10});
  const Matrix z = whitener.fit_transform(x);
  EXPECT_TRUE(near(covariance_of(z), Matrix::Identity(4, 4), 1e-6))
      << "Cov(z) should be I, got\n" << covariance_of(z);
  EXPECT_TRUE(near(whitener.matrix(), whitener.matrix().transpose(), 1e-10))
      << "W_ZCA = U (Λ+εI)^(-1/2) Uᵀ is symmetric";
}

// Among all whitening transforms (any rotation of a white z is white), ZCA's output is
// the closest to the centered input.
TEST(WhiteningZCA, StaysClosestToTheInput) {
  const Matrix x = correlated_data(2000, 8);
  const Matrix centered = x.rowwise() - column_means(x).row(0);
  const Matrix zca = gradlab::Whitener({.kind = gradlab::Whitening::ZCA, .eps = 1e-10}).fit_transform(x);
  const Matrix pca = gradlab::Whitener({.kind = gradlab::Whitening::PCA, .eps = 1e-10}).fit_transform(x);
  const Scalar d_zca = (zca - centered).squaredNorm();
  const Scalar d_pca = (pca - centered).squaredNorm();
  EXPECT_LT(d_zca, d_pca) << "ZCA rotates back: ||z_ZCA - (x - μ)||² = " << d_zca
                          << " should be below PCA's " << d_pca;
  // A rotation of ZCA's output (still white) is never closer.
  const Scalar c = std::cos(0.3), s = std::sin(0.3);
  Matrix rot = Matrix::Identity(4, 4);
  rot(0, 0) = c, rot(0, 1) = -s, rot(1, 0) = s, rot(1, 1) = c;
  EXPECT_LT(d_zca, (zca * rot - centered).squaredNorm());
}

// ε damps the directions of (almost) no variance: Cov(z) = diag(λ / (λ + ε)) in the
// principal axes. Here one feature is the sum of two others (λ = 0).
TEST(WhiteningPCA, EpsilonDampsDirectionsWithoutVariance) {
  Matrix x = correlated_data(1000, 9);
  x.col(3) = x.col(0) + x.col(1);  // rank 3
  const Scalar eps = 0.5;
  Matrix mean(1, 4), w(4, 4);
  k::whitening_fit(x, k::Whitening::PCA, eps, mean, w);
  EXPECT_TRUE(all_finite(w));
  Matrix z(1000, 4);
  k::whitening_apply(x, mean, w, z);
  EXPECT_TRUE(all_finite(z));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver{Eigen::MatrixXd(covariance_of(x))};
  const Matrix cov_z = covariance_of(z);
  for (Index kk = 0; kk < 4; ++kk) {
    const Scalar lambda = std::max(solver.eigenvalues()(3 - kk), 0.0);
    EXPECT_NEAR(cov_z(kk, kk), lambda / (lambda + eps), 1e-8)
        << "component " << kk << ": variance λ/(λ+ε) with λ = " << lambda << ", ε = " << eps;
  }
}

TEST(WhiteningZCA, TestSetUsesTheTrainingTransform) {
  const Matrix train = correlated_data(800, 10);
  const Matrix test = correlated_data(50, 11, 9.0);
  gradlab::Whitener whitener({.kind = gradlab::Whitening::ZCA, .eps = 1e-5});
  whitener.fit(train);
  const Matrix expected = (test.rowwise() - column_means(train).row(0)) * whitener.matrix();
  EXPECT_TRUE(near(whitener.transform(test), expected, 1e-10))
      << "transform(test) = (test - TRAIN mean) W_train";
  // W whitens the training set: its largest entry is far from 0 (the 0.05-scale feature
  // alone needs a factor of about 1/0.05 = 20).
  EXPECT_GT(whitener.matrix().cwiseAbs().maxCoeff(), 1.0) << "W =\n" << whitener.matrix();
  EXPECT_THROW(gradlab::Whitener({.kind = gradlab::Whitening::ZCA, .eps = 0.0}), gradlab::Error);
}
