// Lab 11: this file is yours to edit; the lab's README says what to do.
// (Generated from the reference solution by gradlab-stubgen.)
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
  // TODO(lab 11): implement grid_search_trials.
  throw gradlab::NotImplemented("lab 11: grid_search_trials");
}

// ============================================================== random search
// for each trial t, for each axis d:  u = rng.uniform();  v_{t,d} = value at u
Matrix random_search_trials(std::span<const SearchAxis> axes, Index budget, Rng& rng) {
  // TODO(lab 11): implement random_search_trials.
  throw gradlab::NotImplemented("lab 11: random_search_trials");
}

// ============================================================== best so far
// b_t = max_{s ≤ t} score_s   (a NaN score never becomes the best)
std::vector<Scalar> best_so_far(std::span<const Scalar> scores) {
  // TODO(lab 11): implement best_so_far.
  throw gradlab::NotImplemented("lab 11: best_so_far");
}

}  // namespace gradlab::kernels
