// Lab 06 tests: the check every schedule test uses — a rate function evaluated at
// listed steps against values worked out by hand.
#pragma once

#include "gradlab/core.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lab06 {

using gradlab::Scalar;

/// Expects rate(t) == η for every (t, η) in \p expected, to 1e-12 relative (1e-15
/// absolute near 0). On failure it names the schedule, the step and both values, and
/// says when the value belongs to the step before or after (an off-by-one).
inline void expect_rates(const std::function<Scalar(std::int64_t)>& rate,
                         const std::vector<std::pair<std::int64_t, Scalar>>& expected, const std::string& schedule) {
  const auto close = [](Scalar a, Scalar b) { return std::abs(a - b) <= 1e-12 * std::abs(b) + 1e-15; };
  for (const auto& [t, eta] : expected) {
    const Scalar got = rate(t);
    if (close(got, eta)) continue;
    std::string diagnosis;
    if (t > 0 && close(got, rate(t - 1)) && !close(eta, rate(t - 1)))
      diagnosis = " (it is the same as at the step before: is a boundary one step late?)";
    if (close(got, rate(t + 1)) && !close(eta, rate(t + 1)))
      diagnosis = " (it is already the value of the next step: is a boundary one step early?)";
    ADD_FAILURE() << schedule << ": at t = " << t << " the rate is " << got << " but should be " << eta << diagnosis;
  }
}

}  // namespace lab06
