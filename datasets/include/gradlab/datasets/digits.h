/// \file
/// \brief The UCI handwritten digits (8 × 8 images, 10 classes, 1,797 examples) shipped
/// in `datasets/data/`, and a deterministic stratified split.
#pragma once

#include "gradlab/core.h"
#include "gradlab/datasets/dataset.h"

#include <cstdint>
#include <string>

namespace gradlab::datasets {

/// \brief The path of the shipped `digits.csv`.
///
/// The folder is `datasets/data` of the source tree this library was built from, or the
/// folder named by the environment variable `GRADLAB_DATA_DIR` when it is set.
std::string digits_path();

/// \brief Reads the digits: x `[1797, 64]` with every pixel divided by 16 (so in [0, 1]),
/// labels 0…9, 10 classes.
///
/// Throws gradlab::Error naming the file when it cannot be read, when a line does not
/// hold 65 numbers, when a pixel is outside 0…16 or not a whole number, or when a label
/// is not a digit.
Classification load_digits(const std::string& path = digits_path());

/// \brief The three parts of a data set.
struct Split {
  Classification train;       ///< what the parameters are fitted on
  Classification validation;  ///< what hyperparameters and early stopping look at
  Classification test;        ///< looked at once, at the end
};

/// \brief Splits \p data into train, validation and test sets with the same class
/// proportions (stratified), reproducibly.
///
/// For every class c with n_c rows: its rows are shuffled (Fisher–Yates with
/// `Rng(seed)`, classes in order 0, 1, …), then the first round(n_c · \p test_fraction)
/// go to test, the next round(n_c · \p validation_fraction) to validation and the rest
/// to train. Each part keeps the rows in their original order. The same seed gives the
/// same split.
///
/// Throws gradlab::Error naming the value when a fraction is outside [0, 1) or when
/// they sum to 1 or more.
Split stratified_split(const Classification& data, double validation_fraction, double test_fraction,
                       std::uint64_t seed);

}  // namespace gradlab::datasets
