/// \file
/// \brief The two shapes a dataset comes in: classification (features + class indices)
/// and regression (features + targets), and helpers to turn labels into matrices.
#pragma once

#include "gradlab/core.h"

#include <vector>

/// \brief Datasets: generators and loaders.
namespace gradlab::datasets {

/// \brief A classification set: features `[N, D]` and one class index per row.
struct Classification {
  Matrix x;                   ///< features, one example per row: `[N, D]`
  std::vector<Index> labels;  ///< class of each row, in {0, …, classes − 1}
  Index classes = 0;          ///< number of classes K
};

/// \brief A regression set: features `[N, D]` and targets `[N, T]`, one example per row.
struct Regression {
  Matrix x;                  ///< features: `[N, D]`
  Matrix y;                  ///< targets: `[N, T]`
  std::vector<bool> outlier;  ///< whether row i was made an outlier (all false if none)
};

/// \brief The one-hot matrix of \p labels: `[N, classes]`, row i has a 1 in column labels[i].
///
/// Throws gradlab::Error naming the row when a label is outside {0, …, classes − 1}.
Matrix one_hot(const std::vector<Index>& labels, Index classes);

/// \brief The labels as an `[N, 1]` column of doubles (for losses that take a matrix).
Matrix labels_column(const std::vector<Index>& labels);

/// \brief How many rows carry each class: a vector of length \p classes.
///
/// Throws gradlab::Error naming the row when a label is outside {0, …, classes − 1}.
std::vector<Index> class_counts(const std::vector<Index>& labels, Index classes);

}  // namespace gradlab::datasets
