// Tests of the synthetic dataset generators: shape, class balance, determinism
// (same seed, same bits), argument validation.
#include "gradlab/datasets/synthetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace {

using gradlab::Error;
using gradlab::Index;
using gradlab::Matrix;
using gradlab::Rng;
using gradlab::Scalar;
namespace ds = gradlab::datasets;

void expect_balanced(const ds::Classification& d, Index classes, Index per_class, Index dims) {
  ASSERT_EQ(d.classes, classes);
  ASSERT_EQ(d.x.rows(), classes * per_class);
  ASSERT_EQ(d.x.cols(), dims);
  ASSERT_EQ(static_cast<Index>(d.labels.size()), classes * per_class);
  for (Index count : ds::class_counts(d.labels, classes)) EXPECT_EQ(count, per_class);
  EXPECT_TRUE(d.x.allFinite());
}

// Two calls with the same seed give bit-identical data; another seed differs.
void expect_deterministic(const std::function<ds::Classification(Rng&)>& make, bool random = true) {
  Rng a(7), b(7), c(8);
  const ds::Classification x = make(a), y = make(b), z = make(c);
  EXPECT_EQ(x.x, y.x) << "same seed must give the same bits";
  EXPECT_EQ(x.labels, y.labels);
  if (random) {
    EXPECT_NE(x.x, z.x) << "another seed should give other data";
  }
}

template <typename F>
void expect_error_mentions(F f, const std::string& piece) {
  try {
    f();
    ADD_FAILURE() << "expected gradlab::Error mentioning " << piece;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(piece), std::string::npos) << e.what();
  }
}

TEST(Xor, FourPointsTwoClasses) {
  const auto d = ds::xor_points();
  expect_balanced(d, 2, 2, 2);
  EXPECT_EQ(d.labels, (std::vector<Index>{0, 1, 1, 0}));
}

TEST(Spiral, ShapeBalanceDeterminism) {
  Rng rng(1);
  expect_balanced(ds::spiral(3, 50, 0.2, rng), 3, 50, 2);
  expect_deterministic([](Rng& r) { return ds::spiral(3, 20, 0.2, r); });
  expect_error_mentions([&] { ds::spiral(0, 5, 0.1, rng); }, "classes");
  expect_error_mentions([&] { ds::spiral(2, 5, -0.1, rng); }, "noise");
}

TEST(TwoMoons, ShapeBalanceDeterminism) {
  Rng rng(1);
  expect_balanced(ds::two_moons(40, 0.1, rng), 2, 40, 2);
  expect_deterministic([](Rng& r) { return ds::two_moons(30, 0.1, r); });
  expect_error_mentions([&] { ds::two_moons(0, 0.1, rng); }, "per_class");
  expect_error_mentions([&] { ds::two_moons(5, -1, rng); }, "noise");
}

TEST(TwoMoons, NoiselessPointsLieOnTheirHalfCircles) {
  Rng rng(1);
  const auto d = ds::two_moons(9, 0.0, rng);
  for (Index i = 0; i < 9; ++i) {
    EXPECT_NEAR(d.x.row(i).norm(), 1.0, 1e-12);                                         // centre (0, 0)
    EXPECT_NEAR(std::hypot(d.x(9 + i, 0) - 1.0, d.x(9 + i, 1) - 0.5), 1.0, 1e-12);       // centre (1, 0.5)
    EXPECT_GE(d.x(i, 1), -1e-12);
    EXPECT_LE(d.x(9 + i, 1), 0.5 + 1e-12);
  }
}

TEST(Circles, ShapeBalanceRadiiDeterminism) {
  Rng rng(1);
  const auto d = ds::circles(25, 0.4, 0.0, rng);
  expect_balanced(d, 2, 25, 2);
  for (Index i = 0; i < 25; ++i) {
    EXPECT_NEAR(d.x.row(i).norm(), 1.0, 1e-12);
    EXPECT_NEAR(d.x.row(25 + i).norm(), 0.4, 1e-12);
  }
  expect_deterministic([](Rng& r) { return ds::circles(20, 0.5, 0.05, r); });
  expect_error_mentions([&] { ds::circles(10, 1.0, 0.0, rng); }, "factor");
  expect_error_mentions([&] { ds::circles(10, 0.5, -0.1, rng); }, "noise");
}

