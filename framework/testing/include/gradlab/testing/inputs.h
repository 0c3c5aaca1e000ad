/// \file
/// \brief Test inputs every lab's tests share: seeded random matrices, inputs kept away
/// from a kink, extreme values, and small matrices written out by hand.
#pragma once

#include "gradlab/tensor.h"

#include <cstdint>
#include <initializer_list>

namespace gradlab::testing {

/// \brief A [rows, cols] matrix of uniform draws from [low, high), seeded by \p seed.
///
/// The same seed always gives the same matrix (drawn in row-major order from
/// `gradlab::Rng(seed)`), so a failing test fails the same way on every run.
Matrix random_matrix(Index rows, Index cols, std::uint64_t seed, Scalar low = -1.0, Scalar high = 1.0);

/// \brief `Tensor(random_matrix(rows, cols, seed, low, high))`: a leaf that does not
/// require a gradient (the gradient checks mark their inputs themselves).
Tensor random_tensor(Index rows, Index cols, std::uint64_t seed, Scalar low = -1.0, Scalar high = 1.0);

/// \brief \p x with every element closer than \p gap to \p kink moved \p gap further
/// away on its own side (an element exactly at the kink goes to kink + gap).
///
/// For functions whose derivative jumps at \p kink (ReLU at 0, |x| at 0, max(x, c) at
/// c): a finite difference of step 1e-6 then never straddles the kink. Elements at
/// least \p gap away are left as they are.
Matrix away_from_kink(Matrix x, Scalar kink = 0.0, Scalar gap = 0.05);

/// \brief The row (−1000, −40, −1, 0, 1, 40, 1000): overflow of e^x, saturation and the
/// kink at 0, for checks that a function stays finite.
Matrix extreme_inputs();

/// \brief A matrix written out row by row, e.g. `mat({{1, 2}, {3, 4}})`.
/// Throws gradlab::Error naming the row when the rows have different lengths.
Matrix mat(std::initializer_list<std::initializer_list<Scalar>> rows);

/// \brief A [1, n] row, e.g. `row({-2.0, 0.0, 3.0})`.
Matrix row(std::initializer_list<Scalar> values);

}  // namespace gradlab::testing
