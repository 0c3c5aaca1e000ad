// Tests of the shipped digits and the stratified split: the file's known contents,
// one clear error per malformed file, and a split that is disjoint, complete,
// stratified and reproducible.
#include "gradlab/datasets/digits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace ds = gradlab::datasets;
using gradlab::Error;
using gradlab::Index;

TEST(Digits, ShippedFileHasTheKnownShapeClassesAndFirstRow) {
  const ds::Classification d = ds::load_digits();
  ASSERT_EQ(d.x.rows(), 1797);
  ASSERT_EQ(d.x.cols(), 64);
  EXPECT_EQ(d.classes, 10);
  const std::vector<Index> expected{178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
  EXPECT_EQ(ds::class_counts(d.labels, 10), expected);
  EXPECT_GE(d.x.minCoeff(), 0.0);
  EXPECT_LE(d.x.maxCoeff(), 1.0);
  EXPECT_DOUBLE_EQ(d.x.maxCoeff(), 1.0);  // some pixel is fully inked (16/16)
  // First line: 0,0,5,13,9,1,0,0,… → digit 0; pixels divided by 16.
  EXPECT_EQ(d.labels.front(), 0);
  EXPECT_DOUBLE_EQ(d.x(0, 2), 5.0 / 16);
  EXPECT_DOUBLE_EQ(d.x(0, 3), 13.0 / 16);
  EXPECT_DOUBLE_EQ(d.x(0, 4), 9.0 / 16);
  EXPECT_EQ(d.labels.back(), 8);
}

class DigitsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gradlab_digits_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A file of \p lines lines like the shipped one: 64 pixels (all \p pixel), then \p label.
  std::string write(const std::string& pixel, const std::string& label, int lines = 2) {
    std::string row;
    for (int j = 0; j < 64; ++j) row += pixel + ",";
    std::ofstream out(dir_ / "digits.csv");
    for (int i = 0; i < lines; ++i) out << row << label << "\n";
    return (dir_ / "digits.csv").string();
  }

  void expect_error(const std::string& path, const std::string& part) {
    try {
      ds::load_digits(path);
      ADD_FAILURE() << "no error for " << path;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }

  fs::path dir_;
};

TEST_F(DigitsFileTest, ReadsAWellFormedFileAndScalesPixels) {
  const ds::Classification d = ds::load_digits(write("8", "3"));
  ASSERT_EQ(d.x.rows(), 2);
  EXPECT_DOUBLE_EQ(d.x(1, 63), 0.5);
  EXPECT_EQ(d.labels, (std::vector<Index>{3, 3}));
  EXPECT_EQ(d.classes, 10);
}

TEST_F(DigitsFileTest, EnvironmentVariableNamesTheFolder) {
  write("1", "2");
  ::setenv("GRADLAB_DATA_DIR", dir_.c_str(), 1);
  EXPECT_EQ(ds::digits_path(), (dir_ / "digits.csv").string());
  EXPECT_EQ(ds::load_digits().x.rows(), 2);
  ::unsetenv("GRADLAB_DATA_DIR");
}

TEST_F(DigitsFileTest, MalformedFilesGiveOneClearError) {
  expect_error((dir_ / "missing.csv").string(), "cannot open");
  expect_error(write("17", "1"), "pixel 1 is 17");
  expect_error(write("2.5", "1"), "whole number");
  expect_error(write("3", "10"), "label is 10");
  std::ofstream(dir_ / "short.csv") << "1,2,3\n";
  expect_error((dir_ / "short.csv").string(), "has 3 columns");
}

// A set whose single feature is the row's index, so a part tells where its rows came from.
ds::Classification indexed(const std::vector<Index>& labels, Index classes) {
  ds::Classification d;
  d.classes = classes;
  d.labels = labels;
  d.x.resize(static_cast<Index>(labels.size()), 1);
  for (Index i = 0; i < d.x.rows(); ++i) d.x(i, 0) = static_cast<double>(i);
  return d;
}

std::vector<Index> origins(const ds::Classification& part) {
  std::vector<Index> rows;
  for (Index i = 0; i < part.x.rows(); ++i) rows.push_back(static_cast<Index>(part.x(i, 0)));
  return rows;
}

TEST(StratifiedSplit, PartsAreDisjointCompleteOrderedAndStratified) {
  std::vector<Index> labels;
  for (int i = 0; i < 100; ++i) labels.push_back(i % 3 == 0 ? 0 : (i % 3 == 1 ? 1 : 2));
  for (int i = 0; i < 20; ++i) labels.push_back(3);  // an unbalanced class
  const ds::Classification d = indexed(labels, 4);
  const ds::Split s = ds::stratified_split(d, 0.2, 0.1, 7);

  std::set<Index> seen;
  for (const auto* part : {&s.train, &s.validation, &s.test}) {
    const std::vector<Index> rows = origins(*part);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_TRUE(seen.insert(rows[i]).second) << "row " << rows[i] << " is in two parts";
      EXPECT_EQ(part->labels[i], labels[static_cast<std::size_t>(rows[i])]);
    }
    EXPECT_EQ(part->classes, 4);
  }
  EXPECT_EQ(seen.size(), labels.size());
  // Per class: n_test = round(0.1 n), n_validation = round(0.2 n); class sizes 34, 33, 33, 20.
  EXPECT_EQ(ds::class_counts(s.test.labels, 4), (std::vector<Index>{3, 3, 3, 2}));
  EXPECT_EQ(ds::class_counts(s.validation.labels, 4), (std::vector<Index>{7, 7, 7, 4}));
  EXPECT_EQ(ds::class_counts(s.train.labels, 4), (std::vector<Index>{24, 23, 23, 14}));
}

TEST(StratifiedSplit, SameSeedSameSplitOtherSeedOtherSplit) {
  const ds::Classification d = ds::load_digits();
  const ds::Split a = ds::stratified_split(d, 0.15, 0.15, 1);
  const ds::Split b = ds::stratified_split(d, 0.15, 0.15, 1);
  const ds::Split c = ds::stratified_split(d, 0.15, 0.15, 2);
  EXPECT_EQ(a.test.labels, b.test.labels);
  EXPECT_TRUE(a.test.x == b.test.x);
  EXPECT_TRUE(a.train.x == b.train.x);
  EXPECT_FALSE(a.test.x == c.test.x);
  EXPECT_EQ(a.train.x.rows() + a.validation.x.rows() + a.test.x.rows(), 1797);
}

TEST(StratifiedSplit, RejectsFractionsThatLeaveNoTrainingSet) {
  const ds::Classification d = indexed({0, 1, 0, 1}, 2);
  EXPECT_THROW(ds::stratified_split(d, -0.1, 0.1, 0), Error);
  EXPECT_THROW(ds::stratified_split(d, 0.1, 1.0, 0), Error);
  EXPECT_THROW(ds::stratified_split(d, 0.5, 0.5, 0), Error);
  EXPECT_NO_THROW(ds::stratified_split(d, 0.0, 0.0, 0));
}

}  // namespace
