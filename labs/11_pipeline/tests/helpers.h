// Lab 11 tests: small models and data shared by the test files.
#pragma once

#include "gradlab/activations.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/module.h"
#include "gradlab/pipeline.h"
#include "gradlab/regularization.h"
#include "gradlab/testing/kit.h"

#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

namespace lab11 {

using namespace gradlab;

// Softmax cross entropy, the loss of every test here.
inline LossFunction cross_entropy() {
  return [](const Tensor& scores, const std::vector<Index>& labels) { return cross_entropy_loss(scores, labels); };
}

// in → hidden (tanh) → out, from a seeded generator; an optional dropout after the hidden layer.
inline std::shared_ptr<Sequential> mlp(std::uint64_t seed, Index in, Index hidden, Index out, Scalar dropout = 0.0) {
  Rng rng(seed);
  auto net = std::make_shared<Sequential>();
  net->add(std::make_shared<Linear>(in, hidden, rng));
  net->add(std::make_shared<Tanh>());
  if (dropout > 0.0) net->add(std::make_shared<Dropout>(dropout, rng));
  net->add(std::make_shared<Linear>(hidden, out, rng));
  return net;
}

// n examples of d features in [−1, 1], labels i mod classes (so every class is present).
struct Data {
  Matrix x;
  std::vector<Index> labels;
};
inline Data data(Index n, Index d, Index classes, std::uint64_t seed) {
  Data out{gradlab::testing::random_matrix(n, d, seed), {}};
  for (Index i = 0; i < n; ++i) out.labels.push_back(i % classes);
  return out;
}

// The values of every parameter, in order.
inline std::vector<Matrix> values(const Module& m) {
  std::vector<Matrix> v;
  for (const Tensor& p : m.parameters()) v.push_back(p.value());
  return v;
}

// Whether two lists of matrices are equal bit for bit.
inline bool bit_identical(const std::vector<Matrix>& a, const std::vector<Matrix>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].rows() != b[i].rows() || a[i].cols() != b[i].cols()) return false;
    for (Index k = 0; k < a[i].size(); ++k)
      if (std::memcmp(&a[i].data()[k], &b[i].data()[k], sizeof(Scalar)) != 0) return false;
  }
  return true;
}

}  // namespace lab11
