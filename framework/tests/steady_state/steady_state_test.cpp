// The steady state of a training loop allocates no matrix of a layer's size: every step
// builds the same graph, and its results and gradients reuse the previous step's memory
// (the cache of new_matrix). This executable is linked with -Wl,--wrap=malloc, so every
// malloc of the engine, of Eigen and of the kernels passes through the counter below.
#include "gradlab/gradlab.h"
#include "gradlab/testing/inputs.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>

namespace {
// What counts: a block as large as one hidden layer's [N, D] activation (256 x 128
// doubles). Smaller blocks remain and are served from malloc's free lists: the graph's
// bookkeeping (nodes, closures, the visit order) and the loss kernel's [N, classes]
// softmax temporary (lab 03's code, 20 KiB here).
constexpr std::size_t kLarge = 256 * 128 * sizeof(double);
bool counting = false;
int large_allocations = 0;
}  // namespace

extern "C" void* __real_malloc(std::size_t size);
extern "C" void* __wrap_malloc(std::size_t size) {
  if (counting && size >= kLarge) ++large_allocations;
  return __real_malloc(size);
}

using namespace gradlab;

TEST(SteadyState, ATrainingStepAllocatesNoLargeBlockOnceWarm) {
  Rng rng(3);
  Sequential model({std::make_shared<Linear>(64, 128, rng), std::make_shared<ReLU>(),
                    std::make_shared<Linear>(128, 128, rng), std::make_shared<ReLU>(),
                    std::make_shared<Linear>(128, 10, rng)});
  SGD sgd(model.parameters(), {.lr = 0.01, .momentum = 0.9});
  const Matrix data = gradlab::testing::random_matrix(256, 64, 7);
  std::vector<Index> labels(256);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<Index>(i % 10);

  auto step = [&] {
    Matrix batch = new_matrix(256, 64);  // the batch reuses the last batch's memory too
    batch = data;
    sgd.zero_grad();
    Tensor loss = cross_entropy_loss(model(Tensor(std::move(batch))), labels);
    loss.backward();
    sgd.step();
  };
  for (int i = 0; i < 3; ++i) step();  // warm: the cache, the momentum buffers, the GEMM's packing buffers
  counting = true;
  for (int i = 0; i < 3; ++i) step();
  counting = false;
  EXPECT_EQ(large_allocations, 0) << "blocks of at least " << kLarge << " bytes allocated in 3 warm steps";

  // The counter counts: a fresh matrix of a layer's size is one large block.
  counting = true;
  const Matrix fresh(256, 128);
  counting = false;
  EXPECT_EQ(large_allocations, 1);
}
