/// \file
/// \brief Classification metrics on a batch of scores: the predicted class of each row
/// and the fraction predicted right.
#pragma once

#include "gradlab/core.h"

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

}  // namespace gradlab
