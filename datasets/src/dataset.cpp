#include "gradlab/datasets/dataset.h"

#include <string>

namespace gradlab::datasets {

namespace {
void check_label(const char* op, Index label, std::size_t row, Index classes) {
  GRADLAB_CHECK(label >= 0 && label < classes,
                std::string(op) + ": label " + std::to_string(label) + " in row " + std::to_string(row) +
                    " is out of range for " + std::to_string(classes) + " classes");
}
}  // namespace

Matrix one_hot(const std::vector<Index>& labels, Index classes) {
  GRADLAB_CHECK(classes >= 1, "one_hot: need at least 1 class, got " + std::to_string(classes));
  Matrix y = Matrix::Zero(static_cast<Index>(labels.size()), classes);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    check_label("one_hot", labels[i], i, classes);
    y(static_cast<Index>(i), labels[i]) = 1.0;
  }
  return y;
}

Matrix labels_column(const std::vector<Index>& labels) {
  Matrix y(static_cast<Index>(labels.size()), 1);
  for (std::size_t i = 0; i < labels.size(); ++i) y(static_cast<Index>(i), 0) = static_cast<Scalar>(labels[i]);
  return y;
}

std::vector<Index> class_counts(const std::vector<Index>& labels, Index classes) {
  GRADLAB_CHECK(classes >= 1, "class_counts: need at least 1 class, got " + std::to_string(classes));
  std::vector<Index> counts(static_cast<std::size_t>(classes), 0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    check_label("class_counts", labels[i], i, classes);
    ++counts[static_cast<std::size_t>(labels[i])];
  }
  return counts;
}

}  // namespace gradlab::datasets
