/// \file
/// \brief Classification metrics on a batch of scores: the predicted class of each row
/// and the fraction predicted right.
#pragma once

#include "gradlab/tensor.h"

#include <vector>

namespace gradlab {

/// \brief The index of each row's largest score: the predicted class. Ties go to the
/// lowest index (as `torch.argmax` does). scores: `[N, K]` with K ≥ 1.
std::vector<Index> argmax_rows(ConstMatrixRef scores);

/// \brief The fraction of rows whose argmax is their label, in [0, 1].
/// \param scores logits or probabilities, `[N, K]`, N ≥ 1
/// \param labels one class per row
/// Throws gradlab::Error when N is 0 or the label count is not N.
Scalar accuracy(ConstMatrixRef scores, const std::vector<Index>& labels);

/// \brief `accuracy(scores.value(), labels)`: the fraction of rows predicted right.
Scalar accuracy(const Tensor& scores, const std::vector<Index>& labels);

/// \brief The fraction of rows predicted right, the labels as a tensor of class indices.
Scalar accuracy(const Tensor& scores, const Tensor& labels);

/// \brief The class indices held by a label tensor: N whole numbers ≥ 0 as `[N, 1]` or
/// `[1, N]` (an `[N]` vector in PyTorch). Throws gradlab::Error naming the first entry
/// that is negative, not whole or not finite, or the shape when it is neither.
std::vector<Index> class_indices(const Tensor& labels);

}  // namespace gradlab
