// Tests of the CSV and IDX loaders on small files the tests write into a temporary
// directory (never a download): contents, and one clear error per malformed file.
#include "gradlab/datasets/csv.h"
#include "gradlab/datasets/idx.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace ds = gradlab::datasets;
using gradlab::Error;
using gradlab::Index;
using gradlab::Matrix;

// A fresh temporary directory per test, removed afterwards.
class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gradlab_datasets_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  fs::path dir_;
};

template <typename F>
void expect_error_mentions(F f, const std::vector<std::string>& pieces) {
  try {
    f();
    ADD_FAILURE() << "expected gradlab::Error";
  } catch (const Error& e) {
    for (const auto& piece : pieces) {
      EXPECT_NE(std::string(e.what()).find(piece), std::string::npos)
          << "the message should mention '" << piece << "': " << e.what();
    }
  }
}

// ---------------------------------------------------------------- CSV

using Csv = LoaderTest;

TEST_F(Csv, ReadsHeaderAndNumbers) {
  const auto path = write("a.csv", "x1, x2 ,label\r\n1.5,-2,0\r\n\r\n3e-1,4,1\r\n");
  const ds::CsvTable t = ds::read_csv(path);
  EXPECT_EQ(t.columns, (std::vector<std::string>{"x1", "x2", "label"}));
  EXPECT_EQ(t.values, (Matrix(2, 3) << 1.5, -2, 0, 0.3, 4, 1).finished());
  EXPECT_EQ(t.column("label"), 2);
  expect_error_mentions([&] { (void)t.column("y"); }, {"'y'", "x1, x2, label"});
}