TEST(Blobs, ShapeBalanceDeterminismAndClusterSpread) {
  Rng rng(3);
  const auto d = ds::blobs(4, 500, 3, 0.5, 10.0, rng);
  expect_balanced(d, 4, 500, 3);
  // Each class's spread around its own mean is about stddev = 0.5.
  for (Index k = 0; k < 4; ++k) {
    const Matrix block = d.x.middleRows(k * 500, 500);
    const Matrix centred = block.rowwise() - block.colwise().mean();
    const Scalar sd = std::sqrt(centred.squaredNorm() / (500.0 * 3.0));
    EXPECT_NEAR(sd, 0.5, 0.03) << "class " << k;
  }
  expect_deterministic([](Rng& r) { return ds::blobs(3, 10, 2, 1.0, 5.0, r); });
  expect_error_mentions([&] { ds::blobs(3, 10, 0, 1.0, 5.0, rng); }, "dims");
  expect_error_mentions([&] { ds::blobs(3, 10, 2, -1.0, 5.0, rng); }, "stddev");
}

TEST(RegressionWithOutliers, ShapeOutlierCountAndLine) {
  Rng rng(5);
  ds::OutlierRegressionOptions opt;
  opt.noise = 0.0;
  opt.outlier_fraction = 0.1;
  const auto d = ds::regression_with_outliers(200, opt, rng);
  ASSERT_EQ(d.x.rows(), 200);
  ASSERT_EQ(d.x.cols(), 1);
  ASSERT_EQ(d.y.rows(), 200);
  ASSERT_EQ(d.y.cols(), 1);
  ASSERT_EQ(d.outlier.size(), 200u);
  Index outliers = 0;
  for (Index i = 0; i < 200; ++i) {
    EXPECT_GE(d.x(i, 0), opt.x_low);
    EXPECT_LT(d.x(i, 0), opt.x_high);
    if (i > 0) {
      EXPECT_LE(d.x(i - 1, 0), d.x(i, 0)) << "x is sorted";
    }
    const Scalar residual = d.y(i, 0) - (opt.slope * d.x(i, 0) + opt.intercept);
    if (d.outlier[static_cast<std::size_t>(i)]) {
      ++outliers;
      EXPECT_GE(residual, opt.outlier_offset - 1e-12);
      EXPECT_LT(residual, 2 * opt.outlier_offset);
    } else {
      EXPECT_NEAR(residual, 0.0, 1e-12);
    }
  }
  EXPECT_EQ(outliers, 20) << "exactly round(0.1 * 200) outliers";
}

TEST(RegressionWithOutliers, DeterminismAndValidation) {
  ds::OutlierRegressionOptions opt;
  Rng a(9), b(9);
  const auto x = ds::regression_with_outliers(50, opt, a);
  const auto y = ds::regression_with_outliers(50, opt, b);
  EXPECT_EQ(x.x, y.x);
  EXPECT_EQ(x.y, y.y);
  EXPECT_EQ(x.outlier, y.outlier);
  Rng rng(1);
  opt.outlier_fraction = 1.5;
  expect_error_mentions([&] { ds::regression_with_outliers(10, opt, rng); }, "outlier_fraction");
  opt = {};
  opt.x_low = 2.0;
  expect_error_mentions([&] { ds::regression_with_outliers(10, opt, rng); }, "x_low");
  expect_error_mentions([&] { ds::regression_with_outliers(0, {}, rng); }, "n must");
}

TEST(Labels, OneHotAndCounts) {
  const Matrix y = ds::one_hot({2, 0, 1, 2}, 3);
  EXPECT_EQ(y, (Matrix(4, 3) << 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1).finished());
  EXPECT_EQ(ds::class_counts({2, 0, 1, 2}, 3), (std::vector<Index>{1, 1, 2}));
  EXPECT_EQ(ds::labels_column({2, 0}), (Matrix(2, 1) << 2, 0).finished());
  expect_error_mentions([] { ds::one_hot({0, 3}, 3); }, "row 1");
  expect_error_mentions([] { ds::class_counts({-1}, 3); }, "label -1");
}

}  // namespace
