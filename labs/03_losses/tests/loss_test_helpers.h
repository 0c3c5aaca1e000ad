// Shared helpers for the lab 03 tests (not a test file itself).
#pragma once

#include "gradlab/gradlab.h"
#include "gradlab/kernels/losses.h"
#include "gradlab/losses.h"
#include "gradlab/testing/gradcheck.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace lab03_test {

using gradlab::Index;
using gradlab::Matrix;
using gradlab::Reduction;
using gradlab::Scalar;
using gradlab::Tensor;

// Builds a matrix from rows, e.g. mat({{1, 2}, {3, 4}}).
inline Matrix mat(std::initializer_list<std::initializer_list<Scalar>> rows) {
  return Tensor(rows).value();
}

// An independent log-softmax (straight from the definition, shifted by the max), so
// hand-computed expectations do not depend on the code under test.
inline Matrix reference_log_softmax(const Matrix& z) {
  Matrix out(z.rows(), z.cols());
  for (Index i = 0; i < z.rows(); ++i) {
    const Scalar m = z.row(i).maxCoeff();
    Scalar s = 0;
    for (Index k = 0; k < z.cols(); ++k) s += std::exp(z(i, k) - m);
    for (Index k = 0; k < z.cols(); ++k) out(i, k) = z(i, k) - m - std::log(s);
  }
  return out;
}

// Expects `statement` to throw gradlab::Error whose message contains every piece.
#define EXPECT_ERROR_MENTIONS(statement, ...)                                       \
  do {                                                                              \
    try {                                                                           \
      statement;                                                                    \
      ADD_FAILURE() << "expected gradlab::Error from: " #statement;                 \
    } catch (const gradlab::NotImplemented&) {                                      \
      throw;                                                                        \
    } catch (const gradlab::Error& e) {                                             \
      for (const std::string piece : {__VA_ARGS__}) {                               \
        EXPECT_NE(std::string(e.what()).find(piece), std::string::npos)             \
            << "the error message should mention '" << piece << "': " << e.what(); \
      }                                                                             \
    }                                                                               \
  } while (false)

inline bool all_finite(const Matrix& m) { return m.allFinite(); }

}  // namespace lab03_test
