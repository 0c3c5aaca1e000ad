/// \file
/// \brief The seeded random-number generator that every random operation takes explicitly.
#pragma once

#include "gradlab/core.h"

#include <cstdint>
#include <random>
#include <string>

namespace gradlab {

/// \brief A seeded pseudo-random generator (64-bit Mersenne Twister).
///
/// Every function that draws random numbers takes an `Rng&`, so an experiment says
/// exactly which generator feeds what. Where a caller passes none (a layer built as
/// `Linear(784, 256)`), default_generator() is used. The same seed gives bit-identical results on every platform,
/// because the distributions below are written here rather than taken from the
/// standard library (whose normal distribution differs between implementations).
class Rng {
 public:
  /// \brief A generator started from \p seed.
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  /// \brief A uniform draw from [0, 1) with 53 random bits.
  Scalar uniform();

  /// \brief A uniform draw from [\p low, \p high).
  Scalar uniform(Scalar low, Scalar high) { return low + (high - low) * uniform(); }

  /// \brief A draw from the normal distribution N(\p mean, \p stddev²) (Box–Muller).
  Scalar normal(Scalar mean = 0.0, Scalar stddev = 1.0);

  /// \brief A uniform integer from {0, …, \p n − 1}; \p n must be positive.
  Index index(Index n);

  /// \brief The raw 64-bit output, for seeding child generators.
  std::uint64_t next() { return engine_(); }

  /// \brief The generator's whole state as text (the engine's words and the spare normal):
  /// set_state() of it continues the same stream bit for bit (checkpoints save it).
  std::string state() const;
  /// \brief Restores a state written by state(); throws gradlab::Error when \p text is not one.
  void set_state(const std::string& text);

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;  // Box–Muller makes two normals at a time
  Scalar spare_ = 0.0;
};

/// \brief The generator used where none is passed: seeded with 0 when the program
/// starts, so a program that never seeds still runs the same way every time.
///
/// Shared by every thread; give each thread its own Rng instead when they draw at once.
Rng& default_generator();

/// \brief Restarts default_generator() from \p seed (PyTorch's `torch.manual_seed`).
void manual_seed(std::uint64_t seed);

}  // namespace gradlab
