/// \file
/// \brief Shapes and values drawn per run, for hidden tests: a submission written for
/// the visible tests' shapes fails them.
#pragma once

#include "gradlab/core.h"
#include "gradlab/random.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace gradlab::testing {

/// \brief The seed of this run: the environment variable GRADLAB_TEST_SEED (the grader
/// draws one per grading and records it in the result), else 20261121.
inline std::uint64_t test_seed() {
  const char* text = std::getenv("GRADLAB_TEST_SEED");
  if (text == nullptr || text[0] == '\0') return 20261121u;
  return std::strtoull(text, nullptr, 10);
}

/// \brief A generator for one test: the run's seed mixed with \p salt, so that every
/// test draws its own sequence and adding a test changes no other test's draws.
inline Rng seeded_rng(std::uint64_t salt) { return Rng(test_seed() * 0x9E3779B97F4A7C15ull + salt); }

/// \brief A size drawn uniformly from {low, …, high}. Hidden tests draw their
/// dimensions from 7 to 12: the visible tests of labs 01–04 use at most 6 rows or
/// columns, so no drawn shape is one of theirs.
inline Index draw_size(Rng& rng, Index low, Index high) { return low + rng.index(high - low + 1); }

/// \brief A [rows, cols] matrix of uniform draws from [low, high) taken from \p rng.
inline Matrix draw_matrix(Rng& rng, Index rows, Index cols, Scalar low = -1.0, Scalar high = 1.0) {
  Matrix m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = rng.uniform(low, high);
  return m;
}

/// \brief "(seed 123)": for failure messages, so a failing run can be repeated with
/// GRADLAB_TEST_SEED=123.
inline std::string seed_note() { return " (GRADLAB_TEST_SEED=" + std::to_string(test_seed()) + ")"; }

}  // namespace gradlab::testing
