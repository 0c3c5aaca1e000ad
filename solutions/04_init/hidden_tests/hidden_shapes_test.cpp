// Hidden tests of lab 04 (instructor grading only): the initializers and the
// standardization on shapes, gains and data drawn from the run's seed
// (GRADLAB_TEST_SEED), so that code written for the visible tests' shapes fails.
#include "gradlab/gradlab.h"
#include "gradlab/kernels/init.h"
#include "gradlab/kernels/preprocessing.h"
#include "gradlab/testing/kit.h"

#include <cmath>

using namespace gradlab;
using namespace gradlab::kernels;
using namespace gradlab::testing;

namespace {

Scalar sample_std(const Matrix& w) {
  const Scalar mean = w.mean();
  return std::sqrt((w.array() - mean).square().sum() / static_cast<Scalar>(w.size()));
}

}  // namespace

// σ = gain·√(2/(fan_in+fan_out)) and σ = gain/√fan for drawn fans and gains.
TEST(HiddenInit, StandardDeviationsForDrawnFans) {
  Rng rng = seeded_rng(30);
  const Index fan_in = draw_size(rng, 3, 700), fan_out = draw_size(rng, 3, 700);
  const Scalar gain = rng.uniform(0.5, 2.0);
  EXPECT_NEAR(xavier_std(fan_in, fan_out, gain), gain * std::sqrt(2.0 / static_cast<Scalar>(fan_in + fan_out)), 1e-12)
      << "fan_in " << fan_in << ", fan_out " << fan_out << seed_note();
  EXPECT_NEAR(kaiming_std(fan_out, gain), gain / std::sqrt(static_cast<Scalar>(fan_out)), 1e-12) << seed_note();
  const Scalar s = rng.uniform(0.01, 3.0);
  EXPECT_NEAR(uniform_bound(s), std::sqrt(3.0) * s, 1e-12) << seed_note();
}

// The fans come from the weight's shape [in, out]: a drawn non-square shape tells them
// apart, and a large sample pins the spread to within a few per cent.
TEST(HiddenInit, InitializersSpreadForDrawnShapes) {
  Rng draw = seeded_rng(31);
  const Index in = draw_size(draw, 150, 400), out = draw_size(draw, 20, 90);
  const Scalar gain = draw.uniform(0.5, 2.0);
  Rng rng = seeded_rng(32);
  Matrix w(in, out);

  xavier_uniform(w, gain, rng);
  const Scalar bound = gain * std::sqrt(6.0 / static_cast<Scalar>(in + out));
  EXPECT_LE(w.cwiseAbs().maxCoeff(), bound) << "xavier_uniform: |w| ≤ gain √(6/(fan_in+fan_out))" << seed_note();
  EXPECT_NEAR(sample_std(w) / (bound / std::sqrt(3.0)), 1.0, 0.05) << seed_note();

  kaiming_normal(w, gain, FanMode::FanIn, rng);
  EXPECT_NEAR(sample_std(w) / (gain / std::sqrt(static_cast<Scalar>(in))), 1.0, 0.05)
      << "kaiming_normal, fan_in = rows = " << in << seed_note();
  kaiming_normal(w, gain, FanMode::FanOut, rng);
  EXPECT_NEAR(sample_std(w) / (gain / std::sqrt(static_cast<Scalar>(out))), 1.0, 0.05)
      << "kaiming_normal, fan_out = cols = " << out << seed_note();
  kaiming_uniform(w, gain, FanMode::FanIn, rng);
  EXPECT_LE(w.cwiseAbs().maxCoeff(), std::sqrt(3.0) * gain / std::sqrt(static_cast<Scalar>(in))) << seed_note();
  EXPECT_NEAR(sample_std(w) / (gain / std::sqrt(static_cast<Scalar>(in))), 1.0, 0.05) << seed_note();
  lecun_normal(w, rng);
  EXPECT_NEAR(sample_std(w) * std::sqrt(static_cast<Scalar>(in)), 1.0, 0.05) << seed_note();
}

// Standardization of drawn data with a large mean and a constant feature: statistics
// from the training rows, applied to other rows; the constant feature only centered.
TEST(HiddenPreprocessing, StandardizeDrawnDataWithLargeMeanAndConstantFeature) {
  Rng rng = seeded_rng(33);
  const Index n = draw_size(rng, 7, 12), m = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  Matrix x = draw_matrix(rng, n, d, -2, 2);
  x.array() += rng.uniform(1e3, 1e5);
  const Index constant = draw_size(rng, 0, d - 1);
  x.col(constant).setConstant(rng.uniform(-50, 50));
  const Matrix other = draw_matrix(rng, m, d, -2, 2).array() + x.mean();

  Matrix mean(1, d), stddev(1, d);
  standardize_fit(x, mean, stddev);
  const Matrix expected_mean = x.colwise().mean();
  const Matrix centered = x.rowwise() - expected_mean.row(0);
  const Matrix expected_std = (centered.array().square().colwise().sum() / static_cast<Scalar>(n)).sqrt().matrix();
  EXPECT_TRUE(near(mean, expected_mean, 1e-9)) << seed_note();
  EXPECT_TRUE(near(stddev, expected_std, 1e-9)) << "population standard deviation (÷ N)" << seed_note();

  const Scalar eps = 1e-8;
  Matrix out(m, d);
  standardize_apply(other, expected_mean, expected_std, eps, out);
  for (Index j = 0; j < d; ++j) {
    const Scalar s = expected_std(0, j) < eps ? 1.0 : expected_std(0, j);
    for (Index i = 0; i < m; ++i)
      EXPECT_NEAR(out(i, j), (other(i, j) - expected_mean(0, j)) / s, 1e-9)
          << "element [" << i << "," << j << "]" << (j == constant ? " (the constant feature: only centered)" : "")
          << seed_note();
  }
}
