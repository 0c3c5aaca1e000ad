/// \file
/// \brief Independent computations that tests compare against: written straight from
/// the definition, so that hand-computed expectations do not depend on the code under test.
#pragma once

#include "gradlab/core.h"

namespace gradlab::testing {

/// \brief log softmax of every row, z_ik − m_i − log Σ_k e^(z_ik − m_i) with m_i the
/// row's maximum (so logits of ±1000 give finite results).
Matrix reference_log_softmax(const Matrix& z);

}  // namespace gradlab::testing
