/// \file
/// \brief Seeded generators of the small synthetic datasets the experiments train on.
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

#include <vector>

/// \brief Datasets: generators and loaders.
namespace gradlab::datasets {

/// \brief A classification set: features `[N, D]` and one class index per row.
struct Classification {
  Matrix x;                   ///< features, one example per row: `[N, D]`
  std::vector<Index> labels;  ///< class of each row, in {0, …, classes − 1}
  Index classes = 0;          ///< number of classes K
};

/// \brief The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, as `[4, 2]`.
///
/// No linear classifier separates them: the classic reason for a hidden layer.
Classification xor_points();

/// \brief K interleaved spiral arms in 2-D, \p per_class points each, with Gaussian noise.
///
/// Arm k, point i (t = i / per_class): radius r = t, angle
/// θ = 4t + 2πk/K + noise·N(0,1); x = (r sin θ, r cos θ). Rows are ordered by class.
/// \param noise standard deviation of the angle noise (radians), ≥ 0
Classification spiral(Index classes, Index per_class, Scalar noise, Rng& rng);

}  // namespace gradlab::datasets
