#include "gradlab/metrics.h"

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

}  // namespace gradlab
