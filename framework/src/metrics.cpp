#include "gradlab/metrics.h"

#include <cmath>

namespace gradlab {

std::vector<Index> argmax_rows(ConstMatrixRef scores) {
  GRADLAB_CHECK(scores.cols() > 0, "argmax_rows: scores " + shape_string(scores.rows(), scores.cols()) + " have no column");
  std::vector<Index> classes(static_cast<std::size_t>(scores.rows()));
  for (Index i = 0; i < scores.rows(); ++i) scores.row(i).maxCoeff(&classes[static_cast<std::size_t>(i)]);
  return classes;
}

Scalar accuracy(ConstMatrixRef scores, const std::vector<Index>& labels) {
  GRADLAB_CHECK(scores.rows() > 0, "accuracy: an empty batch has no accuracy");
  GRADLAB_CHECK(static_cast<Index>(labels.size()) == scores.rows(),
                "accuracy: " + std::to_string(labels.size()) + " labels for scores " +
                    shape_string(scores.rows(), scores.cols()));
  const std::vector<Index> predicted = argmax_rows(scores);
  Index correct = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i] ? 1 : 0;
  return static_cast<Scalar>(correct) / static_cast<Scalar>(scores.rows());
}

Scalar accuracy(const Tensor& scores, const std::vector<Index>& labels) {
  return accuracy(scores.value(), labels);
}

Scalar accuracy(const Tensor& scores, const Tensor& labels) {
  return accuracy(scores.value(), class_indices(labels));
}

std::vector<Index> class_indices(const Tensor& labels) {
  const Matrix& v = labels.value();
  GRADLAB_CHECK(v.rows() == 1 || v.cols() == 1,
                "class_indices: labels must be one index per example, [N, 1] or [1, N], got " + labels.shape());
  std::vector<Index> indices(static_cast<std::size_t>(v.size()));
  for (Index i = 0; i < v.size(); ++i) {
    const Scalar x = v.data()[i];  // a column or a row: contiguous either way
    GRADLAB_CHECK(std::isfinite(x) && x >= 0 && x == std::floor(x),
                  "class_indices: label " + std::to_string(i) + " is " + std::to_string(x) +
                      "; a class index is a whole number >= 0");
    indices[static_cast<std::size_t>(i)] = static_cast<Index>(x);
  }
  return indices;
}

}  // namespace gradlab
