#include "gradlab/datasets/digits.h"

#include "gradlab/datasets/csv.h"
#include "gradlab/random.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#ifndef GRADLAB_DATA_DIR
#error "GRADLAB_DATA_DIR must name the folder of the shipped data (set by datasets/CMakeLists.txt)"
#endif

namespace gradlab::datasets {

namespace {

constexpr Index kPixels = 64;
constexpr Index kClasses = 10;
constexpr Scalar kMaxPixel = 16;

// The rows \p rows of \p data, in the order given.
Classification take_rows(const Classification& data, const std::vector<Index>& rows) {
  Classification part;
  part.classes = data.classes;
  part.x.resize(static_cast<Index>(rows.size()), data.x.cols());
  part.labels.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    part.x.row(static_cast<Index>(i)) = data.x.row(rows[i]);
    part.labels.push_back(data.labels[static_cast<std::size_t>(rows[i])]);
  }
  return part;
}

void check_fraction(const char* name, double value) {
  if (!(value >= 0.0 && value < 1.0)) {
    throw Error(std::string("stratified_split: ") + name + " = " + std::to_string(value) +
                " is outside [0, 1)");
  }
}

}  // namespace

std::string digits_path() {
  const char* dir = std::getenv("GRADLAB_DATA_DIR");
  return std::string(dir != nullptr && *dir != '\0' ? dir : GRADLAB_DATA_DIR) + "/digits.csv";
}

Classification load_digits(const std::string& path) {
  const CsvTable table = read_csv(path, CsvOptions{',', false});
  if (table.values.cols() != kPixels + 1) {
    throw Error(path + ": has " + std::to_string(table.values.cols()) + " columns, expected " +
                std::to_string(kPixels + 1) + " (64 pixels and the digit)");
  }
  const auto whole = [](Scalar v) { return std::floor(v) == v; };
  for (Index i = 0; i < table.values.rows(); ++i) {
    for (Index j = 0; j < kPixels; ++j) {
      const Scalar v = table.values(i, j);
      if (!(v >= 0 && v <= kMaxPixel && whole(v))) {
        throw Error(path + ": line " + std::to_string(i + 1) + ", pixel " + std::to_string(j + 1) + " is " +
                    number_string(v) + ", expected a whole number in 0…16");
      }
    }
    const Scalar label = table.values(i, kPixels);
    if (!(label >= 0 && label < kClasses && whole(label))) {
      throw Error(path + ": line " + std::to_string(i + 1) + ": the label is " + number_string(label) +
                  ", expected a digit 0…9");
    }
  }
  Classification digits = to_classification(table, std::to_string(kPixels));
  digits.x /= kMaxPixel;
  digits.classes = kClasses;  // even if a file holds fewer digits
  return digits;
}

Split stratified_split(const Classification& data, double validation_fraction, double test_fraction,
                       std::uint64_t seed) {
  check_fraction("validation_fraction", validation_fraction);
  check_fraction("test_fraction", test_fraction);
  if (validation_fraction + test_fraction >= 1.0) {
    throw Error("stratified_split: validation_fraction + test_fraction = " +
                std::to_string(validation_fraction + test_fraction) + " leaves nothing to train on (must be < 1)");
  }
  class_counts(data.labels, data.classes);  // throws, naming the row, on a label outside 0…classes − 1
  std::vector<std::vector<Index>> by_class(static_cast<std::size_t>(data.classes));
  for (std::size_t i = 0; i < data.labels.size(); ++i) {
    by_class[static_cast<std::size_t>(data.labels[i])].push_back(static_cast<Index>(i));
  }
  Rng rng(seed);
  std::vector<Index> train, validation, test;
  for (auto& rows : by_class) {
    // Fisher–Yates: for i = n−1 … 1, swap row i with a uniform row j ≤ i.
    for (Index i = static_cast<Index>(rows.size()) - 1; i > 0; --i) {
      std::swap(rows[static_cast<std::size_t>(i)], rows[static_cast<std::size_t>(rng.index(i + 1))]);
    }
    const auto n = static_cast<double>(rows.size());
    const auto n_test = static_cast<std::size_t>(std::lround(n * test_fraction));
    const auto n_validation =
        std::min(rows.size() - n_test, static_cast<std::size_t>(std::lround(n * validation_fraction)));
    test.insert(test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
    validation.insert(validation.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test),
                      rows.begin() + static_cast<std::ptrdiff_t>(n_test + n_validation));
    train.insert(train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test + n_validation), rows.end());
  }
  for (auto* part : {&train, &validation, &test}) std::sort(part->begin(), part->end());
  return Split{take_rows(data, train), take_rows(data, validation), take_rows(data, test)};
}

}  // namespace gradlab::datasets
