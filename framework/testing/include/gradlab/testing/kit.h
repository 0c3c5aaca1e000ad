/// \file
/// \brief The test kit every lab's tests use: one include for all of it.
///
/// - gradcheck.h: gradients_match, the gradient checker (analytic against finite differences)
/// - inputs.h: random_matrix, random_tensor, away_from_kink, extreme_inputs, mat, row
/// - checks.h: accumulates, all_finite, near, mentions, throws_error_mentioning, str
/// - elementwise.h: value_of, derivative_of
/// - references.h: reference_log_softmax
/// - seeded.h: test_seed, seeded_rng, draw_size, draw_matrix (hidden tests: shapes drawn per run)
#pragma once

#include "gradlab/testing/checks.h"
#include "gradlab/testing/elementwise.h"
#include "gradlab/testing/gradcheck.h"
#include "gradlab/testing/inputs.h"
#include "gradlab/testing/references.h"
#include "gradlab/testing/seeded.h"
