#include "gradlab/datasets/synthetic.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

namespace gradlab::datasets {

namespace {
void check_count(const char* op, const char* name, Index value) {
  GRADLAB_CHECK(value >= 1, std::string(op) + ": " + name + " must be >= 1, got " + std::to_string(value));
}
void check_non_negative(const char* op, const char* name, Scalar value) {
  GRADLAB_CHECK(std::isfinite(value) && value >= 0,
                std::string(op) + ": " + name + " must be finite and >= 0, got " + std::to_string(value));
}
}  // namespace

Classification xor_points() {
  Classification d;
  d.x.resize(4, 2);
  d.x << 0, 0, 0, 1, 1, 0, 1, 1;
  d.labels = {0, 1, 1, 0};
  d.classes = 2;
  return d;
}

Classification spiral(Index classes, Index per_class, Scalar noise, Rng& rng) {
  GRADLAB_CHECK(classes >= 1 && per_class >= 1,
                "spiral: need classes >= 1 and per_class >= 1, got " + std::to_string(classes) +
                    " and " + std::to_string(per_class));
  GRADLAB_CHECK(noise >= 0, "spiral: noise must be >= 0, got " + std::to_string(noise));
  Classification d;
  d.classes = classes;
  d.x.resize(classes * per_class, 2);
  for (Index k = 0; k < classes; ++k) {
    for (Index i = 0; i < per_class; ++i) {
      const Scalar t = static_cast<Scalar>(i) / static_cast<Scalar>(per_class);
      const Scalar theta = 4.0 * t + 2.0 * std::numbers::pi * static_cast<Scalar>(k) /
                                         static_cast<Scalar>(classes) + noise * rng.normal();
      const Index row = k * per_class + i;
      d.x(row, 0) = t * std::sin(theta);
      d.x(row, 1) = t * std::cos(theta);
      d.labels.push_back(k);
    }
  }
  return d;
}

Classification two_moons(Index per_class, Scalar noise, Rng& rng) {
  check_count("two_moons", "per_class", per_class);
  check_non_negative("two_moons", "noise", noise);
  Classification d;
  d.classes = 2;
  d.x.resize(2 * per_class, 2);
  for (Index k = 0; k < 2; ++k) {
    for (Index i = 0; i < per_class; ++i) {
      const Scalar t = per_class == 1 ? 0.0
                                      : std::numbers::pi * static_cast<Scalar>(i) /
                                            static_cast<Scalar>(per_class - 1);
      const Index row = k * per_class + i;
      d.x(row, 0) = k == 0 ? std::cos(t) : 1.0 - std::cos(t);
      d.x(row, 1) = k == 0 ? std::sin(t) : 0.5 - std::sin(t);
      d.labels.push_back(k);
    }
  }
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] += noise * rng.normal();
  return d;
}

Classification circles(Index per_class, Scalar factor, Scalar noise, Rng& rng) {
  check_count("circles", "per_class", per_class);
  GRADLAB_CHECK(factor > 0 && factor < 1, "circles: factor (inner radius) must lie in (0, 1), got " +
                                              std::to_string(factor));
  check_non_negative("circles", "noise", noise);
  Classification d;
  d.classes = 2;
  d.x.resize(2 * per_class, 2);
  for (Index k = 0; k < 2; ++k) {
    const Scalar radius = k == 0 ? 1.0 : factor;
    for (Index i = 0; i < per_class; ++i) {
      const Scalar t = 2.0 * std::numbers::pi * static_cast<Scalar>(i) / static_cast<Scalar>(per_class);
      const Index row = k * per_class + i;
      d.x(row, 0) = radius * std::cos(t);
      d.x(row, 1) = radius * std::sin(t);
      d.labels.push_back(k);
    }
  }
  for (Index i = 0; i < d.x.size(); ++i) d.x.data()[i] += noise * rng.normal();
  return d;
}

Classification blobs(Index classes, Index per_class, Index dims, Scalar stddev, Scalar box, Rng& rng) {
  check_count("blobs", "classes", classes);
  check_count("blobs", "per_class", per_class);
  check_count("blobs", "dims", dims);
  check_non_negative("blobs", "stddev", stddev);
  check_non_negative("blobs", "box", box);
  Matrix centres(classes, dims);
  for (Index i = 0; i < centres.size(); ++i) centres.data()[i] = rng.uniform(-box, box);
  Classification d;
  d.classes = classes;
  d.x.resize(classes * per_class, dims);
  for (Index k = 0; k < classes; ++k) {
    for (Index i = 0; i < per_class; ++i) {
      const Index row = k * per_class + i;
      for (Index j = 0; j < dims; ++j) d.x(row, j) = centres(k, j) + stddev * rng.normal();
      d.labels.push_back(k);
    }
  }
  return d;
}

Regression regression_with_outliers(Index n, const OutlierRegressionOptions& options, Rng& rng) {
  check_count("regression_with_outliers", "n", n);
  GRADLAB_CHECK(std::isfinite(options.x_low) && std::isfinite(options.x_high) && options.x_low < options.x_high,
                "regression_with_outliers: need x_low < x_high, got [" + std::to_string(options.x_low) + ", " +
                    std::to_string(options.x_high) + ")");
  check_non_negative("regression_with_outliers", "noise", options.noise);
  GRADLAB_CHECK(options.outlier_fraction >= 0 && options.outlier_fraction <= 1,
                "regression_with_outliers: outlier_fraction must lie in [0, 1], got " +
                    std::to_string(options.outlier_fraction));
  GRADLAB_CHECK(std::isfinite(options.slope) && std::isfinite(options.intercept) &&
                    std::isfinite(options.outlier_offset),
                "regression_with_outliers: slope, intercept and outlier_offset must be finite");
  std::vector<Scalar> xs(static_cast<std::size_t>(n));
  for (auto& x : xs) x = rng.uniform(options.x_low, options.x_high);
  std::sort(xs.begin(), xs.end());
  Regression d;
  d.x.resize(n, 1);
  d.y.resize(n, 1);
  d.outlier.assign(static_cast<std::size_t>(n), false);
  for (Index i = 0; i < n; ++i) {
    d.x(i, 0) = xs[static_cast<std::size_t>(i)];
    d.y(i, 0) = options.slope * d.x(i, 0) + options.intercept + options.noise * rng.normal();
  }
  // Pick the outlier rows: the first m entries of a seeded Fisher–Yates shuffle.
  const auto m = static_cast<Index>(std::llround(options.outlier_fraction * static_cast<Scalar>(n)));
  std::vector<Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = 0; i < m; ++i) {
    const Index j = i + rng.index(n - i);
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
    const Index row = order[static_cast<std::size_t>(i)];
    d.outlier[static_cast<std::size_t>(row)] = true;
    d.y(row, 0) += options.outlier_offset * (1.0 + rng.uniform());
  }
  return d;
}

}  // namespace gradlab::datasets
