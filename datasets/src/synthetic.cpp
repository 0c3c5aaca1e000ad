#include "gradlab/datasets/synthetic.h"

#include <cmath>
#include <numbers>

namespace gradlab::datasets {

Classification xor_points() {
  Classification d;
  d.x.resize(4, 2);
  d.x << 0, 0, 0, 1, 1, 0, 1, 1;
  d.labels = {0, 1, 1, 0};
  d.classes = 2;
  return d;
}

Classification spiral(Index classes, Index per_class, Scalar noise, Rng& rng) {
  GRADLAB_CHECK(classes >= 1 && per_class >= 1,
                "spiral: need classes >= 1 and per_class >= 1, got " + std::to_string(classes) +
                    " and " + std::to_string(per_class));
  GRADLAB_CHECK(noise >= 0, "spiral: noise must be >= 0, got " + std::to_string(noise));
  Classification d;
  d.classes = classes;
  d.x.resize(classes * per_class, 2);
  for (Index k = 0; k < classes; ++k) {
    for (Index i = 0; i < per_class; ++i) {
      const Scalar t = static_cast<Scalar>(i) / static_cast<Scalar>(per_class);
      const Scalar theta = 4.0 * t + 2.0 * std::numbers::pi * static_cast<Scalar>(k) /
                                         static_cast<Scalar>(classes) + noise * rng.normal();
      const Index row = k * per_class + i;
      d.x(row, 0) = t * std::sin(theta);
      d.x(row, 1) = t * std::cos(theta);
      d.labels.push_back(k);
    }
  }
  return d;
}

}  // namespace gradlab::datasets
