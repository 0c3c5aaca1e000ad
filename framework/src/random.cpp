#include "gradlab/random.h"

#include <bit>
#include <cmath>
#include <sstream>
#include <numbers>

namespace gradlab {

// 53 random bits scaled into [0, 1): every double in the grid k / 2^53 equally likely.
Scalar Rng::uniform() {
  return static_cast<Scalar>(engine_() >> 11) * 0x1.0p-53;
}

// Box–Muller: for u1, u2 ~ U(0, 1], r = sqrt(-2 ln u1) and θ = 2π u2 give two
// independent standard normals r cos θ and r sin θ. We keep the second for next time.
Scalar Rng::normal(Scalar mean, Scalar stddev) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + stddev * spare_;
  }
  const Scalar u1 = 1.0 - uniform();  // (0, 1]: log(u1) is finite
  const Scalar u2 = uniform();
  const Scalar r = std::sqrt(-2.0 * std::log(u1));
  const Scalar theta = 2.0 * std::numbers::pi * u2;
  spare_ = r * std::sin(theta);
  has_spare_ = true;
  return mean + stddev * r * std::cos(theta);
}

Index Rng::index(Index n) {
  GRADLAB_CHECK(n > 0, "Rng::index(n) needs n > 0, got n = " + std::to_string(n));
  // Rejection sampling removes the modulo bias of engine_() % n.
  const auto range = static_cast<std::uint64_t>(n);
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  std::uint64_t draw;
  do {
    draw = engine_();
  } while (draw >= limit);
  return static_cast<Index>(draw % range);
}

// The engine's operator<< writes its 312 words in decimal; the spare normal goes after
// them as its exact bits (hexfloat would do too, but the integer keeps the text short).
std::string Rng::state() const {
  std::ostringstream out;
  out << engine_ << ' ' << (has_spare_ ? 1 : 0) << ' ' << std::bit_cast<std::uint64_t>(spare_);
  return out.str();
}

void Rng::set_state(const std::string& text) {
  std::istringstream in(text);
  std::mt19937_64 engine;
  int has_spare = 0;
  std::uint64_t spare_bits = 0;
  in >> engine >> has_spare >> spare_bits;
  GRADLAB_CHECK(!in.fail() && (has_spare == 0 || has_spare == 1) && (in >> std::ws).eof(),
                "Rng::set_state: the text is not a generator state written by Rng::state()");
  engine_ = engine;
  has_spare_ = has_spare == 1;
  spare_ = std::bit_cast<Scalar>(spare_bits);
}

Rng& default_generator() {
  static Rng generator(0);
  return generator;
}

void manual_seed(std::uint64_t seed) { default_generator() = Rng(seed); }

}  // namespace gradlab
