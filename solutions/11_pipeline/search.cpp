// Lab 11 — hyperparameter search under a budget of trials: a grid against random draws.
//
// With a budget of T trials over D hyperparameters, a grid tries only T^(1/D) distinct
// values of each one; random search tries T distinct values of every one. When only a
// few hyperparameters matter (usually the learning rate), random search explores the
// one that matters T times more finely (Bergstra & Bengio, 2012).
//
// Conventions: log-scaled axes are spread evenly in log(value); the grid's last axis
// changes fastest; random values are drawn trial by trial, axis by axis, one
// rng.uniform() each. Read framework/include/gradlab/kernels/pipeline.h too.
#include "gradlab/kernels/pipeline.h"

#include <cmath>

namespace gradlab::kernels {

namespace {
// The value at fraction u ∈ [0, 1] of an axis: linear, or linear in log(value).
Scalar axis_value(const SearchAxis& a, Scalar u) {
  if (a.log_scale) return std::exp(std::log(a.low) + u * (std::log(a.high) - std::log(a.low)));
  return a.low + u * (a.high - a.low);
}
}  // namespace

// ============================================================== grid search
// m = max{m : m^D ≤ budget};  v_{d,i} = value at u = i/(m − 1) (u = 0 when m = 1);
// trial t = (i_0, …, i_{D−1}) in row-major order: t = Σ_d i_d m^(D−1−d).
Matrix grid_search_trials(std::span<const SearchAxis> axes, Index budget) {
  // BEGIN SOLUTION
  const auto dims = static_cast<Index>(axes.size());
  // The largest m with m^D ≤ budget, in integers (pow() of a float could round 2.9999 down).
  const auto power = [dims](Index m) {
    Index p = 1;
    for (Index d = 0; d < dims; ++d) p *= m;
    return p;
  };
  Index m = 1;
  while (power(m + 1) <= budget) ++m;
  const Index trials = power(m);
  Matrix out(trials, dims);
  for (Index t = 0; t < trials; ++t) {
    Index rest = t;
    for (Index d = dims - 1; d >= 0; --d) {  // the last axis is the fastest digit
      const Index i = rest % m;
      rest /= m;
      const Scalar u = m == 1 ? 0.0 : static_cast<Scalar>(i) / static_cast<Scalar>(m - 1);
      out(t, d) = axis_value(axes[static_cast<std::size_t>(d)], u);
    }
  }
  return out;
  // END SOLUTION
}

// ============================================================== random search
// for each trial t, for each axis d:  u = rng.uniform();  v_{t,d} = value at u
Matrix random_search_trials(std::span<const SearchAxis> axes, Index budget, Rng& rng) {
  // BEGIN SOLUTION
  Matrix out(budget, static_cast<Index>(axes.size()));
  for (Index t = 0; t < budget; ++t)
    for (Index d = 0; d < out.cols(); ++d) out(t, d) = axis_value(axes[static_cast<std::size_t>(d)], rng.uniform());
  return out;
  // END SOLUTION
}

// ============================================================== best so far
// b_t = max_{s ≤ t} score_s   (a NaN score never becomes the best)
std::vector<Scalar> best_so_far(std::span<const Scalar> scores) {
  // BEGIN SOLUTION
  std::vector<Scalar> best;
  Scalar b = std::nan("");
  for (const Scalar s : scores) {
    if (!std::isnan(s) && (std::isnan(b) || s > b)) b = s;
    best.push_back(b);
  }
  return best;
  // END SOLUTION
}

}  // namespace gradlab::kernels
