// Lab 05 tests: every update kernel acts on each element alike, on a shape no other test
// uses (drawn once from a fixed seed, 7 to 12 rows and columns): the result on the whole
// matrix equals, element by element, the result on a [1, 1] matrix holding that element
// and its state. A kernel that covers only the first rows/columns, or mixes elements,
// fails; the [1, 1] values themselves are checked by the other tests.
#include "gradlab/kernels/optimizers.h"
#include "gradlab/testing/kit.h"
#include "gradlab/testing/seeded.h"

#include <cmath>
#include <functional>
#include <vector>

using namespace gradlab;
using namespace gradlab::testing;

namespace {

// update(theta, grad, state, step): one step of a kernel with `state` holding its buffers.
using Update = std::function<void(MatrixRef, ConstMatrixRef, std::vector<Matrix>&, std::int64_t)>;

// Three steps on a drawn [n, d] theta with `buffers` state matrices (all starting at 0),
// compared with the same three steps on every element alone.
void expect_elementwise(std::uint64_t seed, Index buffers, const Update& update, const char* name) {
  Rng rng(seed);
  const Index n = draw_size(rng, 7, 12), d = draw_size(rng, 7, 12);
  const Matrix theta0 = draw_matrix(rng, n, d, 2.0, 3.0);
  std::vector<Matrix> grads;
  for (int t = 0; t < 3; ++t) grads.push_back(draw_matrix(rng, n, d));

  Matrix theta = theta0;
  std::vector<Matrix> state(static_cast<std::size_t>(buffers), Matrix::Zero(n, d));
  for (int t = 0; t < 3; ++t) update(theta, grads[static_cast<std::size_t>(t)], state, t + 1);

  Index mismatches = 0;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) {
      Matrix one = theta0.block(i, j, 1, 1);
      std::vector<Matrix> one_state(static_cast<std::size_t>(buffers), Matrix::Zero(1, 1));
      for (int t = 0; t < 3; ++t) update(one, grads[static_cast<std::size_t>(t)].block(i, j, 1, 1), one_state, t + 1);
      // (1e-13, not bit equality: the compiler may fuse a·b + c differently in vector code.)
      if (std::abs(one(0, 0) - theta(i, j)) > 1e-13 * (1.0 + std::abs(theta(i, j))) && mismatches++ == 0) {
        ADD_FAILURE() << name << " on " << shape_string(n, d) << ": theta[" << i << "," << j << "] = " << theta(i, j)
                      << " but the same steps on that element alone give " << one(0, 0)
                      << " (is every row and column updated?)";
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << name << ": elements that differ";
  // Three small steps: every element moves, none by as much as 1 (theta starts in [2, 3)).
  EXPECT_GT((theta - theta0).cwiseAbs().minCoeff(), 0.0) << name << ": some element did not move in three steps";
  EXPECT_LT((theta - theta0).cwiseAbs().maxCoeff(), 1.0) << name << ": a step far larger than the learning rate";
}

}  // namespace

TEST(SGDMomentum, UpdatesEveryElementOfADrawnShapeAlike) {
  expect_elementwise(501, 1, [](MatrixRef th, ConstMatrixRef g, std::vector<Matrix>& s, std::int64_t step) {
    kernels::sgd_update(th, g, s[0], {.lr = 0.01, .momentum = 0.9, .weight_decay = 0.01, .nesterov = true}, step);
  }, "SGD (Nesterov, weight decay)");
}

TEST(RMSprop, UpdatesEveryElementOfADrawnShapeAlike) {
  expect_elementwise(502, 1, [](MatrixRef th, ConstMatrixRef g, std::vector<Matrix>& s, std::int64_t step) {
    kernels::adagrad_update(th, g, s[0], {.lr = 0.01}, step);
  }, "Adagrad");
  expect_elementwise(503, 3, [](MatrixRef th, ConstMatrixRef g, std::vector<Matrix>& s, std::int64_t step) {
    kernels::rmsprop_update(th, g, s[0], s[1], s[2], {.lr = 0.01, .momentum = 0.5, .centered = true}, step);
  }, "RMSprop (centered, momentum)");
}

TEST(Adam, UpdatesEveryElementOfADrawnShapeAlike) {
  expect_elementwise(504, 3, [](MatrixRef th, ConstMatrixRef g, std::vector<Matrix>& s, std::int64_t step) {
    kernels::adam_update(th, g, s[0], s[1], s[2], {.lr = 0.01, .weight_decay = 0.1, .amsgrad = true}, step);
  }, "Adam (AMSGrad, L2)");
  expect_elementwise(505, 3, [](MatrixRef th, ConstMatrixRef g, std::vector<Matrix>& s, std::int64_t step) {
    kernels::adamw_update(th, g, s[0], s[1], s[2], {.lr = 0.01, .weight_decay = 0.1}, step);
  }, "AdamW");
}