TEST_F(Csv, WithoutHeaderAndOtherDelimiter) {
  const auto path = write("b.csv", "1;2\n3;4\n");
  const ds::CsvTable t = ds::read_csv(path, {.delimiter = ';', .header = false});
  EXPECT_EQ(t.columns, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(t.values, (Matrix(2, 2) << 1, 2, 3, 4).finished());
}

TEST_F(Csv, HeaderOnlyGivesAnEmptyTable) {
  const ds::CsvTable t = ds::read_csv(write("c.csv", "a,b\n"));
  EXPECT_EQ(t.values.rows(), 0);
  EXPECT_EQ(t.values.cols(), 2);
}

TEST_F(Csv, ToClassificationSplitsTheLabelColumn) {
  const auto t = ds::read_csv(write("d.csv", "x1,label,x2\n1,0,2\n3,2,4\n5,1,6\n"));
  const ds::Classification d = ds::to_classification(t, "label");
  EXPECT_EQ(d.x, (Matrix(3, 2) << 1, 2, 3, 4, 5, 6).finished());
  EXPECT_EQ(d.labels, (std::vector<Index>{0, 2, 1}));
  EXPECT_EQ(d.classes, 3);
  const auto bad = ds::read_csv(write("e.csv", "x,label\n1,0\n2,1.5\n"));
  expect_error_mentions([&] { ds::to_classification(bad, "label"); }, {"row 1", "whole number"});
}

TEST_F(Csv, ErrorsNameTheFileLineAndProblem) {
  const auto missing = (dir_ / "missing.csv").string();
  expect_error_mentions([&] { ds::read_csv(missing); }, {missing, "cannot open"});
  const auto empty = write("empty.csv", "");
  expect_error_mentions([&] { ds::read_csv(empty); }, {empty, "empty"});
  const auto ragged = write("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
  expect_error_mentions([&] { ds::read_csv(ragged); }, {ragged + ":3", "2 fields, expected 3"});
  const auto text = write("text.csv", "a,b\n1,2\n3,oops\n");
  expect_error_mentions([&] { ds::read_csv(text); }, {text + ":3", "'oops'", "column 2", "('b')"});
  const auto partial = write("partial.csv", "a\n1.5x\n");
  expect_error_mentions([&] { ds::read_csv(partial); }, {"'1.5x'", "not a number"});
  const auto blank = write("blank.csv", "a,b\n1,\n");
  expect_error_mentions([&] { ds::read_csv(blank); }, {"''", "not a number"});
}

// ---------------------------------------------------------------- IDX (MNIST format)

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

// An IDX image file: n images of rows × cols pixels, pixel k of the file = k mod 256.
std::string image_file(std::uint32_t n, std::uint32_t rows, std::uint32_t cols, std::size_t drop = 0) {
  std::string bytes = std::string("\x00\x00\x08\x03", 4) + be32(n) + be32(rows) + be32(cols);
  for (std::size_t k = 0; k < std::size_t{n} * rows * cols; ++k) bytes.push_back(static_cast<char>(k % 256));
  bytes.resize(bytes.size() - drop);
  return bytes;
}

std::string label_file(const std::vector<unsigned char>& labels) {
  std::string bytes = std::string("\x00\x00\x08\x01", 4) + be32(static_cast<std::uint32_t>(labels.size()));
  for (unsigned char l : labels) bytes.push_back(static_cast<char>(l));
  return bytes;
}

using Idx = LoaderTest;

TEST_F(Idx, ReadsImagesAsScaledRows) {
  const Matrix x = ds::read_idx_images(write("img.idx", image_file(2, 2, 3)));
  ASSERT_EQ(x.rows(), 2);
  ASSERT_EQ(x.cols(), 6);
  EXPECT_DOUBLE_EQ(x(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(x(0, 5), 5.0 / 255.0);
  EXPECT_DOUBLE_EQ(x(1, 0), 6.0 / 255.0);
}

TEST_F(Idx, ReadsLabelsAndMnistPairs) {
  const auto labels = write("lab.idx", label_file({7, 0, 9}));
  EXPECT_EQ(ds::read_idx_labels(labels), (std::vector<Index>{7, 0, 9}));
  const ds::Classification d = ds::load_mnist(write("img.idx", image_file(3, 2, 2)), labels);
  EXPECT_EQ(d.x.rows(), 3);
  EXPECT_EQ(d.classes, 10);
  EXPECT_EQ(d.labels[0], 7);
}

TEST_F(Idx, ErrorsNameTheFileAndProblem) {
  const auto missing = (dir_ / "none.idx").string();
  expect_error_mentions([&] { ds::read_idx_images(missing); }, {missing, "cannot open"});
  const auto short_header = write("short.idx", std::string("\x00\x00\x08\x03\x00", 5));
  expect_error_mentions([&] { ds::read_idx_images(short_header); }, {short_header, "truncated", "header"});
  const auto truncated = write("trunc.idx", image_file(2, 2, 3, 4));
  expect_error_mentions([&] { ds::read_idx_images(truncated); }, {truncated, "truncated", "12", "8"});
  const auto trailing = write("trail.idx", image_file(1, 2, 2) + "xx");
  expect_error_mentions([&] { ds::read_idx_images(trailing); }, {trailing, "2 trailing bytes"});
  const auto labels_as_images = write("lab.idx", label_file({1, 2}));
  expect_error_mentions([&] { ds::read_idx_images(labels_as_images); }, {labels_as_images, "bad magic", "0x00000801"});
  const auto gz = write("gz.idx", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16));
  expect_error_mentions([&] { ds::read_idx_labels(gz); }, {gz, "bad magic"});
}

TEST_F(Idx, MnistRejectsMismatchedCountsAndNonDigits) {
  const auto images = write("img.idx", image_file(3, 2, 2));
  const auto two = write("two.idx", label_file({1, 2}));
  expect_error_mentions([&] { ds::load_mnist(images, two); }, {"3 images", "2 labels"});
  const auto big = write("big.idx", label_file({1, 2, 12}));
  expect_error_mentions([&] { ds::load_mnist(images, big); }, {big, "label 12"});
}

}  // namespace
