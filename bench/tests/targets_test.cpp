// The reference's targets: judged on given figures, and read from a manifest.
#include "gradlab/bench/bench.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gradlab::bench {
namespace {

Targets issue_targets() {
  Targets t;
  t.present = true;
  t.peak_sizes = {512, 1024};
  t.percent_of_peak = 85.0;
  t.over_eigen = 1.1;
  t.scaling_size = 2048;
  t.scaling_threads = 2;
  t.scaling = 1.8;
  t.odd_percent_of_peak = 70.0;
  return t;
}

TEST(Targets, OneCheckPerSizeAndTargetInOrder) {
  TargetFigures f;
  f.sizes = {1024, 512, 31};
  f.percent_of_peak = {90.0, 86.0, 40.0};
  f.over_eigen = {1.3, 1.2, 0.8};
  f.scaling = 1.9;
  f.odd_percent_of_peak = 75.0;
  const auto checks = check_targets(issue_targets(), f);
  ASSERT_EQ(checks.size(), 6u);
  EXPECT_EQ(checks[0].what, "% of peak, 1 thread, n = 512");
  EXPECT_DOUBLE_EQ(checks[0].measured, 86.0);  // looked up by size, not by position
  EXPECT_DOUBLE_EQ(checks[1].measured, 90.0);
  EXPECT_EQ(checks[2].what, "reference / Eigen, 1 thread, n = 512");
  EXPECT_DOUBLE_EQ(checks[2].measured, 1.2);
  EXPECT_EQ(checks[4].what, "2 threads / 1 thread, n = 2048");
  EXPECT_EQ(checks[5].what, "odd sizes, average % of peak");
  for (const auto& c : checks) EXPECT_TRUE(c.met) << c.what;
}

TEST(Targets, MissedWhenBelowMetAtTheGoalItself) {
  TargetFigures f;
  f.sizes = {512, 1024};
  f.percent_of_peak = {85.0, 84.9};
  f.over_eigen = {1.1, 1.05};
  f.scaling = 1.29;
  f.odd_percent_of_peak = 41.0;
  const auto checks = check_targets(issue_targets(), f);
  EXPECT_TRUE(checks[0].met);   // 85.0 >= 85
  EXPECT_FALSE(checks[1].met);  // 84.9 < 85
  EXPECT_TRUE(checks[2].met);
  EXPECT_FALSE(checks[3].met);
  EXPECT_FALSE(checks[4].met);
  EXPECT_DOUBLE_EQ(checks[4].measured, 1.29);
  EXPECT_EQ(checks[4].unit, "x");
  EXPECT_FALSE(checks[5].met);
  EXPECT_EQ(checks[5].unit, "%");
}

TEST(Targets, NotMeasuredIsNeverMet) {
  TargetFigures f;  // no sizes timed, no scaling, no peak
  const auto checks = check_targets(issue_targets(), f);
  ASSERT_EQ(checks.size(), 6u);
  for (const auto& c : checks) {
    EXPECT_LT(c.measured, 0.0) << c.what;
    EXPECT_FALSE(c.met) << c.what;
  }
}

TEST(Targets, NoScalingCheckForOneThreadAndThreadCountInLabels) {
  Targets t = issue_targets();
  t.scaling_threads = 1;
  TargetFigures f;
  f.threads = 4;
  const auto checks = check_targets(t, f);
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].what, "% of peak, 4 threads, n = 512");
}

std::filesystem::path write_manifest(const std::string& name, const std::string& targets) {
  const auto path = std::filesystem::temp_directory_path() / ("gradlab_targets_" + name + ".toml");
  std::ofstream(path) << "[bench]\nsizes = [32, 64]\n" << targets;
  return path;
}

TEST(Targets, ReadFromTheManifest) {
  Options options;
  load_manifest(write_manifest("ok", "[bench.targets]\npeak_sizes = [64]\npercent_of_peak = 80\n"
                                     "over_eigen = 1.5\nscaling_size = 512\nscaling_threads = 4\n"
                                     "scaling = 3.0\nodd_percent_of_peak = 60\n"),
                options);
  const Targets& t = options.targets;
  EXPECT_TRUE(t.present);
  EXPECT_EQ(t.peak_sizes, std::vector<Index>{64});
  EXPECT_DOUBLE_EQ(t.percent_of_peak, 80.0);
  EXPECT_DOUBLE_EQ(t.over_eigen, 1.5);
  EXPECT_EQ(t.scaling_size, 512);
  EXPECT_EQ(t.scaling_threads, 4);
  EXPECT_DOUBLE_EQ(t.scaling, 3.0);
  EXPECT_DOUBLE_EQ(t.odd_percent_of_peak, 60.0);

  Options none;
  load_manifest(write_manifest("none", ""), none);
  EXPECT_FALSE(none.targets.present);
}

TEST(Targets, BadManifestNamesTheKey) {
  Options options;
  try {
    load_manifest(write_manifest("bad", "[bench.targets]\nscaling_threads = 0\n"), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'scaling_threads' = 0 is out of range"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(in [bench.targets])"), std::string::npos) << e.what();
  }
  try {
    load_manifest(write_manifest("bad_size", "[bench.targets]\npeak_sizes = [0]\n"), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'peak_sizes' = 0 is out of range"), std::string::npos) << e.what();
  }
  // A misspelt key is an error that names it, not a setting silently left at its default.
  try {
    load_manifest(write_manifest("typo", "[bench.score]\npoint = 40\n"), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("typo.toml:4:9: unknown key 'point' (in [bench.score])"), std::string::npos) << e.what();
  }
  try {
    load_manifest(write_manifest("typo_top", "treads = 2\n"), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key 'treads' (in [bench])"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gradlab::bench
